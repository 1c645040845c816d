#include "cli/json_edit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace merit::cli {
namespace {

std::size_t skip_blank(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
    ++at;
  return at;
}

/// Where the string starting at `at` (its opening quote) ends, just past its closing quote.
std::size_t skip_string(std::string_view text, std::size_t at) {
  for (++at; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;
    } else if (text[at] == '"') {
      return at + 1;
    }
  }
  return text.size();
}

/// Where the value starting at `at` ends. Nesting is counted, not followed: no recursion, whatever the depth.
std::size_t skip_value(std::string_view text, std::size_t at) {
  std::size_t depth = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c == '"') {
      at = skip_string(text, at);
      if (depth == 0) return at;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return at;  // the end of the enclosing value: a scalar just ended
      if (--depth == 0) return at + 1;
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      return at;  // the end of a number, true, false or null
    }
    ++at;
  }
  return at;
}

/// The span of the value at `steps`, or nullopt when it is not there.
std::optional<std::pair<std::size_t, std::size_t>> find_value(std::string_view text,
                                                              const std::vector<JsonStep>& steps) {
  // A byte order mark some editors put at the start of UTF-8 files is not part of the JSON.
  std::size_t at = skip_blank(text, text.starts_with("\xEF\xBB\xBF") ? 3 : 0);
  for (const JsonStep& step : steps) {
    if (at >= text.size()) return std::nullopt;
    std::optional<std::size_t> found;
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (text[at] != '{') return std::nullopt;
      at = skip_blank(text, at + 1);
      while (at < text.size() && text[at] == '"') {
        const std::size_t key_end = skip_string(text, at);
        const auto name = nlohmann::json::parse(text.substr(at, key_end - at), nullptr, false);
        at = skip_blank(text, key_end);
        if (at >= text.size() || text[at] != ':') return std::nullopt;
        at = skip_blank(text, at + 1);
        if (name.is_string() && name.get<std::string>() == *key) found = at;
        at = skip_blank(text, skip_value(text, at));
        if (at < text.size() && text[at] == ',') at = skip_blank(text, at + 1);
      }
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (text[at] != '[') return std::nullopt;
      at = skip_blank(text, at + 1);
      for (std::size_t i = 0; at < text.size() && text[at] != ']'; ++i) {
        if (i == index) {
          found = at;
          break;
        }
        at = skip_blank(text, skip_value(text, at));
        if (at < text.size() && text[at] == ',') at = skip_blank(text, at + 1);
      }
    }
    if (!found) return std::nullopt;
    at = *found;
  }
  return std::pair{at, skip_value(text, at)};
}

std::string shown(const std::vector<JsonStep>& steps) {
  std::string out;
  for (const JsonStep& step : steps) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      out += (out.empty() ? "" : ".") + *key;
    } else {
      out += fmt::format("[{}]", std::get<std::size_t>(step));
    }
  }
  return out;
}

/// The new value's text, laid out one item per line where the old value was a list written so.
std::string layout_like(std::string_view text, std::pair<std::size_t, std::size_t> span,
                        const JsonEdit& edit) {
  const std::string_view old = text.substr(span.first, span.second - span.first);
  if (!edit.items || edit.items->empty() || old.size() < 2 || old.front() != '[' ||
      old.find('\n') == std::string_view::npos) {
    return edit.text;
  }
  // The indentation of the first item, and of the closing bracket, as written.
  const std::size_t first = skip_blank(old, 1);
  const std::size_t item_line = old.rfind('\n', first);
  const std::size_t close_line = old.rfind('\n');
  if (first >= old.size() - 1 || item_line == std::string_view::npos || close_line < first) return edit.text;
  const std::string_view item_indent = old.substr(item_line + 1, first - item_line - 1);
  const std::string_view close_indent = old.substr(close_line + 1, old.size() - 1 - close_line - 1);
  const auto blank = [](std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; };
  if (!blank(item_indent) || !blank(close_indent)) return edit.text;
  std::string out = "[";
  for (std::size_t i = 0; i < edit.items->size(); ++i) {
    out += i == 0 ? "\n" : ",\n";
    out += item_indent;
    out += (*edit.items)[i];
  }
  out += "\n";
  out += close_indent;
  out += "]";
  return out;
}

}  // namespace

std::optional<std::string> edit_json(std::string_view text, const std::vector<JsonEdit>& edits,
                                     std::string& problem) {
  struct Span {
    std::size_t begin, end;
    std::string replacement;
  };
  std::vector<Span> spans;
  for (const JsonEdit& edit : edits) {
    const auto span = find_value(text, edit.at);
    if (!span) {
      problem = fmt::format("{} is not in the file", shown(edit.at));
      return std::nullopt;
    }
    spans.push_back({span->first, span->second, layout_like(text, *span, edit)});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t from = 0;
  for (const Span& span : spans) {
    if (span.begin < from) {
      problem = "two expectations to replace overlap";
      return std::nullopt;
    }
    out.append(text.substr(from, span.begin - from));
    out += span.replacement;
    from = span.end;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace merit::cli
