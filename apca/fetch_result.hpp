#pragma once
// fetch_result: how an OTA fetch (a range of an image's bytes, or where a non-local image is) ended: the body, or a
// fetch_failure. A failure says whether the service link went down under it, after which the download waits and
// resumes once online again, or the image itself could not be had while the link stayed up (an error answer; an
// image host that fails TLS or cannot be reached), which the OTA counts toward giving up: retrying that forever
// would leave the job running.
#include <functional>
#include <string>
#include <utility>

#include "apca/result.hpp"

namespace apca {

struct fetch_failure {
  enum class kind { link_lost, refused };
  kind what = kind::refused;
  ada_error why;
  bool lost_link() const { return what == kind::link_lost; }
};

using fetch_result = common::result<std::string, fetch_failure>;

inline fetch_failure fetch_link_lost() { return {fetch_failure::kind::link_lost, {ada_code::err, "connection down"}}; }
inline fetch_failure fetch_refused(ada_error why) { return {fetch_failure::kind::refused, std::move(why)}; }

using fetch_done = std::function<void(fetch_result)>;

}  // namespace apca
