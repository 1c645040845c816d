#include "bench/baseline.hpp"

#include "bench/baseline_case.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::bench {
namespace {

// The parameters of rules/chapter8/2-use-of-class-registers.merit. None has a dated version, so these
// hold whatever date a requisition is certified on.
constexpr int complement_size = 6;            // 2.B.1
constexpr int complete_minimum = 3;           // 2.B.1
constexpr int concurrent_referral_limit = 3;  // 2.F
constexpr int selection_period_days = 21;     // 2.I

// ---------------------------------------------------------------------------------------------------------
// The certification.

bool contains(const std::vector<int>& list, int item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// A person the requisition's method reaches, in the method's order: tier, score from highest, id.
struct Entry {
  int tier;
  double score;
  std::uint32_t at;  // position on the register
};

/// Marks on the register's persons for the requisition being certified; cleared after it.
enum Mark : std::uint8_t { declined_mark = 1, removed_mark = 2, certified_mark = 4 };

/// Certifies one requisition after another. The register's candidates are in the order of score from
/// highest, then id (certify_batch sorts them once): within a tier, every method's order is that one.
class Certifier {
 public:
  explicit Certifier(const Register& r)
      : register_(r),
        candidates_(r.candidates),
        marks_(r.candidates.size(), 0),
        referrals_(r.candidates.size()) {
    for (std::size_t i = 0; i < candidates_.size(); ++i) referrals_[i] = candidates_[i].concurrent_referrals;
  }

  BaselineCertification certify(const Requisition& r);

 private:
  bool has_preference_in(const Candidate& c, int agency) const { return c.preference && c.agency == agency; }

  bool reached(const Candidate& c, const Requisition& r) const {
    switch (r.method) {
      case Method::standard:
      case Method::open_competitive:
        return true;
      case Method::agency_promotional:
        return has_preference_in(c, r.agency);
      case Method::statewide_promotional:
        return c.preference;
    }
    return false;
  }

  int tier(const Candidate& c, const Requisition& r) const {
    if (r.method != Method::standard) return 1;
    if (has_preference_in(c, r.agency)) return 1;
    if (c.preference) return 2;
    if (c.reemployment) return 3;
    return 4;
  }

  // 2.A.1 (location, hours), 3.A.2 (temporary interest), 2.A.5 (selective qualifications).
  bool available(const Candidate& c, const Requisition& r) const {
    if (contains(c.declined_locations, r.location) || contains(c.declined_hours, r.hours)) return false;
    if (r.acting && !r.full_time && !c.temporary_interest) return false;
    for (const int q : r.selective) {
      if (!contains(c.qualifications, q)) return false;
    }
    return true;
  }

  bool passed_over(std::uint32_t at, const Requisition& r) const {
    return referrals_[at] >= concurrent_referral_limit && !has_preference_in(candidates_[at], r.agency);
  }

  bool removed(const Entry& e) const { return (marks_[e.at] & removed_mark) != 0; }
  bool interested(std::uint32_t at) const { return (marks_[at] & declined_mark) == 0; }

  /// `take n from c in in_order[from...] [counting c.id not in r.declined] with ties by tier, score`,
  /// leaving out removed persons: appends the positions in in_order taken, and returns where the list
  /// taken from goes on after them.
  std::size_t take(std::size_t from, std::int64_t n, bool counting_interested,
                   std::vector<std::size_t>& out) const {
    std::size_t p = from;
    std::int64_t counted = 0;
    const Entry* last = nullptr;
    for (; p < in_order_.size() && counted < n; ++p) {
      if (removed(in_order_[p])) continue;
      out.push_back(p);
      last = &in_order_[p];
      if (!counting_interested || interested(last->at)) ++counted;
    }
    for (; last && p < in_order_.size(); ++p) {
      const Entry& e = in_order_[p];
      if (e.tier != last->tier || e.score != last->score) break;
      if (!removed(e)) out.push_back(p);
    }
    return p;
  }

  const Register& register_;
  const std::vector<Candidate>& candidates_;
  std::vector<std::uint8_t> marks_;
  std::vector<std::int64_t> referrals_;  // the register's count and the certifications of this batch (2.F)
  // Reused from one requisition to the next.
  std::vector<std::uint32_t> available_, pool_;
  std::array<std::vector<std::uint32_t>, 4> tiers_;
  std::vector<Entry> in_order_;
  std::vector<std::size_t> taken_;
  std::vector<std::uint32_t> certified_at_, extra_;
};

BaselineCertification Certifier::certify(const Requisition& r) {
  BaselineCertification out;
  out.requisition = r.id;
  out.method = method_names[static_cast<std::size_t>(r.method)];
  const std::int64_t complement = complement_size + r.vacancies - 1;  // 2.D
  out.complement = complement;
  out.removed = r.removed;
  for (const auto at : r.declined_at) marks_[at] |= declined_mark;
  for (const auto at : r.removed_at) marks_[at] |= removed_mark;

  available_.clear();
  for (std::uint32_t i = 0; i < candidates_.size(); ++i) {
    if (available(candidates_[i], r)) available_.push_back(i);
  }

  // 2.F: those at the limit are passed over, unless the method cannot reach the complement without them.
  bool anyone_passed_over = false;
  std::int64_t within_limit = 0;
  for (const auto at : available_) {
    if (!reached(candidates_[at], r)) continue;
    if (passed_over(at, r)) {
      anyone_passed_over = true;
    } else {
      ++within_limit;
    }
  }
  const bool limit_waived = anyone_passed_over && within_limit < complement;
  // The pool (extra names come from it whatever the method), and the method's order, (tier, score
  // descending, id): each tier in turn, in the register's order.
  pool_.clear();
  for (auto& t : tiers_) t.clear();
  for (const auto at : available_) {
    if (!limit_waived && passed_over(at, r)) continue;
    pool_.push_back(at);
    const Candidate& c = candidates_[at];
    if (reached(c, r)) tiers_[static_cast<std::size_t>(tier(c, r) - 1)].push_back(at);
  }
  in_order_.clear();
  for (std::size_t t = 0; t < tiers_.size(); ++t) {
    for (const auto at : tiers_[t]) in_order_.push_back({static_cast<int>(t) + 1, candidates_[at].score, at});
  }

  certified_at_.clear();
  const auto add = [&](std::uint32_t at, std::string_view basis, std::string_view cite) {
    const Candidate& c = candidates_[at];
    out.certified.push_back({c.id, c.score, basis, cite, interested(at), tier(c, r)});
    certified_at_.push_back(at);
    marks_[at] |= certified_mark;
  };

  // The complement and everyone tied with the last one within the tier (2.B.1, 2.B.2), as if no one were
  // removed; each removed person is taken off and replaced by the next name in the method's order (2.H).
  std::size_t ranked = std::min(in_order_.size(), static_cast<std::size_t>(complement));
  while (ranked > 0 && ranked < in_order_.size() && in_order_[ranked].tier == in_order_[ranked - 1].tier &&
         in_order_[ranked].score == in_order_[ranked - 1].score) {
    ++ranked;
  }
  std::int64_t taken_off = 0;
  for (std::size_t p = 0; p < ranked; ++p) {
    if (removed(in_order_[p])) {
      ++taken_off;
      continue;
    }
    const auto place = static_cast<std::int64_t>(p);
    add(in_order_[p].at, "rank", place < complement_size ? "2.B.1" : place < complement ? "2.D" : "2.B.2");
  }
  std::size_t next = ranked;  // where the method's order goes on after the names certified so far
  taken_.clear();
  if (taken_off > 0) next = take(next, taken_off, false, taken_);
  for (const auto p : taken_) add(in_order_[p].at, "replacement", "2.H");

  // 2.B.1: replacements for those who declined, until the minimum is interested.
  std::int64_t interested_so_far = 0;
  for (const auto& name : out.certified) interested_so_far += name.interested ? 1 : 0;
  if (interested_so_far < complete_minimum) {
    taken_.clear();
    next = take(next, complete_minimum - interested_so_far, true, taken_);
    for (const auto p : taken_) add(in_order_[p].at, "replacement", "2.B.1");
  }

  // 5.C: for each listed group the normal certification lacks, the first member further down the method's
  // order; a person first for several groups is added once, and the names follow the method's order.
  const bool action_made = r.affirmative_action && !(r.adverse_impact && r.test_validated);
  bool group_already_included = false, group_unavailable = false;
  if (action_made) {
    std::vector<int> missing;
    for (const int g : r.action_groups) {
      const bool included = std::any_of(certified_at_.begin(), certified_at_.end(), [&](std::uint32_t at) {
        return contains(candidates_[at].groups, g);
      });
      if (included) {
        group_already_included = true;
      } else {
        missing.push_back(g);
      }
    }
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> first(missing.size(), none);
    std::size_t to_find = missing.size();
    for (std::size_t p = next; p < in_order_.size() && to_find > 0; ++p) {
      if (removed(in_order_[p])) continue;
      const auto& groups = candidates_[in_order_[p].at].groups;
      for (std::size_t k = 0; k < missing.size(); ++k) {
        if (first[k] == none && contains(groups, missing[k])) {
          first[k] = p;
          --to_find;
        }
      }
    }
    group_unavailable = to_find > 0;
    std::sort(first.begin(), first.end());
    first.erase(std::unique(first.begin(), first.end()), first.end());
    const std::string_view cite = r.adverse_impact ? "5.C.2(b)" : "5.C.1(b)";
    for (const auto p : first) {
      if (p != none) add(in_order_[p].at, "affirmative_action", cite);
    }
  }

  // 2.G: at the appointing authority's request, those on the pool who asked to transfer or would take a
  // voluntary demotion, whatever the method, by score (then id: the register's order).
  extra_.clear();
  if (r.extra_names) {
    for (const auto at : pool_) {
      if ((marks_[at] & (certified_mark | removed_mark)) != 0) continue;
      const Candidate& c = candidates_[at];
      if (c.agency < 0) continue;
      const bool wants_transfer = c.agency != r.agency && c.transfer_request;
      const bool would_demote = c.pay_grade && register_.pay_grade && *c.pay_grade > *register_.pay_grade;
      if (wants_transfer || would_demote) extra_.push_back(at);
    }
    for (const auto at : extra_) add(at, "extra_name", "2.G");
  }

  // Extra names supplement the certification: they do not count towards the minimum (2.G).
  for (const auto& name : out.certified)
    out.interested += name.interested && name.basis != "extra_name" ? 1 : 0;
  out.complete = out.interested >= complete_minimum;
  out.selection_deadline = format_date(r.certified_on.value_or(r.received) + selection_period_days);
  out.interview_required = !r.acting;
  out.selection_required = out.complete;
  if (r.method == Method::open_competitive || !r.selective.empty())
    out.notes.push_back("written_justification_approved");
  if (!out.complete) {
    out.notes.insert(out.notes.end(),
                     {"select_from_these", "alternative_method", "hold_requisition", "other_registers"});
  }
  if (limit_waived) out.notes.push_back("referral_limit_waived");
  if (!extra_.empty()) out.notes.push_back("extra_names_interviewed_together");
  if (taken_off > 0) out.notes.push_back("notify_removed_persons");
  if (r.affirmative_action && !action_made) out.notes.push_back("affirmative_action_not_made");
  if (group_already_included) out.notes.push_back("group_already_included");
  if (group_unavailable) out.notes.push_back("group_unavailable");

  // Later certifications of the batch see these referrals (2.F); the marks are for this one only.
  for (const auto at : certified_at_) {
    ++referrals_[at];
    marks_[at] = 0;
  }
  for (const auto at : r.declined_at) marks_[at] = 0;
  for (const auto at : r.removed_at) marks_[at] = 0;
  return out;
}

/// The checks of the rules' `certify` decision, then each requisition in the order received (2.E). Sorts
/// the register's candidates by score from highest, then id, once for the batch (what a certification
/// answers does not depend on the register's order).
std::vector<BaselineCertification> certify_batch(Register& reg, std::vector<Requisition>& requisitions) {
  if (requisitions.empty()) throw CaseError("the case has no requisition");
  std::vector<std::uint32_t> order(reg.candidates.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Candidate &x = reg.candidates[a], &y = reg.candidates[b];
    if (x.score != y.score) return x.score > y.score;
    return x.id < y.id;
  });
  std::vector<Candidate> by_score;
  by_score.reserve(order.size());
  for (const auto at : order) by_score.push_back(std::move(reg.candidates[at]));
  reg.candidates = std::move(by_score);

  std::unordered_map<std::string_view, std::uint32_t> ids;
  ids.reserve(reg.candidates.size());
  for (std::uint32_t i = 0; i < reg.candidates.size(); ++i) {
    if (!ids.emplace(reg.candidates[i].id, i).second) {
      throw CaseError(
          fmt::format("\"{}\" is the id of more than one person on the register", reg.candidates[i].id));
    }
  }
  for (const auto& r : requisitions) {
    if (r.vacancies < 1) throw CaseError(fmt::format("expected at least 1 vacancy, found {}", r.vacancies));
  }
  const auto positions = [&](const std::vector<std::string>& list, std::vector<std::uint32_t>& out) {
    for (const auto& id : list) {
      const auto it = ids.find(id);
      if (it == ids.end()) throw CaseError(fmt::format("\"{}\" is not on the register", id));
      out.push_back(it->second);
    }
  };
  for (auto& r : requisitions) positions(r.declined, r.declined_at);
  for (auto& r : requisitions) positions(r.removed, r.removed_at);

  std::vector<const Requisition*> in_order;
  in_order.reserve(requisitions.size());
  for (const auto& r : requisitions) in_order.push_back(&r);
  std::stable_sort(in_order.begin(), in_order.end(),
                   [](const Requisition* a, const Requisition* b) { return a->received < b->received; });
  Certifier certifier(reg);
  std::vector<BaselineCertification> out;
  out.reserve(in_order.size());
  for (const auto* r : in_order) out.push_back(certifier.certify(*r));
  return out;
}

}  // namespace

BaselineResult run_baseline(const std::string& case_path) {
  BaselineResult out;
  try {
    auto clock = std::chrono::steady_clock::now();
    BaselineCase input = read_case(case_path, out, clock);

    out.certifications = certify_batch(input.reg, input.requisitions);
    out.evaluate_ms = ms_since(clock);
  } catch (const CaseError& e) {
    out.error = e.what();
  } catch (const nlohmann::json::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string answer_json(const BaselineResult& result) {
  // In merit's order of fields, for a person to read; the comparison does not depend on it.
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& c : result.certifications) {
    nlohmann::ordered_json certified = nlohmann::ordered_json::array();
    for (const auto& n : c.certified) {
      certified.push_back({{"id", n.id},
                           {"score", n.score},
                           {"basis", n.basis},
                           {"cite", n.cite},
                           {"interested", n.interested},
                           {"tier", n.tier}});
    }
    out.push_back({{"requisition", c.requisition},
                   {"method", c.method},
                   {"complement", c.complement},
                   {"certified", std::move(certified)},
                   {"removed", c.removed},
                   {"interested", c.interested},
                   {"complete", c.complete},
                   {"selection_deadline", c.selection_deadline},
                   {"interview_required", c.interview_required},
                   {"selection_required", c.selection_required},
                   {"notes", c.notes}});
  }
  return out.dump(2);
}

}  // namespace merit::bench
