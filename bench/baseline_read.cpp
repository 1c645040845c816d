#include "bench/baseline_case.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace merit::bench {
namespace {

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

}  // namespace

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

namespace {

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

BaselineCase read_case(const std::string& case_path, BaselineResult& timings,
                       std::chrono::steady_clock::time_point& clock) {
  BaselineCase out;
  out.contents = read_file(case_path);
  timings.read_ms = ms_since(clock);

  Builder builder(out.json);
  Json::sax_parse(out.contents, &builder);
  timings.parse_ms = ms_since(clock);

  Words words;
  bool has_register = false, has_requisitions = false;
  std::size_t next_removed = 0;
  for (const auto& [key, value] : out.json.get_ref<const Json::object_t&>()) {
    if (key == "register") {
      out.reg = to_register(value, words);
      has_register = true;
    } else if ((key == "requisitions" || key == "requisition") && !has_requisitions) {
      if (key == "requisition") {
        out.requisitions.push_back(to_requisition(value, words, builder.removed, next_removed));
      } else {
        for (const auto& r : value.get_ref<const Json::array_t&>())
          out.requisitions.push_back(to_requisition(r, words, builder.removed, next_removed));
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
  timings.convert_ms = ms_since(clock);
  return out;
}

}  // namespace merit::bench
