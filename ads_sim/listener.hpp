#pragma once
// listener: ads-sim's TCP acceptor — binds HOST:PORT, starts an https_session per connection on its own strand,
// and keeps track of the open ones so stop() can close them.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/result.hpp"

#include "ads_sim/connection_context.hpp"
#include "ads_sim/served_part.hpp"

namespace ads_sim {

class https_session;

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Bound and listening (not yet accepting), or the reason it could not be.
  static common::outcome<std::shared_ptr<listener>> open(boost::asio::io_context& io, const std::string& host,
                                                    std::uint16_t port, std::shared_ptr<connection_context> context,
                                                    served_part part = served_part::everything);

  listener(boost::asio::io_context& io, std::shared_ptr<connection_context> context, served_part part);
  std::uint16_t port() const { return port_; }
  void start();  // accepts until stop()
  void stop();   // from any thread: no new connections, open ones close once their answer in flight is written

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  std::shared_ptr<connection_context> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  served_part part_;  // what its connections answer
  std::mutex mutex_;  // guards sessions_ and stopped_
  std::set<std::weak_ptr<https_session>, std::owner_less<std::weak_ptr<https_session>>> sessions_;
  bool stopped_ = false;
};

}  // namespace ads_sim
