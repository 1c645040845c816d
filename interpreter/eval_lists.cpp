// The interpreter's list forms: comprehensions, take with ties, quantifiers, and choose (sort is in
// eval_sort.cpp). Each records, with --explain, what it did to the records going through it
// (eval_explain.cpp).
#include "interpreter/interpreter.hpp"

namespace merit::interpret {

Value Interpreter::eval_node(const Expr& e, const ast::Comprehension& c) {
  const Value source = eval(*c.source);
  const ListValue& list = source.as_list();
  charge_steps(std::uint64_t{list.size()} * c.per_item);
  if (!explain_ && c.condition && !c.earlier && list.size() >= kernel_min_items_) {
    Kernel k;
    if (specialise(k, *c.condition, c.var.slot)) return filter(c, source, k);
  }
  const auto& items = list.items();
  const std::int32_t step = explain_ && c.condition ? open_step(e) : -1;
  std::vector<const Expr*> parts;
  if (step >= 0) deciding_parts(*c.condition, c.var.slot, parts);
  std::vector<Value> out;
  // With `after`, the elements so far are this list, which grows in place unless an element keeps it.
  Value earlier;
  if (c.earlier) {
    earlier = make_list({});
    slot(c.earlier->slot).bind(earlier);
  } else {
    out.reserve(items.size());  // a filter keeps at most all; no regrowth per item
  }
  std::size_t i = 0;
  try {
    for (; i < items.size(); ++i) {
      prefetch_ahead(items, i);
      slot(c.var.slot).bind(items[i]);
      if (c.condition && !test(*c.condition)) {
        if (step >= 0) {
          ++scope().steps[static_cast<std::size_t>(step)].left_out;
          record(items[i], ItemEvent{ItemFate::left_out, step, 0, values_of(parts)});
        }
        continue;
      }
      if (c.earlier) {
        append_item(earlier, eval(*c.element));
        slot(c.earlier->slot).bind(earlier);  // a copy, when an element kept the list before
      } else {
        out.push_back(eval(*c.element));
      }
    }
  } catch (EvalError& error) {
    error.trace.push_back(item_note(c.var, *c.source, list, i));
    throw;
  }
  return c.earlier ? earlier : make_list(std::move(out));
}

Value Interpreter::filter(const ast::Comprehension& c, const Value& source, Kernel& k, std::size_t from,
                          Kept kept) {
  const ListValue& items = source.as_list();
  const bool whole = keeps_items(c);
  if (from == 0 && k.constant() && k.constant_value().tag == KVal::boolean) {
    // A condition that does not depend on the item: the requisition has no selective qualification, the
    // vacancy is not part-time acting.
    if (!k.constant_value().b) return make_list({});
    if (whole) return source;
  }
  // A filter that keeps the items of a long list of records is remembered on the list's base, by its kernel
  // and the list it went through: in a batch, requisitions for one location and hours go through the
  // register alike, and so do the filters of what they kept.
  const ListValue& base = items.base();
  ListValue::PassKey key;
  if (!base.of_records() || !write_pass(k, key.bytes)) key.bytes.clear();
  const bool memo = from == 0 && whole && !key.bytes.empty();
  if (memo) {
    key.site = &c;
    key.source = items.serial();
    std::uint64_t serial = 0;
    if (const auto* rows = base.remembered(key, serial)) return view_of(source, *rows, serial);
  }
  begin_tests(k, items, key.bytes);
  const bool view = whole && k.rows_of != nullptr;
  if (view) {
    kept.rows.reserve(items.size());
  } else {
    kept.items.reserve(items.size());
  }
  std::size_t i = from;
  try {
    for (; i < items.size(); ++i) {
      if (!kernel_test(k, *c.condition, c.var.slot, items, i)) continue;
      if (view) {
        kept.rows.push_back(items.row(i));
      } else if (whole) {
        kept.items.push_back(items.at(i));
      } else {
        slot(c.var.slot).bind(items.at(i));
        kept.items.push_back(eval(*c.element));
      }
    }
  } catch (EvalError& error) {
    error.trace.push_back(item_note(c.var, *c.source, items, i));
    throw;
  }
  if (!view) return make_list(std::move(kept.items));
  if (kept.rows.size() < kept.rows.capacity() / 2) kept.rows.shrink_to_fit();
  std::vector<std::uint32_t> rows = memo ? kept.rows : std::vector<std::uint32_t>{};
  Value out = view_of(source, std::move(kept.rows));
  if (memo) base.remember(std::move(key), std::move(rows), out.as_list().serial());
  return out;
}

/// `c = register.candidates item 4 (id "C05")`: which item of a list was being evaluated when an error
/// happened; a record's text field `id`, when it has one, names the item better than its position.
std::string Interpreter::item_note(const ast::Binder& var, const Expr& source, const ListValue& items,
                                   std::size_t index) const {
  const std::string& text = program_.sources.files.at(source.span.file).text;
  std::string written = source.span.end <= text.size() && source.span.begin < source.span.end
                            ? text.substr(source.span.begin, source.span.end - source.span.begin)
                            : std::string("the list");
  if (written.find('\n') != std::string::npos || written.size() > 60) written = "the list";
  std::string id;
  if (index < items.size()) {
    if (const auto* record = std::get_if<RecordPtr>(&items.at(index).data)) {
      const auto& fields = program_.records.at(static_cast<std::size_t>((*record)->decl))->fields;
      for (std::size_t f = 0; f < fields.size() && f < (*record)->fields.size(); ++f) {
        if (fields[f].name != "id") continue;
        if (const auto* t = std::get_if<Text>(&(*record)->fields[f].data))
          id = fmt::format(" (id \"{}\")", **t);
      }
    }
  }
  return fmt::format("for {} = {} item {}{}", var.name, written, index + 1, id);
}

std::vector<Value> Interpreter::keys_of(const Value& item, std::int32_t var,
                                        const std::vector<const Expr*>& keys) {
  slot(var).bind(item);
  std::vector<Value> values;
  values.reserve(keys.size());
  for (const Expr* k : keys) values.push_back(eval(*k));
  return values;
}

Value Interpreter::eval_node(const Expr& e, const ast::Take& t) {
  const std::int64_t n = eval(*t.count).as_int();
  const Value source = eval(*t.source);
  const ListValue& items = source.as_list();
  charge_steps(std::uint64_t{items.size()} * t.per_item);
  if (n <= 0 || items.empty()) {
    if (explain_) record_take(e, t, n, items, 0, 0, {});
    return make_list({});
  }
  std::size_t taken = 0;  // how many items from the front are taken
  std::size_t before_ties = 0;
  std::vector<const Expr*> key_exprs;
  for (const auto& k : t.tie_keys) key_exprs.push_back(k.get());
  try {
    if (t.counting) {
      std::int64_t counted = 0;
      while (taken < items.size() && counted < n) {
        slot(t.var.slot).bind(items.at(taken));
        if (test(*t.counting)) ++counted;
        ++taken;
      }
    } else {
      taken = static_cast<std::size_t>(std::min<std::int64_t>(n, static_cast<std::int64_t>(items.size())));
    }
    before_ties = taken;
    if (!t.tie_keys.empty() && taken > 0) {
      --taken;  // while the last item's keys are computed, it is the one being evaluated
      const std::vector<Value> last = keys_of(items.at(taken), t.var.slot, key_exprs);
      ++taken;
      while (taken < items.size()) {
        const std::vector<Value> next = keys_of(items.at(taken), t.var.slot, key_exprs);
        if (!std::equal(last.begin(), last.end(), next.begin(), values_equal)) break;
        ++taken;
      }
    }
  } catch (EvalError& error) {
    error.trace.push_back(item_note(t.var, *t.source, items, taken));
    throw;
  }
  if (explain_) record_take(e, t, n, items, before_ties, taken, key_exprs);
  std::vector<Value> out;
  out.reserve(taken);
  for (std::size_t i = 0; i < taken; ++i) out.push_back(items.at(i));
  return make_list(std::move(out));
}

void Interpreter::record_take(const Expr& e, const ast::Take& t, std::int64_t n, const ListValue& items,
                              std::size_t before_ties, std::size_t taken,
                              const std::vector<const Expr*>& key_exprs) {
  const std::int32_t step = open_step(e);
  if (step < 0) return;
  const auto keys_at = [&](std::size_t i) {
    std::vector<ValueAt> out;
    if (t.var.slot < 0) return out;
    const std::vector<Value> values = keys_of(items.at(i), t.var.slot, key_exprs);
    for (std::size_t k = 0; k < values.size(); ++k) out.push_back({key_exprs[k], values[k]});
    return out;
  };
  {
    ListStep& s = scope().steps[static_cast<std::size_t>(step)];
    s.wanted = n;
    s.before_ties = before_ties;
    s.taken = taken;
  }
  if (before_ties > 0) {
    auto last = keys_at(before_ties - 1);
    scope().steps[static_cast<std::size_t>(step)].last_keys = std::move(last);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ItemFate fate = i < before_ties ? ItemFate::taken : i < taken ? ItemFate::tied : ItemFate::cut;
    record(items.at(i),
           ItemEvent{fate, step, i + 1, fate == ItemFate::taken ? std::vector<ValueAt>{} : keys_at(i)});
  }
}

Value Interpreter::eval_node(const Expr&, const ast::Quantified& q) {
  const Value source = eval(*q.source);
  std::int64_t count = 0;
  const ListValue& items = source.as_list();
  charge_steps(std::uint64_t{items.size()} * q.per_item);
  Kernel k;
  const bool kernel =
      !explain_ && items.size() >= kernel_min_items_ && specialise(k, *q.condition, q.var.slot);
  if (kernel) begin_tests(k, items);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& item = items.at(i);
    bool holds = false;
    try {
      if (kernel) {
        holds = kernel_test(k, *q.condition, q.var.slot, items, i);
      } else {
        slot(q.var.slot).bind(item);
        holds = test(*q.condition);
      }
    } catch (EvalError& error) {
      error.trace.push_back(item_note(q.var, *q.source, items, i));
      throw;
    }
    switch (q.kind) {
      case ast::Quantifier::exists:
        if (holds) return Value(true);
        break;
      case ast::Quantifier::every:
        if (!holds) return Value(false);
        break;
      case ast::Quantifier::first:
        if (holds) return item;
        break;
      case ast::Quantifier::count:
        count += holds ? 1 : 0;
        break;
    }
  }
  switch (q.kind) {
    case ast::Quantifier::exists:
      return Value(false);
    case ast::Quantifier::every:
      return Value(true);
    case ast::Quantifier::first:
      return Value(None{});
    default:
      return Value(count);
  }
}

Value Interpreter::eval_node(const Expr&, const ast::Choose& c) {
  const auto member = std::get<EnumValue>(eval(*c.subject).data).index;
  const auto branch = c.branch_of_member.at(static_cast<std::size_t>(member));
  return eval(*c.branches.at(static_cast<std::size_t>(branch)).value);
}

}  // namespace merit::interpret
