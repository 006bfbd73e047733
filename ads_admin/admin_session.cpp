#include "ads_admin/admin_session.hpp"

#include <fstream>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "ads_admin/admin_retry.hpp"
#include "ads_client/https_client.hpp"
#include "common/read_file.hpp"

namespace ads_admin {

namespace {

// The whole file without trailing whitespace (the url and admin-token files end with a newline).
common::outcome<std::string> read_trimmed(const std::filesystem::path& file, std::string_view what) {
  auto read = common::read_file(file);
  if (!read) return common::failure{"cannot read " + std::string(what) + " " + file.string()};
  std::string content = std::move(*read);
  while (!content.empty() && std::isspace(static_cast<unsigned char>(content.back()))) content.pop_back();
  if (content.empty()) return common::failure{std::string(what) + " " + file.string() + " is empty"};
  return content;
}

common::outcome<common::done> readable_ca(const std::filesystem::path& ca_file) {
  std::ifstream in(ca_file);
  if (!in) return common::failure{"cannot read the CA file " + ca_file.string()};
  return common::done{};
}

}  // namespace

common::outcome<service_endpoint> resolve_endpoint(const service_source& source) {
  if (const auto* given = std::get_if<explicit_service>(&source)) {
    if (auto ca = readable_ca(given->ca_file); !ca) return ca.error();
    std::string token;
    if (given->token) {
      token = *given->token;
    } else {
      const auto from_file = read_trimmed(*given->token_file, "token file");
      if (!from_file) return from_file.error();
      token = from_file.value();
    }
    return service_endpoint{given->url, given->ca_file, token};
  }
  const auto& dir = std::get<service_directory>(source).dir;
  const auto url_text = read_trimmed(dir / "url", "the service's url file");
  if (!url_text) {
    return common::failure{url_text.error().reason +
                           " (is the emulator or ads-sim running? see --help for the connection flags)"};
  }
  const auto url = parse_https_url(url_text.value());
  if (!url) return common::failure{(dir / "url").string() + " does not hold an https://HOST:PORT URL"};
  const auto ca_file = dir / "ca.pem";
  if (auto ca = readable_ca(ca_file); !ca) return ca.error();
  const auto token = read_trimmed(dir / "admin-token", "the admin token file");
  if (!token) return token.error();
  return service_endpoint{*url, ca_file, token.value()};
}

std::string admin_reply::failure_reason() const {
  if (status == 0) return transport_error;
  if (body.is_object() && body.contains("error") && body["error"].is_string()) return body["error"].get<std::string>();
  if (!raw.empty()) return raw;
  return "no error text";
}

struct admin_session::impl {
  service_endpoint endpoint;
  boost::asio::io_context io;
  std::shared_ptr<ads_client::https_client> client;
};

admin_session::admin_session(service_endpoint endpoint) : impl_(std::make_unique<impl>()) {
  impl_->endpoint = std::move(endpoint);
  // ads-sim's certificate names localhost; the TCP connection goes to the URL's address.
  impl_->client = ads_client::https_client::create(
      impl_->io.get_executor(), ads_client::https_target{impl_->endpoint.url.host, impl_->endpoint.url.port,
                                                          "localhost", impl_->endpoint.ca_file.string()});
}

admin_session::~admin_session() {
  impl_->client->close();
  impl_->io.restart();
  impl_->io.run();  // let the closed connection's handlers end before the io_context goes
}

admin_reply admin_session::call(const std::string& method, const std::string& path,
                                const std::optional<nlohmann::json>& body, std::chrono::milliseconds deadline) {
  ads_client::http_request request{method, "/api/v1" + path, {{"Authorization", "Bearer " + impl_->endpoint.token}},
                                   body ? body->dump() : std::string()};
  admin_reply reply;
  impl_->client->request(std::move(request), deadline, [&reply](ads_client::http_outcome outcome) {
    if (const auto* failure = std::get_if<ads_client::transport_error>(&outcome)) {
      reply.transport_error = failure->what;
      return;
    }
    auto& response = std::get<ads_client::http_response>(outcome);
    reply.status = response.status;
    reply.raw = std::move(response.body);
    reply.body = nlohmann::json::parse(reply.raw, nullptr, false);
  });
  impl_->io.restart();
  impl_->io.run();
  return reply;
}

admin_reply admin_session::call_retrying(const std::string& method, const std::string& path,
                                         const std::optional<nlohmann::json>& body) {
  const auto started = std::chrono::steady_clock::now();
  for (int attempts = 1;; ++attempts) {
    admin_reply reply = call(method, path, body);
    reply.attempts = attempts;
    const auto spent = std::chrono::steady_clock::now() - started;
    const auto delay = retry_delay(reply, attempts, std::chrono::duration_cast<std::chrono::milliseconds>(spent));
    if (!delay) return reply;
    std::this_thread::sleep_for(*delay);  // a back-off on the caller's own (worker) thread, not a wait for an event
  }
}

}  // namespace ads_admin
