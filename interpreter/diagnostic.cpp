#include "interpreter/diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "interpreter/files.hpp"

namespace merit {
namespace {

std::string_view line_at(const std::string& text, std::uint32_t begin) {
  std::size_t start = text.rfind('\n', begin == 0 ? 0 : begin - 1);
  start = (start == std::string::npos || begin == 0) ? 0 : start + 1;
  if (begin > 0 && begin <= text.size() && text[begin - 1] == '\n') start = begin;
  std::size_t stop = text.find('\n', start);
  if (stop == std::string::npos) stop = text.size();
  if (stop > start && text[stop - 1] == '\r') --stop;  // a file saved with CRLF line ends
  return std::string_view(text).substr(start, stop - start);
}

// Keep tabs so that the caret lines up under the column whatever the tab width.
std::string caret_padding(std::string_view line, std::uint32_t column) {
  std::string pad;
  for (std::uint32_t i = 0; i + 1 < column && i < line.size(); ++i) pad += line[i] == '\t' ? '\t' : ' ';
  return pad;
}

// Long or binary lines are shortened and made printable so a diagnostic stays readable: control bytes and
// bytes that are not UTF-8 are shown as '?', one each, so the caret still lines up.
std::string printable(std::string_view line) {
  constexpr std::size_t limit = 200;
  std::string out;
  for (std::size_t i = 0; i < line.size() && i < limit;) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const std::size_t length = utf8_length_at(line, i);
    if (c >= 0x80 && length > 1) {
      out.append(line.substr(i, length));
      i += length;
      continue;
    }
    out += (c == '\t' || c >= 0x20) && c < 0x7f ? static_cast<char>(c) : '?';
    ++i;
  }
  if (line.size() > limit) out += "...";
  return out;
}

// A message may quote data (an id in a failed requirement): each of its lines as it can be shown.
std::string shown_lines(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (start > 0) out += '\n';
    out += shown_safely(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: a letter added, dropped or changed, or two neighbours swapped ("chekc"), is one
  // edit each. Three rows: the swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), above(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) above[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[b.size()];
}

std::string render(const Diagnostic& diagnostic, const SourceSet& sources) {
  const char* kind = diagnostic.severity == Severity::warning ? "warning" : "error";
  const std::string message = shown_lines(diagnostic.message);
  std::string result;
  if (!diagnostic.span || diagnostic.span->file >= sources.files.size()) {
    result = diagnostic.file.empty() ? fmt::format("{}: {}\n", kind, message)
                                     : fmt::format("{}: {}: {}\n", diagnostic.file, kind, message);
  } else if (const SourceSpan& span = *diagnostic.span; span.line == 0) {
    result = fmt::format("{}: {}: {}\n", sources.files[span.file].path, kind, message);
  } else {
    const SourceFile& file = sources.files[span.file];
    const std::string_view line = line_at(file.text, span.begin);
    result = fmt::format("{}:{}:{}: {}: {}\n", file.path, span.line, span.column, kind, message);
    if (span.column <= 201) {
      result += fmt::format("{}\n{}^\n", printable(line), caret_padding(line, span.column));
    } else {
      result += fmt::format("{}\n", printable(line));
    }
  }
  for (const auto& note : diagnostic.notes) result += fmt::format("  {}\n", shown_lines(note));
  return result;
}

std::string render_all(const Diagnostics& diagnostics, const SourceSet& sources) {
  std::string out;
  for (const auto& d : diagnostics) out += render(d, sources);
  return out;
}

}  // namespace merit
