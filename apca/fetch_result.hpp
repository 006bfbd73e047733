#pragma once
// fetch_result: how an OTA fetch (a range of an image's bytes, or where a non-local image is) ended. A failure says
// whether the service link went down under it, after which the download waits and resumes once online again, or
// the image itself could not be had while the link stayed up (an error answer; an image host that fails TLS or
// cannot be reached), which the OTA counts toward giving up: retrying that forever would leave the job running.
#include <functional>
#include <string>
#include <utility>

#include "apca/result.hpp"

namespace apca {

class fetch_result {
 public:
  fetch_result(std::string body) : body_(std::move(body)) {}  // NOLINT: implicit, like result
  static fetch_result link_lost() { return {ada_error{ada_code::err, "connection down"}, true}; }
  static fetch_result refused(ada_error why) { return {std::move(why), false}; }

  bool ok() const { return body_.ok(); }
  const std::string& body() const { return body_.value(); }
  const ada_error& error() const { return body_.error(); }
  bool lost_link() const { return !ok() && lost_link_; }

 private:
  fetch_result(ada_error why, bool lost_link) : body_(std::move(why)), lost_link_(lost_link) {}
  result<std::string> body_;
  bool lost_link_ = false;
};

using fetch_done = std::function<void(fetch_result)>;

}  // namespace apca
