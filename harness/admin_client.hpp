#pragma once
// admin_client: the tests' (and a CI script's) view of ads-sim's admin API (SPEC §6) — blocking HTTPS calls that
// verify the service's certificate against its generated CA.
#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace e2e {

struct admin_reply {
  int status = 0;  // 0: no HTTP answer (timeout or transport error, see `raw`)
  nlohmann::json body;
  std::string raw;

  // Why the call did not get `expected`, for a one-line error; empty when it did.
  std::string failure(int expected) const;
};

class admin_client {
 public:
  // `deadline` bounds each call: creating a hundred factory devices takes tens of seconds on a slow machine.
  admin_client(std::string host, std::string port, std::filesystem::path ca_file, std::string admin_token,
               std::chrono::seconds deadline = std::chrono::seconds(300));

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
  std::chrono::seconds deadline_;
};

}  // namespace e2e
