// The one URL parser behind --ads-url, OTA offers and location answers: what it accepts is what the transport can
// fetch, and what it refuses is refused at the offer (status 4) rather than failing later on the wire.
#include <catch2/catch.hpp>

#include "ads_client/url.hpp"

using ads_client::parse_url;

TEST_CASE("absolute URLs split into scheme, host, port and the target to send", "[ads_client][url]") {
  struct row {
    const char* url;
    const char* scheme;
    const char* host;
    const char* port;
    const char* target;
  };
  for (const row& r : {
           row{"https://ads-dev.aylanetworks.com", "https", "ads-dev.aylanetworks.com", "443", "/"},
           row{"https://127.0.0.1:8443/images/7/ab12.bin", "https", "127.0.0.1", "8443", "/images/7/ab12.bin"},
           row{"http://images.example.com/fw.bin?sig=1&t=2", "http", "images.example.com", "80", "/fw.bin?sig=1&t=2"},
           row{"https://[::1]:9000/x", "https", "::1", "9000", "/x"},
           row{"https://[fe80::1]/x", "https", "fe80::1", "443", "/x"},
           row{"https://host?x=1", "https", "host", "443", "/?x=1"},
           row{"https://host/p#fragment", "https", "host", "443", "/p"},
       }) {
    INFO(r.url);
    const auto parts = parse_url(r.url);
    REQUIRE(parts.has_value());
    CHECK(parts->scheme == r.scheme);
    CHECK(parts->host == r.host);
    CHECK(parts->port == r.port);
    CHECK(parts->target == r.target);
    CHECK(parts->has_path == (std::string_view(r.url).find('/', 8) != std::string_view::npos));
  }
}

TEST_CASE("anything but an absolute http(s) URL with a host is refused", "[ads_client][url]") {
  for (const char* url : {"", "/devices/1/images/2.bin", "ftp://host/x", "https://", "https:///x", "https://:443/x",
                          "https://host:/x", "https://host:0/x", "https://host:65536/x", "https://host:12ab/x",
                          "https://host:+80/x", "https://user:pw@host/x", "https://[::1/x", "https://[]/x",
                          "https://[::1]9000/x", "https://host/a b", "https://host/\n", "HTTPS://host/x"}) {
    INFO(url);
    CHECK_FALSE(parse_url(url).has_value());
  }
}
