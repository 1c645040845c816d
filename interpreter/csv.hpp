#pragma once
// Registers usually come out of a spreadsheet: a CSV file with a header row naming the record's fields,
// read straight into the records a case file's JSON would have given.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "interpreter/diagnostic.hpp"
#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace merit {

/// The records a CSV file gives, and the line each one starts on (for messages about them).
struct CsvRecords {
  Value records;  // a list of records
  std::vector<std::size_t> lines;
};

/// Reads a CSV file whose header names fields of record `record` of `program` (in any order, any subset;
/// every field without a default among them). Cells are read as the field's type: numbers as written,
/// true/false/yes/no, lists with items separated by `;`, dates, durations and enumerations as in a case file.
/// An empty cell leaves the field to its default, or none. A UTF-8 byte order mark is skipped. Cells are
/// separated by `separator`, or, when it is 0, by what the header row uses most: ',', ';' or a tab. Every
/// problem names the file, the line and the column.
std::optional<CsvRecords> read_csv_records(const std::string& path, const Program& program,
                                           std::int32_t record, Diagnostics& errors, char separator = 0);

}  // namespace merit
