#include "interpreter/data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

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
  return Duration{negative ? -amount : amount, *unit};
}

// ---------------------------------------------------------------------------------------------------------
// Reading.

/// Whether text has the shape YYYY-MM-DD, so that a failed parse means the day does not exist.
bool looks_like_date(std::string_view text) {
  if (text.size() != 10) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return false;
  }
  return true;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The declared field closest to a misspelt key, when it is close enough to be a likely slip. A key so short
/// that every letter would change ("x" for "id") gets no suggestion.
std::optional<std::string> closest_field(const ast::Record& decl, const std::string& key) {
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

bool declares_field(const ast::Record& decl, const std::string& key) {
  return std::any_of(decl.fields.begin(), decl.fields.end(),
                     [&](const ast::FieldDecl& field) { return field.name == key; });
}

/// Text quoted as JSON writes it, shortened so that one long value does not swamp the message.
std::string quoted(const std::string& text) {
  constexpr std::size_t limit = 60;
  std::string shown = text;
  if (shown.size() > limit) {
    std::size_t cut = limit - 3;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0u) == 0x80u) --cut;  // whole UTF-8 chars
    shown = shown.substr(0, cut) + "...";
  }
  return nlohmann::json(shown).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// What was found instead of the expected value, as a message shows it.
template <typename Json>
std::string found_text(const Json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return json.template get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::string:
      return quoted(json.template get_ref<const std::string&>());
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "a list";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return json.dump();
    default:
      return "something that is not a value";
  }
}

/// Reads one data file's JSON against declared types, collecting every problem rather than stopping at the
/// first, so that a person fixing a case file sees them all at once.
template <typename Json>
class Reader {
 public:
  Reader(const Program& program, const std::string& file, Diagnostics& errors)
      : program_(program), file_(file), errors_(errors) {}

  std::optional<Value> read(const Json& json, const TypeRef& type, const std::string& path) {
    if (!type) return fail(path, "this value's type is not known, so it cannot be read");
    switch (type->kind) {
      case TypeKind::optional:
        return json.is_null() ? std::optional<Value>(Value(None{})) : read(json, type->element, path);
      case TypeKind::boolean:
        return read_boolean(json, path);
      case TypeKind::integer:
        return read_integer(json, path);
      case TypeKind::decimal:
        return read_decimal(json, path);
      case TypeKind::text:
        return read_text(json, type, path);
      case TypeKind::date:
        return read_date(json, path);
      case TypeKind::duration:
        return read_duration(json, path);
      case TypeKind::enumeration:
        return read_enum(json, type->decl, path);
      case TypeKind::calendar:
        return read_calendar(json, path);
      case TypeKind::record:
        return read_record(json, type, path);
      case TypeKind::list:
        return read_list(json, type, path);
      case TypeKind::map:
        return read_map(json, type, path);
      case TypeKind::none:
        return json.is_null() ? std::optional<Value>(Value(None{})) : expected(json, "null", path);
      case TypeKind::error:
        break;
    }
    return fail(path, "this value's type is not known, so it cannot be read");
  }

 private:
  std::optional<Value> fail(const std::string& path, const std::string& message) {
    errors_.push_back(error_in_file(file_, fmt::format("{}: {}", data_path_display(path), message)));
    return std::nullopt;
  }

  std::optional<Value> expected(const Json& json, const std::string& what, const std::string& path) {
    return fail(path, fmt::format("expected {}, found {}", what, found_text(json)));
  }

  std::optional<Value> read_boolean(const Json& json, const std::string& path) {
    if (!json.is_boolean()) return expected(json, "true or false", path);
    return Value(json.template get<bool>());
  }

  std::optional<Value> read_integer(const Json& json, const std::string& path) {
    if (json.is_number_unsigned()) {
      const auto n = json.template get<std::uint64_t>();
      if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return too_large(json, path);
      return Value(static_cast<std::int64_t>(n));
    }
    if (json.is_number_integer()) return Value(json.template get<std::int64_t>());
    if (!json.is_number_float()) return expected(json, "a whole number", path);
    // A float with a whole value (3.0) is a whole number written by a tool that only has floats.
    const double d = json.template get<double>();
    if (!std::isfinite(d) || d != std::trunc(d)) return expected(json, "a whole number", path);
    if (d < -9.223372036854775808e18 || d >= 9.223372036854775808e18) return too_large(json, path);
    return Value(static_cast<std::int64_t>(d));
  }

  std::optional<Value> too_large(const Json& json, const std::string& path) {
    return fail(path, fmt::format("{} is too large a number", json.dump()));
  }

  std::optional<Value> read_decimal(const Json& json, const std::string& path) {
    if (!json.is_number()) return expected(json, "a number", path);
    return Value(json.template get<double>());
  }

  std::optional<Value> read_text(const Json& json, const TypeRef& type, const std::string& path) {
    if (!json.is_string()) return expected(json, program_.type_name(type), path);
    return make_text(json.template get<std::string>());
  }

  std::optional<Value> read_date(const Json& json, const std::string& path) {
    if (!json.is_string()) return expected(json, "a date like 2026-03-01", path);
    const auto& text = json.template get_ref<const std::string&>();
    if (const std::optional<Date> date = stdlib::parse_date(text)) return Value(*date);
    if (looks_like_date(text)) return fail(path, fmt::format("{} is not a date that exists", text));
    return expected(json, "a date like 2026-03-01", path);
  }

  std::optional<Value> read_duration(const Json& json, const std::string& path) {
    const char* what = R"(a length of time like "21 days", "3 months", "1 year" or "90 working days")";
    if (!json.is_string()) return expected(json, what, path);
    const std::optional<Duration> duration = parse_duration(json.template get_ref<const std::string&>());
    if (!duration) return expected(json, what, path);
    return Value(*duration);
  }

  std::optional<Value> read_enum(const Json& json, std::int32_t decl_index, const std::string& path) {
    const ast::Enumeration* decl = enum_decl(program_, decl_index);
    if (!decl) return fail(path, "this value's type is not known, so it cannot be read");
    std::vector<std::string> names;
    for (const ast::EnumMember& member : decl->members) names.push_back(member.name);
    if (json.is_string()) {
      const auto it = std::find(names.begin(), names.end(), json.template get_ref<const std::string&>());
      if (it != names.end())
        return Value(EnumValue{decl_index, static_cast<std::int32_t>(it - names.begin())});
    }
    return expected(json, "one of " + join(names, ", "), path);
  }

  std::optional<Value> read_calendar(const Json& json, const std::string& path) {
    std::vector<std::string> names;
    for (const ast::Calendar* calendar : program_.calendars) names.push_back(calendar ? calendar->name : "");
    if (json.is_string()) {
      const auto it = std::find(names.begin(), names.end(), json.template get_ref<const std::string&>());
      if (it != names.end()) return Value(CalendarRef{static_cast<std::int32_t>(it - names.begin())});
    }
    return expected(json, "the name of a calendar (" + join(names, ", ") + ")", path);
  }

  std::optional<Value> read_map(const Json& json, const TypeRef& type, const std::string& path) {
    if (!json.is_object()) return expected(json, "an object, like {\"C03\": \"reason\"}", path);
    const std::size_t errors_before = errors_.size();
    std::vector<std::pair<std::string, Value>> entries;
    for (const auto& [key, item] : json.items()) {
      if (std::optional<Value> v = read(item, type->element, data_path_field(path, key))) {
        entries.emplace_back(key, std::move(*v));
      }
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return make_map(std::move(entries));
  }

  std::optional<Value> read_list(const Json& json, const TypeRef& type, const std::string& path) {
    if (!json.is_array()) return expected(json, program_.type_name(type), path);
    const std::size_t errors_before = errors_.size();
    std::vector<Value> items;
    items.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
      if (std::optional<Value> item = read(json[i], type->element, data_path_item(path, i))) {
        items.push_back(std::move(*item));
      }
    }
    if (errors_.size() != errors_before) return std::nullopt;
    return make_list(std::move(items));
  }

  std::optional<Value> read_record(const Json& json, const TypeRef& type, const std::string& path) {
    const ast::Record* decl = record_decl(program_, type->decl);
    if (!decl) return fail(path, "this value's type is not known, so it cannot be read");
    if (!json.is_object()) return expected(json, program_.type_name(type), path);
    const std::size_t errors_before = errors_.size();
    std::vector<Value> fields;
    fields.reserve(decl->fields.size());
    for (const ast::FieldDecl& field : decl->fields) {
      const auto it = json.find(field.name);
      std::optional<Value> value = it != json.end()
                                       ? read(*it, field.resolved, data_path_field(path, field.name))
                                       : missing_field(field, path);
      if (value) fields.push_back(std::move(*value));
    }
    report_unknown_fields(json, *decl, path);
    if (errors_.size() != errors_before) return std::nullopt;
    return make_record(type->decl, std::move(fields));
  }

  /// A field the object leaves out: its declared default, none when it is optional, else an error.
  std::optional<Value> missing_field(const ast::FieldDecl& field, const std::string& path) {
    if (field.default_value) {
      if (std::optional<Value> value = constant_value(*field.default_value)) {
        return as_declared(std::move(*value), field.resolved);
      }
      return fail(path, fmt::format("the default of field \"{}\" could not be worked out", field.name));
    }
    if (field.resolved && field.resolved->kind == TypeKind::optional) return Value(None{});
    return fail(path, fmt::format("missing required field \"{}\"", field.name));
  }

  /// A default written `0` for a decimal field is stored as a decimal, as reading `0` from data would be.
  static Value as_declared(Value value, const TypeRef& type) {
    const TypeRef present = type ? strip_optional(type) : nullptr;
    const auto* whole = std::get_if<std::int64_t>(&value.data);
    if (whole && present && present->kind == TypeKind::decimal) return Value(static_cast<double>(*whole));
    return value;
  }

  void report_unknown_fields(const Json& json, const ast::Record& decl, const std::string& path) {
    for (auto it = json.begin(); it != json.end(); ++it) {
      if (declares_field(decl, it.key())) continue;
      std::string message = fmt::format("unknown field {}", quoted(it.key()));
      if (const std::optional<std::string> suggestion = closest_field(decl, it.key())) {
        message += fmt::format("; did you mean \"{}\"?", *suggestion);
      }
      fail(path, message);
    }
  }

  const Program& program_;
  const std::string& file_;
  Diagnostics& errors_;
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
    for (const Value& entry : list.items) {
      object[entry.as_list().items[0].as_text()] = write_value(entry.as_list().items[1], element, program);
    }
    return object;
  }
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  const TypeRef element = item_type(type);
  for (const Value& item : list.items) array.push_back(write_value(item, element, program));
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
  for (const Value& item : list.items) parts.push_back(format_nested(item, element, program));
  return join(parts, ", ");
}

std::string format_map(const ListValue& map, const TypeRef& element, const Program& program) {
  std::vector<std::string> parts;
  for (const Value& entry : map.items) {
    parts.push_back(entry.as_list().items[0].as_text() + ": " +
                    format_nested(entry.as_list().items[1], element, program));
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

std::optional<Value> read_value(const nlohmann::json& json, const TypeRef& type, const Program& program,
                                const std::string& file, const std::string& path, Diagnostics& errors) {
  return Reader<nlohmann::json>(program, file, errors).read(json, type, path);
}

std::optional<Value> read_value(const nlohmann::ordered_json& json, const TypeRef& type,
                                const Program& program, const std::string& file, const std::string& path,
                                Diagnostics& errors) {
  return Reader<nlohmann::ordered_json>(program, file, errors).read(json, type, path);
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
          return x->items.empty() ? "(none)" : format_items(*x, type, program);
        }
      },
      value.data);
}

}  // namespace merit
