#include "ads_sim/router.hpp"

#include "ads_sim/json_fields.hpp"

namespace ads_sim {
namespace {

bool changes_state(std::string_view method) { return method != "GET" && method != "HEAD"; }

bool is_console(audience who) {
  return who == audience::console_visitor || who == audience::console_account || who == audience::module_maker ||
         who == audience::oem;
}

// A device's credentials are checked once the request is otherwise well-formed: proving itself mints a token and
// marks the device seen, which a request refused for its body must not do. Other audiences are checked first.
bool checked_after_body(audience who) { return who == audience::device; }

bool is_app(audience who) { return who == audience::app_visitor || who == audience::end_user; }

// The router's and the handlers' {"error":"<why>"} made into the app side's shape.
void reshape_app_error(http_response& response) {
  if (response.status < 400) return;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  const auto* why = body.is_object() ? string_field(body, "error") : nullptr;
  if (why) response.body = app_error_body(*why).dump();
}

struct found_route {
  const route* row = nullptr;
  bool path_known = false;  // some row's pattern fits: a 405, not a 404
  std::vector<std::string> params;
};

found_route find(const std::vector<route>& routes, std::string_view method, std::string_view path) {
  found_route found;
  for (const auto& row : routes) {
    auto captures = match_path(row.pattern, path);
    if (!captures) continue;
    found.path_known = true;
    if (row.method == method) {
      found.row = &row;
      found.params = std::move(*captures);
      break;
    }
  }
  return found;
}

bool is_form_content_type(std::optional<std::string_view> content_type) {
  return content_type && iequals(content_type->substr(0, content_type->find(';')), "application/x-www-form-urlencoded");
}

// A POST or PUT body must be a JSON object; an empty one (POST .../start) reads as {}. The user service also takes
// a form, read as an object of strings: ayla-iot-unofficial's sso_sign_in posts token_sign_in's fields with data=.
std::optional<http_response> read_body(request_context& c, audience who) {
  const http_request& request = c.request;
  if ((request.method != "POST" && request.method != "PUT") || request.body.empty()) return std::nullopt;
  if (who == audience::app_visitor && is_form_content_type(request.header("Content-Type"))) {
    for (auto& [name, value] : url_encoded_pairs(request.body, true)) c.body[name] = std::move(value);
    return std::nullopt;
  }
  if (!is_json_content_type(request.header("Content-Type")))
    return error_response(415, "content type must be application/json");
  auto body = parse_json_object(request.body);
  if (!body) return error_response(400, "body is not a JSON object");
  c.body = std::move(*body);
  return std::nullopt;
}

// The handler's reply as the outcome the I/O layer acts on.
outcome to_outcome(reply answer) {
  return std::visit(
      [](auto&& alternative) -> outcome {
        using type = std::decay_t<decltype(alternative)>;
        if constexpr (std::is_same_v<type, http_error>)
          return error_response(alternative.status, alternative.message);
        else
          return std::move(alternative);
      },
      std::move(answer));
}

}  // namespace

bool needs_csrf(audience who, std::string_view method) {
  return is_console(who) && who != audience::console_visitor && changes_state(method);
}

void router::add(std::span<const route> routes) { routes_.insert(routes_.end(), routes.begin(), routes.end()); }

outcome router::handle(request_context& c, credential_checks& checks) const {
  auto found = find(routes_, c.request.method, c.request.path());
  if (!found.row)
    return found.path_known ? error_response(405, "method not allowed") : error_response(404, "unknown path");
  c.params = std::move(found.params);
  const audience who = found.row->who;
  outcome answer = [&]() -> outcome {
    if (!checked_after_body(who))
      if (auto refused = admit(who, c, checks)) return std::move(*refused);
    if (auto refused = read_body(c, who)) return std::move(*refused);
    if (checked_after_body(who))
      if (auto refused = admit(who, c, checks)) return std::move(*refused);
    return to_outcome(found.row->run(c));
  }();
  if (auto* response = std::get_if<http_response>(&answer)) {
    for (auto& [name, value] : c.extra_headers) response->set_header(name, value);
    if (is_app(who)) reshape_app_error(*response);
  }
  return answer;
}

nlohmann::json app_error_body(std::string_view why) {
  return nlohmann::json{{"error", {{"message", why}}}, {"errors", why}};
}

std::optional<http_response> router::admit(audience who, request_context& c, credential_checks& checks) const {
  switch (who) {
    case audience::anyone:
    case audience::console_visitor:
    case audience::app_visitor:
      return std::nullopt;
    case audience::end_user:
      c.user = checks.end_user(c.request, c.now);
      if (!c.user) return error_response(401, "Your access token is invalid or expired: sign in again");
      return std::nullopt;
    case audience::admin:
      if (!checks.admin_token_valid(c.request)) return error_response(401, "missing or wrong admin token");
      return std::nullopt;
    case audience::device:
      return checks.authenticate_device(c);
    case audience::console_account:
    case audience::module_maker:
    case audience::oem:
      break;
  }
  c.session = checks.console_session(c.request, c.now);
  if (!c.session) return error_response(401, "sign in first (no session, or it has expired)");
  const account_role role = c.session->account.role;
  if ((who == audience::module_maker && role != account_role::module_maker) ||
      (who == audience::oem && role != account_role::oem))
    return error_response(403, "not for this account");
  if (needs_csrf(who, c.request.method) && !console::console_auth::csrf_matches(*c.session, c.request))
    return error_response(403, "missing or wrong CSRF token");
  return std::nullopt;
}

std::optional<std::vector<std::string>> match_path(std::string_view pattern, std::string_view path) {
  std::vector<std::string> captures;
  auto next_segment = [](std::string_view& rest) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    return segment;
  };
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return std::nullopt;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  while (!pattern.empty() && !path.empty()) {
    const std::string_view want = next_segment(pattern);
    const std::string_view have = next_segment(path);
    if (have.empty()) return std::nullopt;
    if (want.substr(0, 2) == "{}") {
      const std::string_view suffix = want.substr(2);
      if (have.size() <= suffix.size() || have.substr(have.size() - suffix.size()) != suffix) return std::nullopt;
      captures.emplace_back(have.substr(0, have.size() - suffix.size()));
    } else if (want != have) {
      return std::nullopt;
    }
  }
  if (!pattern.empty() || !path.empty()) return std::nullopt;
  return captures;
}

}  // namespace ads_sim
