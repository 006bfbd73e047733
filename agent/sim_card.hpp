#pragma once
// sim_card: the SIM as AT+CPIN, AT+CLCK="SC", AT+CPWD="SC" and AT+SPIC see it — present or not, its PIN lock,
// and the PIN/PUK retry counters (3 wrong PINs ask for the PUK, 10 wrong PUKs block the card). State and
// rules only.
#include <string>

namespace agent {

class sim_card {
 public:
  static constexpr int pin_tries = 3;
  static constexpr int puk_tries = 10;

  enum class status {
    absent,        // no card in the holder
    pin_required,  // +CPIN: SIM PIN
    puk_required,  // +CPIN: SIM PUK
    blocked,       // no PUK tries left: the card answers nothing more
    ready,
  };
  // What a PIN operation gives; maps to the +CME ERROR codes of 27.007.
  enum class outcome { done, not_inserted, wrong_password, not_allowed, puk_required, failure };

  status state() const { return status_; }
  bool ready() const { return status_ == status::ready; }
  bool lock_enabled() const { return lock_enabled_; }
  int pin_tries_left() const { return pin_left_; }
  int puk_tries_left() const { return puk_left_; }

  // AT+CPIN=<pin> when the PIN is asked, AT+CPIN=<puk>,<new pin> when the PUK is.
  outcome enter(const std::string& code, const std::string& new_pin);
  // AT+CLCK="SC",0|1,<pin>: the PIN is asked at every power-on (1) or never (0).
  outcome set_lock(bool enabled, const std::string& pin);
  // AT+CPWD="SC",<old>,<new>: needs the lock enabled, as 27.007 has it.
  outcome change_pin(const std::string& old_pin, const std::string& new_pin);

  // ---- events of the world ----
  void remove() { status_ = status::absent; }
  // The card is back (or the module powered on): the PIN is asked when the lock is on.
  void insert();
  // The card is now locked with `pin` (the control API's "sim pin"), asking for it at once.
  void lock_with(const std::string& pin);

 private:
  // One try of `pin` against the PIN: false (and one try less; the PUK asked after the last) when wrong.
  bool try_pin(const std::string& pin);
  bool present() const { return status_ != status::absent; }

  status status_ = status::ready;
  bool lock_enabled_ = false;
  std::string pin_ = "1234";
  std::string puk_ = "12345678";
  int pin_left_ = pin_tries;
  int puk_left_ = puk_tries;
};

// The +CME ERROR code of a failed outcome (10 SIM not inserted, 16 incorrect password, ...).
int cme_code(sim_card::outcome outcome);

}  // namespace agent
