// Ayla's user service (PROTOCOL.md §6.1): sign-up, sign-in, refresh, sign-out and the profile, as the public app
// clients (ayla-iot-unofficial, sharkiq) call them. The work is user_service's; this reads the bodies they send.
#include "ads_sim/console/console_auth.hpp"
#include "ads_sim/console/console_routes.hpp"
#include "ads_sim/identity_token.hpp"
#include "ads_sim/json_fields.hpp"
#include "ads_sim/router.hpp"
#include "ads_sim/service_state.hpp"
#include "ads_sim/user_service.hpp"

namespace ads_sim {

using nlohmann::json;

namespace {

// The "user" object every user-service body wraps its fields in.
const json& user_fields(const request_context& c) {
  static const json none = json::object();
  const json* fields = object_field(c.body, "user");
  return fields ? *fields : none;
}

api_result<application_record> application_in(request_context& c) {
  const json* application = object_field(user_fields(c), "application");
  return application_of(c.storage(), application ? *application : json::object());
}

json tokens_json(const user_tokens& tokens) {
  return json{{"access_token", tokens.access_token},
              {"refresh_token", tokens.refresh_token},
              {"expires_in", tokens.expires_in},
              {"role", "EndUser"},
              {"role_tags", json::array()}};
}

json profile_json(const end_user_record& user) {
  return json{{"uuid", user.uuid}, {"email", user.email}, {"oem_id", user.oem_id}, {"approved", true}};
}

int kdf_iterations(request_context& c) { return console::auth_of(c).settings().kdf_iterations; }

// Confirmed at once: ads-sim sends no mail.
reply post_sign_up(request_context& c) {
  const auto app = application_in(c);
  if (!app) return app.error();
  const std::string email = text_or_empty(user_fields(c), "email");
  const std::string password = text_or_empty(user_fields(c), "password");
  if (!console::valid_email(email)) return http_error{422, "email: a printable address with an @"};
  if (!console::valid_password(password)) return http_error{422, "password: 8..256 characters"};
  if (c.storage().end_users().find_end_user_by_email(app->oem_id, email))
    return http_error{422, "email has already been taken"};
  if (!c.prepared.password) return need_password{{password, "", kdf_iterations(c)}};
  const auto user = create_end_user(c.storage(), *app, email, c.prepared.password->made_hash, c.now);
  if (!user) return user.error();
  return json_response(201, profile_json(*user));
}

reply post_sign_in(request_context& c) {
  const auto app = application_in(c);
  if (!app) return app.error();
  const std::string email = text_or_empty(user_fields(c), "email");
  if (!c.prepared.password) {
    auto work = sign_in_work(c.storage(), *app, email, text_or_empty(user_fields(c), "password"), kdf_iterations(c),
                             c.now);
    if (!work) return work.error();
    return need_password{std::move(*work)};
  }
  const auto tokens = finish_sign_in(c.storage(), *app, email, *c.prepared.password, c.now);
  if (!tokens) return tokens.error();
  return json_response(200, tokens_json(*tokens));
}

// sharkiq posts JSON {"app_id","app_secret","token"}; ayla-iot-unofficial's sso_sign_in the same fields as a form
// (the router reads both). The token is one the admin API minted (POST /api/v1/identity_tokens).
reply post_token_sign_in(request_context& c) {
  const auto app = application_of(c.storage(), c.body);
  if (!app) return app.error();
  const auto tokens = token_sign_in(c.storage(), identity_signing_key(c.state().admin_token), *app,
                                    text_or_empty(c.body, "token"), c.now);
  if (!tokens) return tokens.error();
  return json_response(200, tokens_json(*tokens));
}

reply post_refresh(request_context& c) {
  const auto tokens = refresh_sign_in(c.storage(), text_or_empty(user_fields(c), "refresh_token"), c.now);
  if (!tokens) return tokens.error();
  return json_response(200, tokens_json(*tokens));
}

reply post_sign_out(request_context& c) {
  if (const auto done = sign_out(c.storage(), text_or_empty(user_fields(c), "access_token")); !done)
    return done.error();
  return json_response(200, json{{"logout", true}});
}

reply get_profile(request_context& c) { return json_response(200, profile_json(*c.user)); }

}  // namespace

void user_routes(router& r) {
  static constexpr route routes[] = {
      {"POST", "/users.json", audience::app_visitor, &post_sign_up},
      {"POST", "/users/sign_in.json", audience::app_visitor, &post_sign_in},
      {"POST", "/users/refresh_token.json", audience::app_visitor, &post_refresh},
      {"POST", "/api/v1/token_sign_in", audience::app_visitor, &post_token_sign_in},
      {"POST", "/api/v1/token_sign_in.json", audience::app_visitor, &post_token_sign_in},
      {"POST", "/users/sign_out.json", audience::app_visitor, &post_sign_out},
      {"GET", "/users/get_user_profile.json", audience::end_user, &get_profile},
  };
  r.add(routes);
}

}  // namespace ads_sim
