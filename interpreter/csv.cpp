#include "interpreter/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

namespace merit {
namespace {

using Row = std::vector<std::string>;

/// Splits CSV text into rows of cells (RFC 4180: quoted cells may hold commas, quotes doubled, newlines).
bool split_rows(const std::string& text, std::vector<Row>& rows, std::vector<std::size_t>& lines,
                std::string& problem) {
  Row row;
  std::string cell;
  bool quoted = false;
  bool row_has_content = false;
  std::size_t line = 1;
  std::size_t row_line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      row_has_content = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (row_has_content || !cell.empty()) {
        row.push_back(std::move(cell));
        rows.push_back(std::move(row));
        lines.push_back(row_line);
      }
      row.clear();
      cell.clear();
      row_has_content = false;
      row_line = ++line;
    } else {
      // The rest of an unquoted cell at once: a quote inside one is a quote like any other character.
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != ',' && text[end] != '\n' && text[end] != '\r') ++end;
      cell.append(text, i, end - i);
      row_has_content = true;
      i = end - 1;
    }
  }
  if (quoted) {
    problem = fmt::format("line {}: a quoted cell is not closed", row_line);
    return false;
  }
  if (row_has_content || !cell.empty()) {
    row.push_back(std::move(cell));
    rows.push_back(std::move(row));
    lines.push_back(row_line);
  }
  return true;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// A text as a JSON string; bytes that are not UTF-8 become U+FFFD, as the JSON reader would refuse them.
void append_json_text(std::string_view text, std::string& out) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
  });
  if (!plain) {  // escapes, and bytes that may not be UTF-8: the JSON library's writer
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

/// Appends one cell as the JSON value of the field's type; false with `problem` set when it cannot be.
bool append_cell(std::string_view raw, const TypeRef& declared, std::string& out, std::string& problem) {
  const TypeRef type = strip_optional(declared);
  const std::string cell(trim(raw));
  switch (type->kind) {
    case TypeKind::integer: {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(cell.c_str(), &end, 10);
      if (cell.empty() || *end != '\0' || errno == ERANGE) {
        problem = fmt::format("expected a whole number, found \"{}\"", cell);
        return false;
      }
      fmt::format_to(std::back_inserter(out), "{}", v);
      return true;
    }
    case TypeKind::decimal: {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || errno == ERANGE ||
          cell.find_first_of("xXpP") != std::string::npos) {
        problem = fmt::format("expected a number, found \"{}\"", cell);
        return false;
      }
      if (!std::isfinite(v)) {  // `nan`, `inf`: no number of the rules, and none in JSON
        problem = fmt::format("expected a number, found \"{}\"", cell);
        return false;
      }
      fmt::format_to(std::back_inserter(out), "{}", v);  // the shortest text that reads back as v
      return true;
    }
    case TypeKind::boolean: {
      const std::string v = lower(cell);
      if (v == "true" || v == "yes" || v == "false" || v == "no") {
        out += v == "true" || v == "yes" ? "true" : "false";
        return true;
      }
      problem = fmt::format("expected true or false, found \"{}\"", cell);
      return false;
    }
    case TypeKind::list: {
      out += '[';
      bool first = true;
      std::string_view rest = cell;
      while (!rest.empty()) {
        const auto semicolon = rest.find(';');
        const std::string_view part = rest.substr(0, semicolon);
        rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
        if (trim(part).empty()) continue;
        if (!first) out += ',';
        first = false;
        if (!append_cell(part, type->element, out, problem)) return false;
      }
      out += ']';
      return true;
    }
    default:
      append_json_text(cell, out);
      return true;
  }
}

std::optional<std::size_t> field_index(const ast::Record& record, const std::string& name) {
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_csv_records(const std::string& path, const ast::Record& record,
                                            Diagnostics& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(error_in_file(path, "cannot open this file"));
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<Row> rows;
  std::vector<std::size_t> lines;
  std::string problem;
  if (!split_rows(buffer.str(), rows, lines, problem)) {
    errors.push_back(error_in_file(path, problem));
    return std::nullopt;
  }
  if (rows.empty()) {
    errors.push_back(error_in_file(path, "the file is empty; expected a header row naming the fields"));
    return std::nullopt;
  }
  std::vector<std::size_t> columns;
  std::string known;
  for (const auto& f : record.fields) known += (known.empty() ? "" : ", ") + f.name;
  for (const auto& header : rows.front()) {
    const auto index = field_index(record, std::string(trim(header)));
    if (!index) {
      errors.push_back(
          error_in_file(path, fmt::format("line 1: column \"{}\" is not a field of {}; the fields are: {}",
                                          trim(header), record.name, known)));
      continue;
    }
    columns.push_back(*index);
  }
  if (!errors.empty()) return std::nullopt;
  // Written straight as JSON text, not built as a JSON document first: a register has 100,000 rows.
  std::string out = "[";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const Row& row = rows[r];
    if (row.size() != columns.size()) {
      errors.push_back(error_in_file(path, fmt::format("line {}: {} cells, but the header names {} columns",
                                                       lines[r], row.size(), columns.size())));
      continue;
    }
    out += r == 1 ? "{" : ",{";
    bool first = true;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& field = record.fields[columns[c]];
      if (trim(row[c]).empty() && (field.default_value || field.resolved->kind == TypeKind::optional))
        continue;
      const std::size_t before = out.size();
      if (!first) out += ',';
      append_json_text(field.name, out);
      out += ':';
      if (!append_cell(row[c], field.resolved, out, problem)) {
        out.resize(before);
        errors.push_back(
            error_in_file(path, fmt::format("line {}, column {}: {}", lines[r], field.name, problem)));
        continue;
      }
      first = false;
    }
    out += '}';
  }
  out += ']';
  if (!errors.empty()) return std::nullopt;
  return out;
}

}  // namespace merit
