#pragma once
// One HTTP example of ads_sim/PROTOCOL.md, as tests/contract/extract_examples.py reads it at build time.
#include <string_view>
#include <utility>
#include <vector>

namespace contract {

// An answer's body: none (204), JSON with placeholders, or bytes named by one placeholder (`<image>`).
enum class body_kind { none, json, bytes };

using header_list = std::vector<std::pair<std::string_view, std::string_view>>;

struct protocol_example {
  int line;           // PROTOCOL.md line of the block's first line
  int request_line;   // ... of the request line
  int response_line;  // ... of the status line
  std::string_view section;
  std::string_view title;
  std::vector<std::string_view> given;  // preconditions, in the words of example_fixture's table
  std::string_view not_sent;            // why the module's encoders are not checked against it ("" = they are)
  std::string_view not_checked;         // why ads-sim is not checked against it ("" = it is)
  std::string_view method;
  std::string_view target;  // with placeholders
  header_list request_headers;
  std::string_view request_body;  // JSON with placeholders, or ""
  int status;
  header_list response_headers;
  body_kind kind;
  // JSON where an unquoted placeholder is the string "\0<name>" and `...` the string "\0..." (a member named so
  // in an object: more members may follow; an element in an array: any elements).
  std::string_view response_body;
};

}  // namespace contract
