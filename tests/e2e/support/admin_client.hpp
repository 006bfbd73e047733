#pragma once
// admin_client: the tests' (and a CI script's) view of ads-sim's admin API (SPEC §6) — blocking HTTPS calls that
// verify the service's certificate against its generated CA.
#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace e2e {

struct admin_reply {
  int status = 0;  // 0: no HTTP answer (transport error, see `raw`)
  nlohmann::json body;
  std::string raw;
};

class admin_client {
 public:
  admin_client(std::string host, std::string port, std::filesystem::path ca_file, std::string admin_token);

  admin_reply get(const std::string& path) const;
  admin_reply post(const std::string& path, const nlohmann::json& body) const;
  admin_reply put(const std::string& path, const nlohmann::json& body) const;
  // Any request, e.g. with other headers or no token, for the service's own tests.
  admin_reply send(const std::string& method, const std::string& path, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers) const;

 private:
  std::string host_, port_;
  std::filesystem::path ca_file_;
  std::string token_;
};

}  // namespace e2e
