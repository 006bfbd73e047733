#pragma once
// console_api: the FOTA console of note §5.1 — its pages under /console/ (console_pages) and their JSON API under
// /api/v1/console/, whose routes (console_routes.cpp) run on the service's router. Every API route names who may
// call it (anyone, any signed-in account, the module maker, an OEM); an OEM sees only its own OEM's keys,
// devices, models, images and jobs; every change needs the session's CSRF token. This holds what the console
// keeps in the core: its accounts and sessions.
#include <memory>
#include <string_view>

#include "ads_sim/http_message.hpp"

namespace ads_sim {
class store;
}

namespace ads_sim::console {

class console_auth;

class console_api {
 public:
  // Over the core's store; a core whose store did not open has no console (`storage` null).
  explicit console_api(store* storage);
  ~console_api();
  console_api(const console_api&) = delete;
  console_api& operator=(const console_api&) = delete;

  // Whether `path` is one of the console's pages (served from the embedded assets, not routed).
  static bool serves_page(std::string_view path);
  // Whether `path` is the console's API: its answers are private to the signed-in account (make_private).
  static bool serves_api(std::string_view path);
  static void make_private(http_response& response);

  console_auth& auth() { return *auth_; }
  console_auth* auth_if_open() { return auth_.get(); }

 private:
  std::unique_ptr<console_auth> auth_;
};

}  // namespace ads_sim::console
