#pragma once
// gnss_receiver: the SIM7600's GNSS engine as a state machine — a session off or on; while on, searching until
// its time to first fix has passed under a sky with satellites, then fixed, losing the fix when the satellites go
// and finding it again when they come back. Sans-I/O: the owner runs epoch() once a second while a session runs
// (its one timer) and reads the epoch's report.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "agent/gnss_sky.hpp"

namespace agent {

// How a session starts (AT+CGPSCOLD / AT+CGPSWARM / AT+CGPSHOT; AT+CGPS=1 starts with what the engine kept).
enum class gnss_start { cold, warm, hot };

struct satellite_in_view {
  int prn = 0;
  int elevation_deg = 0;
  int azimuth_deg = 0;
  std::optional<int> snr_dbhz;  // absent until the engine tracks it
  bool used = false;            // in the fix
};

// What one epoch found: the UTC second and, with a fix, the antenna's motion there; the satellites in view.
struct gnss_report {
  std::int64_t utc = 0;
  std::optional<antenna_motion> fix;
  std::vector<satellite_in_view> satellites;
  int satellites_used() const;
  // Dilutions of precision of a fix (the constellation below is fixed, so they are too).
  static constexpr double pdop = 1.2, hdop = 0.9, vdop = 0.8;
};

class gnss_receiver {
 public:
  // Times to first fix under open sky. SIMCom's SIM7600 hardware design gives cold < 35 s and hot < 1 s (recalled,
  // not checked against the document); warm sits between, as on the engine's Qualcomm siblings. A hot start is one
  // epoch. Regaining a fix lost for want of satellites is a hot start: the ephemeris is still valid.
  static constexpr std::chrono::seconds cold_ttff{35};
  static constexpr std::chrono::seconds warm_ttff{30};
  static constexpr std::chrono::seconds hot_ttff{1};
  // Ephemeris older than this cannot hot start (SIMCom's GNSS application note: hot start "less than two hours
  // from the last location").
  static constexpr std::chrono::seconds ephemeris_life{2 * 3600};
  static constexpr std::chrono::seconds epoch{1};

  enum class phase { off, searching, fixed };

  // Starts a session at `now` (Unix seconds): `kind` forced, or (nullopt, AT+CGPS=1) the best the engine's memory
  // allows — hot with ephemeris younger than ephemeris_life, warm with an almanac (any earlier fix), else cold.
  void start(std::optional<gnss_start> kind, std::int64_t now);
  void stop();  // keeps the memory for a later start

  // One epoch at `now` under `sky`: counts down to the first fix, follows the antenna, loses and regains the fix.
  gnss_report run_epoch(const gnss_sky& sky, std::int64_t now);

  phase current_phase() const { return phase_; }
  bool running() const { return phase_ != phase::off; }
  std::optional<gnss_start> started_as() const { return started_as_; }
  // The last epoch's report (no fix and no satellites before the first epoch of a session).
  const gnss_report& last_report() const { return report_; }
  // Epochs left until the first fix while searching under satellites.
  std::int64_t seconds_to_fix() const { return countdown_; }

 private:
  static std::int64_t ttff(gnss_start kind);

  phase phase_ = phase::off;
  std::optional<gnss_start> started_as_;
  std::int64_t countdown_ = 0;
  std::optional<std::int64_t> last_fix_time_;  // ephemeris and almanac age
  bool have_almanac_ = false;
  gnss_report report_;
};

}  // namespace agent
