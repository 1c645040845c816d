#include "bench/case_generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

namespace merit::bench {
namespace {

/// splitmix64: small, fast, and the same sequence on every platform and standard library (the
/// distributions of <random> are not specified exactly, so they are not used).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [0, n).
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(unit() * static_cast<double>(n)); }
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 6> agencies = {"DHHS", "DOT", "DOL", "DEP", "DAFS", "DOC"};
// Larger agencies have more employees on a register.
constexpr std::array<double, 6> agency_weights = {0.32, 0.20, 0.16, 0.12, 0.12, 0.08};
constexpr std::array<std::string_view, 6> locations = {"Augusta",  "Bangor",       "Portland",
                                                       "Lewiston", "Presque Isle", "Machias"};
constexpr std::array<std::string_view, 20> first_names = {
    "Avery", "Blake", "Casey",  "Dana", "Emery",  "Finley", "Gray",  "Harper", "Indigo", "Jules",
    "Kai",   "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese",  "Sawyer", "Taylor"};
constexpr std::array<std::string_view, 20> last_names = {
    "Dunn",     "Moreau",  "Thibodeau", "Pelletier", "Cote",   "Roy",     "Ouellette",
    "Levesque", "Michaud", "Gagnon",    "Bouchard",  "Martin", "Cyr",     "Daigle",
    "Morin",    "Poulin",  "Theriault", "Albert",    "Caron",  "Bergeron"};

constexpr int register_pay_grade = 12;

enum class Service { classified, unclassified, project };

struct Candidate {
  std::size_t number = 0;  // 1-based; the id is C and the number, zero-padded
  std::string_view first, last;
  int score_tenths = 0;  // 600..1000: 60.0..100.0
  int agency = -1;       // index into `agencies`; -1: not a state employee
  Service service = Service::classified;
  bool promotional_preference = false;
  bool reemployment = false;
  std::vector<std::string_view> declined_locations, declined_hours, qualifications, groups;
  int concurrent_referrals = 0;
  bool transfer_request = false;
  int pay_grade = -1;  // -1: none
};

std::string candidate_id(std::size_t number) {
  return fmt::format("C{:07}", number);
}

/// The candidates one after the other, from their own stream of the seed, so the register is the same
/// whatever the requisitions.
class CandidateStream {
 public:
  explicit CandidateStream(std::uint64_t seed) : rng_(seed ^ 0xC0FFEE1234567ULL) {}

  void next(std::size_t number, Candidate& c) {
    c = Candidate{};
    c.number = number;
    c.first = first_names[rng_.below(first_names.size())];
    c.last = last_names[rng_.below(last_names.size())];
    // A bell between 60.0 and 100.0 (mean 80), in tenths: 401 possible scores, so many ties.
    const double bell = (rng_.unit() + rng_.unit() + rng_.unit()) / 3.0;
    c.score_tenths = 600 + static_cast<int>(bell * 400.0 + 0.5);
    if (rng_.chance(0.5)) {
      double pick = rng_.unit();
      c.agency = 0;
      for (std::size_t a = 0; a < agencies.size(); ++a) {
        if (pick < agency_weights[a]) {
          c.agency = static_cast<int>(a);
          break;
        }
        pick -= agency_weights[a];
      }
      const double s = rng_.unit();
      c.service = s < 0.88 ? Service::classified : s < 0.96 ? Service::unclassified : Service::project;
      c.promotional_preference = rng_.chance(0.6);
      c.transfer_request = rng_.chance(0.03);
      // Mostly at or below the register's grade (12); a few above, for whom appointment would be a
      // voluntary demotion (extra names, 2.G).
      c.pay_grade =
          rng_.chance(0.03) ? 13 + static_cast<int>(rng_.below(4)) : 8 + static_cast<int>(rng_.below(5));
    }
    c.reemployment = rng_.chance(0.10);
    if (rng_.chance(0.04)) {
      c.declined_locations.push_back(locations[rng_.below(locations.size())]);
      if (rng_.chance(0.3)) c.declined_locations.push_back(locations[rng_.below(locations.size())]);
    }
    if (rng_.chance(0.03)) c.declined_hours.push_back(rng_.chance(0.5) ? "part-time" : "shift");
    if (rng_.chance(0.12)) c.qualifications.push_back("bilingual-french");
    if (rng_.chance(0.05)) c.qualifications.push_back("cdl");
    if (rng_.chance(0.48)) c.groups.push_back("women");
    if (rng_.chance(0.10)) c.groups.push_back("minority");
    if (rng_.chance(0.08)) c.groups.push_back("veteran");
    if (rng_.chance(0.04)) c.groups.push_back("disability");
    if (rng_.chance(0.005)) c.groups.push_back("native_american");
    const double r = rng_.unit();
    c.concurrent_referrals = r < 0.80 ? 0 : r < 0.88 ? 1 : r < 0.93 ? 2 : r < 0.97 ? 3 : 4;
  }

 private:
  Rng rng_;
};

std::string_view service_name(Service s) {
  switch (s) {
    case Service::classified:
      return "classified";
    case Service::unclassified:
      return "unclassified";
    case Service::project:
      return "project";
  }
  return "classified";
}

/// A FILE* that closes itself, written through a buffer.
struct Output {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file;
  fmt::memory_buffer buffer;

  explicit Output(const std::string& path) : file(std::fopen(path.c_str(), "wb"), &std::fclose) {}
  void flush_if_full() {
    if (buffer.size() > (1U << 20)) flush();
  }
  void flush() {
    if (file && buffer.size() > 0) std::fwrite(buffer.data(), 1, buffer.size(), file.get());
    buffer.clear();
  }
  bool finish() {
    flush();
    if (!file) return false;
    const bool ok = std::ferror(file.get()) == 0;
    return std::fclose(file.release()) == 0 && ok;
  }
};

void json_list(fmt::memory_buffer& out, std::string_view key, const std::vector<std::string_view>& items) {
  if (items.empty()) return;
  fmt::format_to(std::back_inserter(out), ", \"{}\": [", key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{}\"{}\"", i ? ", " : "", items[i]);
  }
  out.push_back(']');
}

/// One candidate as a JSON object on one line; fields left to their defaults are left out, as a real
/// export would.
void write_candidate_json(fmt::memory_buffer& out, const Candidate& c) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\"id\": \"{}\", \"name\": \"{} {}\", \"score\": {}.{}", candidate_id(c.number),
                 c.first, c.last, c.score_tenths / 10, c.score_tenths % 10);
  if (c.agency >= 0) {
    fmt::format_to(it, ", \"agency\": \"{}\"", agencies[static_cast<std::size_t>(c.agency)]);
    if (c.service != Service::classified)
      fmt::format_to(it, ", \"service\": \"{}\"", service_name(c.service));
    if (c.promotional_preference) fmt::format_to(it, ", \"promotional_preference\": true");
  }
  if (c.reemployment) fmt::format_to(it, ", \"reemployment\": true");
  json_list(out, "declined_locations", c.declined_locations);
  json_list(out, "declined_hours", c.declined_hours);
  json_list(out, "qualifications", c.qualifications);
  json_list(out, "groups", c.groups);
  if (c.concurrent_referrals > 0)
    fmt::format_to(it, ", \"concurrent_referrals\": {}", c.concurrent_referrals);
  if (c.transfer_request) fmt::format_to(it, ", \"transfer_request\": true");
  if (c.pay_grade >= 0) fmt::format_to(it, ", \"pay_grade\": {}", c.pay_grade);
  out.push_back('}');
}

constexpr std::array<std::string_view, 4> methods = {"standard", "agency_promotional",
                                                     "statewide_promotional", "open_competitive"};

void write_requisition_json(fmt::memory_buffer& out, const CaseOptions& options, std::size_t i, Rng& rng) {
  auto it = std::back_inserter(out);
  const std::size_t k = options.requisitions;
  // The first is received first; the others during March, so the batch is certified out of file order.
  const int day = i == 0 ? 2 : 2 + static_cast<int>(rng.below(27));
  fmt::format_to(it, "    {{\"id\": \"R-2026-{:03}\", \"agency\": \"{}\", \"received\": \"2026-03-{:02}\"",
                 i + 1, agencies[i % agencies.size()], day);
  if (i % 4 == 1) fmt::format_to(it, ", \"certified_on\": \"2026-03-{:02}\"", std::min(day + 3, 31));
  fmt::format_to(it, ", \"location\": \"{}\"", locations[i % locations.size()]);
  if (i % 7 == 6) fmt::format_to(it, ", \"hours\": \"part-time\"");
  if (i > 0) fmt::format_to(it, ", \"method\": \"{}\"", methods[i % methods.size()]);
  if (i % 5 == 4) fmt::format_to(it, ", \"selective\": [\"bilingual-french\"]");
  if (i % 3 == 2) fmt::format_to(it, ", \"vacancies\": 2");
  if (i % 6 == 5) fmt::format_to(it, ", \"appointment\": \"acting\"");
  if (k > 1 && (i == 2 || (k == 2 && i == 1))) fmt::format_to(it, ", \"extra_names\": true");
  if (k > 1 && i == 1) {
    fmt::format_to(it,
                   ", \"affirmative_action\": {{\"groups\": [\"disability\", \"native_american\"], "
                   "\"basis\": \"underutilization\"}}");
  }
  if (i == 3) {
    const std::size_t n = options.candidates;
    fmt::format_to(
        it, ", \"declined\": [\"{}\", \"{}\"], \"removed\": {{\"{}\": \"did not report for interview\"}}",
        candidate_id(1 + rng.below(n)), candidate_id(1 + rng.below(n)), candidate_id(1 + rng.below(n)));
  }
  out.push_back('}');
}

void csv_list(fmt::memory_buffer& out, const std::vector<std::string_view>& items) {
  out.push_back(',');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(';');
    out.append(items[i]);
  }
}

}  // namespace

bool write_case_json(const CaseOptions& options, const std::string& path) {
  Output out(path);
  if (!out.file) return false;
  auto it = std::back_inserter(out.buffer);
  fmt::format_to(it, "{{\n  \"register\": {{\"class\": \"Eligibility Specialist\", \"pay_grade\": {}",
                 register_pay_grade);
  if (!options.candidates_in_csv) {
    fmt::format_to(it, ",\n    \"candidates\": [\n");
    CandidateStream stream(options.seed);
    Candidate c;
    for (std::size_t n = 1; n <= options.candidates; ++n) {
      stream.next(n, c);
      out.buffer.append(std::string_view("      "));
      write_candidate_json(out.buffer, c);
      out.buffer.append(std::string_view(n < options.candidates ? ",\n" : "\n"));
      out.flush_if_full();
    }
    fmt::format_to(it, "    ]\n  ");
  }
  fmt::format_to(it, "}},\n  \"requisitions\": [\n");
  Rng rng(options.seed ^ 0x5EED0F5EEDULL);
  for (std::size_t i = 0; i < options.requisitions; ++i) {
    write_requisition_json(out.buffer, options, i, rng);
    out.buffer.append(std::string_view(i + 1 < options.requisitions ? ",\n" : "\n"));
  }
  fmt::format_to(it, "  ]\n}}\n");
  return out.finish();
}

bool write_candidates_csv(const CaseOptions& options, const std::string& path) {
  Output out(path);
  if (!out.file) return false;
  out.buffer.append(std::string_view(
      "id,name,score,agency,service,promotional_preference,reemployment,declined_locations,declined_hours,"
      "qualifications,groups,concurrent_referrals,transfer_request,pay_grade\n"));
  CandidateStream stream(options.seed);
  Candidate c;
  for (std::size_t n = 1; n <= options.candidates; ++n) {
    stream.next(n, c);
    auto it = std::back_inserter(out.buffer);
    fmt::format_to(it, "{},{} {},{}.{}", candidate_id(n), c.first, c.last, c.score_tenths / 10,
                   c.score_tenths % 10);
    if (c.agency >= 0) {
      fmt::format_to(it, ",{},{},{}", agencies[static_cast<std::size_t>(c.agency)], service_name(c.service),
                     c.promotional_preference);
    } else {
      fmt::format_to(it, ",,,false");
    }
    fmt::format_to(it, ",{}", c.reemployment);
    csv_list(out.buffer, c.declined_locations);
    csv_list(out.buffer, c.declined_hours);
    csv_list(out.buffer, c.qualifications);
    csv_list(out.buffer, c.groups);
    fmt::format_to(it, ",{},{},", c.concurrent_referrals, c.transfer_request);
    if (c.pay_grade >= 0) fmt::format_to(it, "{}", c.pay_grade);
    out.buffer.push_back('\n');
    out.flush_if_full();
  }
  return out.finish();
}

}  // namespace merit::bench
