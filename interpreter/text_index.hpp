#pragma once
// An index of texts by their positions in a list the caller keeps (a register's ids): open addressing in one
// array of 8-byte slots, so that indexing a million ids is one allocation, not a million, and a look-up
// compares a text only where its hash matches. Positions must be below 2^32 - 1.
#include <bit>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace merit {

class TextIndex {
 public:
  static constexpr std::uint32_t none = ~std::uint32_t{0};

  /// An index for about `expected` texts.
  explicit TextIndex(std::size_t expected = 0) { rehash(std::bit_ceil(2 * expected + 2)); }

  /// The position of `text`, where `text_of(position)` gives the text at a position added before; `none`
  /// when it was not added.
  template <typename TextOf>
  std::uint32_t find(std::string_view text, const TextOf& text_of) const {
    const std::uint32_t hash = hash_of(text);
    for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.position == none) return none;
      if (slot.hash == hash && text_of(slot.position) == text) return slot.position;
    }
  }

  /// Adds `text` at `position` unless it was added before; the position it has in the index either way.
  template <typename TextOf>
  std::uint32_t add(std::string_view text, std::uint32_t position, const TextOf& text_of) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    const std::uint32_t hash = hash_of(text);
    for (std::size_t at = hash & mask_;; at = (at + 1) & mask_) {
      Slot& slot = slots_[at];
      if (slot.position == none) {
        slot = Slot{hash, position};
        ++size_;
        return position;
      }
      if (slot.hash == hash && text_of(slot.position) == text) return slot.position;
    }
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t position = none;
  };

  static std::uint32_t hash_of(std::string_view text) {
    const std::size_t h = std::hash<std::string_view>{}(text);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
  }
  void rehash(std::size_t capacity) {
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
  }
  // Slots keep their hashes, so growing needs no text.
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    rehash(old.size() * 2);
    for (const Slot& slot : old) {
      if (slot.position == none) continue;
      std::size_t at = slot.hash & mask_;
      while (slots_[at].position != none) at = (at + 1) & mask_;
      slots_[at] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace merit
