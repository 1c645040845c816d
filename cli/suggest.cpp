#include "cli/suggest.hpp"

#include <algorithm>

#include "interpreter/diagnostic.hpp"

namespace merit::cli {

std::string nearest(const std::string& word, const std::vector<std::string>& known) {
  if (word.empty()) return {};
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_edits = limit + 1;
  for (const auto& k : known) {
    // A word far longer or shorter than a name is no slip of it: not worth comparing letter by letter.
    if (k.size() > word.size() + limit || word.size() > k.size() + limit) continue;
    const std::size_t e = edit_distance(word, k);
    if (e < best_edits) {
      best = k;
      best_edits = e;
    }
  }
  return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& known) {
  const std::string n = nearest(word, known);
  return n.empty() ? std::string() : "; did you mean " + n + "?";
}

}  // namespace merit::cli
