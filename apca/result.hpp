#pragma once
// result<T>: a value or an ada_error — how the service answers the AT+ADA table (errors are values).
#include <utility>
#include <variant>

#include "apca/ada_text.hpp"

namespace apca {

// The value of an accepted command that has nothing to report.
struct accepted {};

template <class T>
class result {
 public:
  result(T value) : value_(std::move(value)) {}          // NOLINT: implicit, like std::expected
  result(ada_error error) : value_(std::move(error)) {}  // NOLINT
  bool ok() const { return value_.index() == 0; }
  const T& value() const { return std::get<0>(value_); }
  T& value() { return std::get<0>(value_); }
  const ada_error& error() const { return std::get<1>(value_); }

 private:
  std::variant<T, ada_error> value_;
};

inline ada_error make_error(ada_code code, std::string explanation) { return {code, std::move(explanation)}; }

}  // namespace apca
