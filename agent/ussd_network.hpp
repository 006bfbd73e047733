#pragma once
// ussd_network: what the network answers to USSD strings (AT+CUSD), as the control API's `ussd reply` and
// `ussd menu` describe it, and the one USSD session the module has open. A menu's answer asks the user for a
// reply; the reply R to the menu at CODE is looked up as "CODE>R", so a script describes a two-level menu as
//   ussd menu '*100#' '1 Balance 2 Offers'; ussd reply '*100#>1' 'Balance 5 EUR'; ussd menu '*100#>2' '...'
// Sans-I/O.
#include <map>
#include <optional>
#include <string>

namespace agent {

struct ussd_answer {
  int m = 0;         // 27.007 +CUSD <m>: 0 done, 1 the network asks for a reply, 2 ended by the network, 4 not supported
  std::string text = {};  // empty with m 2 and 4: "+CUSD: <m>" alone
};

class ussd_network {
 public:
  static constexpr char level_separator = '>';

  // What the network answers to `code` (or to a reply, "CODE>R"): a final text, or a menu that asks for a reply.
  void set_reply(const std::string& code, const std::string& text) { entries_[code] = {text, false}; }
  void set_menu(const std::string& code, const std::string& text) { entries_[code] = {text, true}; }

  // The host sends `text`: a new code, or in an open session the reply to its menu. A code or reply the network
  // does not know ends the session with 27.007's "operation not supported" (m 4).
  ussd_answer request(const std::string& text);
  // AT+CUSD=2: the host ends the session (no answer comes).
  void cancel() { session_.reset(); }
  // The path of the open menu ("*100#", "*100#>2"), if a session is open.
  const std::optional<std::string>& session() const { return session_; }

  struct entry {
    std::string text;
    bool menu = false;
  };
  const std::map<std::string, entry>& entries() const { return entries_; }

 private:
  std::map<std::string, entry> entries_;
  std::optional<std::string> session_;
};

}  // namespace agent
