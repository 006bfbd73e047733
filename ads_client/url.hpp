#pragma once
// url: the absolute URLs the module is given (--ads-url, an OTA offer's `url`, a location answer), split into where
// to connect and what to ask for. Sans-I/O; one parser, so what an offer accepts is what the transport can fetch.
#include <optional>
#include <string>
#include <string_view>

namespace ads_client {

struct url_parts {
  std::string scheme;  // "https" or "http"
  std::string host;    // without the brackets of an IPv6 literal
  std::string port;    // digits; the scheme's default when the URL names none
  std::string target;  // origin form: "/PATH?QUERY", "/" when the URL has no path
  bool has_path = false;  // the URL names a path ("https://host/x", not "https://host"): ADA wants one in an offer
};

// "http(s)://HOST[:PORT][/PATH...]" (HOST may be "[IPv6]"); nullopt for anything else: another scheme, no host, a
// port that is not 1..65535 digits, user info, or a space or control character anywhere.
std::optional<url_parts> parse_url(std::string_view url);

}  // namespace ads_client
