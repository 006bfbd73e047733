#pragma once
// result<T, E>: a value or the error that stands in its place, shaped like C++23's std::expected. The one "value or
// error" convention at the edges of every core (SPEC errors, scenario failures, flag and file errors).
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace common {

// An error on its way into a result, as std::unexpected: needed only where the error could be taken for a value.
template <class E>
class unexpected {
 public:
  explicit unexpected(E error) : error_(std::move(error)) {}
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};
template <class E>
unexpected(E) -> unexpected<E>;

// The value of an operation that has nothing to give back.
struct done {};

// A one-line reason, for results whose only error is a sentence for a person.
struct failure {
  std::string reason;
};

template <class T, class E>
class result {
 public:
  using value_type = T;
  using error_type = E;

  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit, like std::expected
  template <class G>
  result(unexpected<G> error) : state_(std::in_place_index<1>, std::move(error).error()) {}  // NOLINT
  // An error converts by itself when it cannot be mistaken for a value (ada_error, failure, an error enum).
  result(E error)  // NOLINT
    requires(!std::is_convertible_v<E, T>)
      : state_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return state_.index() == 0; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

  const E& error() const& { return std::get<1>(state_); }
  E& error() & { return std::get<1>(state_); }
  E&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, E> state_;
};

// A result whose error is a one-line reason: error() is the failure; reason() its text.
template <class T>
using outcome = result<T, failure>;

template <class T>
const std::string& reason(const outcome<T>& r) {
  return r.error().reason;
}

}  // namespace common
