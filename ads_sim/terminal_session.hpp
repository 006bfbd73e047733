#pragma once
// terminal_session: one console terminal — a WebSocket (Beast) over the TLS connection https_session upgraded,
// attached to a module's terminal_port. Binary messages carry bytes both ways (typed -> module, module -> viewer);
// text messages from the service are JSON notices ({"role":"writer"}, {"role":"reader"}, {"refused":"..."}).
// The port calls in on the module's thread; everything is posted to this session's strand. A viewer whose
// backlog passes its bound is closed with a reason rather than buffered without end.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ads_sim/terminal/output_backlog.hpp"
#include "ads_sim/terminal/terminal_port.hpp"
#include "tls_stream/tls_stream.hpp"

namespace ads_sim {

// Bounds of one viewer.
inline constexpr std::size_t terminal_backlog_limit = 256 * 1024;  // output not yet sent to a slow viewer
inline constexpr std::size_t terminal_input_limit = 4096;          // one typed message

class terminal_session : public std::enable_shared_from_this<terminal_session> {
 public:
  // The upgraded connection's stream; its WebSocket closes with the TLS goodbye (tls_stream's teardown).
  using tls_stream = ::tls_stream::stream;

  // `keep`: held while the session lives (the https_session it came from, whose id the service tracks).
  terminal_session(tls_stream stream, std::shared_ptr<terminal::terminal_port> port, std::string dsn,
                   std::function<void(std::string_view line)> log, std::shared_ptr<void> keep);

  // Answers the upgrade (101) and attaches to the port.
  void start(boost::beast::http::request<boost::beast::http::string_body> upgrade);
  void close();  // from any thread: the service is stopping

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec);
  void push(terminal::frame_kind kind, std::string bytes);  // on the strand
  void do_write();
  void on_write(boost::beast::error_code ec);
  void finish(boost::beast::websocket::close_code code, std::string reason);  // on the strand
  void do_close();
  void notice_role(terminal::role now);

  boost::beast::websocket::stream<tls_stream> ws_;
  std::shared_ptr<terminal::terminal_port> port_;
  std::string dsn_;
  std::function<void(std::string_view line)> log_;
  std::shared_ptr<void> keep_;
  std::unique_ptr<terminal::viewer> viewer_;
  terminal::output_backlog backlog_{terminal_backlog_limit};
  boost::beast::flat_buffer read_buffer_;
  std::string writing_;
  bool write_in_flight_ = false;
  bool open_ = false;  // the upgrade was answered
  bool reader_ = false;
  std::optional<boost::beast::websocket::close_reason> closing_;  // once set, nothing more is queued
};

}  // namespace ads_sim
