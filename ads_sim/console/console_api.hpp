#pragma once
// console_api: the FOTA console of note §5.1 as the routing core mounts it — the pages under /console/ and their
// JSON API under /api/v1/console/ — sans-I/O over the service core. Every API route names who may call it (anyone,
// any signed-in account, the module maker, an OEM); an OEM sees only its own OEM's keys, devices, models, images
// and jobs; every change needs the session's CSRF token.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ads_sim/console/password_hash.hpp"
#include "ads_sim/http_message.hpp"

namespace ads_sim {
class service_core;
}

namespace ads_sim::console {

struct console_settings;
class console_auth;

// The answer, or password work to do off the core's lock before the request is handled again.
using console_answer = std::variant<http_response, password_work>;

class console_api {
 public:
  // Over the core's store; a core whose store did not open has no console (it answers nothing).
  explicit console_api(service_core& core);
  ~console_api();
  console_api(const console_api&) = delete;
  console_api& operator=(const console_api&) = delete;

  // Whether `path` is the console's (the routing core hands those requests here).
  static bool serves(std::string_view path);

  console_answer handle(const http_request& request, std::chrono::system_clock::time_point now,
                        const std::optional<password_result>& password_done = std::nullopt);

  console_auth& auth();

 private:
  struct parts;
  std::unique_ptr<parts> parts_;
};

}  // namespace ads_sim::console
