#include "interpreter/types.hpp"

#include <array>

namespace merit {

TypeRef basic_type(TypeKind kind) {
  static const std::array<TypeRef, 15> cache = [] {
    std::array<TypeRef, 15> all;
    for (std::size_t i = 0; i < all.size(); ++i) {
      all[i] = std::make_shared<const Type>(Type{static_cast<TypeKind>(i), -1, nullptr});
    }
    return all;
  }();
  return cache[static_cast<std::size_t>(kind)];
}

TypeRef enum_type(std::int32_t decl) {
  return std::make_shared<const Type>(Type{TypeKind::enumeration, decl, nullptr});
}

TypeRef record_type(std::int32_t decl) {
  return std::make_shared<const Type>(Type{TypeKind::record, decl, nullptr});
}

TypeRef list_of(TypeRef element) {
  return std::make_shared<const Type>(Type{TypeKind::list, -1, std::move(element)});
}

TypeRef map_of(TypeRef element) {
  return std::make_shared<const Type>(Type{TypeKind::map, -1, std::move(element)});
}

TypeRef optional_of(TypeRef element) {
  if (element->kind == TypeKind::optional || element->kind == TypeKind::error) return element;
  return std::make_shared<const Type>(Type{TypeKind::optional, -1, std::move(element)});
}

bool same_type(const TypeRef& a, const TypeRef& b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind || a->decl != b->decl) return false;
  if (a->element || b->element) return a->element && b->element && same_type(a->element, b->element);
  return true;
}

bool is_error(const TypeRef& t) {
  return !t || t->kind == TypeKind::error;
}

bool is_numeric(const TypeRef& t) {
  return t->kind == TypeKind::integer || t->kind == TypeKind::decimal;
}

TypeRef strip_optional(const TypeRef& t) {
  return t->kind == TypeKind::optional ? t->element : t;
}

bool assignable(const TypeRef& from, const TypeRef& to) {
  if (is_error(from) || is_error(to)) return true;
  if (same_type(from, to)) return true;
  if (from->kind == TypeKind::integer && to->kind == TypeKind::decimal) return true;
  if (to->kind == TypeKind::optional) {
    return from->kind == TypeKind::none || assignable(strip_optional(from), to->element);
  }
  // An empty list literal has an error-typed element until it meets a list type.
  if (from->kind == TypeKind::list && to->kind == TypeKind::list)
    return assignable(from->element, to->element);
  if (from->kind == TypeKind::map && to->kind == TypeKind::map) return assignable(from->element, to->element);
  return false;
}

}  // namespace merit
