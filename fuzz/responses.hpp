#pragma once
// The device service's answers as the harnesses' input gives them (the fakes themselves are tests/support/'s).
#include <iterator>
#include <string>
#include <string_view>

#include "ads_client/http_message.hpp"

namespace fuzz {

// "<status digit><body>" -> a response: the digit picks a status the device protocol uses (9: no answer at all).
inline ads_client::http_outcome response_from(std::string_view record) {
  static constexpr int statuses[] = {200, 201, 204, 206, 400, 401, 403, 404, 500};
  if (record.empty()) return ads_client::transport_error{"timed out"};
  const int digit = record.front() - '0';
  if (digit < 0 || digit >= static_cast<int>(std::size(statuses))) return ads_client::transport_error{"timed out"};
  ads_client::http_response response;
  response.status = statuses[digit];
  response.headers["content-type"] = "application/json";
  response.body = std::string(record.substr(1));
  return response;
}

}  // namespace fuzz
