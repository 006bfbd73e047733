#include "ads_client/source_address.hpp"

#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>

namespace ads_client {

boost::system::error_code bind_source_address(boost::asio::ip::tcp::socket& socket,
                                              const boost::asio::ip::tcp::endpoint& destination,
                                              const std::string& source) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(source, ec);
  if (ec) return ec;
  socket.open(destination.protocol(), ec);
  if (ec) return ec;
  // Without it, bind() would take a port for the address alone, and an address would serve one range in all.
  const int on = 1;
  if (::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on) != 0)
    return {errno, boost::system::system_category()};
  socket.bind(boost::asio::ip::tcp::endpoint(address, 0), ec);
  return ec;
}

}  // namespace ads_client
