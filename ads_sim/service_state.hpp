#pragma once
// service_state: what the service core keeps besides its store — in memory, lost on restart — and the helpers its
// route handlers share over it. Internal to ads-sim's core; handlers reach it through request_context::state().
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ads_sim/api_result.hpp"
#include "ads_sim/outcome.hpp"
#include "ads_sim/service_core.hpp"
#include "ads_sim/store/store.hpp"
#include "ads_sim/terminal/port_directory.hpp"

namespace ads_sim {

// Faults a test or CI script injects through the admin API (POST /api/v1/faults), to see how devices cope.
struct fault_plan {
  std::set<std::int64_t> corrupt_images;  // image downloads serve a flipped byte: the SHA-256 won't match
  struct cut {
    std::int64_t image_id = 0;
    std::int64_t at = 0;  // the download of a range holding this offset loses its connection...
    int times = 1;        // ...this many times in a row (a client's quiet retry on a fresh connection included)
  };
  std::optional<cut> cut_download;
  // The next answers of commands.json / cmds.json that carry a command are lost in flight: the command counts as
  // delivered (on that connection), and the connection goes without an answer.
  int lose_command_answers = 0;
};

// Device auths refused (401) for one device: what a test asks to see why a module was turned away.
struct auth_refusals {
  int count = 0;
  std::string last_reason;
};

struct service_state {
  std::unique_ptr<store> storage;
  std::string admin_token;
  device_endpoints endpoints;
  fault_plan faults;
  std::map<std::uint64_t, std::int64_t> connection_device;  // authenticated connections
  std::map<std::int64_t, auth_refusals> refusals;           // by device key
  // The listening deadline this process last wrote to the store, by device key: only a write throttle (see
  // service_core::set_notified), never read to answer "listening" — the store is, so every replica agrees.
  std::unordered_map<std::int64_t, std::int64_t> listening_written;
  std::map<std::int64_t, std::uint64_t> delivered_on;       // command id -> the connection it last went out on
  std::vector<std::int64_t> woken;                          // devices whose queue changed, for the notifier
  // The terminal ports of modules running in this process (the emulator's embedded service); shared with the server.
  std::shared_ptr<terminal::port_directory> terminals = std::make_shared<terminal::port_directory>();
};

// The device's ANS cipher key: derived from its private key, so stable across restarts and secret.
std::string ans_key_of(const device_record& device);
// The image host's stand-in for a signed S3 URL: unguessable without the admin token, stable across restarts.
std::string image_token(const service_state& state, std::int64_t image_id);
// A new device with `key` as its key pair.
store_result<device_record> new_device(store& storage, std::string_view oem_id, std::string_view model,
                                       std::optional<std::string> hwid, const ads_client::rsa_key& key,
                                       clock_time now);
// A property name against the device's model template: the template's entry, nullopt when the model has no
// template (anything goes), or a 404 failure when the template lacks it.
api_result<std::optional<template_property>> template_entry(store& storage, const device_record& device,
                                                            std::string_view name);

// Injected faults (fault_routes.cpp). Whether this download of [first, last] loses its connection (counting down
// the planned cuts); whether this command answer is lost; and the planned corruption applied to served bytes.
bool cut_download_now(fault_plan& faults, std::int64_t image_id, std::int64_t first, std::int64_t last);
bool lose_command_answer_now(fault_plan& faults, const command_batch& batch);
void corrupt_in_place(const fault_plan& faults, std::int64_t image_id, std::int64_t first, std::int64_t size,
                      std::string& bytes);

}  // namespace ads_sim
