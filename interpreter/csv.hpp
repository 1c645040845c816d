#pragma once
// Registers usually come out of a spreadsheet: a CSV file with a header row naming the record's fields,
// written as the JSON the case file would have held, so one reader checks both.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "interpreter/diagnostic.hpp"
#include "interpreter/program.hpp"

namespace merit {

/// Reads a CSV file whose header names fields of `record` (in any order, any subset); list fields hold
/// items separated by `;`. An empty cell leaves the field to its default. Every problem names the file,
/// the line and the column.
/// The records as the text of a JSON array, ready to stand in a case file.
std::optional<std::string> read_csv_records(const std::string& path, const ast::Record& record,
                                            Diagnostics& errors);

}  // namespace merit
