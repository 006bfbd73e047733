#pragma once
// The ITU-T V.250 commands of the port: E V Q Z &F &W S3 S4 S5, and AT+CMEE / AT+IPR.
#include <functional>
#include <map>
#include <string>

#include "agent/command_table.hpp"
#include "agent/at_engine.hpp"
#include "config_store/nv_image.hpp"

namespace agent {

// Where the user profile of AT&W / ATZ lives: NV memory in module_core, a fake in tests.
class v250_profile_store {
 public:
  virtual ~v250_profile_store() = default;
  virtual v250_settings load() const = 0;
  // Asynchronous: `done(true)` once the profile is durable.
  virtual void save(const v250_settings& profile, std::function<void(bool ok)> done) = 0;
};

// The stored profile in an NV image (E, V, Q, CMEE, IPR); factory values for what is not stored.
v250_settings profile_from_nv(const config_store::nv_image& nv);
// The NV values that store `profile`.
std::map<std::string, std::string> profile_to_nv(const v250_settings& profile);

// Registers the V.250 commands; they act on engine.settings(), and AT&W holds until the store is durable.
void add_v250_commands(command_table& table, at_engine& engine, v250_profile_store& profiles);

}  // namespace agent
