#include "harness/cloud_fixtures.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace e2e {

admin_client admin_of(const device_service& service) {
  return admin_client(service.host(), service.port(), service.ca_file(), device_service::admin_token());
}

admin_client embedded_admin(const emulator& module) {
  const auto dir = module.state_dir() / "ads-sim";
  const auto first_line = [](std::string text) { return text.substr(0, text.find_first_of("\r\n")); };
  const std::string url = first_line(slurp(dir / "url"));
  return admin_client("127.0.0.1", url.substr(url.rfind(':') + 1), dir / "ca.pem", first_line(slurp(dir / "admin-token")));
}

std::vector<factory_device> make_factory_devices(const admin_client& admin, const std::string& oem_id, int count) {
  const auto oem = admin.post("/oems", {{"oem_id", oem_id}, {"name", "e2e"}, {"email", "e2e@example.com"}});
  if (oem.status != 201) throw std::runtime_error("create OEM: " + oem.raw);
  const auto made = admin.post("/oems/" + oem_id + "/devices", {{"model", "ledevb"}, {"count", count}});
  if (made.status != 201) throw std::runtime_error("create devices: " + made.raw);
  std::vector<factory_device> devices;
  for (const auto& device : made.body.at("devices")) {
    devices.push_back({oem_id, oem.body.at("oem_secret"), "ledevb", device.at("dsn"), device.at("public_key")});
  }
  return devices;
}

void configure_device(host_port& port, const factory_device& device, const std::string& key) {
  configure(port, {{"id/dev_id", device.dsn},
                   {"id/key", key},
                   {"oem/id", device.oem_id},
                   {"oem/model", device.model},
                   {"server/region", "CN"},
                   {"oem/secret", device.oem_secret}});
}

std::unique_ptr<booted_module> module_for(const device_service& service, const factory_device& device,
                                          std::vector<std::string> extra_args) {
  return module_at(service.url(), service.ca_file(), device, std::move(extra_args));
}

std::unique_ptr<booted_module> module_at(const std::string& url, const std::filesystem::path& ca_file,
                                         const factory_device& device, std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"--ads-url", url, "--ads-ca", ca_file.string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  auto m = std::make_unique<booted_module>(args);
  bring_up_network(m->port);
  start_service(m->port);
  configure_device(m->port, device, device.public_key);
  return m;
}

void enable_and_listen(host_port& port) {
  if (port.command("AT+ADA=\"enable\"") != "AT+ADA=\"enable\"\r\r\nOK\r\n") throw std::runtime_error("enable");
  if (!port.read_until("\r\n+ADA: \"enable\",\"RDY\"\r\n", 30s).ends_with("\r\n+ADA: \"enable\",\"RDY\"\r\n"))
    throw std::runtime_error("no RDY");
  if (port.command("AT+ADA=\"l\"") != "AT+ADA=\"l\"\r\r\nOK\r\n") throw std::runtime_error("listen");
  if (!port.read_until("\r\n+ADA: \"l\",\"up\"\r\n").ends_with("\r\n+ADA: \"l\",\"up\"\r\n"))
    throw std::runtime_error("no l up");
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace e2e
