#pragma once
// source_address: a connection made from a chosen local address, so that many connections to one service do not
// share one address's source ports. The port is still picked at connect (Linux's IP_BIND_ADDRESS_NO_PORT), so each
// source address keeps the whole source-port range toward each destination.
#include <string>

#include <boost/asio/ip/tcp.hpp>

namespace ads_client {

// Opens `socket` for `destination`'s protocol, bound to `source` (an IP address; the port comes at connect).
boost::system::error_code bind_source_address(boost::asio::ip::tcp::socket& socket,
                                              const boost::asio::ip::tcp::endpoint& destination,
                                              const std::string& source);

}  // namespace ads_client
