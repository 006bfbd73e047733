#pragma once
// outcome<T>: a value or the one-line reason it could not be had (file:line first when a step is to blame).
// The scenario core's errors are values, like apca::result; the runner turns them into a failed case.
#include <string>
#include <utility>
#include <variant>

namespace scenario {

struct failure {
  std::string reason;
};

template <class T>
class outcome {
 public:
  outcome(T value) : value_(std::move(value)) {}           // NOLINT: implicit, like std::expected
  outcome(failure error) : value_(std::move(error)) {}     // NOLINT
  bool ok() const { return value_.index() == 0; }
  const T& value() const { return std::get<0>(value_); }
  T& value() { return std::get<0>(value_); }
  const std::string& error() const { return std::get<1>(value_).reason; }

 private:
  std::variant<T, failure> value_;
};

// The value of a step that has nothing to give back.
struct done {};

}  // namespace scenario
