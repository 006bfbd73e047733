#pragma once
// Building blocks of the cloud and OTA end-to-end tests: an OEM's factory devices made through the admin API,
// a module configured as one of them, and the usual enable/listen.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "harness/admin_client.hpp"
#include "harness/harness.hpp"

namespace e2e {

admin_client admin_of(const device_service& service);
// The admin API of the ads-sim an emulator embeds (no --ads-url), found as ads-admin finds it:
// STATE-DIR/ads-sim/{url,ca.pem,admin-token}.
admin_client embedded_admin(const emulator& module);

// A factory-provisioned device of an OEM: what a module maker writes into a module.
struct factory_device {
  std::string oem_id, oem_secret, model, dsn, public_key;
};

// Creates the OEM and `count` devices of model "ledevb"; returns them all.
std::vector<factory_device> make_factory_devices(const admin_client& admin, const std::string& oem_id, int count = 1);

// AT+ADA="cs" of the device's identity (with `key` as id/key) and OEM config, region CN.
void configure_device(host_port& port, const factory_device& device, const std::string& key);

// A module on `service`, its network brought up as in the note, service started, configured as `device`.
std::unique_ptr<booted_module> module_for(const device_service& service, const factory_device& device,
                                          std::vector<std::string> extra_args = {});
// The same module on the service at `url` (HAProxy in front of replicas) whose CA is `ca_file`.
std::unique_ptr<booted_module> module_at(const std::string& url, const std::filesystem::path& ca_file,
                                         const factory_device& device, std::vector<std::string> extra_args = {});

// AT+ADA="enable" until RDY, then AT+ADA="l" until up.
void enable_and_listen(host_port& port);

// A whole file as text.
std::string slurp(const std::filesystem::path& path);

}  // namespace e2e
