#include "ads_sim/http_message.hpp"

#include <algorithm>
#include <cctype>

namespace ads_sim {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

namespace {

std::optional<std::string_view> find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                                            std::string_view name) {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return std::string_view(value);
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> http_request::header(std::string_view name) const { return find_header(headers, name); }

std::string_view http_request::path() const {
  const std::string_view whole(target);
  return whole.substr(0, whole.find('?'));
}

namespace {

// %XX decoded ('+' stays in a query: the clients send spaces as %20); a broken escape stays as it is.
std::string percent_decoded(std::string_view text, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> url_encoded_pairs(std::string_view text, bool plus_is_space) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    const auto eq = pair.find('=');
    pairs.emplace_back(percent_decoded(pair.substr(0, eq), plus_is_space),
                       eq == std::string_view::npos ? "" : percent_decoded(pair.substr(eq + 1), plus_is_space));
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  return pairs;
}

std::vector<std::string> http_request::query_values(std::string_view name) const {
  std::vector<std::string> values;
  const auto question = target.find('?');
  if (question == std::string::npos) return values;
  for (auto& [key, value] : url_encoded_pairs(std::string_view(target).substr(question + 1), false))
    if (key == name) values.push_back(std::move(value));
  return values;
}

std::optional<std::string> http_request::query_param(std::string_view name) const {
  auto values = query_values(name);
  if (values.empty()) return std::nullopt;
  return std::move(values.front());
}

void http_response::set_header(std::string name, std::string value) {
  for (auto& [key, existing] : headers)
    if (iequals(key, name)) {
      existing = std::move(value);
      return;
    }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> http_response::header(std::string_view name) const {
  return find_header(headers, name);
}

http_response json_response(int status, const nlohmann::json& body) {
  http_response response;
  response.status = status;
  // Replace invalid UTF-8 rather than throw: stored strings came from clients.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.set_header("Content-Type", "application/json");
  return response;
}

http_response error_response(int status, std::string_view why) {
  return json_response(status, nlohmann::json{{"error", std::string(why)}});
}

http_response empty_response(int status) {
  http_response response;
  response.status = status;
  return response;
}

}  // namespace ads_sim
