#include "agent/gpx_route.hpp"

#include "agent/at_time.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <regex>
#include <string>

namespace agent {
namespace {

std::string at_line(std::string_view text, std::size_t offset, const std::string& why) {
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n');
  return "line " + std::to_string(line) + ": " + why;
}

std::optional<double> number(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The value of attribute `name` in a start tag's text (quoted with ' or ").
std::optional<std::string_view> attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    if (at == 0 || !std::isspace(static_cast<unsigned char>(tag[at - 1]))) continue;
    std::size_t i = at + name.size();
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || (tag[i] != '"' && tag[i] != '\'')) return std::nullopt;
    const std::size_t close = tag.find(tag[i], i + 1);
    if (close == std::string_view::npos) return std::nullopt;
    return tag.substr(i + 1, close - i - 1);
  }
  return std::nullopt;
}

std::optional<double> number_attribute(std::string_view tag, std::string_view name) {
  const auto value = attribute(tag, name);
  return value ? number(*value) : std::nullopt;
}

// The text of the first <name>...</name> inside `body`.
std::optional<std::string_view> element_text(std::string_view body, const std::string& name) {
  const std::size_t open = body.find("<" + name + ">");
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t start = open + name.size() + 2;
  const std::size_t close = body.find("</" + name + ">", start);
  if (close == std::string_view::npos) return std::nullopt;
  return body.substr(start, close - start);
}

// XML Schema dateTime as GPX writes it: 2026-12-06T20:15:00Z, with fractions of a second or a ±hh:mm offset.
std::optional<double> iso8601_seconds(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  static const std::regex tail(R"((\.\d+)?(Z|([+-])(\d{2}):(\d{2}))?)");
  std::string_view rest;
  const auto whole = parse_iso8601_seconds(text, rest);
  std::match_results<std::string_view::const_iterator> m;
  if (!whole || !std::regex_match(rest.begin(), rest.end(), m, tail)) return std::nullopt;
  double seconds = static_cast<double>(*whole);
  if (m[1].matched) seconds += std::stod(m[1].str());
  if (m[3].matched) seconds -= (m[3].str() == "-" ? -60.0 : 60.0) * (std::stoi(m[4].str()) * 60 + std::stoi(m[5].str()));
  return seconds;
}

// The text with every comment blanked out (newlines kept, so line numbers stay true).
std::string without_comments(std::string_view text) {
  std::string out(text);
  for (std::size_t open = out.find("<!--"); open != std::string::npos; open = out.find("<!--", open)) {
    const std::size_t close = out.find("-->", open + 4);
    const std::size_t end = close == std::string::npos ? out.size() : close + 3;
    for (std::size_t i = open; i < end; ++i)
      if (out[i] != '\n') out[i] = ' ';
  }
  return out;
}

}  // namespace

common::outcome<std::vector<route_point>> parse_gpx_route(std::string_view original) {
  const std::string text = without_comments(original);
  const std::size_t root = text.find("<gpx");
  if (root == std::string::npos || (root + 4 < text.size() && !std::isspace(static_cast<unsigned char>(text[root + 4])) &&
                                    text[root + 4] != '>')) {
    return common::failure{"not a GPX document (no <gpx> element)"};
  }
  std::vector<route_point> route;
  for (std::size_t at = text.find("<trkpt", root); at != std::string::npos; at = text.find("<trkpt", at + 1)) {
    const std::size_t tag_end = text.find('>', at);
    if (tag_end == std::string::npos) return common::failure{at_line(text, at, "<trkpt> is not closed")};
    const std::string_view tag = std::string_view(text).substr(at, tag_end - at);
    const auto lat = number_attribute(tag, "lat");
    const auto lon = number_attribute(tag, "lon");
    if (!lat || *lat < -90 || *lat > 90) return common::failure{at_line(text, at, "<trkpt> needs lat=\"-90..90\"")};
    if (!lon || *lon < -180 || *lon > 180) return common::failure{at_line(text, at, "<trkpt> needs lon=\"-180..180\"")};
    if (tag.ends_with("/")) return common::failure{at_line(text, at, "<trkpt> has no <time>")};
    const std::size_t close = text.find("</trkpt>", tag_end);
    if (close == std::string::npos) return common::failure{at_line(text, at, "<trkpt> has no </trkpt>")};
    const std::string_view body = std::string_view(text).substr(tag_end + 1, close - tag_end - 1);
    const auto time_text = element_text(body, "time");
    if (!time_text) return common::failure{at_line(text, at, "<trkpt> has no <time>")};
    const auto time = iso8601_seconds(*time_text);
    if (!time) return common::failure{at_line(text, at, "<time> is not an ISO 8601 UTC time (2026-12-06T20:15:00Z)")};
    double altitude = 0;
    if (const auto ele = element_text(body, "ele")) {
      const auto value = number(*ele);
      if (!value) return common::failure{at_line(text, at, "<ele> is not a number of metres")};
      altitude = *value;
    }
    if (!route.empty() && *time <= route.back().time) {
      return common::failure{at_line(text, at, "track point times must increase")};
    }
    if (route.size() == max_route_points) {
      return common::failure{at_line(text, at, "more than " + std::to_string(max_route_points) + " track points")};
    }
    route.push_back({*time, {*lat, *lon, altitude}});
    at = close;
  }
  if (route.empty()) return common::failure{"no track point (<trkpt> with <time>) in the GPX document"};
  return route;
}

}  // namespace agent
