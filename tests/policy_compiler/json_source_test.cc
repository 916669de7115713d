// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// json_source_test.cc - positions of values and keys recorded by the SAX
// parse, including after numbers (the lexer reads one character ahead).
#include <gtest/gtest.h>

#include <string>

#include "json_source.h"

namespace {

using policyc::Json;
using policyc::JsonError;
using policyc::LineCol;
using policyc::SourceMap;

struct Parsed {
  Json doc;
  SourceMap map;
};

Parsed parse(const std::string& text) {
  Parsed p;
  JsonError err;
  EXPECT_TRUE(policyc::parse_json(text, &p.doc, &p.map, &err)) << err.message;
  return p;
}

std::string at(const SourceMap& m, const std::string& ptr, bool key = false) {
  LineCol lc = key ? m.key_position(ptr) : m.value_position(ptr);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

TEST(JsonSource, ValueAndKeyPositions) {
  const std::string text =
      "{\n"
      "  \"a\": 12,\n"
      "  \"b\" :[1 , -2.5,true,null, \"s\"],\n"
      "\t\"c\": {\"d\":{}}\n"
      "}\n";
  Parsed p = parse(text);
  EXPECT_EQ(at(p.map, ""), "1:1");
  EXPECT_EQ(at(p.map, "/a"), "2:8");
  EXPECT_EQ(at(p.map, "/a", true), "2:3");
  EXPECT_EQ(at(p.map, "/b"), "3:8");
  EXPECT_EQ(at(p.map, "/b/0"), "3:9");
  EXPECT_EQ(at(p.map, "/b/1"), "3:13");
  EXPECT_EQ(at(p.map, "/b/2"), "3:18");
  EXPECT_EQ(at(p.map, "/b/3"), "3:23");
  EXPECT_EQ(at(p.map, "/b/4"), "3:29");
  EXPECT_EQ(at(p.map, "/c"), "4:7");
  EXPECT_EQ(at(p.map, "/c/d"), "4:12");
  // Unknown pointers fall back to the nearest recorded ancestor.
  EXPECT_EQ(at(p.map, "/c/d/missing"), "4:12");
  EXPECT_EQ(at(p.map, "/b/4", true), "3:29") << "array elements have no key";
}

TEST(JsonSource, KeepsMemberOrder) {
  Parsed p = parse(R"({"z":1,"a":2,"m":3})");
  std::string order;
  for (auto it = p.doc.begin(); it != p.doc.end(); ++it) order += it.key();
  EXPECT_EQ(order, "zam");
}

TEST(JsonSource, ByteOrderMarkIsSkipped) {
  Parsed p = parse("\xEF\xBB\xBF{\"a\":1}");
  EXPECT_EQ(at(p.map, "/a"), "1:7") << "the BOM counts as one character";
}

TEST(JsonSource, PointerEscaping) {
  EXPECT_EQ(policyc::pointer_append("/x", "a/b~c"), "/x/a~1b~0c");
  EXPECT_EQ(policyc::pointer_append("", std::size_t{3}), "/3");
}

TEST(JsonSource, SyntaxErrorOffsetAndContainer) {
  Json doc;
  SourceMap map;
  JsonError err;
  ASSERT_FALSE(policyc::parse_json("{\"a\": [1, 2,, 3]}", &doc, &map, &err));
  EXPECT_EQ(err.offset, 12u);
  EXPECT_EQ(err.pointer, "/a");
  EXPECT_EQ(err.message,
            "syntax error while parsing value: unexpected ','; expected '[', "
            "'{', or a literal");
}

}  // namespace
