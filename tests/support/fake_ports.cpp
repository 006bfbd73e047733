#include "tests/support/fake_ports.hpp"

#include <iterator>
#include <stdexcept>

namespace test_support {

void fake_timers::disarm(apca::timer_id id) {
  if (armed.erase(id) == 0) throw std::logic_error("fake_timers: fired a timer that is not armed");
}

bool fake_timers::take(unsigned n, apca::timer_id& id) {
  if (armed.empty()) return false;
  auto it = armed.begin();
  std::advance(it, n % armed.size());
  id = it->first;
  armed.erase(it);
  return true;
}

void fake_nv::save(const config_store::nv_image& image, std::function<void(bool ok)> done) {
  every_image_saved.push_back(image);
  if (auto_complete) {
    stored = image;
    done(true);
    return;
  }
  pending.push_back({image, std::move(done)});
}

void fake_nv::finish_save(bool ok) {
  if (pending.empty()) throw std::logic_error("fake_nv: no save is pending");
  auto save = std::move(pending.front());
  pending.pop_front();
  if (ok) stored = save.image;
  save.done(ok);
}

void fake_nv::finish_all(bool ok) {
  while (!pending.empty()) finish_save(ok);
}

void fake_udp::open(const std::string& h, std::uint16_t p) {
  host = h;
  port = p;
  open_now = true;
}

std::string fake_udp::take() {
  if (sent.empty()) return {};
  std::string next = std::move(sent.front());
  sent.pop_front();
  return next;
}

}  // namespace test_support
