#pragma once
// api_result: a value or an HTTP-style error (status + message) — what the service's in-process calls give back,
// so a route hands their refusal on unchanged and an embedder reads the same words a client would.
#include <optional>
#include <string>
#include <utility>

namespace ads_sim {

// An answer that went wrong, before it becomes an HTTP response: the router turns it into {"error": message}.
struct http_error {
  int status = 400;
  std::string message;
};

template <typename T>
struct api_result {
  std::optional<T> value;
  int status = 200;
  std::string error;

  static api_result success(T value) { return {std::move(value), 200, {}}; }
  static api_result failure(int status, std::string why) { return {std::nullopt, status, std::move(why)}; }
  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
  // The refusal, as a route hands it on.
  http_error failure() const { return {status, error}; }
};

}  // namespace ads_sim
