#pragma once
// http_service: the SIM7600's HTTP(S) client (AT Command Manual, "AT Commands for HTTP(S)": AT+HTTPINIT,
// AT+HTTPTERM, AT+HTTPPARA, AT+HTTPDATA, AT+HTTPACTION, AT+HTTPHEAD, AT+HTTPREAD). One request at a time over a
// stream of its own (TLS for an https URL, from the SSL context "SSLCFG" names); the answer is kept for the host to
// read. Sans-I/O: bytes go through a stream_port, and HTTP/1.1 is built and read by http_wire.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "agent/cch_service.hpp"
#include "agent/command_table.hpp"
#include "agent/data_prompt.hpp"
#include "agent/http_wire.hpp"
#include "agent/stream_port.hpp"
#include "apca/ports.hpp"

namespace config_store {
struct nv_image;
}

namespace agent {

using http_ports = stream_service_ports;

class http_service final : public stream_events {
 public:
  // Stream ids of this service have the top bit set, so one router tells them from the SSL service's.
  static constexpr stream_id id_base = stream_id{1} << 63;
  static constexpr std::size_t max_url = 4096;
  static constexpr std::size_t max_user_data = 2048;
  static constexpr std::size_t max_request_body = 160 * 1024;  // AT+HTTPDATA <size>
  static constexpr std::size_t max_read = http_response_reader::max_body;

  http_service(http_ports ports, apca::timer_port& timers) : ports_(std::move(ports)), timers_(timers) {}

  void add_to(command_table& table);
  void power_cycle();  // the session ends; nothing reported
  void on_receive_timeout();  // timer_id::http_receive: RECVTO seconds passed with no byte of the answer

  // ---- stream_events ----
  void on_opened(stream_id id, stream_error error) override;
  void on_sent(stream_id, std::size_t) override {}
  void on_received(stream_id id, std::string_view bytes) override;
  void on_closed(stream_id id) override;
  std::size_t rx_room(stream_id id) const override;

 private:
  // What AT+HTTPPARA sets.
  struct parameters {
    std::string url;
    std::string content_type = "text/plain";
    std::string accept = "*/*";
    std::string user_data;  // extra header lines, CR LF between them
    int ssl_context = 0;
    int read_mode = 0;      // 0: AT+HTTPREAD reads on from where it stopped; 1: from any offset, again and again
    int connect_timeout = 120;  // seconds
    int receive_timeout = 20;   // seconds the answer may keep the module waiting for its next bytes
  };
  // The request on its way.
  struct exchange {
    stream_id id = 0;
    int method = 0;  // 0 GET, 1 POST, 2 HEAD, 3 DELETE
    std::string request;
    http_response_reader reader;
  };

  command_result init();
  command_result term();
  command_result set_parameter(const at_params& params);
  command_result take_body(const at_params& params);  // AT+HTTPDATA
  command_result action(const at_params& params);
  command_result head() const;
  command_result read_length() const;
  command_result read(const at_params& params);
  // Ends the exchange: "+HTTPACTION: <method>,<status>,<length>"; a 7xx status keeps no answer.
  void finish(int status);
  void wait_for_answer();  // (re)arms RECVTO

  http_ports ports_;
  apca::timer_port& timers_;
  bool initialized_ = false;
  parameters parameters_;
  std::string body_;  // AT+HTTPDATA
  std::optional<exchange> exchange_;
  std::optional<ads_client::http_response> answer_;
  std::string answer_head_;
  std::size_t read_at_ = 0;  // read mode 0
  stream_id next_id_ = id_base + 1;
};

}  // namespace agent
