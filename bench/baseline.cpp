#include "bench/baseline.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace merit::bench {
namespace {

constexpr int complement_size = 6;
constexpr int complete_minimum = 3;
constexpr int concurrent_referral_limit = 3;

struct Candidate {
  std::string id;
  double score = 0;
  std::optional<std::string> agency;
  bool promotional_preference = false;
  bool reemployment = false;
  std::vector<std::string> declined_locations, declined_hours, qualifications;
  int concurrent_referrals = 0;
};

struct Requisition {
  std::string id, agency, location, hours = "full-time", method = "standard";
  std::vector<std::string> selective, declined, removed;
  int vacancies = 1;
  bool extra_names = false, affirmative_action = false;
};

template <class T>
T field_or(const nlohmann::json& object, const char* key, T fallback) {
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? fallback : it->get<T>();
}

Candidate to_candidate(const nlohmann::json& j) {
  Candidate c;
  c.id = j.at("id").get<std::string>();
  c.score = j.at("score").get<double>();
  if (const auto it = j.find("agency"); it != j.end() && !it->is_null()) c.agency = it->get<std::string>();
  // Promotional preference counts only in the classified service (2.A.1).
  c.promotional_preference = field_or(j, "promotional_preference", false) &&
                             field_or(j, "service", std::string("classified")) == "classified";
  c.reemployment = field_or(j, "reemployment", false);
  c.declined_locations = field_or(j, "declined_locations", std::vector<std::string>{});
  c.declined_hours = field_or(j, "declined_hours", std::vector<std::string>{});
  c.qualifications = field_or(j, "qualifications", std::vector<std::string>{});
  c.concurrent_referrals = field_or(j, "concurrent_referrals", 0);
  return c;
}

Requisition to_requisition(const nlohmann::json& j) {
  Requisition r;
  r.id = j.at("id").get<std::string>();
  r.agency = j.at("agency").get<std::string>();
  r.location = j.at("location").get<std::string>();
  r.hours = field_or(j, "hours", r.hours);
  r.method = field_or(j, "method", r.method);
  r.selective = field_or(j, "selective", std::vector<std::string>{});
  r.declined = field_or(j, "declined", std::vector<std::string>{});
  if (const auto it = j.find("removed"); it != j.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) r.removed.push_back(key);
  }
  r.vacancies = field_or(j, "vacancies", 1);
  r.extra_names = field_or(j, "extra_names", false);
  r.affirmative_action = j.contains("affirmative_action") && !j["affirmative_action"].is_null();
  return r;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

int standard_tier(const Candidate& c, const Requisition& r) {
  if (c.agency && *c.agency == r.agency && c.promotional_preference) return 1;
  if (c.agency && c.promotional_preference) return 2;
  if (c.reemployment) return 3;
  return 4;
}

struct Entry {
  int tier;
  const Candidate* candidate;
};

/// The certification itself; `error` set when the data are invalid.
void certify(const std::vector<Candidate>& candidates, const Requisition& r, BaselineResult& out) {
  std::unordered_set<std::string_view> ids;
  ids.reserve(candidates.size());
  for (const auto& c : candidates) {
    if (!ids.insert(c.id).second) {
      out.error = "duplicate id " + c.id;
      return;
    }
  }
  for (const auto* list : {&r.declined, &r.removed}) {
    for (const auto& id : *list) {
      if (!ids.contains(id)) {
        out.error = id + " is not on the register";
        return;
      }
    }
  }
  const int complement = complement_size + r.vacancies - 1;

  std::vector<Entry> available, within_limit;
  available.reserve(candidates.size());
  within_limit.reserve(candidates.size());
  bool anyone_passed_over = false;
  for (const auto& c : candidates) {
    bool leave_out = contains(c.declined_locations, r.location) || contains(c.declined_hours, r.hours) ||
                     contains(r.removed, c.id);
    for (const auto& q : r.selective) leave_out = leave_out || !contains(c.qualifications, q);
    if (leave_out) continue;
    const Entry e{standard_tier(c, r), &c};
    available.push_back(e);
    const bool own_agency_preference = c.agency && *c.agency == r.agency && c.promotional_preference;
    if (c.concurrent_referrals >= concurrent_referral_limit && !own_agency_preference) {
      anyone_passed_over = true;
    } else {
      within_limit.push_back(e);
    }
  }
  const bool limit_waived = std::ssize(within_limit) < complement && anyone_passed_over;
  std::vector<Entry>& pool = limit_waived ? available : within_limit;

  std::sort(pool.begin(), pool.end(), [](const Entry& a, const Entry& b) {
    if (a.tier != b.tier) return a.tier < b.tier;
    if (a.candidate->score != b.candidate->score) return a.candidate->score > b.candidate->score;
    return a.candidate->id < b.candidate->id;
  });
  const auto same_key = [](const Entry& a, const Entry& b) {
    return a.tier == b.tier && a.candidate->score == b.candidate->score;
  };

  // Rank names: the complement, and everyone tied (same tier and score) with the last one taken.
  std::size_t taken = std::min(pool.size(), static_cast<std::size_t>(complement));
  while (taken > 0 && taken < pool.size() && same_key(pool[taken - 1], pool[taken])) ++taken;
  const auto interested = [&](const Entry& e) { return !contains(r.declined, e.candidate->id); };
  int interested_ranked = 0;
  for (std::size_t i = 0; i < taken; ++i) {
    const auto& e = pool[i];
    const std::string cite = std::ssize(out.certified) < complement_size ? "2.B.1"
                             : std::ssize(out.certified) < complement    ? "2.D"
                                                                         : "2.B.2";
    out.certified.push_back({e.candidate->id, e.candidate->score, cite, interested(e)});
    interested_ranked += interested(e) ? 1 : 0;
  }
  // Replacements: the next names until 3 are interested, and everyone tied with the last one.
  if (interested_ranked < complete_minimum) {
    std::size_t next = taken;
    int counted = 0;
    while (next < pool.size() && counted < complete_minimum - interested_ranked) {
      if (interested(pool[next++])) ++counted;
    }
    while (next > taken && next < pool.size() && same_key(pool[next - 1], pool[next])) ++next;
    for (std::size_t i = taken; i < next; ++i) {
      out.certified.push_back(
          {pool[i].candidate->id, pool[i].candidate->score, "2.B.1", interested(pool[i])});
    }
  }
  for (const auto& n : out.certified) out.interested += n.interested ? 1 : 0;
  out.complete = out.interested >= complete_minimum;
}

double ms_since(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double ms = std::chrono::duration<double, std::milli>(now - start).count();
  start = now;
  return ms;
}

}  // namespace

BaselineResult run_baseline(const std::string& case_path) {
  BaselineResult out;
  auto clock = std::chrono::steady_clock::now();
  std::ifstream in(case_path, std::ios::binary);
  if (!in) {
    out.error = "cannot read " + case_path;
    return out;
  }
  in.seekg(0, std::ios::end);
  std::string contents(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0, std::ios::beg);
  in.read(contents.data(), static_cast<std::streamsize>(contents.size()));
  out.read_ms = ms_since(clock);

  nlohmann::json json;
  try {
    json = nlohmann::json::parse(contents);
  } catch (const nlohmann::json::exception& e) {
    out.error = e.what();
    return out;
  }
  out.parse_ms = ms_since(clock);

  std::vector<Candidate> candidates;
  Requisition requisition;
  try {
    const auto& list = json.at("register").at("candidates");
    candidates.reserve(list.size());
    for (const auto& c : list) candidates.push_back(to_candidate(c));
    const nlohmann::json* r = nullptr;
    if (json.contains("requisition")) {
      r = &json["requisition"];
    } else if (json.contains("requisitions") && json["requisitions"].size() == 1) {
      r = &json["requisitions"][0];
    }
    if (!r) {
      out.error = "the baseline certifies a case with exactly one requisition";
      return out;
    }
    requisition = to_requisition(*r);
  } catch (const nlohmann::json::exception& e) {
    out.error = e.what();
    return out;
  }
  if (requisition.method != "standard" || requisition.extra_names || requisition.affirmative_action) {
    out.error =
        "the baseline certifies only a standard-method requisition without affirmative action or extra names";
    return out;
  }
  out.convert_ms = ms_since(clock);

  certify(candidates, requisition, out);
  out.evaluate_ms = ms_since(clock);
  return out;
}

}  // namespace merit::bench
