// XML text: markup escaped, and every byte an XML parser would refuse shown as \xHH instead.
#include <catch2/catch.hpp>

#include "common/xml_text.hpp"

using common::xml_escaped;

TEST_CASE("markup is escaped and control bytes are shown", "[common][xml]") {
  CHECK(xml_escaped(std::string("a\x01<&>\"'\n", 8)) == "a\\x01&lt;&amp;&gt;&quot;&apos;\n");
  CHECK(xml_escaped(std::string("\0\t\r\n\x1b[K", 7)) == "\\x00\t\r\n\\x1B[K");
}

TEST_CASE("well-formed UTF-8 passes through", "[common][xml]") {
  CHECK(xml_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa1") == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa1");
}

TEST_CASE("bytes that are not UTF-8 are shown, so the document stays readable", "[common][xml]") {
  CHECK(xml_escaped("\xff\xfe") == "\\xFF\\xFE");                  // never in UTF-8
  CHECK(xml_escaped("ab\xe2\x82") == "ab\\xE2\\x82");              // cut mid-character
  CHECK(xml_escaped("\xc0\xaf") == "\\xC0\\xAF");                  // overlong '/'
  CHECK(xml_escaped("\xed\xa0\x80") == "\\xED\\xA0\\x80");         // a surrogate
  CHECK(xml_escaped("\xf4\x90\x80\x80") == "\\xF4\\x90\\x80\\x80"); // past U+10FFFF
  CHECK(xml_escaped("\xef\xbf\xbe") == "\\xEF\\xBF\\xBE");         // U+FFFE, not an XML character
  CHECK(xml_escaped("\x80" "A") == "\\x80A");                       // a lone continuation byte, then text
}
