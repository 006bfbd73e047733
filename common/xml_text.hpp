#pragma once
// Text made safe for an XML 1.0 document declared UTF-8: the one escaper behind every report we write as XML
// (scenario and fleet JUnit).
#include <string>
#include <string_view>

namespace common {

// Markup escaped (& < > " '), and bytes XML cannot hold shown as \xHH, as transcripts show them: control bytes
// other than tab, CR and LF, and bytes that are not part of well-formed UTF-8 (a port's binary data, a tail cut
// mid-character), which would make the whole document unreadable.
std::string xml_escaped(std::string_view text);

}  // namespace common
