#pragma once
// Types of the rule language, as the checker infers them and the interpreter and data readers rely on them.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace merit {

enum class TypeKind : std::uint8_t {
  boolean,
  integer,
  decimal,
  text,
  date,
  duration,
  enumeration,  // `decl` indexes Program::enums
  record,       // `decl` indexes Program::records
  list,         // `element` is the item type
  map,          // text keys to values of type `element`; a JSON object in data
  optional,     // `element` is the present type
  calendar,
  none,   // the type of the literal `none` before it meets an optional
  error,  // stands in after an error so that one mistake is reported once
};

struct Type;
using TypeRef = std::shared_ptr<const Type>;

/// A type: a kind, the declaration it names (enums, records) and an element type (lists, optionals).
struct Type {
  TypeKind kind = TypeKind::error;
  std::int32_t decl = -1;
  TypeRef element;
};

TypeRef basic_type(TypeKind kind);
TypeRef enum_type(std::int32_t decl);
TypeRef record_type(std::int32_t decl);
TypeRef list_of(TypeRef element);
TypeRef map_of(TypeRef element);
TypeRef optional_of(TypeRef element);  // T? of T? is T?

bool same_type(const TypeRef& a, const TypeRef& b);
/// Whether a value of type `from` may stand where `to` is expected (integer as decimal, T as T?, none as T?).
bool assignable(const TypeRef& from, const TypeRef& to);
bool is_numeric(const TypeRef& t);
bool is_error(const TypeRef& t);
/// Drops one level of optional: T? -> T.
TypeRef strip_optional(const TypeRef& t);

}  // namespace merit
