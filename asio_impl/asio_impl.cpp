// Asio, its SSL layer and Beast compiled once for the whole tree (BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION are set on every target): each source that includes them then compiles only
// declarations and templates, which roughly halves the first build.
#include <utility>  // Boost 1.74's Asio uses std::exchange without it under g++ 12 / C++20

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
