// Running a kernel (kernel.hpp; made by eval_kernel.cpp): each node on the unboxed values of the one
// below it, in the order and with the errors the interpreter has.
#include <cmath>

#include "interpreter/interpreter.hpp"

namespace merit::interpret {

namespace {

std::int32_t variant_index(const KVal& k) {
  switch (k.tag) {
    case KVal::none:
      return 0;
    case KVal::boolean:
      return 1;
    case KVal::integer:
      return 2;
    case KVal::decimal:
      return 3;
    case KVal::text:
      return 4;
    case KVal::enumeration:
      return 7;
    case KVal::other:
      break;
  }
  return static_cast<std::int32_t>(k.v->data.index());
}

std::weak_ordering compare_doubles(double x, double y) {
  return x < y   ? std::weak_ordering::less
         : x > y ? std::weak_ordering::greater
                 : std::weak_ordering::equivalent;
}

bool is_number(const KVal& k) {
  return k.tag == KVal::integer || k.tag == KVal::decimal;
}

double number(const KVal& k) {
  return k.tag == KVal::integer ? static_cast<double>(k.i) : k.d;
}

/// compare_values, for kernel values.
std::weak_ordering compare(const KVal& a, const KVal& b) {
  if (a.tag == b.tag) {
    switch (a.tag) {
      case KVal::none:
        return std::weak_ordering::equivalent;
      case KVal::boolean:
        return a.b <=> b.b;
      case KVal::integer:
        return a.i <=> b.i;
      case KVal::decimal:
        return compare_doubles(a.d, b.d);
      case KVal::text:
        if (a.s == b.s) return std::weak_ordering::equivalent;
        return a.s->compare(*b.s) <=> 0;
      case KVal::enumeration:
        if (a.e.decl != b.e.decl) return a.e.decl <=> b.e.decl;
        return a.e.index <=> b.e.index;
      case KVal::other:
        return compare_values(*a.v, *b.v);
    }
  }
  if (is_number(a) && is_number(b)) return compare_doubles(number(a), number(b));
  return variant_index(a) <=> variant_index(b);
}

bool truth(const KVal& k) {
  if (k.tag != KVal::boolean) throw KernelBail{};
  return k.b;
}

const ListValue& list_of(const KVal& k) {
  if (k.tag != KVal::other) throw KernelBail{};
  const auto* list = std::get_if<ListPtr>(&k.v->data);
  if (!list) throw KernelBail{};
  return **list;
}

const std::string& text_of(const KVal& k) {
  if (k.tag != KVal::text) throw KernelBail{};
  return *k.s;
}

/// a == b: compare's answer, without the call for two scalars of one kind.
inline bool same(const KVal& a, const KVal& b) {
  if (a.tag == b.tag) {
    switch (a.tag) {
      case KVal::boolean:
        return a.b == b.b;
      case KVal::integer:
        return a.i == b.i;
      case KVal::enumeration:
        return a.e == b.e;
      case KVal::text:
        return a.s == b.s || *a.s == *b.s;
      default:
        break;
    }
  }
  return compare(a, b) == 0;
}

/// a < b, a <= b, a > b or a >= b.
KVal ordered_by(KOp op, const KVal& a, const KVal& b) {
  if (a.tag == KVal::other && b.tag == KVal::other) {
    const auto* da = std::get_if<Duration>(&a.v->data);
    const auto* db = std::get_if<Duration>(&b.v->data);
    if (da && db && da->unit != db->unit) throw KernelBail{};
  }
  const auto c = compare(a, b);
  switch (op) {
    case KOp::less:
      return KVal::of(c < 0);
    case KOp::less_equal:
      return KVal::of(c <= 0);
    case KOp::greater:
      return KVal::of(c > 0);
    default:
      return KVal::of(c >= 0);
  }
}

/// a + b, a - b or a * b.
KVal worked_out(KOp op, const KVal& a, const KVal& b) {
  if (a.tag == KVal::integer && b.tag == KVal::integer) {
    std::int64_t out = 0;
    const bool overflow = op == KOp::add        ? __builtin_add_overflow(a.i, b.i, &out)
                          : op == KOp::subtract ? __builtin_sub_overflow(a.i, b.i, &out)
                                                : __builtin_mul_overflow(a.i, b.i, &out);
    if (overflow) throw KernelBail{};
    return KVal::of(out);
  }
  if (!is_number(a) || !is_number(b)) throw KernelBail{};
  const double p = number(a);
  const double q = number(b);
  const double out = op == KOp::add ? p + q : op == KOp::subtract ? p - q : p * q;
  // Too large for a decimal: the plain path says so at the operator, as it does for a short list.
  if (!std::isfinite(out)) throw KernelBail{};
  return KVal::of_decimal(out);
}

/// `c.id in ids` for node `x` by the item's row (KTexts::rows), where the text is a field of the item read
/// from a column of the pass's base; nothing where that does not apply.
std::optional<bool> contains_by_row(Kernel& k, const KNode& x, KTexts& texts, const ListValue& list) {
  const KNode& key = k.nodes[static_cast<std::size_t>(x.a)];
  if (key.op != KOp::local_field) return std::nullopt;
  const std::uint32_t row = k.locals[static_cast<std::size_t>(key.b)].row;
  const auto slot = static_cast<std::size_t>(key.local);
  if (row == 0 || slot >= k.columns.size() || k.columns[slot] == nullptr) return std::nullopt;
  if (texts.rows_list != &list) {
    texts.rows_list = &list;
    texts.rows.rows.clear();
    const ListValue::TextRows& index = k.rows_of->text_rows(slot);
    std::vector<std::pair<std::uint32_t, const Value*>> found;
    texts.rows.usable = true;
    for (std::size_t i = 0; i < list.size() && texts.rows.usable; ++i) {
      const Value& item = list.at(i);
      const auto* text = std::get_if<Text>(&item.data);
      texts.rows.usable = text != nullptr;
      if (!text) break;
      index.for_each(**text, [&found, &item](std::uint32_t at) { found.emplace_back(at, &item); });
    }
    if (texts.rows.usable) texts.rows.fill(found);
  }
  if (!texts.rows.usable) return std::nullopt;
  return texts.rows.find(row - 1) != nullptr;
}

/// `item in list` for node `x`.
KVal contains(Kernel& k, const KNode& x, const KVal& item, const KVal& of) {
  const ListValue& list = list_of(of);
  if (item.tag == KVal::text && x.extra >= 0) {
    KTexts& texts = k.text_sets[static_cast<std::size_t>(x.extra)];
    if (texts.list != &list) texts.build(list);
    if (texts.usable) return KVal::of(texts.contains(*item.s));
    if (const std::optional<bool> in = contains_by_row(k, x, texts, list)) return KVal::of(*in);
  }
  if (item.tag == KVal::text) {
    // Most lists gone through per item are short or empty (the locations a person declined): scanned
    // here as find_text scans them, without the call.
    if (list.size() >= 16) return KVal::of(list.find_text(*item.s, false) >= 0);
    for (const Value& v : list.items()) {
      const auto* t = std::get_if<Text>(&v.data);
      if (t && **t == *item.s) return KVal::of(true);
    }
    return KVal::of(false);
  }
  charge_steps(list.size());  // a step an item gone through, as Interpreter::member_of charges
  for (const Value& v : list.items()) {
    if (compare(item, kval(v)) == 0) return KVal::of(true);
  }
  return KVal::of(false);
}

}  // namespace

KVal Interpreter::run_node(Kernel& k, const KNode& x) {
  switch (x.op) {
    case KOp::lazy:
      return run_lazy(k, x);
    case KOp::exists:
    case KOp::every:
    case KOp::count:
    case KOp::first:
      return run_quantifier(k, x);
    case KOp::call:
      return run_call(k, x);
    case KOp::field: {
      const KVal object = run_kernel(k, x.a);
      if (object.tag != KVal::other) throw KernelBail{};
      const auto* record = std::get_if<RecordPtr>(&object.v->data);
      if (!record) throw KernelBail{};
      return kval((*record)->fields[static_cast<std::size_t>(x.local)]);
    }
    case KOp::member_of_map: {
      const KVal item = run_kernel(k, x.a);
      const KVal map = run_kernel(k, x.b);
      if (map.tag != KVal::other) throw KernelBail{};
      // `c.id not in r.removed` over a register: by the rows that hold the map's keys, no id hashed.
      if (item.tag == KVal::text) {
        const auto found = find_by_row(k, x.extra, k.nodes[static_cast<std::size_t>(x.b)],
                                       k.nodes[static_cast<std::size_t>(x.a)], map.v);
        if (found) return KVal::of(*found != nullptr);
      }
      return KVal::of(map_find(*map.v, text_of(item)) != nullptr);
    }
    case KOp::negate: {
      const KVal a = run_kernel(k, x.a);
      if (a.tag == KVal::integer) {
        std::int64_t out = 0;
        if (__builtin_sub_overflow(std::int64_t{0}, a.i, &out)) throw KernelBail{};
        return KVal::of(out);
      }
      if (a.tag != KVal::decimal) throw KernelBail{};
      return KVal::of_decimal(-a.d);
    }
    case KOp::size:
      return KVal::of(static_cast<std::int64_t>(list_of(run_kernel(k, x.a)).size()));
    default:
      // Every other op has a function of its own (KernelOps::pick), which runs it without coming here.
      throw KernelBail{};
  }
}

// The forms below are rare in a pass, or long: out of run_node, they do not make every node pay for their
// registers.

[[gnu::noinline]] KVal Interpreter::run_lazy(Kernel& k, const KNode& x) {
  KLazy& lazy = k.lazies[static_cast<std::size_t>(x.extra)];
  if (!lazy.done) {
    k.held.push_back(eval(*lazy.expr));
    lazy.value = kval(k.held.back());
    lazy.done = true;
  }
  return lazy.value;
}

/// m's entry for the item's row (KRowMap), where map m stays the same for the pass (node `source`) and
/// `key` is a text field of the item read from its base's column: the value of the entry, or null where the
/// row's field is no key of m; nothing where that does not apply.
std::optional<const Value*> Interpreter::find_by_row(Kernel& k, std::int32_t extra, const KNode& source,
                                                     const KNode& key, const Value* map) {
  if (extra < 0) return std::nullopt;
  if (key.op != KOp::local_field || (source.op != KOp::lazy && source.op != KOp::constant))
    return std::nullopt;
  const KVal& object = k.locals[static_cast<std::size_t>(key.b)];
  if (object.row == 0) return std::nullopt;
  if (!std::holds_alternative<Text>(k.field_of(object, key.local).data)) return std::nullopt;
  KRowMap& rows = k.row_maps[static_cast<std::size_t>(extra)];
  if (rows.map != map) build_row_map(k, rows, map, key.local);
  if (!rows.usable) return std::nullopt;
  return rows.find(object.row - 1);
}

/// get(map, c.field) by the item's row (find_by_row); nothing where that does not apply.
std::optional<KVal> Interpreter::get_by_row(Kernel& k, const KNode& x, const Value* map) {
  const auto found = find_by_row(k, x.extra, k.nodes[static_cast<std::size_t>(x.a)],
                                 k.nodes[static_cast<std::size_t>(x.b)], map);
  if (!found) return std::nullopt;
  return *found ? kval(**found) : KVal{};
}

namespace {

/// Calls `f(row, value)` for each row of a base whose field (indexed by `index`) holds a key of map
/// `entries`, entry by entry in the map's order; false, having stopped, where a key is no text.
template <typename F>
bool for_each_keyed_row(const ListValue& entries, const ListValue::TextRows& index, F f) {
  for (const Value& entry : entries.items()) {
    const ListValue& pair = entry.as_list();
    const auto* text = std::get_if<Text>(&pair.at(0).data);
    if (!text) return false;
    const Value& value = pair.at(1);
    index.for_each(**text, [&f, &value](std::uint32_t row) { f(row, value); });
  }
  return true;
}

}  // namespace

void Interpreter::build_row_map(Kernel& k, KRowMap& rows, const Value* map, std::int32_t slot) {
  rows.map = map;
  rows.rows.clear();
  rows.values.clear();
  const auto& entries = map->as_list();
  // An empty map (no certification yet) finds nothing; otherwise the rows are found by the index of the
  // texts of the base's column of the field.
  const auto at = static_cast<std::size_t>(slot);
  rows.usable = entries.empty() || (at < k.columns.size() && k.columns[at] != nullptr);
  if (entries.empty() || !rows.usable) return;
  std::vector<std::pair<std::uint32_t, const Value*>> found;
  rows.usable = for_each_keyed_row(
      entries, k.rows_of->text_rows(at),
      [&found](std::uint32_t row, const Value& value) { found.emplace_back(row, &value); });
  if (!rows.usable) return;
  rows.fill(found);
}

bool Interpreter::mark_own_rows(Kernel& k) {
  for (const auto& [node, slot] : k.keyed_maps) {
    const auto& entries = k.nodes[static_cast<std::size_t>(node)].value.v->as_list();
    if (entries.empty()) continue;
    const ListValue::TextRows& index = k.rows_of->text_rows(static_cast<std::size_t>(slot));
    if (k.own_rows.empty()) k.own_rows.assign(index.next.size(), 0);
    if (!for_each_keyed_row(entries, index, [&k](std::uint32_t row, const Value&) { k.own_rows[row] = 1; }))
      return false;
  }
  return true;
}

[[gnu::noinline]] KVal Interpreter::run_quantifier(Kernel& k, const KNode& x) {
  const KVal source = run_kernel(k, x.a);
  const ListValue& items = list_of(source);
  const auto& q = std::get<ast::Quantified>(x.expr->node);
  charge_steps(std::uint64_t{items.size()} * q.per_item);
  std::int64_t count = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    k.locals[static_cast<std::size_t>(x.local)] = kval(items.at(i));
    bool holds = false;
    try {
      holds = truth(run_kernel(k, x.b));
    } catch (EvalError& error) {
      error.trace.push_back(item_note(q.var, *q.source, items, i));
      throw;
    }
    if (x.op == KOp::exists && holds) return KVal::of(true);
    if (x.op == KOp::every && !holds) return KVal::of(false);
    if (x.op == KOp::first && holds) return kval(items.at(i));
    if (holds) ++count;
  }
  if (x.op == KOp::exists) return KVal::of(false);
  if (x.op == KOp::every) return KVal::of(true);
  if (x.op == KOp::first) return KVal{};
  return KVal::of(count);
}

[[gnu::noinline]] KVal Interpreter::run_call(Kernel& k, const KNode& x) {
  KCall& call = k.calls[static_cast<std::size_t>(x.extra)];
  if (!call.named_done) {
    // As Interpreter::as_call: before the body, outside the call's note.
    for (const ast::Ref& named : call.named_first) {
      if (named.kind == RefKind::definition)
        definition(named.index);
      else
        parameter(named.index);
    }
    call.named_done = true;
  }
  for (const auto& [arg, local] : call.args) k.locals[static_cast<std::size_t>(local)] = run_kernel(k, arg);
  try {
    return run_kernel(k, x.a);
  } catch (EvalError& error) {
    error.trace.push_back(call_note(*call.function, *call.call));
    throw;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The function of each node (kernel_fn). A node whose operands are constants or fields of a local reads them
// in place; a node of a rarer op is worked out by run_node. Each works out its operands in order, a before b.

namespace {

enum class Arg : std::uint8_t { node, constant, field };

Arg kind_of(const Kernel& k, std::int32_t n) {
  if (n < 0) return Arg::node;
  switch (k.nodes[static_cast<std::size_t>(n)].op) {
    case KOp::constant:
      return Arg::constant;
    case KOp::local_field:
      return Arg::field;
    default:
      return Arg::node;
  }
}

}  // namespace

struct KernelOps {
  template <Arg A>
  [[gnu::always_inline]] static KVal arg(Interpreter& in, Kernel& k, std::int32_t n) {
    const KNode& x = k.nodes[static_cast<std::size_t>(n)];
    if constexpr (A == Arg::constant) {
      return x.value;
    } else if constexpr (A == Arg::field) {
      return local_field(k, x);
    } else {
      return x.fn(in, k, x);
    }
  }

  static KVal any(Interpreter& in, Kernel& k, const KNode& x) { return in.run_node(k, x); }
  static KVal constant(Interpreter&, Kernel&, const KNode& x) { return x.value; }
  static KVal local(Interpreter&, Kernel& k, const KNode& x) {
    return k.locals[static_cast<std::size_t>(x.local)];
  }
  static KVal field(Interpreter&, Kernel& k, const KNode& x) { return local_field(k, x); }

  static KVal conditional(Interpreter& in, Kernel& k, const KNode& x) {
    return in.run_kernel(k, truth(in.run_kernel(k, x.a)) ? x.b : x.c);
  }
  static KVal choose(Interpreter& in, Kernel& k, const KNode& x) {
    const KVal subject = in.run_kernel(k, x.a);
    if (subject.tag != KVal::enumeration) throw KernelBail{};
    return in.run_kernel(k, k.tables.at(static_cast<std::size_t>(x.extra + subject.e.index)));
  }
  static KVal get(Interpreter& in, Kernel& k, const KNode& x) {
    const KVal map = in.run_kernel(k, x.a);
    if (map.tag != KVal::other) throw KernelBail{};
    if (const auto found = in.get_by_row(k, x, map.v)) return *found;
    const KVal key = in.run_kernel(k, x.b);
    const Value* found = map_find(*map.v, text_of(key));
    return found ? kval(*found) : KVal{};
  }

  template <Arg A>
  static KVal logical_not(Interpreter& in, Kernel& k, const KNode& x) {
    return KVal::of(!truth(arg<A>(in, k, x.a)));
  }
  template <KOp Op, Arg A, Arg B>
  static KVal binary(Interpreter& in, Kernel& k, const KNode& x) {
    const KVal a = arg<A>(in, k, x.a);
    if constexpr (Op == KOp::logical_and) {
      return KVal::of(truth(a) && truth(arg<B>(in, k, x.b)));
    } else if constexpr (Op == KOp::logical_or) {
      return KVal::of(truth(a) || truth(arg<B>(in, k, x.b)));
    } else if constexpr (Op == KOp::or_else) {
      return a.tag == KVal::none ? arg<B>(in, k, x.b) : a;
    } else if constexpr (Op == KOp::equal) {
      return KVal::of(same(a, arg<B>(in, k, x.b)));
    } else if constexpr (Op == KOp::not_equal) {
      return KVal::of(!same(a, arg<B>(in, k, x.b)));
    } else if constexpr (Op == KOp::member_of) {
      return contains(k, x, a, arg<B>(in, k, x.b));
    } else if constexpr (Op == KOp::add || Op == KOp::subtract || Op == KOp::multiply) {
      return worked_out(Op, a, arg<B>(in, k, x.b));
    } else {
      return ordered_by(Op, a, arg<B>(in, k, x.b));
    }
  }

  template <Arg A, Arg B>
  static KFn binary_fn(KOp op) {
    switch (op) {
      case KOp::logical_and:
        return &binary<KOp::logical_and, A, B>;
      case KOp::logical_or:
        return &binary<KOp::logical_or, A, B>;
      case KOp::or_else:
        return &binary<KOp::or_else, A, B>;
      case KOp::equal:
        return &binary<KOp::equal, A, B>;
      case KOp::not_equal:
        return &binary<KOp::not_equal, A, B>;
      case KOp::member_of:
        return &binary<KOp::member_of, A, B>;
      case KOp::add:
        return &binary<KOp::add, A, B>;
      case KOp::subtract:
        return &binary<KOp::subtract, A, B>;
      case KOp::multiply:
        return &binary<KOp::multiply, A, B>;
      case KOp::less:
        return &binary<KOp::less, A, B>;
      case KOp::less_equal:
        return &binary<KOp::less_equal, A, B>;
      case KOp::greater:
        return &binary<KOp::greater, A, B>;
      case KOp::greater_equal:
        return &binary<KOp::greater_equal, A, B>;
      default:
        return &any;
    }
  }
  /// `f` called with the kind `a` as a constant expression (std::integral_constant), so that it can name
  /// the function for that kind.
  template <typename F>
  static KFn by_kind(Arg a, const F& f) {
    switch (a) {
      case Arg::constant:
        return f(std::integral_constant<Arg, Arg::constant>{});
      case Arg::field:
        return f(std::integral_constant<Arg, Arg::field>{});
      case Arg::node:
        break;
    }
    return f(std::integral_constant<Arg, Arg::node>{});
  }

  static KFn pick(const Kernel& k, const KNode& node) {
    switch (node.op) {
      case KOp::constant:
        return &constant;
      case KOp::local:
        return &local;
      case KOp::local_field:
        return &field;
      case KOp::conditional:
        return &conditional;
      case KOp::choose:
        return &choose;
      case KOp::get:
        return &get;
      case KOp::logical_not:
        return by_kind(kind_of(k, node.a), [](auto a) -> KFn { return &logical_not<a.value>; });
      case KOp::logical_and:
      case KOp::logical_or:
      case KOp::or_else:
      case KOp::equal:
      case KOp::not_equal:
      case KOp::member_of:
      case KOp::add:
      case KOp::subtract:
      case KOp::multiply:
      case KOp::less:
      case KOp::less_equal:
      case KOp::greater:
      case KOp::greater_equal:
        return by_kind(kind_of(k, node.a), [&](auto a) {
          return by_kind(kind_of(k, node.b), [&](auto b) { return binary_fn<a.value, b.value>(node.op); });
        });
      default:
        return &any;
    }
  }
};

KFn kernel_fn(const Kernel& k, const KNode& node) {
  return KernelOps::pick(k, node);
}

}  // namespace merit::interpret
