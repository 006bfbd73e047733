#include "agent/sim_card.hpp"

namespace agent {
namespace {

// 27.007: a PIN is 4 to 8 digits.
bool valid_pin(const std::string& pin) {
  if (pin.size() < 4 || pin.size() > 8) return false;
  for (char c : pin) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

bool sim_card::try_pin(const std::string& pin) {
  if (pin == pin_) {
    pin_left_ = pin_tries;
    return true;
  }
  if (--pin_left_ == 0) status_ = status::puk_required;
  return false;
}

sim_card::outcome sim_card::enter(const std::string& code, const std::string& new_pin) {
  switch (status_) {
    case status::absent: return outcome::not_inserted;
    case status::blocked: return outcome::failure;
    case status::ready: return outcome::not_allowed;  // nothing is asked
    case status::pin_required:
      if (!try_pin(code)) return outcome::wrong_password;
      status_ = status::ready;
      return outcome::done;
    case status::puk_required:
      if (!valid_pin(new_pin)) return outcome::puk_required;  // a PIN alone, or no valid new one
      if (code != puk_) {
        if (--puk_left_ == 0) status_ = status::blocked;
        return outcome::wrong_password;
      }
      pin_ = new_pin;
      pin_left_ = pin_tries;
      puk_left_ = puk_tries;
      status_ = status::ready;
      return outcome::done;
  }
  return outcome::failure;
}

sim_card::outcome sim_card::set_lock(bool enabled, const std::string& pin) {
  if (!present()) return outcome::not_inserted;
  if (status_ == status::puk_required) return outcome::puk_required;
  if (status_ != status::ready) return outcome::not_allowed;
  if (!try_pin(pin)) return outcome::wrong_password;
  lock_enabled_ = enabled;
  return outcome::done;
}

sim_card::outcome sim_card::change_pin(const std::string& old_pin, const std::string& new_pin) {
  if (!present()) return outcome::not_inserted;
  if (status_ == status::puk_required) return outcome::puk_required;
  if (status_ != status::ready || !lock_enabled_ || !valid_pin(new_pin)) return outcome::not_allowed;
  if (!try_pin(old_pin)) return outcome::wrong_password;
  pin_ = new_pin;
  return outcome::done;
}

void sim_card::insert() {
  if (puk_left_ == 0) {
    status_ = status::blocked;
  } else if (pin_left_ == 0) {
    status_ = status::puk_required;
  } else {
    status_ = lock_enabled_ ? status::pin_required : status::ready;
  }
}

void sim_card::lock_with(const std::string& pin) {
  pin_ = pin;
  lock_enabled_ = true;
  pin_left_ = pin_tries;
  if (present()) status_ = status::pin_required;
}

int cme_code(sim_card::outcome outcome) {
  switch (outcome) {
    case sim_card::outcome::done: return 0;
    case sim_card::outcome::not_inserted: return 10;
    case sim_card::outcome::wrong_password: return 16;
    case sim_card::outcome::not_allowed: return 3;
    case sim_card::outcome::puk_required: return 12;
    case sim_card::outcome::failure: return 13;
  }
  return 100;
}

}  // namespace agent
