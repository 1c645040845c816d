#pragma once
// Tables for a person: any value the rules produce, laid out by its type, with no knowledge of Chapter 8.
#include <string>

#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace merit {

/// A list of records (or an optional one): laid out as a table.
bool is_record_list(const TypeRef& type);

/// A record as a report: its type and first text field as a heading, then `name: value` a field, lists of
/// records as aligned tables with a header row of field names. A list of records is a table, or, when its
/// records hold tables themselves, one report a record.
std::string render_report(const Value& value, const TypeRef& type, const Program& program);

}  // namespace merit
