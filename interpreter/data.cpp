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

namespace {

// ---------------------------------------------------------------------------------------------------------
// Declarations, looked up defensively: a data file must never crash the reader, even against a program that
// was built by hand or only partly checked.

const ast::Enumeration* enum_decl(const Program& program, std::int32_t decl) {
  if (decl < 0 || static_cast<std::size_t>(decl) >= program.enums.size()) return nullptr;
  return program.enums[static_cast<std::size_t>(decl)];
}

const ast::Record* record_decl(const Program& program, std::int32_t decl) {
  if (decl < 0 || static_cast<std::size_t>(decl) >= program.records.size()) return nullptr;
  return program.records[static_cast<std::size_t>(decl)];
}

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

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Durations as people write them: "21 days", "1 month", "90 working days".

std::string format_duration(const Duration& d) {
  return fmt::format("{} {}", d.amount, duration_unit_name(d.unit, d.amount));
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
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) override {
    message = error.what();
    return false;
  }
};

Diagnostic invalid_json(std::string_view text, simdjson::error_code code, const std::string& file) {
  SyntaxErrorFinder finder;
  nlohmann::json::sax_parse(text.data(), text.data() + text.size(), &finder);
  if (finder.message) return error_in_file(file, fmt::format("this is not valid JSON: {}", *finder.message));
  if (code == simdjson::DEPTH_ERROR) {
    return error_in_file(file, fmt::format("the JSON is nested more than {} levels deep, too deep to read",
                                           simdjson::DEFAULT_MAX_DEPTH));
  }
  return error_in_file(file, fmt::format("this is not valid JSON: {}", simdjson::error_message(code)));
}

// ---------------------------------------------------------------------------------------------------------
// Reading.

/// Where a value sits in the file: links on the reader's stack, one per level, put together as text
/// (`requisitions[1].candidates[0].score`) only when there is an error to report.
struct Path {
  explicit Path(const std::string& given) : root(&given) {}
  Path(const Path& up, std::string_view name) : parent(&up), field(name) {}
  Path(const Path& up, std::size_t item) : parent(&up), index(item), is_item(true) {}

  const Path* parent = nullptr;
  const std::string* root = nullptr;  // at the top: the path the caller gave
  std::string_view field;             // a field of a record or a key of a map
  std::size_t index = 0;              // an item of a list
  bool is_item = false;
};

std::string path_text(const Path& path) {
  if (!path.parent) return *path.root;
  std::string text = path_text(*path.parent);
  if (path.is_item) {
    fmt::format_to(std::back_inserter(text), "[{}]", path.index);
  } else {
    if (!text.empty()) text += '.';
    text += path.field;
  }
  return text;
}

/// Whether text has the shape YYYY-MM-DD, so that a failed parse means the day does not exist.
bool looks_like_date(std::string_view text) {
  if (text.size() != 10) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

/// The declared field closest to a misspelt key, when it is close enough to be a likely slip. A key so short
/// that every letter would change ("x" for "id") gets no suggestion.
std::optional<std::string> closest_field(const ast::Record& decl, std::string_view key) {
  std::optional<std::string> best;
  std::size_t best_distance = 3;
  for (const ast::FieldDecl& field : decl.fields) {
    const std::size_t d = edit_distance(key, field.name);
    if (d < best_distance && d < key.size()) {
      best = field.name;
      best_distance = d;
    }
  }
  return best;
}

/// Text quoted as JSON writes it, shortened so that one long value does not swamp the message.
std::string quoted(std::string_view text) {
  constexpr std::size_t limit = 60;
  std::string shown(text);
  if (shown.size() > limit) {
    std::size_t cut = limit - 3;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0u) == 0x80u) --cut;  // whole UTF-8 chars
    shown = shown.substr(0, cut) + "...";
  }
  return nlohmann::json(shown).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A number as JSON writes it (as nlohmann::json does: 91, 92.5, 3.0, 1e+20).
std::string number_text(const dom::element& json) {
  switch (json.type()) {
    case dom::element_type::INT64:
      return fmt::format("{}", json.get_int64().value_unsafe());
    case dom::element_type::UINT64:
      return fmt::format("{}", json.get_uint64().value_unsafe());
    default:
      return nlohmann::json(json.get_double().value_unsafe()).dump();
  }
}

/// What was found instead of the expected value, as a message shows it.
std::string found_text(const dom::element& json) {
  switch (json.type()) {
    case dom::element_type::NULL_VALUE:
      return "null";
    case dom::element_type::BOOL:
      return json.get_bool().value_unsafe() ? "true" : "false";
    case dom::element_type::STRING:
      return quoted(json.get_string().value_unsafe());
    case dom::element_type::OBJECT:
      return "an object";
    case dom::element_type::ARRAY:
      return "a list";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return number_text(json);
  }
  return "something that is not a value";
}

/// A default written `0` for a decimal field is stored as a decimal, as reading `0` from data would be.
Value as_declared(Value value, const TypeRef& type) {
  const TypeRef present = type ? strip_optional(type) : nullptr;
  const auto* whole = std::get_if<std::int64_t>(&value.data);
  if (whole && present && present->kind == TypeKind::decimal) return Value(static_cast<double>(*whole));
  return value;
}

/// How to read one record type, worked out once per read: its fields, and what a field the data leave out
/// takes. Defaults are computed once and shared by every record read (values never change).
struct RecordPlan {
  struct Field {
    std::string_view name;
    const TypeRef* type = nullptr;
    std::optional<Value> when_missing;  // the declared default, or none for an optional field
    bool bad_default = false;           // a default that could not be worked out
  };

  explicit RecordPlan(const ast::Record& record) : decl(record) {
    fields.reserve(record.fields.size());
    for (const ast::FieldDecl& declared : record.fields) {
      Field& field = fields.emplace_back();
      field.name = declared.name;
      field.type = &declared.resolved;
      if (declared.default_value) {
        if (std::optional<Value> value = constant_value(*declared.default_value)) {
          field.when_missing = as_declared(std::move(*value), declared.resolved);
        } else {
          field.bad_default = true;
        }
      } else if (declared.resolved && declared.resolved->kind == TypeKind::optional) {
        field.when_missing = Value(None{});
      }
    }
  }

  /// The slot of the field named `key`, looking first at `hint` (the slot after the last one found: objects
  /// mostly list their keys in the same order), or npos.
  std::size_t find(std::string_view key, std::size_t hint) const {
    const std::size_t count = fields.size();
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t slot = hint + k;
      if (slot >= count) slot -= count;
      if (fields[slot].name == key) return slot;
    }
    return npos;
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  const ast::Record& decl;
  std::vector<Field> fields;
};

/// Reads one data file's JSON against declared types, collecting every problem rather than stopping at the
/// first, so that a person fixing a case file sees them all at once. Each value is read into its place (a
/// record's field, a list's item), so that nothing is copied on the way.
class Reader {
 public:
  Reader(const Program& program, const std::string& file, Diagnostics& errors)
      : program_(program), file_(file), errors_(errors) {}

  /// Reads `json` into `out`; false when there was an error (and then `out` is not to be used).
  bool read(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    if (!type) return fail(path, "this value's type is not known, so it cannot be read");
    switch (type->kind) {
      case TypeKind::optional:
        if (!json.is_null()) return read(json, type->element, path, out);
        out.data.emplace<None>();
        return true;
      case TypeKind::boolean:
        return read_boolean(json, path, out);
      case TypeKind::integer:
        return read_integer(json, path, out);
      case TypeKind::decimal:
        return read_decimal(json, path, out);
      case TypeKind::text:
        return read_text(json, type, path, out);
      case TypeKind::date:
        return read_date(json, path, out);
      case TypeKind::duration:
        return read_duration(json, path, out);
      case TypeKind::enumeration:
        return read_enum(json, type->decl, path, out);
      case TypeKind::calendar:
        return read_calendar(json, path, out);
      case TypeKind::record:
        return read_record(json, type, path, out);
      case TypeKind::list:
        return read_list(json, type, path, out);
      case TypeKind::map:
        return read_map(json, type, path, out);
      case TypeKind::none:
        if (!json.is_null()) return expected(json, "null", path);
        out.data.emplace<None>();
        return true;
      case TypeKind::error:
        break;
    }
    return fail(path, "this value's type is not known, so it cannot be read");
  }

 private:
  /// A field of a record being read: the JSON value the object gives it, if it does.
  struct Slot {
    dom::element json;
    bool given = false;
  };

  bool fail(const Path& path, std::string_view message) {
    errors_.push_back(
        error_in_file(file_, fmt::format("{}: {}", data_path_display(path_text(path)), message)));
    return false;
  }

  bool expected(const dom::element& json, std::string_view what, const Path& path) {
    return fail(path, fmt::format("expected {}, found {}", what, found_text(json)));
  }

  bool read_boolean(const dom::element& json, const Path& path, Value& out) {
    if (json.type() != dom::element_type::BOOL) return expected(json, "true or false", path);
    out.data.emplace<bool>(json.get_bool().value_unsafe());
    return true;
  }

  bool read_integer(const dom::element& json, const Path& path, Value& out) {
    switch (json.type()) {
      case dom::element_type::INT64:
        out.data.emplace<std::int64_t>(json.get_int64().value_unsafe());
        return true;
      case dom::element_type::UINT64: {
        const std::uint64_t n = json.get_uint64().value_unsafe();
        if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          return too_large(json, path);
        out.data.emplace<std::int64_t>(static_cast<std::int64_t>(n));
        return true;
      }
      case dom::element_type::DOUBLE: {
        // A float with a whole value (3.0) is a whole number written by a tool that only has floats.
        const double d = json.get_double().value_unsafe();
        if (!std::isfinite(d) || d != std::trunc(d)) return expected(json, "a whole number", path);
        if (d < -9.223372036854775808e18 || d >= 9.223372036854775808e18) return too_large(json, path);
        out.data.emplace<std::int64_t>(static_cast<std::int64_t>(d));
        return true;
      }
      default:
        return expected(json, "a whole number", path);
    }
  }

  bool too_large(const dom::element& json, const Path& path) {
    return fail(path, fmt::format("{} is too large a number", number_text(json)));
  }

  bool read_decimal(const dom::element& json, const Path& path, Value& out) {
    switch (json.type()) {
      case dom::element_type::DOUBLE:
        out.data.emplace<double>(json.get_double().value_unsafe());
        return true;
      case dom::element_type::INT64:
        out.data.emplace<double>(static_cast<double>(json.get_int64().value_unsafe()));
        return true;
      case dom::element_type::UINT64:
        out.data.emplace<double>(static_cast<double>(json.get_uint64().value_unsafe()));
        return true;
      default:
        return expected(json, "a number", path);
    }
  }

  bool read_text(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    if (json.type() != dom::element_type::STRING) return expected(json, program_.type_name(type), path);
    out = make_text(std::string(json.get_string().value_unsafe()));
    return true;
  }

  bool read_date(const dom::element& json, const Path& path, Value& out) {
    if (json.type() != dom::element_type::STRING) return expected(json, "a date like 2026-03-01", path);
    const std::string_view text = json.get_string().value_unsafe();
    if (const std::optional<Date> date = stdlib::parse_date(text)) {
      out.data.emplace<Date>(*date);
      return true;
    }
    if (looks_like_date(text)) return fail(path, fmt::format("{} is not a date that exists", text));
    return expected(json, "a date like 2026-03-01", path);
  }

  bool read_duration(const dom::element& json, const Path& path, Value& out) {
    const char* what = R"(a length of time like "21 days", "3 months", "1 year" or "90 working days")";
    if (json.type() != dom::element_type::STRING) return expected(json, what, path);
    const std::optional<Duration> duration = parse_duration(json.get_string().value_unsafe());
    if (!duration) return expected(json, what, path);
    out.data.emplace<Duration>(*duration);
    return true;
  }

  bool read_enum(const dom::element& json, std::int32_t decl_index, const Path& path, Value& out) {
    const ast::Enumeration* decl = enum_decl(program_, decl_index);
    if (!decl) return fail(path, "this value's type is not known, so it cannot be read");
    if (json.type() == dom::element_type::STRING) {
      const std::string_view text = json.get_string().value_unsafe();
      for (std::size_t i = 0; i < decl->members.size(); ++i) {
        if (decl->members[i].name == text) {
          out.data.emplace<EnumValue>(EnumValue{decl_index, static_cast<std::int32_t>(i)});
          return true;
        }
      }
    }
    std::vector<std::string> names;
    for (const ast::EnumMember& member : decl->members) names.push_back(member.name);
    return expected(json, "one of " + join(names, ", "), path);
  }

  bool read_calendar(const dom::element& json, const Path& path, Value& out) {
    if (json.type() == dom::element_type::STRING) {
      const std::string_view text = json.get_string().value_unsafe();
      for (std::size_t i = 0; i < program_.calendars.size(); ++i) {
        const ast::Calendar* calendar = program_.calendars[i];
        if ((calendar ? std::string_view(calendar->name) : std::string_view()) == text) {
          out.data.emplace<CalendarRef>(CalendarRef{static_cast<std::int32_t>(i)});
          return true;
        }
      }
    }
    std::vector<std::string> names;
    for (const ast::Calendar* calendar : program_.calendars) names.push_back(calendar ? calendar->name : "");
    return expected(json, "the name of a calendar (" + join(names, ", ") + ")", path);
  }

  bool read_map(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    if (json.type() != dom::element_type::OBJECT)
      return expected(json, "an object, like {\"C03\": \"reason\"}", path);
    const dom::object object = json.get_object().value_unsafe();
    const std::size_t errors_before = errors_.size();
    std::vector<std::pair<std::string, Value>> entries;
    std::unordered_set<std::string_view> keys;
    for (const dom::key_value_pair member : object) {
      if (!keys.insert(member.key).second) {
        fail(path, fmt::format("key {} is given twice", quoted(member.key)));
        continue;
      }
      entries.emplace_back(member.key, Value());
      read(member.value, type->element, Path(path, member.key), entries.back().second);
    }
    if (errors_.size() != errors_before) return false;
    out = make_map(std::move(entries));
    return true;
  }

  bool read_list(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    if (json.type() != dom::element_type::ARRAY) return expected(json, program_.type_name(type), path);
    const dom::array array = json.get_array().value_unsafe();
    const std::size_t errors_before = errors_.size();
    std::vector<Value> items;
    items.reserve(array.size());
    for (const dom::element item : array) {
      const Path item_path(path, items.size());
      read(item, type->element, item_path, items.emplace_back());
    }
    if (errors_.size() != errors_before) return false;
    out = make_list(std::move(items));
    return true;
  }

  bool read_record(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    const RecordPlan* plan = plan_for(type->decl);
    if (!plan) return fail(path, "this value's type is not known, so it cannot be read");
    if (json.type() != dom::element_type::OBJECT) return expected(json, program_.type_name(type), path);
    const dom::object object = json.get_object().value_unsafe();

    // Which key gives which field. Slots live on a stack shared by the records being read, as records nest.
    const std::size_t count = plan->fields.size();
    const std::size_t base = slots_.size();
    slots_.resize(base + count);
    bool odd_keys = false;  // keys no field has, or given twice: reported after the fields, in file order
    std::size_t hint = 0;
    for (const dom::key_value_pair member : object) {
      const std::size_t slot = plan->find(member.key, hint);
      if (slot == RecordPlan::npos || slots_[base + slot].given) {
        odd_keys = true;
        continue;
      }
      slots_[base + slot] = Slot{member.value, true};
      hint = slot + 1;
    }

    // The fields in declaration order, so that their errors come in that order.
    const std::size_t errors_before = errors_.size();
    std::vector<Value> fields(count);
    for (std::size_t i = 0; i < count; ++i) {
      const RecordPlan::Field& field = plan->fields[i];
      const Slot slot = slots_[base + i];  // a copy: reading nested records grows the stack
      if (slot.given) {
        read(slot.json, *field.type, Path(path, field.name), fields[i]);
      } else {
        missing_field(field, path, fields[i]);
      }
    }
    slots_.resize(base);
    if (odd_keys) report_odd_keys(object, *plan, path);
    if (errors_.size() != errors_before) return false;
    out = make_record(type->decl, std::move(fields));
    return true;
  }

  /// A field the object leaves out: its declared default, none when it is optional, else an error.
  bool missing_field(const RecordPlan::Field& field, const Path& path, Value& out) {
    if (field.when_missing) {
      out = *field.when_missing;
      return true;
    }
    if (field.bad_default) {
      return fail(path, fmt::format("the default of field \"{}\" could not be worked out", field.name));
    }
    return fail(path, fmt::format("missing required field \"{}\"", field.name));
  }

  void report_odd_keys(const dom::object& object, const RecordPlan& plan, const Path& path) {
    std::unordered_set<std::string_view> seen;
    for (const dom::key_value_pair member : object) {
      if (!seen.insert(member.key).second) {
        fail(path, fmt::format("field {} is given twice", quoted(member.key)));
        continue;
      }
      if (plan.find(member.key, 0) != RecordPlan::npos) continue;
      std::string message = fmt::format("unknown field {}", quoted(member.key));
      if (const std::optional<std::string> suggestion = closest_field(plan.decl, member.key)) {
        message += fmt::format("; did you mean \"{}\"?", *suggestion);
      }
      fail(path, message);
    }
  }

  const RecordPlan* plan_for(std::int32_t decl_index) {
    const ast::Record* decl = record_decl(program_, decl_index);
    if (!decl) return nullptr;
    const auto index = static_cast<std::size_t>(decl_index);
    if (plans_.size() <= index) plans_.resize(index + 1);
    if (!plans_[index]) plans_[index] = std::make_unique<RecordPlan>(*decl);
    return plans_[index].get();
  }

  const Program& program_;
  const std::string& file_;
  Diagnostics& errors_;
  std::vector<std::unique_ptr<RecordPlan>> plans_;  // by record declaration, made when first needed
  std::vector<Slot> slots_;
};

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

  /// Reads the file into `text`; false when it cannot be read.
  bool load(const std::string& path) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return false;
    bool ok = false;
    const long size = std::fseek(file, 0, SEEK_END) == 0 ? std::ftell(file) : -1;
    if (size >= 0 && size != LONG_MAX && std::fseek(file, 0, SEEK_SET) == 0) {
      const auto length = static_cast<std::size_t>(size);
      text = simdjson::padded_string(length);
      ok = text.data() && std::fread(text.data(), 1, length, file) == length;
    } else {
      // Not a regular file (a pipe, /dev/stdin): read it to its end.
      std::clearerr(file);
      std::string all;
      char buffer[1 << 16];
      std::size_t got = 0;
      while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) all.append(buffer, got);
      ok = !std::ferror(file);
      if (ok) text = simdjson::padded_string(all);
    }
    std::fclose(file);
    return ok;
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
  if (!state->load(path)) {
    errors.push_back(error_in_file(path, "cannot open this file"));
    return false;
  }
  if (!state->parse(path, errors)) return false;
  state_ = std::move(state);
  return true;
}

bool JsonDocument::parse(std::string_view text, const std::string& file, Diagnostics& errors) {
  return parse_joined({text}, file, errors);
}

bool JsonDocument::parse_joined(const std::vector<std::string_view>& pieces, const std::string& file,
                                Diagnostics& errors) {
  std::size_t size = 0;
  for (const std::string_view piece : pieces) size += piece.size();
  auto state = std::make_unique<State>();
  state->text = simdjson::padded_string(size);
  char* at = state->text.data();
  for (const std::string_view piece : pieces) at = std::copy(piece.begin(), piece.end(), at);
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

std::optional<Value> read_value(const simdjson::dom::element& json, const TypeRef& type,
                                const Program& program, const std::string& file, const std::string& path,
                                Diagnostics& errors) {
  Value value;
  if (!Reader(program, file, errors).read(json, type, Path(path), value)) return std::nullopt;
  return value;
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
