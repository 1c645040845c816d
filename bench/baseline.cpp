#include "bench/baseline.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace merit::bench {
namespace {

// The parameters of rules/chapter8/2-use-of-class-registers.merit. None has a dated version, so these
// hold whatever date a requisition is certified on.
constexpr int complement_size = 6;            // 2.B.1
constexpr int complete_minimum = 3;           // 2.B.1
constexpr int concurrent_referral_limit = 3;  // 2.F
constexpr int selection_period_days = 21;     // 2.I

using Json = nlohmann::json;

/// nlohmann::json keeps an object's keys sorted, but the answer lists a requisition's removed names in
/// the order the file gives them (`keys(r.removed)`). So the parse is nlohmann's own DOM builder that also
/// notes the keys of each object under a "removed" key, in file order: nlohmann::ordered_json would keep
/// every object's order, but parses about 1.5 times slower. In a case the baseline accepts, "removed" is a
/// key of requisitions only (anywhere else it is an unknown field, an error), so the lists match the
/// requisitions that have one, in file order.
class Builder : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;
  explicit Builder(Json& document) : Base(document) {}

  bool key(std::string& k) {
    if (depth_ == removed_depth_) removed.back().push_back(k);
    removed_next_ = k == "removed";
    return Base::key(k);
  }
  bool start_object(std::size_t n) {
    ++depth_;
    if (removed_next_) {
      removed.emplace_back();
      removed_depth_ = depth_;
      removed_next_ = false;
    }
    return Base::start_object(n);
  }
  bool end_object() {
    if (depth_ == removed_depth_) removed_depth_ = -1;
    --depth_;
    return Base::end_object();
  }

  std::vector<std::vector<std::string>> removed;  // the keys of each "removed" object, in file order

 private:
  int depth_ = 0;
  int removed_depth_ = -1;  // the depth of the "removed" object being read
  bool removed_next_ = false;
};

/// A case the baseline rejects: invalid, or using what it does not implement.
struct CaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Method { standard, agency_promotional, statewide_promotional, open_competitive };
constexpr std::array<std::string_view, 4> method_names = {"standard", "agency_promotional",
                                                          "statewide_promotional", "open_competitive"};

/// The texts that candidates and requisitions are compared on (agencies, locations, hours,
/// qualifications, groups) as small numbers, so a candidate's lists are vectors of int.
class Words {
 public:
  int operator()(const std::string& text) {
    return map_.try_emplace(text, static_cast<int>(map_.size())).first->second;
  }

 private:
  std::unordered_map<std::string, int> map_;
};

struct Candidate {
  std::string id;
  double score = 0;
  int agency = -1;          // -1: not a state employee
  bool preference = false;  // promotional preference that counts: a classified state employee's (2.A.1)
  bool reemployment = false;
  bool transfer_request = false;
  bool temporary_interest = false;
  std::optional<std::int64_t> pay_grade;
  std::int64_t concurrent_referrals = 0;
  std::vector<int> declined_locations, declined_hours, qualifications, groups;
};

struct Register {
  std::optional<std::int64_t> pay_grade;
  std::vector<Candidate> candidates;
};

struct Requisition {
  std::string id;
  int agency = -1, location = -1, hours = -1;
  bool full_time = true;
  int received = 0;  // days since 1970-01-01
  std::optional<int> certified_on;
  Method method = Method::standard;
  std::vector<int> selective;
  std::int64_t vacancies = 1;
  bool acting = false;
  bool extra_names = false;
  bool affirmative_action = false;
  std::vector<int> action_groups;
  bool adverse_impact = false;  // the basis; otherwise underutilization
  bool test_validated = false;
  std::vector<std::string> declined, removed;
  // declined and removed as positions on the register, once the ids are checked
  std::vector<std::uint32_t> declined_at, removed_at;
};

// ---------------------------------------------------------------------------------------------------------
// Dates: days since 1970-01-01 (the civil-calendar algorithms of Howard Hinnant).

int days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string format_date(int days) {
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const int doe = days - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

int parse_date(const Json& j) {
  const std::string& text = j.get_ref<const std::string&>();
  int y = 0, m = 0, d = 0;
  const auto number = [&](std::size_t at, std::size_t length, int& out) {
    const char* end = text.data() + at + length;
    return std::from_chars(text.data() + at, end, out).ptr == end;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !number(0, 4, y) || !number(5, 2, m) ||
      !number(8, 2, d) || m < 1 || m > 12 || d < 1) {
    throw CaseError(fmt::format("expected a date like 2026-03-01, found {}", text));
  }
  // A day past the month's end would roll into the next month: not a date that exists.
  const int days = days_from_civil(y, m, d);
  if (format_date(days) != text) throw CaseError(fmt::format("{} is not a date that exists", text));
  return days;
}

// ---------------------------------------------------------------------------------------------------------
// The case file to plain structs. Every key is looked at, so a field the baseline does not know is an
// error rather than silently ignored.

std::int64_t whole(const Json& j) {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  // A float with a whole value (3.0) is a whole number, as merit reads it.
  const double d = j.get<double>();
  if (d != static_cast<double>(static_cast<std::int64_t>(d))) {
    throw CaseError(fmt::format("expected a whole number, found {}", j.dump()));
  }
  return static_cast<std::int64_t>(d);
}

std::vector<int> words_of(const Json& list, Words& words) {
  std::vector<int> out;
  out.reserve(list.size());
  for (const auto& item : list.get_ref<const Json::array_t&>())
    out.push_back(words(item.get_ref<const std::string&>()));
  return out;
}

Candidate to_candidate(const Json& j, Words& words) {
  Candidate c;
  bool has_id = false, has_score = false, classified = true, promotional_preference = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "id") {
      c.id = value.get<std::string>();
      has_id = true;
    } else if (key == "score") {
      c.score = value.get<double>();
      has_score = true;
    } else if (key == "name") {
      if (!value.is_null()) (void)value.get_ref<const std::string&>();
    } else if (key == "agency") {
      if (!value.is_null()) c.agency = words(value.get_ref<const std::string&>());
    } else if (key == "service") {
      const std::string& service = value.get_ref<const std::string&>();
      if (service != "classified" && service != "unclassified" && service != "project") {
        throw CaseError(
            fmt::format("{}: service {} is not one of classified, unclassified, project", c.id, service));
      }
      classified = service == "classified";
    } else if (key == "promotional_preference") {
      promotional_preference = value.get<bool>();
    } else if (key == "reemployment") {
      c.reemployment = value.get<bool>();
    } else if (key == "declined_locations") {
      c.declined_locations = words_of(value, words);
    } else if (key == "declined_hours") {
      c.declined_hours = words_of(value, words);
    } else if (key == "qualifications") {
      c.qualifications = words_of(value, words);
    } else if (key == "groups") {
      c.groups = words_of(value, words);
    } else if (key == "concurrent_referrals") {
      c.concurrent_referrals = whole(value);
    } else if (key == "transfer_request") {
      c.transfer_request = value.get<bool>();
    } else if (key == "pay_grade") {
      if (!value.is_null()) c.pay_grade = whole(value);
    } else if (key == "temporary_interest") {
      c.temporary_interest = value.get<bool>();
    } else {
      throw CaseError(fmt::format("a candidate's field {} is not one the baseline knows", key));
    }
  }
  if (!has_id || !has_score) throw CaseError("a candidate without an id or a score");
  c.preference = c.agency >= 0 && classified && promotional_preference;
  return c;
}

Register to_register(const Json& j, Words& words) {
  Register r;
  bool has_candidates = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "class") {
      (void)value.get_ref<const std::string&>();
    } else if (key == "pay_grade") {
      if (!value.is_null()) r.pay_grade = whole(value);
    } else if (key == "candidates") {
      const auto& list = value.get_ref<const Json::array_t&>();
      r.candidates.reserve(list.size());
      for (const auto& c : list) r.candidates.push_back(to_candidate(c, words));
      has_candidates = true;
    } else {
      throw CaseError(fmt::format("the register's field {} is not one the baseline knows", key));
    }
  }
  if (!has_candidates) throw CaseError("the register has no candidates (the baseline reads no CSV)");
  return r;
}

void read_affirmative_action(const Json& j, Requisition& r, Words& words) {
  if (j.is_null()) return;
  r.affirmative_action = true;
  bool has_groups = false, has_basis = false;
  for (const auto& [key, value] : j.get_ref<const Json::object_t&>()) {
    if (key == "groups") {
      r.action_groups = words_of(value, words);
      has_groups = true;
    } else if (key == "basis") {
      const std::string& basis = value.get_ref<const std::string&>();
      if (basis != "underutilization" && basis != "adverse_impact") {
        throw CaseError(
            fmt::format("{}: affirmative-action basis {} is not one the rules know", r.id, basis));
      }
      r.adverse_impact = basis == "adverse_impact";
      has_basis = true;
    } else if (key == "test_validated") {
      r.test_validated = value.get<bool>();
    } else {
      throw CaseError(fmt::format("affirmative action's field {} is not one the baseline knows", key));
    }
  }
  if (!has_groups || !has_basis) throw CaseError(r.id + ": affirmative action without groups or basis");
}

/// `removed` holds the keys of the "removed" objects in file order; `next_removed` is the first not yet
/// given to a requisition.
Requisition to_requisition(const Json& j, Words& words, const std::vector<std::vector<std::string>>& removed,
                           std::size_t& next_removed) {
  Requisition r;
  std::string hours = "full-time";
  bool has_id = false, has_agency = false, has_received = false, has_location = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "id") {
      r.id = value.get<std::string>();
      has_id = true;
    } else if (key == "agency") {
      r.agency = words(value.get_ref<const std::string&>());
      has_agency = true;
    } else if (key == "received") {
      r.received = parse_date(value);
      has_received = true;
    } else if (key == "certified_on") {
      if (!value.is_null()) r.certified_on = parse_date(value);
    } else if (key == "location") {
      r.location = words(value.get_ref<const std::string&>());
      has_location = true;
    } else if (key == "hours") {
      hours = value.get<std::string>();
    } else if (key == "method") {
      const std::string& method = value.get_ref<const std::string&>();
      const auto it = std::find(method_names.begin(), method_names.end(), method);
      if (it == method_names.end())
        throw CaseError(fmt::format("method {} is not one the rules know", method));
      r.method = static_cast<Method>(it - method_names.begin());
    } else if (key == "selective") {
      r.selective = words_of(value, words);
    } else if (key == "vacancies") {
      r.vacancies = whole(value);
    } else if (key == "appointment") {
      const std::string& appointment = value.get_ref<const std::string&>();
      if (appointment != "permanent" && appointment != "acting") {
        throw CaseError(fmt::format("appointment {} is not one of permanent, acting", appointment));
      }
      r.acting = appointment == "acting";
    } else if (key == "extra_names") {
      r.extra_names = value.get<bool>();
    } else if (key == "affirmative_action") {
      read_affirmative_action(value, r, words);
    } else if (key == "declined") {
      for (const auto& id : value.get_ref<const Json::array_t&>())
        r.declined.push_back(id.get<std::string>());
    } else if (key == "removed") {
      const auto& reasons = value.get_ref<const Json::object_t&>();
      if (next_removed >= removed.size() || removed[next_removed].size() != reasons.size()) {
        throw CaseError(r.id + ": the removed names are not where the baseline expects them");
      }
      for (const auto& entry : reasons) (void)entry.second.get_ref<const std::string&>();
      r.removed = removed[next_removed++];
    } else {
      throw CaseError(fmt::format("a requisition's field {} is not one the baseline knows", key));
    }
  }
  if (!has_id || !has_agency || !has_received || !has_location) {
    throw CaseError("a requisition without its id, agency, received date or location");
  }
  r.hours = words(hours);
  r.full_time = hours == "full-time";
  return r;
}

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
    out.certified.push_back({c.id, c.score, basis, cite, interested(at)});
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

double ms_since(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - start).count();
  start = now;
  return ms;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CaseError("cannot read " + path);
  in.seekg(0, std::ios::end);
  std::string contents(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0, std::ios::beg);
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  return contents;
}

}  // namespace

BaselineResult run_baseline(const std::string& case_path) {
  BaselineResult out;
  try {
    auto clock = std::chrono::steady_clock::now();
    const std::string contents = read_file(case_path);
    out.read_ms = ms_since(clock);

    Json json;
    Builder builder(json);
    Json::sax_parse(contents, &builder);
    out.parse_ms = ms_since(clock);

    Words words;
    Register reg;
    std::vector<Requisition> requisitions;
    bool has_register = false, has_requisitions = false;
    std::size_t next_removed = 0;
    for (const auto& [key, value] : json.get_ref<const Json::object_t&>()) {
      if (key == "register") {
        reg = to_register(value, words);
        has_register = true;
      } else if ((key == "requisitions" || key == "requisition") && !has_requisitions) {
        if (key == "requisition") {
          requisitions.push_back(to_requisition(value, words, builder.removed, next_removed));
        } else {
          for (const auto& r : value.get_ref<const Json::array_t&>())
            requisitions.push_back(to_requisition(r, words, builder.removed, next_removed));
        }
        has_requisitions = true;
      } else {
        throw CaseError(
            fmt::format("{}: not a key of a certify case the baseline reads (register, "
                        "requisitions or requisition, once)",
                        key));
      }
    }
    if (!has_register || !has_requisitions) throw CaseError("a certify case has a register and requisitions");
    out.convert_ms = ms_since(clock);

    out.certifications = certify_batch(reg, requisitions);
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
                           {"interested", n.interested}});
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
