#include "tests/support/fake_ota_cloud.hpp"

#include <stdexcept>

namespace test_support {

void fake_ota_cloud::fetch_range(const apca::image_location& where, std::uint64_t offset, std::uint64_t length,
                                 apca::fetch_done done) {
  fetches.push_back({where, offset, length, std::move(done)});
}

void fake_ota_cloud::fetch_location(const std::string& path, apca::fetch_done done) {
  if (location_answer) return done(*location_answer);
  location_asks.emplace_back(path, std::move(done));
}

bool fake_ota_cloud::answer_next(apca::fetch_result outcome) {
  if (fetches.empty()) return false;
  fetch_call call = std::move(fetches.front());
  fetches.pop_front();
  call.done(std::move(outcome));
  return true;
}

void fake_ota_cloud::serve_one(const std::string& image) {
  if (fetches.empty()) throw std::logic_error("fake_ota_cloud: no fetch is waiting");
  const fetch_call& call = fetches.front();
  answer_next(image.substr(call.offset, call.length));
}

void fake_ota_cloud::serve(const std::string& image) {
  while (!fetches.empty()) serve_one(image);
}

void fake_ota_cloud::refuse_one(const std::string& why) {
  if (fetches.size() != 1) throw std::logic_error("fake_ota_cloud: refuse_one wants exactly one fetch waiting");
  answer_next(apca::fetch_refused({apca::ada_code::err, why}));
}

}  // namespace test_support
