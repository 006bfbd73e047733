// ota_throughput: a host OTA image through the AT port, beside what the port itself carries.
// 1. Unpaced: image bytes per second delivered as base64 part lines through the PTY (one dl of the whole image),
//    and the raw PTY throughput measured in the same run (a writer thread and a reader on a bare PTY pair).
// 2. Paced with --baud 9600, 115200 and 921600: the effective line rate during a download, beside the nominal
//    rate (baud/10 bytes a second), each download sized to take about `paced_seconds` on its line.
// Usage: ota_throughput [image_kib=4096] [paced_seconds=4]. Prints figures only.
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <regex>
#include <thread>

#include "ads_client/base64.hpp"
#include "bench/bench_stats.hpp"
#include "harness/cloud_fixtures.hpp"

namespace {

using namespace std::chrono_literals;

// Bytes per second a bare PTY pair moves from master to slave (the physical limit of the port).
double raw_pty_bytes_per_second(std::size_t total) {
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return 0;
  termios tio{};
  ::tcgetattr(slave, &tio);
  ::cfmakeraw(&tio);
  ::tcsetattr(slave, TCSANOW, &tio);
  const auto start = bench::clock_type::now();
  std::thread writer([&] {
    const std::string chunk(4096, 'x');
    for (std::size_t sent = 0; sent < total; sent += chunk.size())
      if (::write(master, chunk.data(), chunk.size()) < 0) break;
  });
  std::vector<char> buffer(65536);
  for (std::size_t got = 0; got < total;) {
    const ssize_t n = ::read(slave, buffer.data(), buffer.size());
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  const double seconds = bench::seconds_since(start);
  writer.join();
  ::close(master);
  ::close(slave);
  return static_cast<double>(total) / seconds;
}

std::string random_image(std::size_t size) {
  std::mt19937 random(42);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  return bytes;
}

struct download {
  double seconds = 0;
  std::size_t line_bytes = 0;  // everything the host received during the download
  bool intact = false;
};

// Offers `image` to the module as a host image and downloads it in one dl; times the download.
download host_download(e2e::device_service& service, const e2e::admin_client& admin, e2e::booted_module& module,
                       const std::string& dsn, const std::string& image) {
  const auto uploaded = admin.post("/images", {{"type", "host"}, {"model", "mcu"}, {"version", "bench"},
                                               {"data_base64", ads_client::base64_encode(image)}});
  const auto job = admin.post("/ota_jobs", {{"image_id", uploaded.body.at("image_id")}, {"dsns", {dsn}}});
  admin.post("/ota_jobs/" + std::to_string(job.body.at("job_id").get<int>()) + "/start", nlohmann::json::object());
  const std::string notify = module.port.read_until("\"\r\n", 30s);
  std::smatch match;
  std::regex_search(notify, match, std::regex(R"re("host","([^"]+)")re"));
  const std::string id = match[1];
  const auto start = bench::clock_type::now();
  std::string text = module.port.command("AT+ADA=\"ota\",\"dl\",\"host\",\"" + id + "\"");
  text += module.port.read_until("\"finish\"\r\n", 600s);
  download result{bench::seconds_since(start), text.size(), false};
  std::string assembled;
  const std::regex part(R"re("(?:part|ok)","[^"]+","([A-Za-z0-9+/=]+)")re");
  for (std::sregex_iterator it(text.begin(), text.end(), part), end; it != end; ++it)
    assembled += ads_client::base64_decode((*it)[1].str()).value_or("");
  result.intact = assembled == image;
  (void)service;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t image_size = (argc > 1 ? std::max(64, std::atoi(argv[1])) : 4096) * 1024;
  const double paced_seconds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 4;
  const unsigned paced_bauds[] = {9600, 115200, 921600};
  e2e::device_service service;
  const auto admin = e2e::admin_of(service);
  const auto devices = e2e::make_factory_devices(admin, "0b0b0001", 1 + std::size(paced_bauds));

  auto unpaced = e2e::module_for(service, devices[0]);
  e2e::enable_and_listen(unpaced->port);
  const download fast = host_download(service, admin, *unpaced, devices[0].dsn, random_image(image_size));
  unpaced->module.terminate();
  const double pty = raw_pty_bytes_per_second(64 * 1024 * 1024);

  const double mb = 1024.0 * 1024.0;
  std::printf("ota_throughput: host image of %zu KiB unpaced; paced images sized for ~%.0f s of line time "
              "(48 image bytes per part line)\n",
              image_size / 1024, paced_seconds);
  std::printf("unpaced host OTA:       %7.2f MB/s of image (%7.2f MB/s on the port), %s\n",
              image_size / fast.seconds / mb, fast.line_bytes / fast.seconds / mb,
              fast.intact ? "image intact" : "IMAGE DIFFERS");
  std::printf("raw PTY, same run:      %7.2f MB/s -> the OTA uses %.1f%% of the port\n", pty / mb,
              100.0 * fast.line_bytes / fast.seconds / pty);

  for (std::size_t i = 0; i < std::size(paced_bauds); ++i) {
    const unsigned baud = paced_bauds[i];
    const double line_rate = baud / 10.0;
    // A part line carries 48 image bytes in about 100 bytes of line.
    const auto part_lines = std::max<std::size_t>(1, static_cast<std::size_t>(line_rate * paced_seconds / 100));
    const std::size_t paced_size = part_lines * 48;
    auto paced = e2e::module_for(service, devices[1 + i], {"--baud", std::to_string(baud)});
    e2e::enable_and_listen(paced->port);
    const download slow = host_download(service, admin, *paced, devices[1 + i].dsn, random_image(paced_size));
    paced->module.terminate();
    std::printf("--baud %-7u %9.0f bytes/s on the line (%zu image bytes in %.1f s) vs %.0f nominal: %.2f%%, %s\n",
                baud, slow.line_bytes / slow.seconds, paced_size, slow.seconds, line_rate,
                100.0 * slow.line_bytes / slow.seconds / line_rate, slow.intact ? "image intact" : "IMAGE DIFFERS");
  }
  return 0;
}
