#include "interpreter/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace merit {
namespace {

/// Calls `on_row(cells, line)` for each row of CSV text, with the line the row starts on (RFC 4180: a
/// quoted cell may hold commas, doubled quotes and line ends; text after its closing quote belongs to it).
/// Blank lines are no rows. The cells are views into the text, or into a buffer of the row's quoted
/// cells, valid during the call: a register of a million rows is not copied cell by cell. False, with
/// `problem` set, when a quoted cell is not closed.
template <typename OnRow>
bool for_each_row(std::string_view text, std::string& problem, OnRow on_row) {
  std::vector<std::string_view> cells;
  std::string unquoted;  // the row's quoted cells, quotes undone
  struct Quoted {
    std::size_t cell, begin;
  };
  std::vector<Quoted> quoted;
  std::vector<std::size_t> ends;  // where each quoted cell ends in `unquoted`
  const std::size_t n = text.size();
  const auto delimiter = [&](std::size_t i) {
    const char c = text[i];
    return c <= '\r' ? c == '\n' || c == '\r'
                     : c == ',';  // most bytes are letters and digits, above all three
  };
  std::size_t line = 1;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t row_line = line;
    cells.clear();
    unquoted.clear();
    quoted.clear();
    ends.clear();
    bool content = false;
    for (;;) {
      if (i < n && text[i] == '"') {
        content = true;
        quoted.push_back({cells.size(), unquoted.size()});
        cells.emplace_back();
        bool closed = false;
        for (++i; i < n; ++i) {
          if (text[i] != '"') {
            if (text[i] == '\n') ++line;
            unquoted += text[i];
          } else if (i + 1 < n && text[i + 1] == '"') {
            unquoted += '"';
            ++i;
          } else {
            closed = true;
            ++i;
            break;
          }
        }
        if (!closed) {
          problem = fmt::format("line {}: a quoted cell is not closed", row_line);
          return false;
        }
        const std::size_t rest = i;
        while (i < n && !delimiter(i)) ++i;
        unquoted.append(text.substr(rest, i - rest));
        ends.push_back(unquoted.size());
      } else {
        const std::size_t begin = i;
        while (i < n && !delimiter(i)) ++i;
        cells.push_back(text.substr(begin, i - begin));
        content = content || i > begin;
      }
      if (i < n && text[i] == ',') {
        content = true;
        ++i;
        continue;
      }
      break;
    }
    if (i < n) {  // the line end: \n, \r\n or \r
      if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
    }
    if (!content) continue;
    for (std::size_t q = 0; q < quoted.size(); ++q) {
      cells[quoted[q].cell] = std::string_view(unquoted).substr(quoted[q].begin, ends[q] - quoted[q].begin);
    }
    on_row(cells, row_line);
  }
  return true;
}

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
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

/// Digits only, at least one, and no leading zero unless the number is 0: a number JSON reads as written.
bool plain_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (s[0] != '0' || s.size() == 1);
}

/// A number written as JSON would write it, within what a double holds exactly enough to read back the
/// same: `92`, `91.5`. Scores are written so; anything else goes the long way below.
bool plain_decimal(std::string_view s) {
  const auto point = s.find('.');
  if (point == std::string_view::npos) return plain_digits(s);
  const std::string_view fraction = s.substr(point + 1);
  return plain_digits(s.substr(0, point)) && !fraction.empty() && fraction.size() <= 17 &&
         std::all_of(fraction.begin(), fraction.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Appends one cell as the JSON value of the field's type; false with `problem` set when it cannot be.
bool append_cell(std::string_view raw, const TypeRef& declared, std::string& out, std::string& problem) {
  const TypeRef& type = declared->kind == TypeKind::optional ? declared->element : declared;
  const std::string_view trimmed = trim(raw);
  // The common cells are copied as they are: JSON reads them as the conversions below would.
  switch (type->kind) {
    case TypeKind::integer:
      if (!plain_digits(trimmed)) break;
      out += trimmed;
      return true;
    case TypeKind::decimal:
      if (!plain_decimal(trimmed)) break;
      out += trimmed;
      return true;
    case TypeKind::boolean:
      if (trimmed != "true" && trimmed != "false") break;
      out += trimmed;
      return true;
    default:
      break;
  }
  const std::string cell(trimmed);
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
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct Column {
    const ast::FieldDecl* field;
    std::string key;    // `"name":`
    bool may_be_empty;  // an empty cell leaves the field to its default, or none
  };
  std::vector<Column> columns;
  bool header = true;
  std::size_t header_cells = 0;
  const std::size_t errors_before = errors.size();
  std::string out = "[";
  out.reserve(2 * text.size());  // a row's JSON, keys and all, is about twice its CSV
  std::string problem;
  const auto on_row = [&](const std::vector<std::string_view>& cells, std::size_t line) {
    if (header) {
      header = false;
      header_cells = cells.size();
      std::string known;
      for (const auto& f : record.fields) known += (known.empty() ? "" : ", ") + f.name;
      for (const std::string_view cell : cells) {
        const auto index = field_index(record, std::string(trim(cell)));
        if (!index) {
          errors.push_back(error_in_file(
              path, fmt::format("line {}: column \"{}\" is not a field of {}; the fields are: {}", line,
                                trim(cell), record.name, known)));
          continue;
        }
        const ast::FieldDecl& field = record.fields[*index];
        Column column{&field, {}, field.default_value || field.resolved->kind == TypeKind::optional};
        append_json_text(field.name, column.key);
        column.key += ':';
        columns.push_back(std::move(column));
      }
      return;
    }
    if (errors.size() != errors_before && columns.size() != header_cells)
      return;  // no header to read against
    if (cells.size() != columns.size()) {
      errors.push_back(
          error_in_file(path, fmt::format("line {}: {} cell{}, but the header names {} columns", line,
                                          cells.size(), cells.size() == 1 ? "" : "s", columns.size())));
      return;
    }
    out += out.size() == 1 ? "{" : ",{";
    bool first = true;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& column = columns[c];
      if (column.may_be_empty && trim(cells[c]).empty()) continue;
      const std::size_t before = out.size();
      if (!first) out += ',';
      out += column.key;
      if (!append_cell(cells[c], column.field->resolved, out, problem)) {
        out.resize(before);
        errors.push_back(
            error_in_file(path, fmt::format("line {}, column {}: {}", line, column.field->name, problem)));
        continue;
      }
      first = false;
    }
    out += '}';
  };
  if (!for_each_row(text, problem, on_row)) {
    errors.resize(errors_before);  // the rows before it may be read wrongly: the quote is the problem
    errors.push_back(error_in_file(path, problem));
    return std::nullopt;
  }
  if (header) {
    errors.push_back(error_in_file(path, "the file is empty; expected a header row naming the fields"));
    return std::nullopt;
  }
  out += ']';
  if (errors.size() != errors_before) return std::nullopt;
  return out;
}

}  // namespace merit
