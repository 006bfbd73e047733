#pragma once
// api_result: a value or an HTTP-style error (status + message) — what the service's in-process calls give back,
// so a route hands their refusal on unchanged and an embedder reads the same words a client would.
#include <string>

#include "common/result.hpp"

namespace ads_sim {

// An answer that went wrong, before it becomes an HTTP response: the router turns it into {"error": message}.
struct http_error {
  int status = 400;
  std::string message;
};

template <typename T>
using api_result = common::result<T, http_error>;

}  // namespace ads_sim
