#pragma once
// A `world:` step's line as the words sim7600-ctl would take: split at spaces, a "double-quoted" run is one word
// (`sms deliver +8613900000000 "hello world"`). Pure.
#include <string>
#include <vector>

#include "scenario/outcome.hpp"

namespace scenario {

outcome<std::vector<std::string>> world_words(const std::string& line);

}  // namespace scenario
