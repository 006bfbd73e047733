#include "tests/support/fake_device_service.hpp"

#include "ads_client/rsa_key.hpp"

namespace test_support {

using ads_client::http_outcome;
using ads_client::http_request;
using ads_client::http_response;
using nlohmann::json;

std::vector<std::string> fake_device_service::request_lines() const {
  std::vector<std::string> lines;
  for (const auto& [channel, request] : every_request)
    lines.push_back(request.method + " " + request.target + (request.body.empty() ? "" : " " + request.body));
  return lines;
}

http_response fake_device_service::answer(int status, json body) {
  http_response response{status, {{"x-ayla-server-time", "1700000000"}}, body.is_null() ? "" : body.dump()};
  return response;
}

http_outcome fake_device_service::handle(const http_request& request) {
  if (transport_failure) return ads_client::transport_error{*transport_failure};
  if (refuse_auth) return answer(401, {{"error", "bad auth"}});
  const std::string& target = request.target;
  if (target.rfind("/dsns/", 0) == 0) {
    auto response = answer(200, {{"device", {{"key", 12}}}});
    response.headers["x-ayla-auth-key"] = "token";
    return response;
  }
  if (request.method == "PUT") return answer(204);
  if (auto image = images.find(target); image != images.end()) return range_of(image->second, request);
  if (auto location = locations.find(target); location != locations.end()) return answer(200, location->second);
  if (target.find("/datapoints.json") != std::string::npos) {
    json point = json::parse(request.body)["datapoint"];
    datapoints.push_back(point);
    properties[point["name"]] = {{"base_type", point["base_type"]}, {"value", point["value"]}};
    return answer(201, {{"datapoint", point}});
  }
  if (target.rfind("/devices/12/properties/", 0) == 0) {
    std::string name = target.substr(23, target.size() - 23 - 5);
    if (!properties.count(name)) return answer(404, {{"error", "no such property"}});
    json property = properties[name];
    property["name"] = name;
    return answer(200, {{"property", property}});
  }
  return answer(404, {{"error", "unknown path"}});
}

http_response fake_device_service::range_of(const std::string& bytes, const http_request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "Range") continue;
    const auto dash = value.find('-');
    const std::size_t first = std::stoul(value.substr(6, dash - 6));
    const std::size_t last = std::stoul(value.substr(dash + 1));
    return http_response{206, {}, bytes.substr(first, last - first + 1)};
  }
  return http_response{200, {}, bytes};
}

void fake_device_service::run() {
  while (!requests.empty()) {
    sent_request next = take();
    if (next.request.target.find("commands.json") != std::string::npos && !transport_failure && !refuse_auth) {
      json body = {{"commands", {{"cmds", queued_cmds}, {"properties", queued}}}};
      queued = json::array();
      queued_cmds = json::array();
      next.done(answer(200, body));
      continue;
    }
    next.done(handle(next.request));
  }
}

void fake_device_service::set_to_device(const std::string& name, const std::string& type, json value) {
  properties[name] = {{"base_type", type}, {"value", value}};
  queued.push_back({{"property", {{"name", name}, {"base_type", type}, {"value", value}}}});
  ask_module();
}

void fake_device_service::ask_module() {
  run();
  if (poll_due) poll_due();
  run();
}

void fake_device_service::offer_ota(int id, json ota) {
  queued_cmds.push_back({{"cmd", {{"id", id}, {"method", "PUT"}, {"resource", "ota.json"},
                                  {"uri", "/commands/" + std::to_string(id) + ".json"},
                                  {"data", json{{"ota", std::move(ota)}}.dump()}}}});
  ask_module();
}

void fake_device_service::offer_image(int id, const std::string& type, const std::string& version,
                                      const std::string& bytes) {
  const std::string path = "/devices/12/images/" + std::to_string(id) + ".bin";
  images[path] = bytes;
  offer_ota(id, {{"url", "https://ads-dev.aylanetworks.com" + path},
                 {"ver", version},
                 {"size", bytes.size()},
                 {"type", type},
                 {"checksum", ads_client::sha256_hex(bytes)},
                 {"source", "local"}});
}

void fake_device_service::crash(const std::string& why) {
  transport_failure = why;
  ask_module();
}

}  // namespace test_support
