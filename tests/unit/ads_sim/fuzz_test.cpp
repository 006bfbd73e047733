#include <random>

#include "support.hpp"

using namespace ads_sim_test;

namespace {

// Random JSON up to a small depth: the shapes handlers meet when a client is broken.
json random_json(std::mt19937& random, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 2 ? 5 : 7);
  switch (kind(random)) {
    case 0: return nullptr;
    case 1: return random() % 2 == 0;
    case 2: return static_cast<std::int64_t>(random()) - (1LL << 31);
    case 3: return static_cast<double>(random()) / 7.0;
    case 4: return std::string(random() % 8, static_cast<char>('a' + random() % 26));
    case 5: return std::numeric_limits<std::uint64_t>::max() - random() % 3;
    case 6: {
      json array = json::array();
      for (int i = 0, n = static_cast<int>(random() % 4); i < n; ++i) array.push_back(random_json(random, depth + 1));
      return array;
    }
    default: {
      static const char* keys[] = {"datapoint", "device", "value", "base_type", "name", "metadata", "oem",
                                   "oem_model", "oem_key", "hwid", "rand", "signature", "model", "count",
                                   "oem_id", "email", "public_key", "status", "sw_version", "template_version",
                                   "ota-status", "type", "version", "data_base64", "image_id", "dsns"};
      json object = json::object();
      for (int i = 0, n = static_cast<int>(random() % 5); i < n; ++i)
        object[keys[random() % std::size(keys)]] = random_json(random, depth + 1);
      return object;
    }
  }
}

}  // namespace

TEST_CASE("random bodies on every route never crash and answer 2xx or 4xx with JSON", "[ads_sim][fuzz]") {
  core_fixture f;
  const std::string token = f.token();
  REQUIRE(f.core.add_provision_key(f.oem_id, ads_client::rsa_key::generate(1024).public_pem(), t0));
  const std::string dsn = f.device.dsn;
  const std::string key = std::to_string(f.device.key);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"PUT", "/devices/" + key + ".json"},
      {"PUT", "/devices/" + key + "/oem_info.json"},
      {"GET", "/devices/" + key + "/commands.json?poll=0"},
      {"PUT", "/devices/" + key + "/commands/1.json"},
      {"POST", "/devices/" + key + "/properties/p/datapoints.json"},
      {"GET", "/devices/" + key + "/properties/p.json"},
      {"POST", "/provisions/" + f.core.storage().oems().list_provision_keys(f.oem_id).front().key_id},
      {"POST", "/api/v1/oems"},
      {"POST", "/api/v1/oems/71866f33/provision_keys"},
      {"PUT", "/api/v1/devices/" + dsn + "/properties/p"},
      {"PUT", "/api/v1/devices/" + dsn + "/properties/q"},
      {"GET", "/api/v1/devices/" + dsn + "/properties/p/datapoints"},
      {"PUT", "/devices/" + key + "/ota_failed.json"},
      {"POST", "/api/v1/images"},
      {"POST", "/api/v1/ota_jobs"},
      {"POST", "/api/v1/ota_jobs/1/start"},
  };
  std::mt19937 random(20261124);
  for (int round = 0; round < 3000; ++round) {
    const auto& [method, target] = routes[random() % routes.size()];
    std::string body;
    switch (random() % 4) {
      case 0: {  // random bytes
        body.resize(random() % 64);
        for (auto& ch : body) ch = static_cast<char>(random() & 0xff);
        break;
      }
      case 1:  // JSON cut short
        body = random_json(random, 0).dump();
        body.resize(body.size() / 2);
        break;
      default: body = random_json(random, 0).dump();
    }
    auto request = make_request(method, target, body);
    if (request.headers.empty()) request.headers.emplace_back("Content-Type", "application/json");
    if (target.rfind("/api/v1", 0) == 0)
      request.headers.emplace_back("Authorization", "Bearer " + admin_token);
    else
      request.headers.emplace_back("x-Ayla-auth-key", "Ayla1.0 " + token);
    const auto result = f.core.handle(request, t0);
    REQUIRE(std::holds_alternative<http_response>(result));
    const auto& response = std::get<http_response>(result);
    INFO(method << " " << target << " " << body << " -> " << response.status << " " << response.body);
    REQUIRE(response.status >= 200);
    REQUIRE(response.status < 500);
    if (response.status >= 400) REQUIRE(body_of(response)["error"].is_string());
  }
}

TEST_CASE("random targets and headers never crash", "[ads_sim][fuzz]") {
  core_fixture f;
  std::mt19937 random(7);
  const std::string alphabet = "/._-{}?=&%aA0Z9 jsondevicesdsnsapiv1";
  for (int round = 0; round < 3000; ++round) {
    std::string target = "/";
    for (int i = 0, n = static_cast<int>(random() % 40); i < n; ++i) target += alphabet[random() % alphabet.size()];
    static const char* methods[] = {"GET", "PUT", "POST", "DELETE", "PATCH", ""};
    auto request = make_request(methods[random() % std::size(methods)], target, "{}");
    if (random() % 2) request.headers.emplace_back("x-Ayla-client-auth", "Ayla1.0 " + std::string(random() % 20, 'A'));
    const auto result = f.core.handle(request, t0);
    if (const auto* response = std::get_if<http_response>(&result)) {
      REQUIRE(response->status >= 200);
      REQUIRE(response->status < 500);
    }
  }
}
