#pragma once
// Data files (case files, inputs, results) as JSON, read strictly against the types the rules declare, and
// values written back as JSON or shown as a person reads them in a table.
//
// Reading: a data file is parsed with simdjson into a JsonDocument, and read_value reads its values straight
// from the parsed document, in the file's key order (so "unknown field" errors come in file order). Paths
// like `register.candidates[5].score` are only put together when there is an error to report. Writing
// produces nlohmann::ordered_json, so record fields come out in declaration order, as the rules list them.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "interpreter/diagnostic.hpp"
#include "interpreter/program.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace merit {

/// The JSON path of a field inside the object at `path`: `requisitions[2]` + `vacancies` ->
/// `requisitions[2].vacancies`; at the top level just `vacancies`.
std::string data_path_field(const std::string& path, const std::string& field);
/// The JSON path of an item of the list at `path`: `requisitions` + 2 -> `requisitions[2]`.
std::string data_path_item(const std::string& path, std::size_t index);
/// A path as error messages show it: the empty top-level path reads `(top level)`.
std::string data_path_display(const std::string& path);

/// A JSON data file in memory, parsed with simdjson. The values read_value reads from it are copied out, so
/// they outlive the document; elements of the document (root()) live as long as the document.
class JsonDocument {
 public:
  JsonDocument();
  ~JsonDocument();
  JsonDocument(JsonDocument&&) noexcept;
  JsonDocument& operator=(JsonDocument&&) noexcept;

  /// Reads and parses the file at `path`. On failure appends one error naming the file ("cannot open this
  /// file", or "this is not valid JSON: ..." with the line and column of the mistake) and gives false.
  bool load(const std::string& path, Diagnostics& errors);
  /// Parses `text` as the contents of the data file `file`, replacing what the document held.
  bool parse(std::string_view text, const std::string& file, Diagnostics& errors);
  /// The JSON text the document was parsed from.
  std::string_view text() const;
  /// The whole document: only after load or parse succeeded.
  const simdjson::dom::element& root() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Reads `json` as a value of `type`. Every problem is appended to `errors` as
/// error_in_file(file, "PATH: MESSAGE"), worded for people who do not program, and the result is nullopt
/// when there was any. `path` is where `json` sits in the file ("" for the whole file). Record fields missing
/// from an object take their declared default, or none when their type is optional; a key given twice in one
/// object is an error.
std::optional<Value> read_value(const simdjson::dom::element& json, const TypeRef& type,
                                const Program& program, const std::string& file, const std::string& path,
                                Diagnostics& errors);

/// A value written as a text (in a JSON string, or a cell of a CSV file), or why the text is none: `problem`
/// where there is more to say than what was expected (a date that does not exist).
struct Written {
  std::optional<Value> value;
  std::string problem;
};
/// Reads `text` as a value of `type`, a date, a duration, a member of an enumeration or a calendar's name.
Written read_written(std::string_view text, const TypeRef& type, const Program& program);
/// How a value of `type` is written, for a message: `a date like 2026-03-01`, `one of a, b, c`.
std::string expected_text(const TypeRef& type, const Program& program);

/// What each field of `record` takes where the data leave it out: its declared default, or none where its
/// type is optional; nothing where the data must give it (or its default could not be worked out).
std::vector<std::optional<Value>> values_when_missing(const ast::Record& record);

/// Writes a value of `type` as JSON, so that read_value gives it back: dates as "2026-03-01", durations as
/// "21 days", enum members by name, none as null, decimals with an integral value as whole numbers (91).
nlohmann::ordered_json write_value(const Value& value, const TypeRef& type, const Program& program);

/// A value as a person reads it in a table: dates 2026-03-01, durations "21 days", enum members by name,
/// text as is, decimals rounded to 6 places without trailing zeros (92.5, 91), true/false, none as "none",
/// lists as "a, b, c" (an empty list as "(none)"), records as "{field: value, ...}".
std::string format_value(const Value& value, const TypeRef& type, const Program& program);

}  // namespace merit
