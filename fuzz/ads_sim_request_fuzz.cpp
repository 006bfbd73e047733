// ads-sim's request core (HTTP request -> response; device protocol and admin API) on any requests: it never
// crashes and never answers 5xx, and every 4xx carries a JSON error (PROTOCOL.md).
//
// Input: requests separated by 0x1D, each "<METHOD> <target>\n<Name>: <value>\n...\n\n<body>". "$admin",
// "$token", "$key" and "$dsn" stand for the admin token, a valid device token, that device's key and its DSN.
// Every input starts from the same database (an OEM "71866f33", a factory device, a provisioning key), copied
// fresh, so a crash reproduces from its input alone.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "ads_client/base64.hpp"
#include "ads_client/rsa_key.hpp"
#include "fuzz/records.hpp"
#include "ads_sim/service_core.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ads_sim;

const std::string admin_token = "fuzz-admin-token";
const clock_time t0 = clock_time(std::chrono::seconds(1'800'000'000));

struct template_database {
  fs::path dir;
  fs::path working;
  std::string pristine;  // the database file's bytes after setup
  std::string token;
  std::string key;
  std::string dsn;

  template_database() {
    std::string pattern = (fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path()) /
                          "ads-sim-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    dir = pattern;
    working = dir / "working.db";
    setup();
    std::ifstream in(working, std::ios::binary);
    pristine.assign(std::istreambuf_iterator<char>(in), {});
  }

  ~template_database() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  // A fresh database for the next input (ofstream retries writes interrupted by libFuzzer's timer signal).
  void reset() const {
    std::error_code ignored;
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(working.string() + suffix, ignored);
    std::ofstream(working, std::ios::binary | std::ios::trunc) << pristine;
  }

  void setup() {
    service_core core(working, admin_token);
    if (!core.ok() || !core.create_oem("71866f33", "Acme", "oem@example.com", t0)) std::abort();
    const auto devices = core.create_factory_devices("71866f33", "ledevb", ads_sim::fresh_keys(1), t0);
    if (!devices || !core.add_provision_key("71866f33", ads_client::rsa_key::generate(1024).public_pem(), t0))
      std::abort();
    const factory_device& device = devices->front();
    key = std::to_string(device.key);
    dsn = device.dsn;
    token = login(core, device);
  }  // the core closes the database: the WAL is folded into the file, which is then the whole state

  static std::string login(service_core& core, const factory_device& device) {
    const std::string path = "/dsns/" + device.dsn + ".json";
    const auto cipher = ads_client::rsa_key::public_from_base64_body(device.public_key)
                            ->encrypt_pkcs1(std::to_string(unix_seconds(t0)) + " GET " + path);
    http_request request{"GET", path, {{"x-Ayla-client-auth", "Ayla1.0 " + ads_client::base64_encode(*cipher)}}, {}};
    const auto answer = std::get<http_response>(core.handle(request, t0));
    return std::string(answer.header("x-Ayla-auth-key").value());
  }

  std::string expand(std::string_view text) const {
    std::string out(text);
    for (const auto& [name, value] : {std::pair<std::string_view, const std::string&>{"$admin", admin_token},
                                      {"$token", token}, {"$key", key}, {"$dsn", dsn}}) {
      for (auto at = out.find(name); at != std::string::npos; at = out.find(name, at + value.size()))
        out.replace(at, name.size(), value);
    }
    return out;
  }

  http_request parse(std::string_view text) const {
    http_request request;
    request.connection_id = 1;
    auto line = [&text] {
      const auto end = text.find('\n');
      const std::string_view first = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      return first;
    };
    const std::string_view request_line = line();
    const auto space = request_line.find(' ');
    request.method = std::string(request_line.substr(0, space));
    request.target = space == std::string_view::npos ? "/" : expand(request_line.substr(space + 1));
    for (std::string_view header = line(); !header.empty(); header = line()) {
      const auto colon = header.find(':');
      const std::string_view value = colon == std::string_view::npos ? "" : header.substr(colon + 1);
      request.headers.emplace_back(std::string(header.substr(0, colon)),
                                   expand(value.substr(value.starts_with(' ') ? 1 : 0)));
    }
    request.body = expand(text);
    return request;
  }
};

void check(const outcome& result) {
  const auto* response = std::get_if<http_response>(&result);
  if (!response) return;
  if (response->status < 200 || response->status >= 500) std::abort();
  if (response->status >= 400) {
    const auto body = nlohmann::json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const template_database base;
  base.reset();
  service_core core(base.working, admin_token);
  if (!core.ok()) std::abort();
  for (const std::string_view text : fuzz::split_records(fuzz::as_text(data, size))) {
    const http_request request = base.parse(text);
    // Factory devices cost an RSA-2048 key each (up to 100 a request): the fuzzer would spend its time there.
    // Their validation is covered by tests/unit/ads_sim; everything else on the route table is fuzzed.
    if (request.method == "POST" && request.path().ends_with("/devices")) continue;
    check(core.handle(request, t0));
  }
  return 0;
}
