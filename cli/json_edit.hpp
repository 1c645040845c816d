#pragma once
// Editing a JSON file a person wrote, in place: `merit test --update` replaces the expectations that no
// longer hold and leaves every other byte of the file (layout, order, other tests) as it was.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace merit::cli {

/// One step down a JSON document: a key of an object or the index of an array's item.
using JsonStep = std::variant<std::string, std::size_t>;

struct JsonEdit {
  std::vector<JsonStep> at;  // where the value to replace is, from the document's root
  std::string text;          // the JSON text put in its place
  // For a new value that is a list: the text of each item. A list written one item per line is replaced
  // by one laid out the same way, with the items indented as the first one was.
  std::optional<std::vector<std::string>> items;
};

/// `text` with the value at each edit's place replaced; nullopt, with `problem` set, when a place is not
/// in the document. `text` must be valid JSON. Where an object repeats a key, the last one is edited, the
/// one JSON readers keep.
std::optional<std::string> edit_json(std::string_view text, const std::vector<JsonEdit>& edits,
                                     std::string& problem);

}  // namespace merit::cli
