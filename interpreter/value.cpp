#include "interpreter/value.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "interpreter/budget.hpp"

namespace merit {

double Value::as_number() const {
  if (const auto* i = std::get_if<std::int64_t>(&data)) return static_cast<double>(*i);
  return std::get<double>(data);
}

Value make_text(std::string s) {
  charge_bytes(s.size());
  return Value(Text::make(std::move(s)));
}

Value make_list(std::vector<Value> items) {
  charge_bytes(items.size() * sizeof(Value));
  return Value(ListPtr::make(std::move(items)));
}

void append_item(Value& list, Value item) {
  ListValue* sole = std::get<ListPtr>(list.data).sole();
  if (sole == nullptr || sole->view_) {
    std::vector<Value> items;
    items.reserve(list.as_list().size() + 1);
    items = list.as_list().items();
    charge_steps(items.size());
    items.push_back(std::move(item));
    list = make_list(std::move(items));
    return;
  }
  charge_bytes(sizeof(Value));
  sole->items_.push_back(std::move(item));
  // What was worked out for the shorter list no longer holds.
  sole->of_records_ = -1;
  sole->serial_ = 0;
  sole->tables_.reset();
  sole->index_.reset();
}

Value view_of(const Value& list, std::vector<std::uint32_t> rows) {
  const ListValue& from = list.as_list();
  const ListPtr& base = from.base_ptr() ? *from.base_ptr() : std::get<ListPtr>(list.data);
  return Value(ListPtr::make(base, std::move(rows)));
}

Value view_of(const Value& list, std::vector<std::uint32_t> rows, std::uint64_t serial) {
  Value view = view_of(list, std::move(rows));
  view.as_list().serial_ = serial;
  return view;
}

Value make_blank_record(std::int32_t decl, std::size_t count, Value*& fields) {
  using Box = RecordPtr::Box;
  static_assert(sizeof(Box) % alignof(Value) == 0);
  void* raw = ::operator new(sizeof(Box) + count * sizeof(Value));
  fields = reinterpret_cast<Value*>(static_cast<char*>(raw) + sizeof(Box));
  std::uninitialized_default_construct_n(fields, count);
  RecordPtr record;
  record.box_ = new (raw) Box{1, RecordValue{decl, Fields(fields, count)}};
  return Value(std::move(record));
}

Value make_record(std::int32_t decl, std::vector<Value> fields) {
  Value* values = nullptr;
  Value record = make_blank_record(decl, fields.size(), values);
  std::move(fields.begin(), fields.end(), values);
  return record;
}

Value make_map(std::vector<std::pair<std::string, Value>> entries) {
  std::vector<Value> items;
  items.reserve(entries.size());
  for (auto& [key, value] : entries) items.push_back(make_list({make_text(key), std::move(value)}));
  return make_list(std::move(items));
}

const Value* map_find(const Value& map, const std::string& key) {
  const auto& list = map.as_list();
  const std::ptrdiff_t at = list.find_text(key, true);
  return at < 0 ? nullptr : &list.at(static_cast<std::size_t>(at)).as_list().at(1);
}

namespace {

const std::string* text_at(const Value& item, bool keys) {
  const Value& v = keys ? item.as_list().at(0) : item;
  const auto* t = std::get_if<Text>(&v.data);
  return t ? t->get() : nullptr;
}

}  // namespace

ListValue::ListValue(Rc<ListValue> base, std::vector<std::uint32_t> rows)
    : view_(std::make_unique<View>(View{std::move(base), std::move(rows)})) {}

void ListValue::make_items() const {
  const auto& from = view_->base->items_;
  items_.reserve(view_->rows.size());
  for (const auto row : view_->rows) items_.push_back(from[row]);
  made_ = true;
}

bool ListValue::of_records() const {
  if (of_records_ < 0) {
    const auto& all = items();
    of_records_ = all.size() < std::numeric_limits<std::uint32_t>::max() &&
                  std::all_of(all.begin(), all.end(),
                              [](const Value& v) { return std::holds_alternative<RecordPtr>(v.data); });
  }
  return of_records_ > 0;
}

void SharedValues::text_key(std::string& key, std::string_view text) {
  key.assign(1, 't');
  key += text;
}

void SharedValues::list_key(std::string& key) {
  key.assign(1, 'l');
}

void SharedValues::add_item_key(std::string& key, std::string_view text) {
  key += std::to_string(text.size());
  key += ':';
  key += text;
}

bool SharedValues::key_of(const Value& value, std::string& key) {
  if (const auto* text = std::get_if<Text>(&value.data)) {
    text_key(key, **text);
    return true;
  }
  const auto* list = std::get_if<ListPtr>(&value.data);
  if (!list || (*list)->size() > list_most) return false;
  list_key(key);
  for (std::size_t i = 0; i < (*list)->size(); ++i) {
    const auto* item = std::get_if<Text>(&(*list)->at(i).data);
    if (!item) return false;
    add_item_key(key, **item);
  }
  return true;
}

const Value* SharedValues::find(std::size_t field, std::string_view key) const {
  if (field >= fields_.size()) return nullptr;
  const auto found = fields_[field].seen.find(key);
  return found == fields_[field].seen.end() ? nullptr : &found->second;
}

void SharedValues::keep(std::size_t field, std::string_view key, const Value& value) {
  if (fields_.size() <= field) fields_.resize(field + 1);
  Field& f = fields_[field];
  if (f.off) return;
  if (f.seen.size() == distinct_most) {
    f.off = true;
    f.seen.clear();
    return;
  }
  f.seen.emplace(key, value);
}

void SharedValues::share(std::size_t field, Value& value) {
  if (!on(field) || !key_of(value, key_)) return;
  if (const Value* found = find(field, key_)) {
    value = *found;
    return;
  }
  keep(field, key_, value);
}

void ColumnFiller::add(const Value& record) {
  if (!on_) return;
  const auto* r = std::get_if<RecordPtr>(&record.data);
  if (!r || (rows_ > 0 && (*r)->fields.size() != columns_.size())) {
    on_ = false;
    columns_.clear();
    return;
  }
  const Fields& fields = (*r)->fields;
  if (rows_ == 0) {
    columns_.resize(fields.size());
    for (auto& column : columns_) column.reserve(hint_);
  }
  for (std::size_t slot = 0; slot < fields.size(); ++slot) columns_[slot].push_back(fields[slot]);
  ++rows_;
}

Value ColumnFiller::make(std::vector<Value> items) {
  Value out = make_list(std::move(items));
  const ListValue& list = out.as_list();
  if (on_ && rows_ == list.size() && list.of_records()) {
    list.tables().columns = std::move(columns_);
  }
  return out;
}

void ListValue::build_columns(const std::vector<std::size_t>& slots) const {
  if (slots.empty()) return;
  auto& columns = tables().columns;
  for (const auto slot : slots) {
    if (columns.size() <= slot) columns.resize(slot + 1);
    columns[slot].reserve(items_.size());
  }
  // Equal short texts and lists in a column are one value, read from one place in memory by every row.
  SharedValues shared;
  for (const Value& item : items_) {
    const Fields& fields = item.as_record().fields;
    for (const auto slot : slots) {
      Value value = fields[slot];
      shared.share(slot, value);
      columns[slot].push_back(std::move(value));
    }
  }
}

const std::vector<Value>& ListValue::column(std::size_t slot) const {
  auto& columns = tables().columns;
  if (columns.size() <= slot || columns[slot].empty()) build_columns({slot});
  return columns[slot];
}

void ListValue::columns_for(const std::vector<std::int32_t>& slots, std::vector<const Value*>& out) const {
  Tables& t = tables();
  std::vector<std::size_t> wanted;
  for (const auto s : slots) {
    const auto slot = static_cast<std::size_t>(s);
    if (t.columns.size() <= slot) t.columns.resize(slot + 1);
    if (t.columns[slot].empty()) wanted.push_back(slot);
  }
  build_columns(wanted);
  for (const auto s : slots) {
    const auto slot = static_cast<std::size_t>(s);
    if (out.size() <= slot) out.resize(slot + 1, nullptr);
    if (!t.columns[slot].empty()) out[slot] = t.columns[slot].data();
  }
}

const ListValue::TextRows& ListValue::text_rows(std::size_t slot) const {
  auto& all = tables().text_rows;
  if (all.size() <= slot) all.resize(slot + 1);
  auto& rows = all[slot];
  if (!rows) {
    const auto& values = column(slot);
    rows = std::make_unique<TextRows>();
    rows->column = values.data();
    rows->index = TextIndex(values.size());
    rows->next.assign(values.size(), TextRows::none);
    const auto text_of = [&rows](std::uint32_t row) { return rows->text(row); };
    std::vector<std::uint32_t> last(values.size(), TextRows::none);  // by a text's first row: its last so far
    for (std::uint32_t row = 0; row < values.size(); ++row) {
      const auto* text = std::get_if<Text>(&values[row].data);
      if (!text) continue;
      const std::uint32_t first = rows->index.add(**text, row, text_of);
      if (first == row) {
        last[row] = row;
      } else {
        rows->next[last[first]] = row;
        last[first] = row;
      }
    }
  }
  return *rows;
}

ListValue::Ranking& ListValue::ranking(const std::vector<std::pair<std::int32_t, bool>>& keys) const {
  auto& rankings = tables().rankings;
  for (Ranking& r : rankings) {
    if (r.keys == keys) {
      ++r.asked;
      return r;
    }
  }
  rankings.push_back(Ranking{keys, 1, {}});
  return rankings.back();
}

std::uint64_t ListValue::serial() const {
  // Lists belong to one thread, but threads share the numbers.
  static std::atomic<std::uint64_t> next{1};
  if (serial_ == 0) serial_ = next.fetch_add(1, std::memory_order_relaxed);
  return serial_;
}

const std::vector<std::uint32_t>* ListValue::remembered(const PassKey& key, std::uint64_t& serial) const {
  if (!tables_) return nullptr;
  for (const auto& memo : tables_->memos) {
    if (memo.key == key) {
      serial = memo.serial;
      return &memo.rows;
    }
  }
  return nullptr;
}

void ListValue::remember(PassKey key, std::vector<std::uint32_t> rows, std::uint64_t serial) const {
  constexpr std::size_t bases = 8;  // the rows remembered stay under this many times the base's size
  Tables& t = tables();
  t.memo_rows += rows.size();
  t.memos.push_back(Tables::Memo{std::move(key), std::move(rows), serial});
  while (t.memo_rows > bases * items_.size() && !t.memos.empty()) {
    t.memo_rows -= t.memos.front().rows.size();
    t.memos.pop_front();
  }
}

namespace {

/// The values by row remembered under `key` in `all`, or new ones of `size` copies of `fill`, the oldest
/// forgotten past `most`. A pass still going through forgotten ones keeps them until it ends.
template <typename T>
std::shared_ptr<std::vector<T>> by_row(
    std::deque<std::pair<std::string, std::shared_ptr<std::vector<T>>>>& all, const std::string& key,
    std::size_t most, std::size_t size, T fill) {
  for (const auto& [written, rows] : all) {
    if (written == key) return rows;
  }
  if (all.size() >= most) all.pop_front();
  all.emplace_back(key, std::make_shared<std::vector<T>>(size, fill));
  return all.back().second;
}

}  // namespace

std::shared_ptr<std::vector<std::uint8_t>> ListValue::answers(const std::string& key) const {
  return by_row<std::uint8_t>(tables().answers, key, 32, items_.size(), 0);
}

std::shared_ptr<std::vector<std::int64_t>> ListValue::key_values(const std::string& key) const {
  return by_row<std::int64_t>(tables().keys, key, 16, items_.size(), unknown_key);
}

std::ptrdiff_t ListValue::find_text(const std::string& text, bool keys) const {
  constexpr std::size_t index_from = 16;  // shorter lists are scanned
  const auto& items = this->items();
  if (items.size() < index_from || items.size() >= TextIndex::none) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string* t = text_at(items[i], keys);
      if (t && *t == text) return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  }
  // The list is immutable, so the positions the index holds stay its texts' positions.
  const auto text_of = [&](std::uint32_t at) { return std::string_view(*text_at(items[at], keys)); };
  if (!index_) {
    charge_steps(items.size());  // made again after each item a list with `after` adds
    index_ = std::make_unique<TextIndex>(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (const std::string* t = text_at(items[i], keys))
        index_->add(*t, static_cast<std::uint32_t>(i), text_of);
    }
  }
  const std::uint32_t at = index_->find(text, text_of);
  return at == TextIndex::none ? -1 : static_cast<std::ptrdiff_t>(at);
}

namespace {

bool is_number(const Value& v) {
  return std::holds_alternative<std::int64_t>(v.data) || std::holds_alternative<double>(v.data);
}

std::weak_ordering compare_numbers(const Value& a, const Value& b) {
  const auto* ia = std::get_if<std::int64_t>(&a.data);
  const auto* ib = std::get_if<std::int64_t>(&b.data);
  if (ia && ib) return *ia <=> *ib;
  const double x = a.as_number();
  const double y = b.as_number();
  if (x < y) return std::weak_ordering::less;
  if (x > y) return std::weak_ordering::greater;
  return std::weak_ordering::equivalent;
}

// Comparing two lists goes through their items, each a step, as a list form does (and compare_values charges
// a step for each 64 bytes of two long texts).
template <typename Seq>
std::weak_ordering compare_sequences(const Seq& a, const Seq& b) {
  const std::size_t n = std::min(a.size(), b.size());
  charge_steps(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (auto c = compare_values(a[i], b[i]); c != 0) return c;
  }
  return a.size() <=> b.size();
}

}  // namespace

std::weak_ordering compare_values(const Value& a, const Value& b) {
  // Sorting a register compares scores and ids millions of times: the common same-kind cases first.
  if (a.data.index() == b.data.index()) {
    if (const auto* x = std::get_if<double>(&a.data)) {
      const double y = *std::get_if<double>(&b.data);
      return *x < y ? std::weak_ordering::less
                    : (*x > y ? std::weak_ordering::greater : std::weak_ordering::equivalent);
    }
    if (const auto* x = std::get_if<std::int64_t>(&a.data)) return *x <=> *std::get_if<std::int64_t>(&b.data);
    if (const auto* x = std::get_if<Text>(&a.data)) {
      const Text& y = *std::get_if<Text>(&b.data);
      if (*x == y) return std::weak_ordering::equivalent;
      if (const std::size_t n = std::min((*x)->size(), y->size()); n >= 128) [[unlikely]]
        charge_steps(n / 64);
      return (*x)->compare(*y) <=> 0;
    }
  }
  if (is_number(a) && is_number(b)) return compare_numbers(a, b);
  if (a.data.index() != b.data.index()) return a.data.index() <=> b.data.index();
  return std::visit(
      [&](const auto& x) -> std::weak_ordering {
        using T = std::decay_t<decltype(x)>;
        const auto& y = std::get<T>(b.data);
        if constexpr (std::is_same_v<T, None>) {
          return std::weak_ordering::equivalent;
        } else if constexpr (std::is_same_v<T, Text>) {
          return x->compare(*y) <=> 0;
        } else if constexpr (std::is_same_v<T, Duration>) {
          if (x.unit != y.unit) return x.unit <=> y.unit;
          return x.amount <=> y.amount;
        } else if constexpr (std::is_same_v<T, EnumValue>) {
          if (x.decl != y.decl) return x.decl <=> y.decl;
          return x.index <=> y.index;
        } else if constexpr (std::is_same_v<T, CalendarRef>) {
          return x.decl <=> y.decl;
        } else if constexpr (std::is_same_v<T, RecordPtr>) {
          return compare_sequences(x->fields, y->fields);
        } else if constexpr (std::is_same_v<T, ListPtr>) {
          return compare_sequences(x->items(), y->items());
        } else if constexpr (std::is_same_v<T, double>) {
          return compare_numbers(a, b);
        } else {
          return x <=> y;
        }
      },
      a.data);
}

bool values_equal(const Value& a, const Value& b) {
  return compare_values(a, b) == 0;
}

std::string_view duration_unit_name(DurationUnit unit, std::int64_t amount) {
  const bool one = amount == 1 || amount == -1;
  switch (unit) {
    case DurationUnit::days:
      return one ? "day" : "days";
    case DurationUnit::working_days:
      return one ? "working day" : "working days";
    case DurationUnit::months:
      return one ? "month" : "months";
    case DurationUnit::years:
      return one ? "year" : "years";
  }
  return "days";
}

}  // namespace merit
