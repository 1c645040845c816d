#include "cli/report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "interpreter/data.hpp"
#include "interpreter/files.hpp"

namespace merit {

bool is_record_list(const TypeRef& type) {
  const TypeRef t = strip_optional(type);
  return t->kind == TypeKind::list && t->element && strip_optional(t->element)->kind == TypeKind::record;
}

namespace {

const ast::Record& record_of(const TypeRef& type, const Program& program) {
  return *program.records[static_cast<std::size_t>(strip_optional(type)->decl)];
}

bool is_scalar_list(const TypeRef& type) {
  const TypeRef t = strip_optional(type);
  return t->kind == TypeKind::list && t->element && strip_optional(t->element)->kind != TypeKind::record &&
         strip_optional(t->element)->kind != TypeKind::list;
}

std::string render_table(const ListValue& rows, const TypeRef& type, const Program& program,
                         const std::string& indent) {
  const TypeRef row_type = strip_optional(type)->element;
  const ast::Record& record = record_of(row_type, program);
  if (rows.empty()) return indent + "(none)\n";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& f : record.fields) widths.push_back(f.name.size());
  for (const Value& row : rows.items()) {
    std::vector<std::string> line;
    const auto& fields = row.as_record().fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      line.push_back(format_value(fields[i], record.fields[i].resolved, program));
      widths[i] = std::max(widths[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out = indent;
    for (std::size_t i = 0; i < line.size(); ++i)
      out += fmt::format("{}{:<{}}", i == 0 ? "" : " ", line[i], widths[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> header;
  for (const auto& f : record.fields) header.push_back(f.name);
  std::string out = print_line(header);
  for (const auto& line : cells) out += print_line(line);
  return out;
}

/// The index of the field that names a record in its heading: its first text field, or -1.
std::int32_t heading_field(const ast::Record& record) {
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].resolved->kind == TypeKind::text) return static_cast<std::int32_t>(i);
  }
  return -1;
}

// A record under a heading (its type, and its first text field), then one line a field; a list of
// records is a table under its field's name, a list of other values one line.
std::string render_record(const RecordValue& value, const TypeRef& type, const Program& program) {
  const ast::Record& record = record_of(type, program);
  const std::int32_t heading = heading_field(record);
  std::string out = record.name;
  if (heading >= 0) out += " " + shown_safely(value.fields[static_cast<std::size_t>(heading)].as_text());
  out += "\n";
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const auto& f = record.fields[i];
    const Value& v = value.fields[i];
    if (static_cast<std::int32_t>(i) == heading) continue;
    if (is_record_list(f.resolved) && !v.is_none()) {
      out += fmt::format("  {}:\n", f.name) + render_table(v.as_list(), f.resolved, program, "    ");
    } else if (is_scalar_list(f.resolved) && !v.is_none() && v.as_list().items().empty()) {
      out += fmt::format("  {}: (none)\n", f.name);
    } else {
      out += fmt::format("  {}: {}\n", f.name, format_value(v, f.resolved, program));
    }
  }
  return out;
}

bool has_record_lists(const ast::Record& record) {
  return std::any_of(record.fields.begin(), record.fields.end(),
                     [](const auto& f) { return is_record_list(f.resolved); });
}

}  // namespace

std::string render_report(const Value& value, const TypeRef& type, const Program& program) {
  const TypeRef t = strip_optional(type);
  if (value.is_none()) return "none\n";
  if (t->kind == TypeKind::record) return render_record(value.as_record(), t, program);
  if (is_record_list(t)) {
    const TypeRef element = strip_optional(t->element);
    if (has_record_lists(record_of(element, program))) {
      std::string out;
      for (const Value& item : value.as_list().items()) {
        if (!out.empty()) out += "\n";
        out += render_record(item.as_record(), element, program);
      }
      return out.empty() ? "(none)\n" : out;
    }
    return render_table(value.as_list(), t, program, "  ");
  }
  return format_value(value, t, program) + "\n";
}

}  // namespace merit
