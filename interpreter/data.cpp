#include "interpreter/data.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>
#if defined(__linux__)
#endif

#include "interpreter/check.hpp"
#include "interpreter/data_detail.hpp"
#include "interpreter/files.hpp"
#include "stdlib/dates.hpp"

namespace merit {

std::string data_path_field(const std::string& path, const std::string& field) {
  return path.empty() ? field : path + "." + field;
}

std::string data_path_item(const std::string& path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::string data_path_display(const std::string& path) {
  return path.empty() ? "(top level)" : path;
}

// What data_read.cpp shares (data_detail.hpp).
namespace data_detail {

const ast::Enumeration* enum_decl(const Program& program, std::int32_t decl) {
  if (decl < 0 || static_cast<std::size_t>(decl) >= program.enums.size()) return nullptr;
  return program.enums[static_cast<std::size_t>(decl)];
}

const ast::Record* record_decl(const Program& program, std::int32_t decl) {
  if (decl < 0 || static_cast<std::size_t>(decl) >= program.records.size()) return nullptr;
  return program.records[static_cast<std::size_t>(decl)];
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::optional<DurationUnit> parse_duration_unit(std::string_view unit) {
  // Singular and plural are both accepted whatever the amount: "1 days" is a slip, not a different meaning.
  if (unit == "day" || unit == "days") return DurationUnit::days;
  if (unit == "working day" || unit == "working days") return DurationUnit::working_days;
  if (unit == "month" || unit == "months") return DurationUnit::months;
  if (unit == "year" || unit == "years") return DurationUnit::years;
  return std::nullopt;
}

std::optional<Duration> parse_duration(std::string_view text) {
  std::size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++i;
  const std::size_t digits_begin = i;
  std::int64_t amount = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (i - digits_begin >= 15) return std::nullopt;  // far beyond any period a rule speaks of
    amount = amount * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits_begin || i >= text.size() || text[i] != ' ') return std::nullopt;
  const std::optional<DurationUnit> unit = parse_duration_unit(text.substr(i + 1));
  if (!unit) return std::nullopt;
  return Duration::of(negative ? -amount : amount, *unit);  // at most 15 digits: in range
}

}  // namespace data_detail

namespace {

using namespace data_detail;

// ---------------------------------------------------------------------------------------------------------
// Declarations, looked up defensively: a data file must never crash the reader, even against a program that
// was built by hand or only partly checked.

const ast::Calendar* calendar_decl(const Program& program, std::int32_t decl) {
  if (decl < 0 || static_cast<std::size_t>(decl) >= program.calendars.size()) return nullptr;
  return program.calendars[static_cast<std::size_t>(decl)];
}

std::string enum_member_name(const Program& program, EnumValue value) {
  const ast::Enumeration* decl = enum_decl(program, value.decl);
  if (!decl || value.index < 0 || static_cast<std::size_t>(value.index) >= decl->members.size()) {
    return fmt::format("#{}", value.index);
  }
  return decl->members[static_cast<std::size_t>(value.index)].name;
}

std::string calendar_name(const Program& program, CalendarRef ref) {
  const ast::Calendar* decl = calendar_decl(program, ref.decl);
  return decl ? decl->name : fmt::format("#{}", ref.decl);
}

std::string field_name(const ast::Record* decl, std::size_t slot) {
  if (!decl || slot >= decl->fields.size()) return fmt::format("#{}", slot);
  return decl->fields[slot].name;
}

TypeRef field_type(const ast::Record* decl, std::size_t slot) {
  if (!decl || slot >= decl->fields.size()) return nullptr;
  return decl->fields[slot].resolved;
}

bool is_map_type(const TypeRef& type) {
  return type && strip_optional(type)->kind == TypeKind::map;
}

/// The item type of a list type (looking through an optional); null when the type does not say.
TypeRef item_type(const TypeRef& type) {
  if (!type) return nullptr;
  const TypeRef list = strip_optional(type);
  return list && list->kind == TypeKind::list ? list->element : nullptr;
}

// ---------------------------------------------------------------------------------------------------------
// Durations as people write them: "21 days", "1 month", "90 working days".

std::string format_duration(const Duration& d) {
  return fmt::format("{} {}", d.amount, duration_unit_name(d.unit, d.amount));
}

// ---------------------------------------------------------------------------------------------------------
// Parsing.

namespace dom = simdjson::dom;

/// Whether a JSON number token is a whole number beyond what 64 bits hold, which simdjson refuses to parse.
bool is_overflowing_integer(std::string_view token) {
  const bool negative = !token.empty() && token[0] == '-';
  const std::string_view digits = token.substr(negative ? 1 : 0);
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;  // not JSON at all
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() > limit.size() || (digits.size() == limit.size() && digits > limit);
}

/// The text with every whole number too large for 64 bits written as a decimal (`1e20` written out in digits
/// becomes `100000000000000000000.0`), so that it is read as the decimal number it is and an integer field
/// reports it as too large, at its path; nullopt when there is none.
std::optional<std::string> widen_big_integers(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {  // skip the string, escapes and all
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t begin = i;
      while (i < text.size() && (std::string_view("0123456789+-.eE").find(text[i]) != std::string_view::npos))
        ++i;
      if (is_overflowing_integer(text.substr(begin, i - begin))) {
        out.append(text.substr(copied, i - copied));
        out += ".0";
        copied = i;
      }
    } else {
      ++i;
    }
  }
  if (copied == 0) return std::nullopt;
  out.append(text.substr(copied));
  return out;
}

/// Finds where JSON text goes wrong, for the message: simdjson only says what went wrong, nlohmann's parser
/// also says where (line and column). Used only for text simdjson refused.
// Where JSON text opens its `limit + 1`th level of brackets, for the position of a depth error.
std::optional<std::size_t> too_deep_at(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

class SyntaxErrorFinder final : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::optional<std::string> message;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  // nlohmann's text, "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
  // parsing value - invalid literal; last read: 'no'", without the library's names for itself.
  std::size_t position = 0;  // the byte after the token that went wrong
  std::string token;

  bool parse_error(std::size_t after, const std::string& last,
                   const nlohmann::detail::exception& error) override {
    position = after;
    token = last;
    std::string text = error.what();
    if (const auto bracket = text.find("] ");
        text.rfind("[json.exception", 0) == 0 && bracket != std::string::npos)
      text.erase(0, bracket + 2);
    if (text.rfind("parse error ", 0) == 0) text.erase(0, 12);
    // "syntax error while parsing value - unexpected '}'": what was unexpected is the point.
    if (const auto at = text.find("syntax error while parsing "); at != std::string::npos) {
      if (const auto dash = text.find(" - ", at); dash != std::string::npos) text.erase(at, dash + 3 - at);
    }
    message = text;
    return false;
  }
};

Diagnostic invalid_json(std::string_view text, simdjson::error_code code, const std::string& file) {
  SyntaxErrorFinder finder;
  nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &finder);
  if (finder.message && finder.message->rfind("number overflow parsing '", 0) == 0) {
    // A number beyond any a score or a count can be: where it is, and the number as written.
    const std::size_t begin =
        finder.position >= finder.token.size() ? finder.position - finder.token.size() : 0;
    const TextPosition p = position_of(text, begin);
    return error_in_file(file, fmt::format("line {}, column {}: the number {} is too large", p.line, p.column,
                                           shown_safely(finder.token.substr(0, 40)) +
                                               (finder.token.size() > 40 ? "..." : "")));
  }
  // nlohmann's message quotes what it last read, which may hold bytes that are not UTF-8.
  if (finder.message)
    return error_in_file(file, fmt::format("this is not valid JSON: {}", shown_safely(*finder.message)));
  if (code == simdjson::DEPTH_ERROR) {
    std::string where;
    if (const std::optional<std::size_t> at = too_deep_at(text, simdjson::DEFAULT_MAX_DEPTH)) {
      const TextPosition p = position_of(text, *at);
      where = fmt::format("line {}, column {}: ", p.line, p.column);
    }
    return error_in_file(file, fmt::format("{}the JSON is nested more than {} levels deep, too deep to read",
                                           where, simdjson::DEFAULT_MAX_DEPTH));
  }
  return error_in_file(file, fmt::format("this is not valid JSON: {}", simdjson::error_message(code)));
}

// ---------------------------------------------------------------------------------------------------------
// Writing and formatting.

/// Doubles beyond this are not all whole numbers JSON readers can keep exactly as integers.
constexpr double exact_integer_limit = 9007199254740992.0;  // 2^53

nlohmann::ordered_json write_decimal(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < exact_integer_limit) {
    return static_cast<std::int64_t>(d);
  }
  return d;
}

nlohmann::ordered_json write_record(const RecordValue& record, const Program& program) {
  const ast::Record* decl = record_decl(program, record.decl);
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    object[field_name(decl, i)] = write_value(record.fields[i], field_type(decl, i), program);
  }
  return object;
}

nlohmann::ordered_json write_list(const ListValue& list, const TypeRef& type, const Program& program) {
  if (is_map_type(type)) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    const TypeRef element = strip_optional(type)->element;
    for (const Value& entry : list.items()) {
      object[entry.as_list().items()[0].as_text()] =
          write_value(entry.as_list().items()[1], element, program);
    }
    return object;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  const TypeRef element = item_type(type);
  for (const Value& item : list.items()) array.push_back(write_value(item, element, program));
  return array;
}

/// Six decimal places are finer than any score or rate in the rules, and hide binary noise (0.1 + 0.2).
std::string format_decimal(double d) {
  if (!std::isfinite(d) || std::fabs(d) >= 1e15) return fmt::format("{}", d);
  std::string text = fmt::format("{:.6f}", d);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string format_nested(const Value& value, const TypeRef& type, const Program& program);

std::string format_items(const ListValue& list, const TypeRef& type, const Program& program) {
  std::vector<std::string> parts;
  const TypeRef element = item_type(type);
  for (const Value& item : list.items()) parts.push_back(format_nested(item, element, program));
  return join(parts, ", ");
}

std::string format_map(const ListValue& map, const TypeRef& element, const Program& program) {
  std::vector<std::string> parts;
  for (const Value& entry : map.items()) {
    parts.push_back(entry.as_list().items()[0].as_text() + ": " +
                    format_nested(entry.as_list().items()[1], element, program));
  }
  return "{" + join(parts, ", ") + "}";
}

std::string format_record(const RecordValue& record, const Program& program) {
  const ast::Record* decl = record_decl(program, record.decl);
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    parts.push_back(field_name(decl, i) + ": " +
                    format_nested(record.fields[i], field_type(decl, i), program));
  }
  return "{" + join(parts, ", ") + "}";
}

/// A value inside a list or record: lists get brackets there, so that "a, b" inside "{x: a, b}" stays
/// readable.
std::string format_nested(const Value& value, const TypeRef& type, const Program& program) {
  if (const auto* list = std::get_if<ListPtr>(&value.data))
    return "[" + format_items(**list, type, program) + "]";
  return format_value(value, type, program);
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------
// JsonDocument

struct JsonDocument::State {
  simdjson::padded_string text;
  simdjson::dom::parser parser;
  simdjson::dom::element root;

  /// Reads the file into `text`; false, with the reason in `problem`, when it cannot be read.
  bool load(const std::string& path, std::string& problem) {
    std::optional<InputFile> file = InputFile::open(path, problem);
    if (!file) return false;
    if (const std::optional<std::size_t> size = file->size()) {
      // Straight into simdjson's padded buffer: a register can be a hundred megabytes.
      text = simdjson::padded_string(*size);
      if (*size > 0 && (!text.data() || !file->read_exactly(text.data(), *size))) {
        problem = "cannot read this file";
        return false;
      }
      return true;
    }
    std::optional<std::string> all = file->read_all(problem);  // a pipe, a FIFO
    if (!all) return false;
    text = simdjson::padded_string(*all);
    return true;
  }

  bool parse(const std::string& file, Diagnostics& errors) {
    const std::string_view all(text.data(), text.size());
    // A byte order mark some editors put at the start of UTF-8 files is not part of the JSON.
    const std::size_t start = all.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const std::size_t length = text.size() - start;
    simdjson::error_code code = parser.parse(text.data() + start, length, false).get(root);
    if (code == simdjson::NUMBER_ERROR) {
      if (std::optional<std::string> widened = widen_big_integers(all)) {
        simdjson::padded_string again(*widened);
        code = parser.parse(again.data() + start, again.size() - start, false).get(root);
        if (code == simdjson::SUCCESS) text = std::move(again);
      }
    }
    if (code == simdjson::SUCCESS) return true;
    errors.push_back(invalid_json(all, code, file));
    return false;
  }
};

JsonDocument::JsonDocument() = default;
JsonDocument::~JsonDocument() = default;
JsonDocument::JsonDocument(JsonDocument&&) noexcept = default;
JsonDocument& JsonDocument::operator=(JsonDocument&&) noexcept = default;

bool JsonDocument::load(const std::string& path, Diagnostics& errors) {
  auto state = std::make_unique<State>();
  std::string problem;
  if (!state->load(path, problem)) {
    errors.push_back(error_in_file(path, problem));
    return false;
  }
  if (!state->parse(path, errors)) return false;
  state_ = std::move(state);
  return true;
}

bool JsonDocument::parse(std::string_view text, const std::string& file, Diagnostics& errors) {
  auto state = std::make_unique<State>();
  state->text = simdjson::padded_string(text);
  if (!state->parse(file, errors)) return false;
  state_ = std::move(state);
  return true;
}

std::string_view JsonDocument::text() const {
  return state_ ? std::string_view(state_->text.data(), state_->text.size()) : std::string_view();
}

const simdjson::dom::element& JsonDocument::root() const {
  static const simdjson::dom::element nothing;
  return state_ ? state_->root : nothing;
}

nlohmann::ordered_json write_value(const Value& value, const TypeRef& type, const Program& program) {
  return std::visit(
      [&](const auto& x) -> nlohmann::ordered_json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, None>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t>) {
          return x;
        } else if constexpr (std::is_same_v<T, double>) {
          return write_decimal(x);
        } else if constexpr (std::is_same_v<T, Text>) {
          return *x;
        } else if constexpr (std::is_same_v<T, Date>) {
          return stdlib::format_date(x);
        } else if constexpr (std::is_same_v<T, Duration>) {
          return format_duration(x);
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return enum_member_name(program, x);
        } else if constexpr (std::is_same_v<T, CalendarRef>) {
          return calendar_name(program, x);
        } else if constexpr (std::is_same_v<T, RecordPtr>) {
          return write_record(*x, program);
        } else {
          static_assert(std::is_same_v<T, ListPtr>);
          return write_list(*x, type, program);
        }
      },
      value.data);
}

std::string format_value(const Value& value, const TypeRef& type, const Program& program) {
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, None>) {
          return "none";
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return fmt::format("{}", x);
        } else if constexpr (std::is_same_v<T, double>) {
          return format_decimal(x);
        } else if constexpr (std::is_same_v<T, Text>) {
          // Shown in tables and messages: a line end or a terminal's escape in an id stays on its line.
          return shown_safely(*x);
        } else if constexpr (std::is_same_v<T, Date>) {
          return stdlib::format_date(x);
        } else if constexpr (std::is_same_v<T, Duration>) {
          return format_duration(x);
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          return enum_member_name(program, x);
        } else if constexpr (std::is_same_v<T, CalendarRef>) {
          return calendar_name(program, x);
        } else if constexpr (std::is_same_v<T, RecordPtr>) {
          return format_record(*x, program);
        } else {
          static_assert(std::is_same_v<T, ListPtr>);
          if (is_map_type(type)) return format_map(*x, strip_optional(type)->element, program);
          return x->empty() ? "(none)" : format_items(*x, type, program);
        }
      },
      value.data);
}

}  // namespace merit
