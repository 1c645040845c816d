#pragma once
// A condition or sort key specialised for one pass over a list: what does not depend on the item (the
// requisition's location, an empty list of selective qualifications, the method) is worked out once, before
// the pass, and what is left runs on small unboxed values, with no Value built per step. The interpreter
// makes one for a long list when --explain is off (eval_kernel.cpp); anything a kernel cannot do exactly
// as the interpreter does is left to the interpreter.
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "interpreter/ast.hpp"
#include "interpreter/value.hpp"

namespace merit::interpret {

/// A value as a kernel holds it: a scalar unboxed, anything else (a record, a list, a date) by a pointer
/// to a Value that outlives the pass. Trivially copyable.
struct KVal {
  enum Tag : std::uint8_t { none, boolean, integer, decimal, text, enumeration, other };
  Tag tag = none;
  // For a record that is item `row - 1` of the base of the list being gone through (Kernel::rows_of), so
  // that its fields are read from that base's columns; 0 for any other value.
  std::uint32_t row = 0;
  union {
    bool b;
    std::int64_t i;
    double d;
    const std::string* s;
    EnumValue e;
    const Value* v;
  };
  KVal() : i(0) {}
  static KVal of(bool value) {
    KVal k;
    k.tag = boolean;
    k.b = value;
    return k;
  }
  static KVal of(std::int64_t value) {
    KVal k;
    k.tag = integer;
    k.i = value;
    return k;
  }
  static KVal of_decimal(double value) {
    KVal k;
    k.tag = decimal;
    k.d = value;
    return k;
  }
};

/// A value of the language seen as a KVal; `v` must outlive the KVal.
inline KVal kval(const Value& v) {
  KVal k;
  switch (v.data.index()) {
    case 0:
      break;
    case 1:
      k.tag = KVal::boolean;
      k.b = *std::get_if<bool>(&v.data);
      break;
    case 2:
      k.tag = KVal::integer;
      k.i = *std::get_if<std::int64_t>(&v.data);
      break;
    case 3:
      k.tag = KVal::decimal;
      k.d = *std::get_if<double>(&v.data);
      break;
    case 4:
      k.tag = KVal::text;
      k.s = std::get_if<Text>(&v.data)->get();
      break;
    case 7:
      k.tag = KVal::enumeration;
      k.e = *std::get_if<EnumValue>(&v.data);
      break;
    default:
      k.tag = KVal::other;
      k.v = &v;
      break;
  }
  return k;
}

enum class KOp : std::uint8_t {
  constant,     // value
  lazy,         // lazies[extra]: a part that does not depend on the item, evaluated when first reached
  local,        // locals[local]
  field,        // a.fields[local]
  local_field,  // locals[b].fields[local]: `c.score`, the commonest node, without a node for `c`
  logical_not,
  logical_and,
  logical_or,
  equal,
  not_equal,
  less,
  less_equal,
  greater,
  greater_equal,
  member_of,      // a in list b; extra: text_sets index where b stays the same for the pass
  member_of_map,  // a in the keys of map b
  or_else,
  add,
  subtract,
  multiply,
  negate,
  conditional,  // if a then b else c
  choose,       // table[extra + member of a]
  exists,       // binder local, source a, condition b
  every,
  count,
  first,
  size,  // size(a)
  get,   // get(a, b)
  call,  // calls[extra]: the body a of a function, with its arguments and trace
};

class Interpreter;
struct Kernel;
struct KNode;
/// How a node is worked out: picked for its op and the kind of its operands (kernel_fn), so that the
/// commonest nodes run as small functions that read a constant or a field of the item in place.
using KFn = KVal (*)(Interpreter&, Kernel&, const KNode&);

struct KNode {
  KOp op = KOp::constant;
  std::int32_t a = -1;
  std::int32_t b = -1;
  std::int32_t c = -1;
  std::int32_t local = -1;          // local: which; field: the slot; quantifiers: the binder
  std::int32_t extra = -1;          // lazy, call: the index; choose: where its table starts
  KVal value;                       // constant
  const ast::Expr* expr = nullptr;  // for lazy: what to evaluate; quantifiers: for the item's note
  KFn fn = nullptr;                 // kernel_fn; set when the node is added to its kernel
};

struct KLazy {
  const ast::Expr* expr = nullptr;
  bool done = false;
  KVal value;
};

/// A function called in a kernel: its arguments are worked out into locals before the body, as a call
/// does, and an error in the body gets the note a call gives. An inlined call's definitions and parameters
/// named as arguments are worked out first, once.
struct KCall {
  const ast::Call* call = nullptr;
  const ast::Function* function = nullptr;
  std::vector<std::pair<std::int32_t, std::int32_t>> args;  // argument node, local it goes into
  std::vector<ast::Ref> named_first;                        // still to work out (inlined calls)
  bool named_done = false;
};

/// `get(m, c.id)` where `m` stays the same for the pass and `c.id` is a text field of the item: m's values by
/// the rows of the pass's base whose field holds their key, worked out once (ListValue::text_rows), so that
/// no item's text is hashed. A map names few rows (the referrals made so far in a batch), so they are kept in
/// a small table of their own, not in an array as long as the base that a batch would fill once per pass.
struct KRowMap {
  static constexpr std::uint32_t none = 0xffffffffU;
  const Value* map = nullptr;
  bool usable = false;              // every key of m is a text
  std::vector<std::uint32_t> rows;  // open addressing, a power of two long; `none` where empty
  std::vector<const Value*> values;

  static std::uint32_t slot_of(std::uint32_t row) { return row * 0x9E3779B1U; }
  /// m's value for the row, or null where its field is no key of m.
  const Value* find(std::uint32_t row) const {
    if (rows.empty()) return nullptr;
    const auto mask = static_cast<std::uint32_t>(rows.size() - 1);
    for (std::uint32_t at = slot_of(row) & mask;; at = (at + 1) & mask) {
      if (rows[at] == row) return values[at];
      if (rows[at] == none) return nullptr;
    }
  }
  /// Makes the table hold the rows `found`, each with its value (the first given for a row).
  void fill(const std::vector<std::pair<std::uint32_t, const Value*>>& found) {
    std::size_t length = 8;
    while (length < 2 * found.size()) length *= 2;
    rows.assign(length, none);
    values.assign(length, nullptr);
    for (const auto& [row, value] : found) put(row, value);
  }
  /// Puts `value` at `row` unless the row has one already (the first entry of a key is the one map_find
  /// gives). The table must have room: built for at most half its length.
  void put(std::uint32_t row, const Value* value) {
    const auto mask = static_cast<std::uint32_t>(rows.size() - 1);
    for (std::uint32_t at = slot_of(row) & mask;; at = (at + 1) & mask) {
      if (rows[at] == row) return;
      if (rows[at] == none) {
        rows[at] = row;
        values[at] = value;
        return;
      }
    }
  }
};

/// The texts of a list that stays the same for the whole pass (`c.id not in ranked_ids`): each text's first
/// 8 bytes and length in one word, compared before the text itself. Built when first used.
struct KTexts {
  static constexpr std::size_t most = 64;  // longer lists are looked up by their own index (find_text)
  const ListValue* list = nullptr;
  bool usable = false;  // every item is a text, and there are at most `most`
  std::vector<std::uint64_t> prints;
  std::vector<const std::string*> texts;
  // A longer list, where the text looked for is a field of the item read from a column: the rows of the
  // pass's base whose field holds one of the list's texts (by the column's index, ListValue::text_rows), so
  // that no item's text is hashed. Each row's value is the list's item equal to its text.
  const ListValue* rows_list = nullptr;
  KRowMap rows;

  static std::uint64_t print(const std::string& s) {
    std::uint64_t x = 0;
    std::memcpy(&x, s.data(), s.size() < 8 ? s.size() : 8);
    return x ^ (static_cast<std::uint64_t>(s.size()) << 56);
  }
  void build(const ListValue& from) {
    list = &from;
    prints.clear();
    texts.clear();
    usable = from.size() <= most;
    for (std::size_t i = 0; usable && i < from.size(); ++i) {
      const auto* t = std::get_if<Text>(&from.at(i).data);
      if (!t)
        usable = false;
      else {
        prints.push_back(print(**t));
        texts.push_back(t->get());
      }
    }
  }
  bool contains(const std::string& s) const {
    const std::uint64_t p = print(s);
    for (std::size_t i = 0; i < prints.size(); ++i) {
      if (prints[i] == p && *texts[i] == s) return true;
    }
    return false;
  }
};

struct Kernel {
  std::vector<KNode> nodes;
  std::int32_t root = -1;
  std::vector<KVal> locals;  // local 0: the item
  std::vector<std::int32_t> tables;
  std::vector<KLazy> lazies;
  std::vector<KCall> calls;
  std::vector<KTexts> text_sets;
  std::vector<KRowMap> row_maps;  // by a get node's extra
  std::deque<Value> held;         // the values constants point into
  // The base of the list this pass goes through, when its items are records (ListValue::of_records), and
  // the columns of it this pass reads, by field slot (null: read from the record).
  const ListValue* rows_of = nullptr;
  std::vector<const Value*> columns;
  std::vector<std::int32_t> item_fields;  // the slots of the item's fields the kernel reads
  // For a condition that depends on nothing but the item and the values worked out before the pass: what it
  // held for each row of rows_of, shared with every pass of the same condition (ListValue::answers).
  std::shared_ptr<std::vector<std::uint8_t>> answers;
  // Maps the condition reads only by a text field of the item (`get(referred, c.id)`), as (constant node,
  // field slot); see keyed_maps_of. For a row whose field is no key of them, the condition holds what it
  // would with none of their entries, so its answers are shared with the passes over every other such map:
  // in a batch, the referrals made by each earlier certification change only the rows of those certified.
  std::vector<std::pair<std::int32_t, std::int32_t>> keyed_maps;
  // By row of rows_of, where there are keyed maps: 1 where the row's field is a key of one of them, and the
  // shared answer does not apply.
  std::vector<std::uint8_t> own_rows;

  /// Makes local 0 item `i` of `list`, the list being gone through.
  void bind_item(const ListValue& list, std::size_t i) {
    if (rows_of) {
      // Every item of rows_of is a record (ListValue::of_records): the item is not read until a field of it
      // is, and then from a column where there is one. Through a sorted view, that is one cache miss less.
      const std::uint32_t row = list.row(i);
      locals[0].tag = KVal::other;
      locals[0].v = &rows_of->at(row);
      locals[0].row = row + 1;
      return;
    }
    locals[0] = kval(list.at(i));
  }
  /// Field `slot` of record `object`, from the pass's column of it where there is one.
  const Value& field_of(const KVal& object, std::int32_t slot) const {
    const auto at = static_cast<std::size_t>(slot);
    if (object.row != 0 && at < columns.size() && columns[at]) return columns[at][object.row - 1];
    return std::get<RecordPtr>(object.v->data)->fields[at];
  }

  bool constant() const { return nodes[static_cast<std::size_t>(root)].op == KOp::constant; }
  const KVal& constant_value() const { return nodes[static_cast<std::size_t>(root)].value; }
};

/// The function that works out `node`, whose operands are nodes of `k` already.
KFn kernel_fn(const Kernel& k, const KNode& node);

/// Writes out `k` (its nodes and the values worked out before the pass) into `out`, for a pass's answers to
/// be remembered by (ListValue::PassKey, ListValue::answers): false where they may depend on anything else
/// (a part evaluated when first reached, what a call works out first), or where the values take more than
/// 64 KB to write out. With `shared`, its keyed maps are written as a mark instead of their entries: the key
/// of the answers shared for the rows that are no key of them.
bool write_kernel(const Kernel& k, std::string& out, bool shared = false);

/// The constant maps of `k` read only as `get(map, c.field)` of a text field of the item, with the field.
std::vector<std::pair<std::int32_t, std::int32_t>> keyed_maps_of(const Kernel& k);

/// Thrown by a kernel where the interpreter would raise an error (a field of none, an overflow) or where
/// a kernel does not follow the interpreter (an unexpected kind of value): the item is evaluated again by
/// the interpreter, which raises the error with its trace, or gives the answer.
struct KernelBail {};

[[gnu::always_inline]] inline KVal local_field(const Kernel& k, const KNode& x) {
  const KVal& object = k.locals[static_cast<std::size_t>(x.b)];
  if (object.row != 0) return kval(k.field_of(object, x.local));
  if (object.tag != KVal::other) throw KernelBail{};
  const auto* record = std::get_if<RecordPtr>(&object.v->data);
  if (!record) throw KernelBail{};
  return kval((*record)->fields[static_cast<std::size_t>(x.local)]);
}

}  // namespace merit::interpret
