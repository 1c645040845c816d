// The index of texts by position (interpreter/text_index.hpp) behind `in`, `position` and `get` over long
// lists, `duplicates`, and the look-up of a register's ids by row.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "interpreter/text_index.hpp"

TEST_CASE("text index: each text is found at the position it was first added, past many growths") {
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i) texts.push_back("C" + std::to_string(i % 3000));  // 2000 added twice
  texts.push_back("");
  const auto text_of = [&](std::uint32_t at) { return std::string_view(texts[at]); };
  merit::TextIndex index;  // sized for none: it grows as texts are added
  for (std::uint32_t at = 0; at < texts.size(); ++at) {
    const std::uint32_t first = index.add(texts[at], at, text_of);
    CHECK(first == (at < 5000 ? at % 3000 : at));
  }
  for (int i = 0; i < 3000; ++i)
    CHECK(index.find("C" + std::to_string(i), text_of) == static_cast<std::uint32_t>(i));
  CHECK(index.find("", text_of) == 5000);
  CHECK(index.find("C3000", text_of) == merit::TextIndex::none);
  CHECK(index.find("C", text_of) == merit::TextIndex::none);
  CHECK(merit::TextIndex().find("anything", text_of) == merit::TextIndex::none);
}
