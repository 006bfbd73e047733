// The control API's messages, without a socket (control_client.hpp).
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/sim7600-scenario/control_client.hpp"

namespace scenario {

std::string control_request_for(const std::string& world_line) {
  std::istringstream words(world_line);
  std::string verb, word;
  words >> verb;
  std::vector<std::string> args;
  while (words >> word) args.push_back(word);
  if (verb == "state") return "GET /v1/state HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  const std::string body = nlohmann::json{{"args", args}}.dump();
  return "POST /v1/" + verb + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

control_reply parse_http_response(const std::string& raw) {
  // "HTTP/1.1 200 OK\r\n...headers...\r\n\r\nbody"
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12 || head_end == std::string::npos)
    return {0, "not an HTTP response: " + raw.substr(0, 80)};
  return {std::atoi(raw.c_str() + 9), raw.substr(head_end + 4)};
}

}  // namespace scenario
