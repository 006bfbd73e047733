#pragma once
// readable_answer: a control-API answer as a person reads it in a terminal (sim7600-ctl without --json). Pure.
// `sms sent` reads as a list of messages; any other answer (the world's `state`, the query verbs to come) reads as
// an aligned "label  value" block, nested objects indented, so a new query verb is readable without new code here.
#include <string>

#include <nlohmann/json.hpp>

#include "control/control_verbs.hpp"

namespace sim7600_control {

std::string readable_answer(const control_request& request, const nlohmann::json& answer);

}  // namespace sim7600_control
