#pragma once
// sms_store: the messages of one SMS storage ("SM" on the SIM, "ME" in the module) by 1-based index, with the
// 27.005 status of each, and the SMS settings of the port (AT+CMGF, AT+CNMI, AT+CPMS, AT+CSCA, AT+CSMP).
// State and rules only.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace agent {

struct sms_message {
  // 27.005 <stat>: its PDU-mode number is the enum's value.
  enum class status { received_unread = 0, received_read = 1, stored_unsent = 2, stored_sent = 3 };
  status state = status::received_unread;
  std::string address;        // the originator of a received message, the destination of a sent one
  std::int64_t sent_at = 0;   // the service centre time stamp (UTC seconds) of a received message
  int time_zone = 0;          // its zone, in quarters of an hour
  std::string text;           // GSM 7-bit text, as IRA
};

class sms_store {
 public:
  explicit sms_store(int capacity) : capacity_(capacity) {}
  int capacity() const { return capacity_; }
  int used() const { return static_cast<int>(messages_.size()); }
  // The lowest free index, nullopt when the storage is full.
  std::optional<int> add(sms_message message);
  sms_message* find(int index);
  bool erase(int index);
  const std::map<int, sms_message>& messages() const { return messages_; }
  void clear() { messages_.clear(); }

 private:
  int capacity_;
  std::map<int, sms_message> messages_;
};

struct sms_settings {
  int format = 0;                          // AT+CMGF: 0 PDU, 1 text
  std::array<int, 5> cnmi{2, 1, 0, 0, 0};  // AT+CNMI <mode>,<mt>,<bm>,<ds>,<bfr>
  std::array<std::string, 3> storages{"SM", "SM", "SM"};  // AT+CPMS <mem1> read/delete, <mem2> write, <mem3> receive
  std::string service_centre = "+8613800100500";          // AT+CSCA
  std::array<int, 4> csmp{17, 167, 0, 0};                 // AT+CSMP <fo>,<vp>,<pid>,<dcs>
  int next_reference = 0;                                 // the <mr> of the next AT+CMGS
};

}  // namespace agent
