// Kernels written out as keys (kernel.hpp, write_kernel): the nodes of a kernel and every value worked out
// before its pass, in bytes, so that what a pass works out can be remembered by its list's base and found
// again by a pass of the same condition over the same values (ListValue::remembered, ListValue::answers).
#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>

#include "interpreter/kernel.hpp"

namespace merit::interpret {

namespace {

template <typename T>
void put(std::string& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

void put_text(std::string& out, const std::string& text) {
  put(out, text.size());
  out += text;
}

constexpr std::size_t longest_key = 1 << 16;  // a longer key costs more to compare than it may save

/// A value written out with its kind, lists and records item by item; false once the key is too long.
bool put_value(std::string& out, const Value& v) {
  put(out, static_cast<std::uint8_t>(v.data.index()));
  if (out.size() > longest_key) return false;
  if (const auto* text = std::get_if<Text>(&v.data)) {
    put_text(out, **text);
  } else if (const auto* duration = std::get_if<Duration>(&v.data)) {
    put(out, static_cast<std::int64_t>(duration->amount));
    put(out, static_cast<DurationUnit>(duration->unit));
  } else if (const auto* list = std::get_if<ListPtr>(&v.data)) {
    put(out, (*list)->size());
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
      if (!put_value(out, (*list)->at(i))) return false;
    }
  } else if (const auto* record = std::get_if<RecordPtr>(&v.data)) {
    put(out, (*record)->decl);
    for (const Value& field : (*record)->fields) {
      if (!put_value(out, field)) return false;
    }
  } else {
    // A scalar: its bytes (none has none).
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_trivially_copyable_v<T> && !std::is_same_v<T, None>) put(out, x);
        },
        v.data);
  }
  return true;
}

}  // namespace

bool write_kernel(const Kernel& k, std::string& out, bool shared) {
  if (!k.lazies.empty()) return false;
  put(out, k.root);
  for (std::size_t n = 0; n < k.nodes.size(); ++n) {
    const KNode& node = k.nodes[n];
    if (node.op == KOp::lazy) return false;
    put(out, node.op);
    put(out, node.a);
    put(out, node.b);
    put(out, node.c);
    put(out, node.local);
    put(out, node.extra);
    put(out, node.expr);
    if (node.op != KOp::constant) continue;
    if (shared && std::any_of(k.keyed_maps.begin(), k.keyed_maps.end(),
                              [n](const auto& map) { return static_cast<std::size_t>(map.first) == n; })) {
      put(out, std::uint8_t{0xff});  // no tag: any map read by the item's key
      continue;
    }
    const KVal& value = node.value;
    put(out, value.tag);
    switch (value.tag) {
      case KVal::none:
        break;
      case KVal::boolean:
        put(out, value.b);
        break;
      case KVal::integer:
        put(out, value.i);
        break;
      case KVal::decimal:
        put(out, value.d);
        break;
      case KVal::text:
        put_text(out, *value.s);
        break;
      case KVal::enumeration:
        put(out, value.e);
        break;
      case KVal::other:
        if (!put_value(out, *value.v)) return false;
        break;
    }
    if (out.size() > longest_key) return false;
  }
  for (const auto n : k.tables) put(out, n);
  for (const KCall& call : k.calls) {
    if (!call.named_first.empty()) return false;
    put(out, call.function);
    for (const auto& [node, local] : call.args) {
      put(out, node);
      put(out, local);
    }
  }
  return true;
}

std::vector<std::pair<std::int32_t, std::int32_t>> keyed_maps_of(const Kernel& k) {
  // How each node is used: a map qualifies where every use is as the map of a get whose key is a field of
  // local 0, the item (its field's text then picks the row whose answer the map can change).
  std::vector<std::int32_t> uses(k.nodes.size(), 0);
  const auto use = [&](std::int32_t n) {
    if (n >= 0) ++uses[static_cast<std::size_t>(n)];
  };
  use(k.root);
  for (const KNode& node : k.nodes) {
    use(node.a);
    use(node.b);
    use(node.c);
  }
  for (const auto n : k.tables) use(n);
  for (const KCall& call : k.calls) {
    for (const auto& [node, local] : call.args) use(node);
  }
  // A get of a map by a field of the item, the one use that qualifies; and how many such gets each map has.
  const auto by_item = [&k](const KNode& node) {
    return node.op == KOp::get && node.a >= 0 && node.b >= 0 &&
           k.nodes[static_cast<std::size_t>(node.b)].op == KOp::local_field &&
           k.nodes[static_cast<std::size_t>(node.b)].b == 0;
  };
  std::vector<std::int32_t> gets(k.nodes.size(), 0);
  for (const KNode& node : k.nodes) {
    if (by_item(node)) ++gets[static_cast<std::size_t>(node.a)];
  }
  std::vector<std::pair<std::int32_t, std::int32_t>> maps;
  for (const KNode& node : k.nodes) {
    if (!by_item(node)) continue;
    const auto at = static_cast<std::size_t>(node.a);
    const KNode& map = k.nodes[at];
    if (map.op != KOp::constant || map.value.tag != KVal::other ||
        !std::holds_alternative<ListPtr>(map.value.v->data) || gets[at] != uses[at])
      continue;
    const std::pair<std::int32_t, std::int32_t> entry{node.a,
                                                      k.nodes[static_cast<std::size_t>(node.b)].local};
    if (std::find(maps.begin(), maps.end(), entry) == maps.end()) maps.push_back(entry);
  }
  return maps;
}

}  // namespace merit::interpret
