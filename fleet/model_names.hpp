#pragma once
// model_names: the words a fleet file uses for fleet_model's enums, one table each, read by the parser and written
// by messages and reports (a fault class in JUnit is its kind's word).
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "fleet/fleet_model.hpp"

namespace fleet {

// In each enum's order.
inline constexpr std::array<std::string_view, 6> fault_kind_words = {
    "coverage_lost", "power_cut", "data_call_dropped", "sim_removed", "clock_skew", "host_silent"};
inline constexpr std::array<std::string_view, 2> ota_phase_words = {"downloading", "applying"};
inline constexpr std::array<std::string_view, 4> ota_expectation_words = {"none", "succeeded", "failed", "any"};

template <class Enum, std::size_t N>
constexpr std::string_view word_of(Enum value, const std::array<std::string_view, N>& words) {
  return words[static_cast<std::size_t>(value)];
}

// The enum value a word names, if it names one.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> named(std::string_view word, const std::array<std::string_view, N>& words) {
  for (std::size_t i = 0; i < N; ++i)
    if (words[i] == word) return static_cast<Enum>(i);
  return std::nullopt;
}

// "coverage_lost, power_cut, ...": for messages that list what is allowed.
template <std::size_t N>
std::string listed_words(const std::array<std::string_view, N>& words, std::string_view last_joint = ", ") {
  std::string out;
  for (std::size_t i = 0; i < N; ++i)
    out += std::string(i == 0 ? "" : i + 1 == N ? last_joint : ", ") + std::string(words[i]);
  return out;
}

}  // namespace fleet
