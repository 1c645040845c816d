// Sorting: `sort x in xs by k1, k2 descending`. The keys of every item are worked out once (by kernels
// over a long list), held unwrapped in columns of one kind, packed into integers that order as they do, and
// radix-sorted where they fit 64 bits together; a sort that ends with fields of the items the list's base
// was sorted by before sorts by their places in that order (ListValue::Ranking). Every way gives the order
// compare_values gives, equal items kept in their order.
#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>

#include "interpreter/interpreter.hpp"

namespace merit::interpret {

/// One sort key of every item. Where all of them are of one kind (the scores, the ids), they are held
/// unwrapped, so that the comparisons of a sort, most of its time, skip compare_values' dispatch; they
/// order exactly as compare_values does.
struct KeyColumn {
  enum Kind : std::uint8_t { any, integer, decimal, text } kind = any;
  bool descending = false;
  std::vector<std::int64_t> integers;
  std::vector<double> decimals;
  std::vector<std::string_view> texts;
};

namespace {

KeyColumn key_column(const std::vector<Value>& keys, std::size_t width, std::size_t k, bool descending) {
  KeyColumn column;
  column.descending = descending;
  const std::size_t n = width == 0 ? 0 : keys.size() / width;
  if (n == 0) return column;
  const auto kind = keys[k].data.index();
  for (std::size_t i = 0; i < n; ++i) {
    if (keys[i * width + k].data.index() != kind) return column;
  }
  const Value& first = keys[k];
  if (std::holds_alternative<std::int64_t>(first.data)) {
    column.kind = KeyColumn::integer;
    column.integers.reserve(n);
    for (std::size_t i = 0; i < n; ++i) column.integers.push_back(keys[i * width + k].as_int());
  } else if (std::holds_alternative<double>(first.data)) {
    column.kind = KeyColumn::decimal;
    column.decimals.reserve(n);
    for (std::size_t i = 0; i < n; ++i) column.decimals.push_back(std::get<double>(keys[i * width + k].data));
  } else if (std::holds_alternative<Text>(first.data)) {
    column.kind = KeyColumn::text;
    column.texts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) column.texts.emplace_back(keys[i * width + k].as_text());
  }
  return column;
}

/// Two durations in different units that a sort would put in order: of key `key`, the one of item `item`
/// and the one before it in its run.
struct MixedUnits {
  std::size_t key;
  std::size_t item;
  Duration first;
  Duration other;
};

/// Where the sort that gave `order` put durations in different units in order, by a key that `durations`
/// marks; nothing where it did not. A key orders only the items that tie on the keys before it, which
/// stand together in `order`: its units are compared within each such run, as `<` would compare them.
std::optional<MixedUnits> mixed_units(const std::vector<Value>& keys, const std::vector<bool>& durations,
                                      const std::vector<std::size_t>& order) {
  const std::size_t width = durations.size();
  for (std::size_t k = 0; k < width; ++k) {
    if (!durations[k]) continue;
    const Duration* first = nullptr;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::size_t at = order[i];
      for (std::size_t j = 0; i > 0 && first != nullptr && j < k; ++j) {
        if (!values_equal(keys[order[i - 1] * width + j], keys[at * width + j])) first = nullptr;
      }
      const auto* d = std::get_if<Duration>(&keys[at * width + k].data);
      if (d == nullptr) continue;
      if (first == nullptr) {
        first = d;
      } else if (d->unit != first->unit) {
        return MixedUnits{k, at, *first, *d};
      }
    }
  }
  return std::nullopt;
}

/// Where none of the first `lead` keys is a text and their packed values, less the least of each, fit in 64
/// bits together (a tier of 1 to 4 and a place in the register: 19 bits for 100,000 candidates), the items
/// in order of those keys by a radix sort, which keeps equal items in their order as a stable sort does;
/// false otherwise. `order` holds 0 to n - 1 in order.
bool radix_sorted(std::vector<std::size_t>& order, const std::vector<std::uint64_t>& packed,
                  const std::vector<KeyColumn>& columns, std::size_t lead) {
  const std::size_t width = columns.size();
  const std::size_t n = order.size();
  if (n < 2) return true;
  std::vector<std::uint64_t> least(lead, ~std::uint64_t{0});
  std::vector<int> bits(lead, 0);
  int total = 0;
  for (std::size_t k = 0; k < lead; ++k) {
    if (columns[k].kind == KeyColumn::text) return false;
    std::uint64_t most = 0;
    for (std::size_t i = 0; i < n; ++i) {
      least[k] = std::min(least[k], packed[i * width + k]);
      most = std::max(most, packed[i * width + k]);
    }
    bits[k] = static_cast<int>(std::bit_width(most - least[k]));
    total += bits[k];
    if (total > 64) return false;
  }
  std::vector<std::uint64_t> keys(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t key = 0;
    for (std::size_t k = 0; k < lead; ++k) {
      if (bits[k] == 0) continue;
      key = (bits[k] == 64 ? 0 : key << bits[k]) | (packed[i * width + k] - least[k]);
    }
    keys[i] = key;
  }
  constexpr int digit = 11;
  std::vector<std::size_t> from(order);
  std::vector<std::size_t> to(n);
  std::vector<std::size_t> counts(std::size_t{1} << digit);
  for (int shift = 0; shift < total; shift += digit) {
    std::fill(counts.begin(), counts.end(), 0);
    const auto digit_of = [&](std::size_t at) {
      return (keys[at] >> shift) & ((std::uint64_t{1} << digit) - 1);
    };
    for (const auto at : from) ++counts[digit_of(at)];
    std::size_t sum = 0;
    for (auto& c : counts) sum += std::exchange(c, sum);
    for (const auto at : from) to[counts[digit_of(at)]++] = at;
    from.swap(to);
  }
  order.swap(from);
  return true;
}

/// Where every key is a number or a text: each key packed into 64 bits that order as the key does (a text by
/// its first 8 bytes, the rest compared only between equal prefixes), so that most comparisons of the sort
/// are of two integers.
void sort_packed(std::vector<std::size_t>& order, const std::vector<KeyColumn>& columns) {
  const std::size_t width = columns.size();
  const std::size_t n = order.size();
  std::vector<std::uint64_t> packed(n * width);
  for (std::size_t k = 0; k < width; ++k) {
    const KeyColumn& column = columns[k];
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t u = 0;
      switch (column.kind) {
        case KeyColumn::integer:
          u = static_cast<std::uint64_t>(column.integers[i]) ^ (std::uint64_t{1} << 63);
          break;
        case KeyColumn::decimal: {
          // -0 orders with 0, as compare_values has it; no decimal is NaN (the data refuses it, and
          // arithmetic that would make one is an error).
          const double d = column.decimals[i] == 0 ? 0.0 : column.decimals[i];
          std::memcpy(&u, &d, sizeof u);
          u = (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
          break;
        }
        case KeyColumn::text: {
          const std::string_view t = column.texts[i];
          for (std::size_t b = 0; b < 8; ++b)
            u = (u << 8) | (b < t.size() ? static_cast<unsigned char>(t[b]) : 0U);
          break;
        }
        case KeyColumn::any:
          break;
      }
      packed[i * width + k] = column.descending ? ~u : u;
    }
  }
  if (radix_sorted(order, packed, columns, width)) return;
  const auto before = [&](std::size_t a, std::size_t b) {
    const std::uint64_t* x = &packed[a * width];
    const std::uint64_t* y = &packed[b * width];
    for (std::size_t k = 0; k < width; ++k) {
      if (x[k] != y[k]) return x[k] < y[k];
      const KeyColumn& column = columns[k];
      if (column.kind != KeyColumn::text) continue;
      const int c = column.texts[a].compare(column.texts[b]);
      if (c != 0) return column.descending ? c > 0 : c < 0;
    }
    return false;
  };
  // The first keys that a radix sort can take (the score, before the id): by them first, then each run of
  // items equal on them by every key. Equal items keep their order either way.
  std::size_t lead = width - 1;
  while (lead > 0 && !radix_sorted(order, packed, columns, lead)) --lead;
  if (lead == 0) {
    std::stable_sort(order.begin(), order.end(), before);
    return;
  }
  const auto same_lead = [&](std::size_t a, std::size_t b) {
    return std::equal(&packed[a * width], &packed[a * width + lead], &packed[b * width]);
  };
  for (std::size_t from = 0; from < n;) {
    std::size_t to = from + 1;
    while (to < n && same_lead(order[from], order[to])) ++to;
    if (to - from > 1)
      std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(from),
                       order.begin() + static_cast<std::ptrdiff_t>(to), before);
    from = to;
  }
}

void sort_columns(std::vector<std::size_t>& order, const std::vector<KeyColumn>& columns,
                  const std::vector<Value>& keys) {
  const std::size_t width = columns.size();
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    for (std::size_t k = 0; k < width; ++k) {
      const KeyColumn& column = columns[k];
      std::weak_ordering c = std::weak_ordering::equivalent;
      switch (column.kind) {
        case KeyColumn::integer:
          c = column.integers[a] <=> column.integers[b];
          break;
        case KeyColumn::decimal: {
          const double x = column.decimals[a];
          const double y = column.decimals[b];
          c = x < y   ? std::weak_ordering::less
              : x > y ? std::weak_ordering::greater
                      : std::weak_ordering::equivalent;
          break;
        }
        case KeyColumn::text:
          c = column.texts[a].compare(column.texts[b]) <=> 0;
          break;
        case KeyColumn::any:
          c = compare_values(keys[a * width + k], keys[b * width + k]);
          break;
      }
      if (c != 0) return column.descending ? c > 0 : c < 0;
    }
    return false;
  });
}

/// Whether every key column is of one kind, so that the keys can be packed into integers.
bool packable(const std::vector<KeyColumn>& columns) {
  return std::none_of(columns.begin(), columns.end(),
                      [](const KeyColumn& column) { return column.kind == KeyColumn::any; });
}

/// The positions 0 to n - 1 in the order of the key columns (equal items in their order); `keys`, item i's
/// keys at i * width, is read only where some column is not packable.
std::vector<std::size_t> sort_order(std::size_t n, const std::vector<KeyColumn>& columns,
                                    const std::vector<Value>& keys) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (packable(columns)) {
    sort_packed(order, columns);
  } else {
    sort_columns(order, columns, keys);
  }
  return order;
}

/// Whether items a and b have equal keys in `column` (whose values are `values`), as compare_values has it.
bool same_key(const KeyColumn& column, const std::vector<Value>& values, std::size_t a, std::size_t b) {
  switch (column.kind) {
    case KeyColumn::integer:
      return column.integers[a] == column.integers[b];
    case KeyColumn::decimal:
      return column.decimals[a] == column.decimals[b];  // -0 equals 0, as compare_values has it
    case KeyColumn::text:
      return column.texts[a] == column.texts[b];
    case KeyColumn::any:
      break;
  }
  return compare_values(values[a], values[b]) == 0;
}

/// Orders the items of `base` by the ranking's keys and gives each its place (ListValue::Ranking).
void make_places(const ListValue& base, ListValue::Ranking& ranking) {
  const std::size_t n = base.size();
  const std::size_t width = ranking.keys.size();
  std::vector<const std::vector<Value>*> values;
  std::vector<KeyColumn> columns;
  for (const auto& [slot, descending] : ranking.keys) {
    values.push_back(&base.column(static_cast<std::size_t>(slot)));
    columns.push_back(key_column(*values.back(), 1, 0, descending));
  }
  std::vector<Value> keys;  // only where some key is of no one kind
  if (!packable(columns)) {
    keys.reserve(n * width);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < width; ++k) keys.push_back((*values[k])[i]);
    }
  }
  const std::vector<std::size_t> order = sort_order(n, columns, keys);
  ranking.places.assign(n, 0);
  std::uint32_t place = 0;
  for (std::size_t i = 1; i < n; ++i) {
    const std::size_t a = order[i - 1];
    const std::size_t b = order[i];
    for (std::size_t k = 0; k < width; ++k) {
      if (!same_key(columns[k], *values[k], a, b)) {
        ++place;
        break;
      }
    }
    ranking.places[b] = place;
  }
}

}  // namespace

bool Interpreter::kernel_keys(const ast::Sort& s, const ListValue& items, std::vector<Kernel>& kernels,
                              std::vector<KeyColumn>& columns) {
  const std::size_t width = s.keys.size();
  kernels.resize(width);
  for (std::size_t k = 0; k < width; ++k) {
    if (!specialise(kernels[k], *s.keys[k].key, s.var.slot)) return false;
    begin_pass(kernels[k], items);
    columns[k].descending = s.keys[k].descending;
  }
  // The last keys that are fields of the item (`c.score descending, c.id`): their places in the base's
  // order by them stand for them, from the second sort of one base by them on, or from the first where it
  // sorts most of the base (a pool of candidates), when ordering the base costs about what sorting the list
  // would.
  std::size_t computed = width;
  const std::vector<std::uint32_t>* places = nullptr;
  if (const ListValue* base = kernels[0].rows_of) {
    std::vector<std::pair<std::int32_t, bool>> fields;
    while (computed > 0) {
      const Kernel& kernel = kernels[computed - 1];
      const KNode& root = kernel.nodes[static_cast<std::size_t>(kernel.root)];
      if (root.op != KOp::local_field || root.b != 0) break;
      fields.insert(fields.begin(), {root.local, s.keys[computed - 1].descending});
      --computed;
    }
    if (!fields.empty()) {
      ListValue::Ranking& ranking = base->ranking(fields);
      if (ranking.asked >= 2 || 2 * items.size() >= base->size()) {
        if (ranking.places.empty()) make_places(*base, ranking);
        places = &ranking.places;
      } else {
        computed = width;
      }
    }
  }
  // A key that depends on nothing but the item and values worked out before the pass (a method's tier for
  // the requisition's agency) is remembered by the base for each row, for the sorts of the rest of a batch.
  std::vector<std::shared_ptr<std::vector<std::int64_t>>> remembered(computed);
  for (std::size_t k = 0; k < computed; ++k) {
    std::string written;
    if (kernels[k].rows_of && !kernels[k].constant() && write_pass(kernels[k], written))
      remembered[k] = kernels[k].rows_of->key_values(written);
  }
  // A decimal key may hold integers (a score of 94); they order as decimals where they convert exactly.
  constexpr std::int64_t exact = std::int64_t{1} << 53;
  std::size_t i = 0;
  try {
    for (; i < items.size(); ++i) {
      for (std::size_t k = 0; k < computed; ++k) {
        Kernel& kernel = kernels[k];
        std::int64_t* known = remembered[k] ? &(*remembered[k])[items.row(i)] : nullptr;
        KVal key;
        if (known && *known != ListValue::unknown_key) {
          key = KVal::of(*known);
        } else {
          kernel.bind_item(items, i);
          key = run_kernel(kernel, kernel.root);
          if (known && key.tag == KVal::integer) *known = key.i;
        }
        KeyColumn& column = columns[k];
        if (i == 0) {
          column.kind = key.tag == KVal::integer   ? KeyColumn::integer
                        : key.tag == KVal::decimal ? KeyColumn::decimal
                        : key.tag == KVal::text    ? KeyColumn::text
                                                   : KeyColumn::any;
          if (column.kind == KeyColumn::any) return false;
        }
        switch (column.kind) {
          case KeyColumn::integer:
            if (key.tag == KVal::integer) {
              column.integers.push_back(key.i);
              break;
            }
            if (key.tag != KVal::decimal) return false;
            for (const auto n : column.integers) {
              if (n >= exact || n <= -exact) return false;
              column.decimals.push_back(static_cast<double>(n));
            }
            column.integers.clear();
            column.kind = KeyColumn::decimal;
            column.decimals.push_back(key.d);
            break;
          case KeyColumn::decimal:
            if (key.tag == KVal::decimal) {
              column.decimals.push_back(key.d);
            } else if (key.tag == KVal::integer && key.i < exact && key.i > -exact) {
              column.decimals.push_back(static_cast<double>(key.i));
            } else {
              return false;
            }
            break;
          case KeyColumn::text:
            if (key.tag != KVal::text) return false;
            column.texts.emplace_back(*key.s);
            break;
          case KeyColumn::any:
            return false;
        }
      }
    }
  } catch (const KernelBail&) {
    return false;
  } catch (EvalError& error) {
    error.trace.push_back(item_note(s.var, *s.source, items, i));
    throw;
  }
  if (places) {
    columns.resize(computed + 1);
    KeyColumn& column = columns[computed];
    column = KeyColumn{};
    column.kind = KeyColumn::integer;
    column.integers.reserve(items.size());
    for (std::size_t at = 0; at < items.size(); ++at) column.integers.push_back((*places)[items.row(at)]);
  }
  return true;
}

Value Interpreter::eval_node(const Expr& e, const ast::Sort& s) {
  const Value source = eval(*s.source);
  const ListValue& list = source.as_list();
  charge_steps(std::uint64_t{list.size()} * s.per_item);
  std::vector<const Expr*> key_exprs;
  for (const auto& k : s.keys) key_exprs.push_back(k.key.get());
  // The keys of every item, computed once, in one flat array: item i's keys start at i * width.
  const std::size_t width = key_exprs.size();
  std::vector<Value> keys;
  std::vector<KeyColumn> columns(width);
  // Durations in different units have no order (a month is 28 to 31 days), as `<` has it: a sort that
  // would compare them is refused, not ordered by unit. Their keys are worked out here, where each is seen.
  const bool by_durations =
      std::any_of(s.keys.begin(), s.keys.end(), [](const ast::SortKey& k) { return k.by_duration; });
  // The kernels hold the constant keys the columns' texts may point into.
  std::vector<Kernel> kernels;
  const bool by_kernels = !explain_ && !by_durations && list.size() >= kernel_min_items_ &&
                          kernel_keys(s, list, kernels, columns);
  if (!by_kernels) {
    const auto& items = list.items();
    keys.resize(items.size() * width);
    std::size_t i = 0;
    try {
      for (; i < items.size(); ++i) {
        prefetch_ahead(items, i);
        slot(s.var.slot).bind(items[i]);
        for (std::size_t k = 0; k < width; ++k) keys[i * width + k] = eval(*key_exprs[k]);
      }
    } catch (EvalError& error) {
      error.trace.push_back(item_note(s.var, *s.source, list, i));
      throw;
    }
    for (std::size_t k = 0; k < width; ++k) columns[k] = key_column(keys, width, k, s.keys[k].descending);
  }
  const std::vector<std::size_t> order = sort_order(list.size(), columns, keys);
  if (by_durations) {
    std::vector<bool> durations(width);
    for (std::size_t k = 0; k < width; ++k) durations[k] = s.keys[k].by_duration;
    if (const auto mixed = mixed_units(keys, durations, order)) {
      EvalError error{
          key_exprs[mixed->key]->span,
          fmt::format("cannot sort by durations in different units: {} {} and {} {}", mixed->first.amount,
                      duration_unit_name(mixed->first.unit, mixed->first.amount), mixed->other.amount,
                      duration_unit_name(mixed->other.unit, mixed->other.amount))};
      error.trace.push_back(item_note(s.var, *s.source, list, mixed->item));
      throw error;
    }
  }
  if (by_kernels && list.base().of_records()) {
    std::vector<std::uint32_t> rows;
    rows.reserve(order.size());
    for (auto at : order) rows.push_back(list.row(at));
    return view_of(source, std::move(rows));
  }
  std::vector<Value> sorted;
  sorted.reserve(order.size());
  for (auto at : order) sorted.push_back(list.at(at));
  if (explain_) {
    if (const std::int32_t step = open_step(e); step >= 0) {
      for (std::size_t place = 0; place < sorted.size(); ++place)
        record(sorted[place], ItemEvent{ItemFate::placed, step, place + 1, {}});
    }
  }
  return make_list(std::move(sorted));
}

}  // namespace merit::interpret
