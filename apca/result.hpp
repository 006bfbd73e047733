#pragma once
// result<T>: a value or an ada_error — how the service answers the AT+ADA table (errors are values). The one
// value-or-error type of every core, common::result, with the SPEC's error as its error.
#include <string>
#include <utility>

#include "apca/ada_text.hpp"
#include "common/result.hpp"

namespace apca {

// The value of an accepted command that has nothing to report.
using accepted = common::done;

template <class T>
using result = common::result<T, ada_error>;

inline ada_error make_error(ada_code code, std::string explanation) { return {code, std::move(explanation)}; }

}  // namespace apca
