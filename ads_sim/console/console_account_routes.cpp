// The console's sign-in, sign-out and session routes, and the module maker's OEM accounts (note §5.1.1–5.1.2).
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/service_core_detail.hpp"

namespace ads_sim::console {

using nlohmann::json;

namespace {

json account_json(const account_record& account) {
  return json{{"email", account.email},
              {"name", account.name},
              {"role", std::string(to_text(account.role))},
              {"oem_id", account.oem_id}};
}

}  // namespace

reply post_login(request_context& c) {
  const std::string email = text_or_empty(c.body, "email");
  if (!c.prepared.password) {
    auto work = auth_of(c).login_work(email, text_or_empty(c.body, "password"), c.now);
    if (!work) return work.error();
    return need_password{std::move(*work)};
  }
  const auto signed_in = auth_of(c).finish_login(email, text_or_empty(c.body, "oem_id"), *c.prepared.password, c.now);
  if (!signed_in) return signed_in.error();
  json body = account_json(signed_in->account);
  body["csrf_token"] = signed_in->csrf_token;
  auto response = json_response(200, body);
  response.set_header("Set-Cookie", auth_of(c).session_cookie_header(signed_in->session_id));
  return response;
}

reply post_logout(request_context& c) {
  auth_of(c).logout(*c.session);
  auto response = empty_response(204);
  response.set_header("Set-Cookie", console_auth::cleared_cookie_header());
  return response;
}

reply get_session(request_context& c) {
  json body = account_json(c.account());
  body["csrf_token"] = c.session->csrf_token;
  return json_response(200, body);
}

reply get_oems(request_context& c) {
  json oems = json::array();
  for (const auto& oem : c.storage().oems().list_oems())
    oems.push_back({{"oem_id", oem.oem_id}, {"name", oem.name}, {"email", oem.email}});
  return json_response(200, json{{"oems", oems}});
}

// Creates the OEM in the service and its console account in one go; the OEM secret is shown this once.
reply post_oem(request_context& c) {
  const std::string email = text_or_empty(c.body, "email");
  const std::string name = text_or_empty(c.body, "name");
  const std::string password = text_or_empty(c.body, "password");
  if (!valid_email(email)) return error_response(400, "email: a printable address with an @");
  if (!valid_password(password)) return error_response(400, "password: 8..256 characters");
  if (c.storage().accounts().find_account_by_email(email)) return error_response(409, "an account has that email");
  if (!c.prepared.password) return need_password{{password, "", auth_of(c).settings().kdf_iterations}};
  const std::string oem_id = text_or_empty(c.body, "oem_id");
  // An OEM the service already has (made with the admin API, or an embedded service's demo OEM) gets its console
  // account; its secret was given when it was made, and is not shown again.
  if (const auto existing = oem_id.empty() ? std::nullopt : c.core.find_oem(oem_id)) {
    const auto account = auth_of(c).create_account(email, name, account_role::oem, existing->oem_id,
                                                   c.prepared.password->made_hash, c.now);
    if (!account) return account.error();
    return json_response(201, json{{"oem_id", existing->oem_id}, {"name", existing->name}, {"email", email}});
  }
  const auto oem = c.core.create_oem(oem_id, name, email, c.now);
  if (!oem) return oem.error();
  const auto account =
      auth_of(c).create_account(email, name, account_role::oem, oem->oem_id, c.prepared.password->made_hash, c.now);
  if (!account) return account.error();
  return json_response(201, json{{"oem_id", oem->oem_id},
                                 {"name", oem->name},
                                 {"email", oem->email},
                                 {"oem_secret", oem->secret}});
}

}  // namespace ads_sim::console
