#include "cli/report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "interpreter/data.hpp"

namespace merit {
namespace {

const ast::Record& record_of(const TypeRef& type, const Program& program) {
  return *program.records[static_cast<std::size_t>(strip_optional(type)->decl)];
}

bool is_record_list(const TypeRef& type) {
  const TypeRef t = strip_optional(type);
  return t->kind == TypeKind::list && t->element && strip_optional(t->element)->kind == TypeKind::record;
}

bool is_text_list(const TypeRef& type) {
  const TypeRef t = strip_optional(type);
  return t->kind == TypeKind::list && t->element && t->element->kind == TypeKind::text;
}

std::string render_table(const ListValue& rows, const TypeRef& type, const Program& program) {
  const TypeRef row_type = strip_optional(type)->element;
  const ast::Record& record = record_of(row_type, program);
  if (rows.items.empty()) return "  (none)\n";
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const auto& f : record.fields) widths.push_back(f.name.size());
  for (const Value& row : rows.items) {
    std::vector<std::string> line;
    const auto& fields = row.as_record().fields;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      line.push_back(format_value(fields[i], record.fields[i].resolved, program));
      widths[i] = std::max(widths[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out = " ";
    for (std::size_t i = 0; i < line.size(); ++i) out += fmt::format(" {:<{}}", line[i], widths[i]);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::vector<std::string> header;
  for (const auto& f : record.fields) header.push_back(f.name);
  std::string out = print_line(header);
  for (const auto& line : cells) out += print_line(line);
  return out;
}

std::string render_record(const RecordValue& value, const TypeRef& type, const Program& program) {
  const ast::Record& record = record_of(type, program);
  std::string out;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const auto& f = record.fields[i];
    if (f.name == "title" && f.resolved->kind == TypeKind::text) out += value.fields[i].as_text() + "\n";
  }
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const auto& f = record.fields[i];
    const Value& v = value.fields[i];
    if (f.name == "title" && f.resolved->kind == TypeKind::text) continue;
    if (is_record_list(f.resolved) && !v.is_none()) {
      out += render_table(v.as_list(), f.resolved, program);
    } else if (is_text_list(f.resolved) && !v.is_none()) {
      for (const Value& line : v.as_list().items) out += "  " + line.as_text() + "\n";
    } else {
      out += fmt::format("  {}: {}\n", f.name, format_value(v, f.resolved, program));
    }
  }
  return out;
}

}  // namespace

std::string render_report(const Value& value, const TypeRef& type, const Program& program) {
  const TypeRef t = strip_optional(type);
  if (value.is_none()) return "none\n";
  if (t->kind == TypeKind::record) return render_record(value.as_record(), t, program);
  if (is_record_list(t)) {
    const TypeRef element = strip_optional(t->element);
    if (element->kind == TypeKind::record && !record_of(element, program).fields.empty() &&
        std::any_of(record_of(element, program).fields.begin(), record_of(element, program).fields.end(),
                    [](const auto& f) { return f.name == "title"; })) {
      std::string out;
      for (const Value& item : value.as_list().items) {
        if (!out.empty()) out += "\n";
        out += render_record(item.as_record(), element, program);
      }
      return out;
    }
    return render_table(value.as_list(), t, program);
  }
  return format_value(value, t, program) + "\n";
}

}  // namespace merit
