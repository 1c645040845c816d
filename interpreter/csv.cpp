#include "interpreter/csv.hpp"

#include <fmt/format.h>

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "interpreter/data.hpp"
#include "interpreter/files.hpp"

namespace merit {
namespace {

/// Calls `on_row(cells, line)` for each row of CSV text, cells separated by `separator`, with the line the
/// row starts on (RFC 4180: a quoted cell may hold separators, doubled quotes and line ends; text after its
/// closing quote belongs to it).
/// Blank lines are no rows. The cells are views into the text, or into a buffer of the row's quoted
/// cells, valid during the call: a register of a million rows is not copied cell by cell. False, with
/// `problem` set, when a quoted cell is not closed.
template <typename OnRow>
bool for_each_row(std::string_view text, char separator, std::string& problem, OnRow on_row) {
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
    // Most bytes are letters and digits, above the line ends and a tab.
    return c <= '\r' ? c == '\n' || c == '\r' || c == separator : c == separator;
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
            // A line end inside the cell: \n, \r\n (counted at its \n) or a lone \r.
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= n || text[i + 1] != '\n'))) ++line;
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
      if (i < n && text[i] == separator) {
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

/// The separator a spreadsheet chose, from the header row: a comma, or, where the header has more of them
/// outside quotes, a semicolon (a spreadsheet set for a language that writes decimals with a comma) or a
/// tab. A header of one column is read as comma-separated.
char detect_separator(std::string_view text) {
  std::size_t commas = 0;
  std::size_t semicolons = 0;
  std::size_t tabs = 0;
  bool quoted = false;
  bool content = false;  // blank lines before the header are no rows (for_each_row skips them)
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      if (content) break;
      continue;
    }
    content = true;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

/// Whether `cell` is `word` (lower case) in any case: TRUE, Yes.
bool is_word(std::string_view cell, std::string_view word) {
  return cell.size() == word.size() && std::equal(cell.begin(), cell.end(), word.begin(), [](char c, char w) {
           return (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == w;
         });
}

/// A cell's text as a text value; bytes that are not UTF-8 become U+FFFD, as in a case file's JSON.
Value text_value(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return make_text(std::string(text));
  const std::string replaced =
      nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return make_text(nlohmann::json::parse(replaced).get<std::string>());
}

/// Digits only, at least one, and no leading zero unless the number is 0: read at once.
bool plain_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (s[0] != '0' || s.size() == 1);
}

/// One cell (trimmed, not empty) as a value of the field's type; nullopt with `problem` set when it is not
/// one. A list's items are separated by `;`, and empty ones are skipped.
std::optional<Value> read_cell(std::string_view cell, const TypeRef& declared, const Program& program,
                               std::string& problem) {
  const TypeRef& type = declared->kind == TypeKind::optional ? declared->element : declared;
  switch (type->kind) {
    case TypeKind::text:
      return text_value(cell);
    case TypeKind::integer: {
      std::int64_t v = 0;
      if (plain_digits(cell)) {
        std::from_chars(cell.data(), cell.data() + cell.size(), v);
        return Value(v);
      }
      const std::string text(cell);
      errno = 0;
      char* end = nullptr;
      const long long parsed = std::strtoll(text.c_str(), &end, 10);
      if (*end != '\0' || errno == ERANGE) {
        problem = fmt::format("expected a whole number, found \"{}\"", text);
        return std::nullopt;
      }
      return Value(static_cast<std::int64_t>(parsed));
    }
    case TypeKind::decimal: {
      double v = 0;
      const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (error == std::errc() && end == cell.data() + cell.size() && std::isfinite(v) &&
          cell.find_first_of("xXpPnNiI") == std::string_view::npos)
        return Value(v);
      // What from_chars leaves (`+5`, `.5`, `5.`): strtod, without its hexadecimal, nan and inf.
      const std::string text(cell);
      errno = 0;
      char* stop = nullptr;
      const double parsed = std::strtod(text.c_str(), &stop);
      if (*stop != '\0' || errno == ERANGE || !std::isfinite(parsed) ||
          text.find_first_of("xXpP") != std::string::npos) {
        problem = fmt::format("expected a number, found \"{}\"", text);
        return std::nullopt;
      }
      return Value(parsed);
    }
    case TypeKind::boolean: {
      if (is_word(cell, "true") || is_word(cell, "yes")) return Value(true);
      if (is_word(cell, "false") || is_word(cell, "no")) return Value(false);
      problem = fmt::format("expected true or false, found \"{}\"", cell);
      return std::nullopt;
    }
    case TypeKind::list: {
      std::vector<Value> items;
      std::string_view rest = cell;
      while (!rest.empty()) {
        const auto semicolon = rest.find(';');
        const std::string_view part = trim(rest.substr(0, semicolon));
        rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
        if (part.empty()) continue;
        std::optional<Value> item = read_cell(part, type->element, program, problem);
        if (!item) return std::nullopt;
        items.push_back(std::move(*item));
      }
      return make_list(std::move(items));
    }
    case TypeKind::date:
    case TypeKind::duration:
    case TypeKind::enumeration:
    case TypeKind::calendar: {
      Written written = read_written(cell, type, program);
      if (written.value) return std::move(written.value);
      problem = !written.problem.empty()
                    ? written.problem
                    : fmt::format("expected {}, found \"{}\"", expected_text(type, program), cell);
      return std::nullopt;
    }
    default:
      problem = fmt::format("a cell cannot hold {}", program.type_name(type));
      return std::nullopt;
  }
}

}  // namespace

std::optional<CsvRecords> read_csv_records(const std::string& path, const Program& program,
                                           std::int32_t record_index, Diagnostics& errors, char separator) {
  const ast::Record& record = *program.records.at(static_cast<std::size_t>(record_index));
  std::string unreadable;
  const std::optional<std::string> text = read_text_file(path, unreadable);
  if (!text) {
    errors.push_back(error_in_file(path, unreadable));
    return std::nullopt;
  }
  if (std::optional<std::string> not_utf8 = not_utf8_problem(*text)) {
    errors.push_back(error_in_file(path, *not_utf8));
    return std::nullopt;
  }
  // A spreadsheet's "CSV UTF-8" begins with a byte order mark, which is no part of the first column's name.
  const std::string_view bom = "\xEF\xBB\xBF";
  std::string_view rows_text(*text);
  if (rows_text.substr(0, bom.size()) == bom) rows_text.remove_prefix(bom.size());

  const std::vector<std::optional<Value>> when_missing = values_when_missing(record);
  std::vector<std::size_t> slots;  // by column: the field it gives
  bool header = true;
  bool usable = true;  // the header names each column's field, and each field once
  const std::size_t errors_before = errors.size();
  CsvRecords out;
  std::vector<Value> records;
  // Lines, for the columns of the list read (quoted cells may hold a line end: a bound, not a count).
  ColumnFiller columns(static_cast<std::size_t>(std::count(rows_text.begin(), rows_text.end(), '\n')));
  SharedValues by_cell;  // by column slot, keyed by the cell's text
  std::string problem;
  const auto on_row = [&](const std::vector<std::string_view>& cells, std::size_t line) {
    if (header) {
      header = false;
      std::string known;
      for (const auto& f : record.fields) known += (known.empty() ? "" : ", ") + f.name;
      std::vector<bool> given(record.fields.size(), false);
      for (const std::string_view cell : cells) {
        const std::string name(trim(cell));
        const auto field = std::find_if(record.fields.begin(), record.fields.end(),
                                        [&](const ast::FieldDecl& f) { return f.name == name; });
        if (field == record.fields.end()) {
          errors.push_back(error_in_file(
              path, fmt::format("line {}: column \"{}\" is not a field of {}; the fields are: {}", line, name,
                                record.name, known)));
          usable = false;
          continue;
        }
        const auto slot = static_cast<std::size_t>(field - record.fields.begin());
        if (given[slot]) {
          errors.push_back(
              error_in_file(path, fmt::format("line {}: column \"{}\" is given twice", line, name)));
          usable = false;
        }
        given[slot] = true;
        slots.push_back(slot);
      }
      for (std::size_t slot = 0; slot < record.fields.size(); ++slot) {
        if (!given[slot] && !when_missing[slot]) {
          errors.push_back(error_in_file(
              path, fmt::format("line {}: no column \"{}\", and the field has no default to stand in", line,
                                record.fields[slot].name)));
          usable = false;
        }
      }
      return;
    }
    if (!usable) return;  // no header to read against
    if (cells.size() != slots.size()) {
      errors.push_back(
          error_in_file(path, fmt::format("line {}: {} cell{}, but the header names {} columns", line,
                                          cells.size(), cells.size() == 1 ? "" : "s", slots.size())));
      return;
    }
    Value* fields = nullptr;
    Value made = make_blank_record(record_index, record.fields.size(), fields);
    for (std::size_t slot = 0; slot < record.fields.size(); ++slot) {
      if (when_missing[slot]) fields[slot] = *when_missing[slot];
    }
    bool read = true;
    for (std::size_t c = 0; c < slots.size(); ++c) {
      const std::size_t slot = slots[c];
      const ast::FieldDecl& field = record.fields[slot];
      const std::string_view cell = trim(cells[c]);
      if (cell.empty()) {
        if (when_missing[slot]) continue;
        errors.push_back(error_in_file(
            path, fmt::format("line {}, column {}: empty, and the field has no default to stand in", line,
                              field.name)));
        read = false;
        continue;
      }
      // Equal cells of a column (an agency, a kind of service, the groups a person is in) are one value.
      if (const Value* same = by_cell.find(slot, cell)) {
        fields[slot] = *same;
        continue;
      }
      std::optional<Value> value = read_cell(cell, field.resolved, program, problem);
      if (!value) {
        errors.push_back(
            error_in_file(path, fmt::format("line {}, column {}: {}", line, field.name, problem)));
        read = false;
        continue;
      }
      fields[slot] = std::move(*value);
      by_cell.keep(slot, cell, fields[slot]);
    }
    if (!read) return;
    records.push_back(std::move(made));
    columns.add(records.back());
    out.lines.push_back(line);
  };
  if (separator == 0) separator = detect_separator(rows_text);
  if (!for_each_row(rows_text, separator, problem, on_row)) {
    errors.resize(errors_before);  // the rows before it may be read wrongly: the quote is the problem
    errors.push_back(error_in_file(path, problem));
    return std::nullopt;
  }
  if (header) {
    errors.push_back(error_in_file(path, "the file is empty; expected a header row naming the fields"));
    return std::nullopt;
  }
  if (errors.size() != errors_before) return std::nullopt;
  out.records = columns.make(std::move(records));
  return out;
}

}  // namespace merit
