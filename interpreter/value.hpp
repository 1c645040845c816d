#pragma once
// Runtime values. Records are vectors indexed by field slots the checker resolved, so evaluation never
// looks a field up by name.
#include <compare>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "interpreter/text_index.hpp"
#include "stdlib/dates.hpp"

namespace merit {

using stdlib::Date;

enum class DurationUnit : std::uint8_t { days, working_days, months, years };

/// An amount of time as the regulation states it: `21 days`, `3 months`, `90 working days`. Held in one
/// word, so that a Value is two words: a register's records are a third smaller than with a separate unit.
/// Every amount made is checked against `longest` (duration_in_range), far beyond any period a rule
/// speaks of.
struct Duration {
  static constexpr std::int64_t longest = (std::int64_t{1} << 55) - 1;
  std::int64_t amount : 56 = 0;
  DurationUnit unit : 8 = DurationUnit::days;
  friend bool operator==(const Duration&, const Duration&) = default;

  /// A duration of `amount`, which the caller has checked with duration_in_range.
  static Duration of(std::int64_t amount, DurationUnit unit) {
    Duration d;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
    d.amount = amount;  // in range: it fits the 56 bits
#pragma GCC diagnostic pop
    d.unit = unit;
    return d;
  }
};
static_assert(sizeof(Duration) == 8);

/// Whether `amount` fits a Duration.
constexpr bool duration_in_range(std::int64_t amount) {
  return amount >= -Duration::longest && amount <= Duration::longest;
}

/// A member of a declared enumeration: the declaration and the member's position in it.
struct EnumValue {
  std::int32_t decl = -1;
  std::int32_t index = -1;
  friend bool operator==(const EnumValue&, const EnumValue&) = default;
};

/// A reference to a calendar declared in the rules.
struct CalendarRef {
  std::int32_t decl = -1;
  friend bool operator==(const CalendarRef&, const CalendarRef&) = default;
};

struct None {
  friend bool operator==(const None&, const None&) = default;
};

/// A shared, immutable heap value with a plain count. A value belongs to one evaluation on one thread (the
/// command line runs a command on one worker thread, cli/main.cpp), so copying it (into a slot, a list, a
/// frame) costs an increment, not the locked instruction of a std::shared_ptr. Running evaluations in
/// parallel must give each thread its own values, literals of the rules included.
struct Value;

template <typename T>
class Rc {
 public:
  Rc() = default;
  template <typename... Args>
  static Rc make(Args&&... args) {
    Rc r;
    r.box_ = new Box{1, T(std::forward<Args>(args)...)};
    return r;
  }
  Rc(const Rc& other) noexcept : box_(other.box_) {
    if (box_) ++box_->count;
  }
  Rc(Rc&& other) noexcept : box_(std::exchange(other.box_, nullptr)) {}
  Rc& operator=(const Rc& other) noexcept {
    Rc(other).swap(*this);
    return *this;
  }
  Rc& operator=(Rc&& other) noexcept {
    Rc(std::move(other)).swap(*this);
    return *this;
  }
  ~Rc() {
    if (box_ && --box_->count == 0) release(box_);
  }
  void swap(Rc& other) noexcept { std::swap(box_, other.box_); }
  const T& operator*() const { return box_->value; }
  const T* operator->() const { return &box_->value; }
  const T* get() const { return box_ ? &box_->value : nullptr; }
  explicit operator bool() const { return box_ != nullptr; }
  /// The same object (not equal contents).
  friend bool operator==(const Rc& a, const Rc& b) { return a.box_ == b.box_; }
  /// The object, to be changed in place, when this is its only reference (no one can tell); else null.
  T* sole() { return box_ && box_->count == 1 ? &box_->value : nullptr; }

 private:
  friend Value make_blank_record(std::int32_t decl, std::size_t count, Value*& fields);
  struct Box {
    std::size_t count;
    T value;
  };
  static void release(Box* box);
  Box* box_ = nullptr;
};

struct RecordValue;
struct ListValue;
using Text = Rc<std::string>;
using RecordPtr = Rc<RecordValue>;
using ListPtr = Rc<ListValue>;

/// One value of the rule language.
struct Value {
  std::variant<None, bool, std::int64_t, double, Text, Date, Duration, EnumValue, RecordPtr, ListPtr,
               CalendarRef>
      data;

  Value() = default;
  template <typename T>
  Value(T v) : data(std::move(v)) {}  // NOLINT(google-explicit-constructor): values are built everywhere

  bool is_none() const { return std::holds_alternative<None>(data); }
  bool as_bool() const { return std::get<bool>(data); }
  std::int64_t as_int() const { return std::get<std::int64_t>(data); }
  double as_number() const;  // integer or decimal
  const std::string& as_text() const { return *std::get<Text>(data); }
  Date as_date() const { return std::get<Date>(data); }
  const Duration& as_duration() const { return std::get<Duration>(data); }
  EnumValue as_enum() const { return std::get<EnumValue>(data); }
  const RecordValue& as_record() const { return *std::get<RecordPtr>(data); }
  const ListValue& as_list() const { return *std::get<ListPtr>(data); }
};

static_assert(sizeof(Value) == 16, "a Value is a word of payload and its kind");

/// A record's field values, in slot order. They are stored right after the record in one allocation
/// (make_record), so reading a field of each candidate in turn reaches one place in memory, not two.
class Fields {
 public:
  Fields() = default;
  Fields(Value* data, std::size_t size) : data_(data), size_(size) {}
  const Value& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Value* begin() const { return data_; }
  const Value* end() const { return data_ + size_; }

 private:
  Value* data_ = nullptr;
  std::size_t size_ = 0;
};

struct RecordValue {
  std::int32_t decl = -1;
  Fields fields;
};

template <typename T>
void Rc<T>::release(Box* box) {
  if constexpr (std::is_same_v<T, RecordValue>) {
    // make_record built the fields after the box, in the same allocation.
    std::destroy_n(const_cast<Value*>(box->value.fields.begin()), box->value.fields.size());
    box->~Box();
    ::operator delete(box);
  } else {
    delete box;
  }
}

/// A list. Most are their items; a list picked from a long list of records by a filter or a sort, without
/// --explain, is a view: the positions (rows) of its items in that list, its base. Going through a view
/// touches neither the records nor their reference counts, and a view's items are made only when something
/// asks for them all (`items`). A base keeps, for kernels, the values of each field of its records in one
/// array (`column`), so a pass that reads two fields of each candidate reads two arrays, not the records.
struct ListValue {
  ListValue() = default;
  explicit ListValue(std::vector<Value> list) : items_(std::move(list)) {}
  /// The items of `base` (not itself a view) at `rows`, in that order.
  ListValue(Rc<ListValue> base, std::vector<std::uint32_t> rows);

  /// Every item, in order; a view makes them the first time.
  const std::vector<Value>& items() const {
    if (view_ && !made_) [[unlikely]]
      make_items();
    return items_;
  }
  std::size_t size() const { return view_ ? view_->rows.size() : items_.size(); }
  bool empty() const { return size() == 0; }
  /// Item `i`, read through a view without making its items.
  const Value& at(std::size_t i) const { return view_ ? view_->base->items_[view_->rows[i]] : items_[i]; }

  /// The list this one is a view of, or itself; and item i's row in it.
  const ListValue& base() const { return view_ ? *view_->base : *this; }
  const Rc<ListValue>* base_ptr() const { return view_ ? &view_->base : nullptr; }
  std::uint32_t row(std::size_t i) const { return view_ ? view_->rows[i] : static_cast<std::uint32_t>(i); }
  /// Whether every item is a record, and there are few enough for a row to be a 32-bit number: such a
  /// list can be a base of views and has columns. Worked out once.
  bool of_records() const;
  /// The values of field `slot` of every item, in order (of_records() only; a list that is not a view). Built
  /// on first use, or as the list was read (ColumnFiller); its items never move after.
  const std::vector<Value>& column(std::size_t slot) const;
  /// The fewest records a list read from data has for its columns to be built as it is read.
  static constexpr std::size_t columns_from = 32;
  /// For a pass that reads fields `slots` of each item (of_records() only, not a view): out[slot] is the
  /// column of each. Those not built yet are built together, in one sweep over the records, even for a field
  /// that only this pass reads: the sweep goes through the records in the order they were made, which a
  /// pass through a sorted view does not (measured: 100k x 50 about 15% faster than building a column at a
  /// field's second pass).
  void columns_for(const std::vector<std::int32_t>& slots, std::vector<const Value*>& out) const;

  /// For each text that field `slot` of the items holds (of_records(), not a view), the rows holding it:
  /// `first(text)` the lowest, `next[row]` the one after `row` (`none` for the last). Built on first use.
  struct TextRows {
    static constexpr std::uint32_t none = TextIndex::none;
    const Value* column = nullptr;  // the field's column, whose texts the index finds
    TextIndex index;
    std::vector<std::uint32_t> next;
    std::string_view text(std::uint32_t row) const { return *std::get<Text>(column[row].data); }
    std::uint32_t first(std::string_view text) const {
      return index.find(text, [this](std::uint32_t row) { return this->text(row); });
    }
    /// Calls `f(row)` for each row holding `text`, lowest first.
    template <typename F>
    void for_each(std::string_view text, F f) const {
      for (std::uint32_t row = first(text); row != none; row = next[row]) f(row);
    }
  };
  const TextRows& text_rows(std::size_t slot) const;

  /// An order of the items of a list that is not a view, by fields of its records: for each item, its place
  /// among the distinct keys (items equal on every key share one). A sort of the list, or of a view of it,
  /// that ends with these keys sorts by the place instead: the register is ordered by score and id once
  /// for a batch of requisitions, not once for each.
  struct Ranking {
    std::vector<std::pair<std::int32_t, bool>> keys;  // field slot, descending
    std::size_t asked = 0;                            // how many sorts asked for it
    std::vector<std::uint32_t> places;                // by item; empty until made
  };
  /// The ranking by `keys`, counted as asked for once more.
  Ranking& ranking(const std::vector<std::pair<std::int32_t, bool>>& keys) const;

  /// A number that only this list, and lists with the same items as it, have: worked out when first asked.
  /// A pass whose answer is remembered (PassKey) names the list it went through by it.
  std::uint64_t serial() const;

  /// What a filter's answer depends on: the filter (`site`), the list it goes through (its serial), and
  /// its kernel with every value worked out before the pass, written out in bytes (so that nothing
  /// remembered holds a value, and a base is never kept alive by its own tables).
  struct PassKey {
    const void* site = nullptr;
    std::uint64_t source = 0;
    std::string bytes;
    friend bool operator==(const PassKey&, const PassKey&) = default;
  };
  /// The rows a filter of a list of this base (not a view) kept before for `key`, and the serial of that
  /// answer; null when not remembered.
  const std::vector<std::uint32_t>* remembered(const PassKey& key, std::uint64_t& serial) const;
  /// Remembers the rows a filter kept for `key`, and the serial of that answer. The oldest are forgotten
  /// past a bound of a few times the base's size, so the memory it takes stays in proportion.
  void remember(PassKey key, std::vector<std::uint32_t> rows, std::uint64_t serial) const;
  friend Value view_of(const Value& list, std::vector<std::uint32_t> rows, std::uint64_t serial);
  friend void append_item(Value& list, Value item);
  /// What a condition written out as `key` (write_kernel) held for each item of this base (not a view), by
  /// row: 0 not yet known, 1 false, 2 true. Passes of one condition share it, whatever list of this base
  /// they go through; the oldest are forgotten past a few dozen conditions.
  std::shared_ptr<std::vector<std::uint8_t>> answers(const std::string& key) const;
  /// What a whole-number sort key written out as `key` (write_kernel) was for each item of this base (not a
  /// view), by row: `unknown_key` where not worked out yet. Made on first use; the oldest are forgotten.
  std::shared_ptr<std::vector<std::int64_t>> key_values(const std::string& key) const;
  static constexpr std::int64_t unknown_key = std::numeric_limits<std::int64_t>::min();
  /// How many filters' answers and conditions' answers by row are remembered (for tests).
  std::size_t remembered_count() const {
    return tables_ ? tables_->memos.size() + tables_->answers.size() + tables_->keys.size() : 0;
  }

  /// The position of the first item equal to `text` (for a map: of the entry with that key), or -1.
  /// Long lists build a hash index on first use, so `c.id in ids` over a whole register stays linear.
  std::ptrdiff_t find_text(const std::string& text, bool keys) const;

 private:
  struct View {
    Rc<ListValue> base;
    std::vector<std::uint32_t> rows;
  };
  void make_items() const;
  friend class ColumnFiller;
  /// Builds the columns of fields `slots` (none built yet) in one sweep over the records.
  void build_columns(const std::vector<std::size_t>& slots) const;

  /// What a base of views keeps for kernels: held apart, so that the many short lists do not pay for it.
  struct Tables {
    std::vector<std::vector<Value>> columns;
    std::vector<Ranking> rankings;
    std::vector<std::unique_ptr<TextRows>> text_rows;
    struct Memo {
      PassKey key;
      std::vector<std::uint32_t> rows;
      std::uint64_t serial = 0;
    };
    std::deque<Memo> memos;  // oldest first
    std::size_t memo_rows = 0;
    std::deque<std::pair<std::string, std::shared_ptr<std::vector<std::uint8_t>>>> answers;  // oldest first
    std::deque<std::pair<std::string, std::shared_ptr<std::vector<std::int64_t>>>> keys;     // oldest first
  };
  Tables& tables() const {
    if (!tables_) tables_ = std::make_unique<Tables>();
    return *tables_;
  }

  mutable std::vector<Value> items_;
  std::unique_ptr<View> view_;
  mutable bool made_ = false;
  mutable std::int8_t of_records_ = -1;  // -1: not yet worked out
  mutable std::uint64_t serial_ = 0;     // 0: not yet given
  mutable std::unique_ptr<Tables> tables_;
  mutable std::unique_ptr<TextIndex> index_;
};

/// Equal values that the records of a data file hold in one field (an agency, the groups a person is in, most
/// often none) made once and shared. Values never change, so no record can tell; a register of a million
/// candidates then holds a few hundred such values rather than a million, and a pass that reads them for
/// every candidate finds them in the cache. Texts and lists of a few texts are shared; a field whose values
/// mostly differ (an id) is no longer looked up after `distinct_most` different ones.
class SharedValues {
 public:
  /// Makes `value` the equal value field `field` held before, if any; else remembers it.
  void share(std::size_t field, Value& value);
  /// Whether field `field` is still looked up: false once its values mostly differ.
  bool on(std::size_t field) const { return field >= fields_.size() || !fields_[field].off; }
  /// The value field `field` holds for `key`, or null. A reader that can write the key of what it is about
  /// to read (key_of) finds it there without making it.
  const Value* find(std::size_t field, std::string_view key) const;
  /// Remembers `value` for `key` in field `field`, unless the field holds `distinct_most` already (then it
  /// is no longer looked up). A reader may key values by what it reads them from (a CSV cell's text).
  void keep(std::size_t field, std::string_view key, const Value& value);
  /// The key of a text ("t" and the text) or of a list of at most `list_most` texts ("l", and each text
  /// after its length); false for any other value.
  static bool key_of(const Value& value, std::string& key);
  /// A key as key_of writes it, for a reader that has not made the value: a text's, or a list's start
  /// followed by each of its texts.
  static void text_key(std::string& key, std::string_view text);
  static void list_key(std::string& key);
  static void add_item_key(std::string& key, std::string_view text);
  static constexpr std::size_t list_most = 8;

 private:
  static constexpr std::size_t distinct_most = 1024;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Field {
    std::unordered_map<std::string, Value, Hash, std::equal_to<>> seen;
    bool off = false;
  };
  std::vector<Field> fields_;
  std::string key_;
};

/// The columns of a long list of records (ListValue::column), filled as a data file's reader makes each
/// record, while it is still in the cache: the register is not gone through again to build them, field by
/// field, at the first passes of the rules.
class ColumnFiller {
 public:
  /// For a list of about `rows` records: fewer than ListValue::columns_from get no columns.
  explicit ColumnFiller(std::size_t rows) : on_(rows >= ListValue::columns_from), hint_(rows) {}
  /// Adds the fields of the next record (a record value; anything else leaves the list without columns).
  void add(const Value& record);
  /// The list of `items`, the values added in order, with its columns.
  Value make(std::vector<Value> items);

 private:
  bool on_;
  std::size_t hint_;
  std::size_t rows_ = 0;
  std::vector<std::vector<Value>> columns_;
};

Value make_text(std::string s);
Value make_list(std::vector<Value> items);
/// Makes `list` the list of its items and then `item`: in place when nothing else holds the list, else as
/// a copy. A list with `after` grows so, item by item, in time in proportion to its length.
void append_item(Value& list, Value item);
/// The items of list value `list` at `rows` (positions in list's base, ListValue::base), as a view.
Value view_of(const Value& list, std::vector<std::uint32_t> rows);
/// The same view as one made before, whose serial was `serial` (ListValue::remembered).
Value view_of(const Value& list, std::vector<std::uint32_t> rows, std::uint64_t serial);
Value make_record(std::int32_t decl, std::vector<Value> fields);
/// A record of `count` fields, each none, and `fields` pointing at them, for its maker to fill in place
/// before the record is shared (a data file's reader: no list of fields made and copied for each record).
Value make_blank_record(std::int32_t decl, std::size_t count, Value*& fields);
/// A map is held as a list of [key, value] lists, in the order the data gave them.
Value make_map(std::vector<std::pair<std::string, Value>> entries);
/// The value for `key` in a map, or nullptr.
const Value* map_find(const Value& map, const std::string& key);

/// Asks the processor to start loading item `i + ahead` of a list of records while item `i` is
/// evaluated: going through a register is otherwise a wait on memory for every candidate.
inline void prefetch_ahead(const std::vector<Value>& items, std::size_t i) {
  constexpr std::size_t ahead = 8;
  if (i + ahead >= items.size()) return;
  if (const auto* record = std::get_if<RecordPtr>(&items[i + ahead].data)) {
    const char* at = reinterpret_cast<const char*>(record->get());
    __builtin_prefetch(at);
    __builtin_prefetch(at + 64);
    __builtin_prefetch(at + 128);
    __builtin_prefetch(at + 192);
  }
}

/// Structural equality; integer 3 equals decimal 3.0.
bool values_equal(const Value& a, const Value& b);
/// A total order for sorting and ties: numbers numerically, texts bytewise, dates by day, enums by
/// declaration order, none before everything, lists and records lexicographically.
std::weak_ordering compare_values(const Value& a, const Value& b);

std::string_view duration_unit_name(DurationUnit unit, std::int64_t amount);

}  // namespace merit
