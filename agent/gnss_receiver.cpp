#include "agent/gnss_receiver.hpp"

#include <algorithm>
#include <array>

namespace agent {
namespace {

// The GPS satellites an open sky shows: a fixed constellation, since only the antenna's position is emulated.
// The first eight (the highest, strongest) make the fix.
struct sky_satellite {
  int prn, elevation, azimuth, snr;
};
constexpr std::array<sky_satellite, 10> constellation{{{12, 71, 155, 46},
                                                       {2, 62, 312, 44},
                                                       {25, 55, 20, 43},
                                                       {5, 48, 60, 42},
                                                       {15, 40, 110, 41},
                                                       {6, 35, 245, 40},
                                                       {19, 28, 200, 38},
                                                       {13, 22, 290, 36},
                                                       {17, 15, 20, 33},
                                                       {24, 9, 330, 28}}};
constexpr std::size_t satellites_in_fix = 8;

}  // namespace

int gnss_report::satellites_used() const {
  return static_cast<int>(std::count_if(satellites.begin(), satellites.end(), [](const auto& s) { return s.used; }));
}

std::int64_t gnss_receiver::ttff(gnss_start kind) {
  switch (kind) {
    case gnss_start::cold: return cold_ttff.count();
    case gnss_start::warm: return warm_ttff.count();
    case gnss_start::hot: return hot_ttff.count();
  }
  return cold_ttff.count();
}

void gnss_receiver::start(std::optional<gnss_start> kind, std::int64_t now) {
  if (!kind) {
    const bool ephemeris_valid = last_fix_time_ && now - *last_fix_time_ < ephemeris_life.count();
    kind = ephemeris_valid ? gnss_start::hot : have_almanac_ ? gnss_start::warm : gnss_start::cold;
  }
  if (*kind == gnss_start::cold) have_almanac_ = false;
  if (*kind != gnss_start::hot) last_fix_time_.reset();
  phase_ = phase::searching;
  started_as_ = kind;
  countdown_ = ttff(*kind);
  report_ = {};
}

void gnss_receiver::stop() {
  phase_ = phase::off;
  report_ = {};
}

gnss_report gnss_receiver::run_epoch(const gnss_sky& sky, std::int64_t now) {
  if (phase_ == phase::off) return report_;
  report_ = {now, std::nullopt, {}};
  if (!sky.satellites_visible()) {
    // Nothing heard: a fix is lost, and the search goes on without counting down.
    if (phase_ == phase::fixed) {
      phase_ = phase::searching;
      countdown_ = ttff(gnss_start::hot);
    }
    return report_;
  }
  if (phase_ == phase::searching && --countdown_ <= 0) phase_ = phase::fixed;
  const bool fixed = phase_ == phase::fixed;
  for (std::size_t i = 0; i < constellation.size(); ++i) {
    const auto& s = constellation[i];
    report_.satellites.push_back({s.prn, s.elevation, s.azimuth, fixed ? std::optional(s.snr) : std::nullopt,
                                  fixed && i < satellites_in_fix});
  }
  if (fixed) {
    report_.fix = sky.motion_at(static_cast<double>(now));
    last_fix_time_ = now;
    have_almanac_ = true;
  }
  return report_;
}

}  // namespace agent
