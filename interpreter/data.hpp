#pragma once
// Data files (case files, inputs, results) as JSON, read strictly against the types the rules declare, and
// values written back as JSON or shown as a person reads them in a table.
//
// JSON flavours: reading accepts both nlohmann::json and nlohmann::ordered_json (whichever the caller parsed
// with; ordered_json keeps the file's key order, so "unknown field" errors come in file order). Writing
// always produces nlohmann::ordered_json, so record fields come out in declaration order, as the rules list
// them.
#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "interpreter/diagnostic.hpp"
#include "interpreter/program.hpp"
#include "interpreter/types.hpp"
#include "interpreter/value.hpp"

namespace merit {

/// The JSON path of a field inside the object at `path`: `requisitions[2]` + `vacancies` ->
/// `requisitions[2].vacancies`; at the top level just `vacancies`.
std::string data_path_field(const std::string& path, const std::string& field);
/// The JSON path of an item of the list at `path`: `requisitions` + 2 -> `requisitions[2]`.
std::string data_path_item(const std::string& path, std::size_t index);
/// A path as error messages show it: the empty top-level path reads `(top level)`.
std::string data_path_display(const std::string& path);

/// Reads `json` as a value of `type`. Every problem is appended to `errors` as
/// error_in_file(file, "PATH: MESSAGE"), worded for people who do not program, and the result is nullopt
/// when there was any. `path` is where `json` sits in the file ("" for the whole file). Record fields missing
/// from an object take their declared default, or none when their type is optional.
std::optional<Value> read_value(const nlohmann::json& json, const TypeRef& type, const Program& program,
                                const std::string& file, const std::string& path, Diagnostics& errors);
std::optional<Value> read_value(const nlohmann::ordered_json& json, const TypeRef& type,
                                const Program& program, const std::string& file, const std::string& path,
                                Diagnostics& errors);

/// Writes a value of `type` as JSON, so that read_value gives it back: dates as "2026-03-01", durations as
/// "21 days", enum members by name, none as null, decimals with an integral value as whole numbers (91).
nlohmann::ordered_json write_value(const Value& value, const TypeRef& type, const Program& program);

/// A value as a person reads it in a table: dates 2026-03-01, durations "21 days", enum members by name,
/// text as is, decimals rounded to 6 places without trailing zeros (92.5, 91), true/false, none as "none",
/// lists as "a, b, c" (an empty list as "(none)"), records as "{field: value, ...}".
std::string format_value(const Value& value, const TypeRef& type, const Program& program);

}  // namespace merit
