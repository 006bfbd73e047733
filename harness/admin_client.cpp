#include "harness/admin_client.hpp"

#include <boost/asio/io_context.hpp>

#include "ads_client/https_client.hpp"

namespace e2e {

std::string admin_reply::failure(int expected) const {
  if (status == expected) return {};
  if (status == 0) return "no answer: " + (raw.empty() ? std::string("transport error") : raw);
  return "HTTP " + std::to_string(status) + ": " + raw;
}

admin_client::admin_client(std::string host, std::string port, std::filesystem::path ca_file, std::string admin_token,
                           std::chrono::seconds deadline)
    : host_(std::move(host)),
      port_(std::move(port)),
      ca_file_(std::move(ca_file)),
      token_(std::move(admin_token)),
      deadline_(deadline) {}

admin_reply admin_client::send(const std::string& method, const std::string& path, const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers) const {
  boost::asio::io_context io;
  auto client = ads_client::https_client::create(io.get_executor(),
                                                 ads_client::https_target{host_, port_, "localhost", ca_file_});
  ads_client::http_request request{method, "/api/v1" + path, headers, body};
  admin_reply reply;
  client->request(std::move(request), deadline_, [&reply](ads_client::http_outcome outcome) {
    if (auto* failure = std::get_if<ads_client::transport_error>(&outcome)) {
      reply.raw = failure->what;  // a timeout says so
      return;
    }
    auto& response = std::get<ads_client::http_response>(outcome);
    reply.status = response.status;
    reply.raw = response.body;
    reply.body = nlohmann::json::parse(response.body, nullptr, false);
  });
  io.run();
  client->close();
  return reply;
}

admin_reply admin_client::get(const std::string& path) const {
  return send("GET", path, "", {{"Authorization", "Bearer " + token_}});
}

admin_reply admin_client::post(const std::string& path, const nlohmann::json& body) const {
  return send("POST", path, body.dump(), {{"Authorization", "Bearer " + token_}});
}

admin_reply admin_client::put(const std::string& path, const nlohmann::json& body) const {
  return send("PUT", path, body.dump(), {{"Authorization", "Bearer " + token_}});
}

}  // namespace e2e
