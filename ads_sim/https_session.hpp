#pragma once
// https_session: one TLS connection of ads-sim — handshake, then requests one after another (keep-alive), each
// handed to the shared core and answered at once; or, for the console's terminal, upgraded to a WebSocket and handed
// to a terminal_session. Its phase is one session_phase moved by next_phase(); every
// action follows from the phase it enters.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "ads_sim/connection_context.hpp"
#include "ads_sim/served_part.hpp"
#include "ads_sim/session_phase.hpp"
#include "ads_sim/terminal_session.hpp"
#include "tls_stream/tls_stream.hpp"

namespace ads_sim {

class https_session : public std::enable_shared_from_this<https_session> {
 public:
  // `part`: what this connection's listener answers; other paths get 404 without reaching the core.
  https_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<connection_context> context,
                served_part part = served_part::everything);
  ~https_session();

  void run();
  void close();          // from any thread: ends the connection once no answer is being written

 private:
  struct read_request {
    http_request request;
    bool keep_alive = true;
  };

  void advance(session_event event);
  void enter(session_phase from);

  void do_handshake();
  void do_read();
  void read_header();
  void on_read_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void start_request();
  void ask_core();
  void make_keys(int count);  // then asks the core again with them
  void handle_on_worker(const http_request& request, prepared_inputs prepared);
  void answer_on_strand(outcome result);
  void do_password_work(console::password_work work);
  void on_core(outcome result);
  void start_terminal(open_terminal terminal);
  void do_write();
  void on_write(boost::beast::error_code ec);
  void do_close();
  void stage_refusal(int status, std::string_view why);
  void log_request();
  // Logs `ec` unless it is an ordinary end of a connection.
  void report(boost::beast::error_code ec, const char* what);

  ::tls_stream::stream stream_;  // OpenSSL on the socket: the small stream a fleet's many connections need
  const boost::asio::any_io_executor strand_;  // the connection's strand; still there once a terminal took stream_
  std::shared_ptr<connection_context> context_;
  const std::uint64_t id_;
  const served_part part_;
  session_phase phase_ = session_phase::handshaking;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<read_request> incoming_;  // read, waiting for the core
  http_request current_;                  // the request the core has or last answered
  bool keep_alive_ = true;                // of current_
  std::chrono::steady_clock::time_point started_;
  http_response answer_;                  // the next answer to write
  boost::beast::http::response<boost::beast::http::string_body> response_;  // the answer being written
  std::weak_ptr<terminal_session> terminal_;  // after an upgrade: the terminal the connection became (it holds us)
};

}  // namespace ads_sim
