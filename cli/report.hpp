#pragma once
// Tables for a person: any value the rules produce, laid out by its type, with no knowledge of Chapter 8.
#include <string>

#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace merit {

/// A record as a report: a text field named `title` first, lists of records as aligned tables with a
/// header row, lists of text as lines, other fields as `name: value`. A list of records is a table.
std::string render_report(const Value& value, const TypeRef& type, const Program& program);

}  // namespace merit
