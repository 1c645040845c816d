// Reading a data file's values (data.hpp): the JSON a case file holds, read straight from the parsed
// document against the types the rules declare, every problem collected with its path.
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "interpreter/check.hpp"
#include "interpreter/data.hpp"
#include "interpreter/data_detail.hpp"
#include "stdlib/dates.hpp"

namespace merit {

namespace {

using namespace data_detail;
namespace dom = simdjson::dom;

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
  std::size_t shared = 0;  // field i's values are shared (SharedValues) as field `shared + i` of the reader
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
      case TypeKind::duration:
      case TypeKind::enumeration:
      case TypeKind::calendar:
        return read_written_value(json, type, path, out);
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
        // -2^63 itself comes as an integer; as a whole float it is a number below it, rounded up to it.
        if (d <= -9.223372036854775808e18 || d >= 9.223372036854775808e18) {
          // Not quoted: the float it was read as is not the number written.
          return fail(path,
                      "this number is beyond the whole numbers merit holds (-9223372036854775808 to "
                      "9223372036854775807)");
        }
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
      case dom::element_type::DOUBLE: {
        const double d = json.get_double().value_unsafe();
        if (!std::isfinite(d)) return too_large(json, path);
        out.data.emplace<double>(d);
        return true;
      }
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

  /// A date, a duration, a member of an enumeration or a calendar's name: a JSON string, read as
  /// read_written reads a table's cell.
  bool read_written_value(const dom::element& json, const TypeRef& type, const Path& path, Value& out) {
    if (json.type() != dom::element_type::STRING) return expected(json, expected_text(type, program_), path);
    Written written = read_written(json.get_string().value_unsafe(), type, program_);
    if (written.value) {
      out = std::move(*written.value);
      return true;
    }
    if (!written.problem.empty()) return fail(path, written.problem);
    return expected(json, expected_text(type, program_), path);
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
    const bool records = type->element && type->element->kind == TypeKind::record;
    ColumnFiller columns(records ? array.size() : 0);
    for (const dom::element item : array) {
      const Path item_path(path, items.size());
      if (read(item, type->element, item_path, items.emplace_back())) columns.add(items.back());
    }
    if (errors_.size() != errors_before) return false;
    out = columns.make(std::move(items));
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
    Value* fields = nullptr;
    Value record = make_blank_record(type->decl, count, fields);
    for (std::size_t i = 0; i < count; ++i) {
      const RecordPlan::Field& field = plan->fields[i];
      const Slot slot = slots_[base + i];  // a copy: reading nested records grows the stack
      if (!slot.given) {
        missing_field(field, path, fields[i]);
      } else if (const Value* same = shared_value(plan->shared + i, slot.json, *field.type)) {
        fields[i] = *same;
      } else if (read(slot.json, *field.type, Path(path, field.name), fields[i])) {
        shared_.share(plan->shared + i, fields[i]);
      }
    }
    slots_.resize(base);
    if (odd_keys) report_odd_keys(object, *plan, path);
    if (errors_.size() != errors_before) return false;
    out = std::move(record);
    return true;
  }

  /// The value of field `field` (RecordPlan::shared) equal to what `json` reads as, where one was read
  /// before: found by its key (SharedValues::key_of), written from the JSON, without making the value.
  const Value* shared_value(std::size_t field, const dom::element& json, const TypeRef& type) {
    if (!shared_.on(field) || !type) return nullptr;
    const TypeRef& present = type->kind == TypeKind::optional ? type->element : type;
    if (!present) return nullptr;
    if (present->kind == TypeKind::text && json.type() == dom::element_type::STRING) {
      SharedValues::text_key(key_, json.get_string().value_unsafe());
    } else if (present->kind == TypeKind::list && present->element &&
               present->element->kind == TypeKind::text && json.type() == dom::element_type::ARRAY) {
      const dom::array items = json.get_array().value_unsafe();
      if (items.size() > SharedValues::list_most) return nullptr;
      SharedValues::list_key(key_);
      for (const dom::element item : items) {
        if (item.type() != dom::element_type::STRING) return nullptr;
        SharedValues::add_item_key(key_, item.get_string().value_unsafe());
      }
    } else {
      return nullptr;
    }
    return shared_.find(field, key_);
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
    if (!plans_[index]) {
      plans_[index] = std::make_unique<RecordPlan>(*decl);
      plans_[index]->shared = shared_fields_;
      shared_fields_ += plans_[index]->fields.size();
    }
    return plans_[index].get();
  }

  const Program& program_;
  const std::string& file_;
  Diagnostics& errors_;
  std::vector<std::unique_ptr<RecordPlan>> plans_;  // by record declaration, made when first needed
  std::vector<Slot> slots_;
  SharedValues shared_;            // by the fields of every record type read (RecordPlan::shared)
  std::string key_;                // a value's key in shared_, written from its JSON
  std::size_t shared_fields_ = 0;  // how many of those the plans made so far number
};

}  // namespace

std::string expected_text(const TypeRef& type, const Program& program) {
  switch (type->kind) {
    case TypeKind::date:
      return "a date like 2026-03-01";
    case TypeKind::duration:
      return R"(a length of time like "21 days", "3 months", "1 year" or "90 working days")";
    case TypeKind::enumeration: {
      std::vector<std::string> names;
      if (const ast::Enumeration* decl = enum_decl(program, type->decl)) {
        for (const ast::EnumMember& member : decl->members) names.push_back(member.name);
      }
      return "one of " + join(names, ", ");
    }
    case TypeKind::calendar: {
      std::vector<std::string> names;
      for (const ast::Calendar* calendar : program.calendars) names.push_back(calendar ? calendar->name : "");
      return "the name of a calendar (" + join(names, ", ") + ")";
    }
    default:
      return program.type_name(type);
  }
}

Written read_written(std::string_view text, const TypeRef& type, const Program& program) {
  Written out;
  switch (type->kind) {
    case TypeKind::date:
      if (const std::optional<Date> date = stdlib::parse_date(text)) {
        out.value = Value(*date);
      } else if (looks_like_date(text)) {
        out.problem = fmt::format("{} is not a date that exists", text);
      }
      break;
    case TypeKind::duration:
      if (const std::optional<Duration> duration = parse_duration(text)) out.value = Value(*duration);
      break;
    case TypeKind::enumeration:
      if (const ast::Enumeration* decl = enum_decl(program, type->decl)) {
        for (std::size_t i = 0; i < decl->members.size() && !out.value; ++i) {
          if (decl->members[i].name == text)
            out.value = Value(EnumValue{type->decl, static_cast<std::int32_t>(i)});
        }
      } else {
        out.problem = "this value's type is not known, so it cannot be read";
      }
      break;
    case TypeKind::calendar:
      for (std::size_t i = 0; i < program.calendars.size() && !out.value; ++i) {
        const ast::Calendar* calendar = program.calendars[i];
        if ((calendar ? std::string_view(calendar->name) : std::string_view()) == text)
          out.value = Value(CalendarRef{static_cast<std::int32_t>(i)});
      }
      break;
    default:
      out.problem = fmt::format("{} cannot be written as a text", program.type_name(type));
      break;
  }
  return out;
}

std::vector<std::optional<Value>> values_when_missing(const ast::Record& record) {
  const RecordPlan plan(record);
  std::vector<std::optional<Value>> out;
  out.reserve(plan.fields.size());
  for (const RecordPlan::Field& field : plan.fields) out.push_back(field.when_missing);
  return out;
}

std::optional<Value> read_value(const simdjson::dom::element& json, const TypeRef& type,
                                const Program& program, const std::string& file, const std::string& path,
                                Diagnostics& errors) {
  Value value;
  if (!Reader(program, file, errors).read(json, type, Path(path), value)) return std::nullopt;
  return value;
}

}  // namespace merit
