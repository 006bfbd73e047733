#pragma once
// outcome<T>: a value or the one-line reason it could not be had (file:line first when a step is to blame).
// The scenario core's errors are values, in the one value-or-error type (common::result); the runner turns them
// into a failed case.
#include "common/result.hpp"

namespace scenario {

using common::done;     // the value of a step that has nothing to give back
using common::failure;  // the one-line reason
using common::outcome;

}  // namespace scenario
