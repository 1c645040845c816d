#pragma once
// A hand-written C++ certification of a whole case file: what rules/chapter8/certify.merit and the
// certification decision of rules/chapter8/2-use-of-class-registers.merit (with the affirmative-action
// supplement of 5-affirmative-action.merit) answer, written directly with plain structs, for comparing
// the interpreter's evaluation time against.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace merit::bench {

/// One certified name, as the rules' Certified record.
struct BaselineName {
  std::string id;
  double score = 0;
  std::string_view basis;  // rank, replacement, affirmative_action, extra_name
  std::string_view cite;
  bool interested = true;
  int tier = 1;  // the method's tier the person was reached from
};

/// One requisition's certification, as the rules' Certification record.
struct BaselineCertification {
  std::string requisition;
  std::string_view method;
  std::int64_t complement = 0;
  std::vector<BaselineName> certified;
  std::vector<std::string> removed;  // as the case file lists them
  std::int64_t interested = 0;
  bool complete = false;
  std::string selection_deadline;  // 2026-03-23
  bool interview_required = true;
  bool selection_required = true;
  std::vector<std::string_view> notes;
};

struct BaselineResult {
  std::string error;  // not empty: the case is invalid, or uses something the baseline does not handle
  std::vector<BaselineCertification> certifications;  // in the order certified
  // Milliseconds of each stage.
  double read_ms = 0;      // the file into memory
  double parse_ms = 0;     // nlohmann::json::parse
  double convert_ms = 0;   // JSON to plain structs
  double evaluate_ms = 0;  // the checks of `certify` and every certification of the batch
};

/// Certifies every requisition of the case file, in the order received, each seeing the referrals the
/// earlier ones made (2.E, 2.F): every method (2.A), declined locations and hours, interest in temporary
/// work for a part-time acting vacancy (3.A.2), selective qualifications, the concurrent-referral limit
/// and its waiver, the complement with ties (2.B, 2.D), removals and their replacements (2.H),
/// replacements for declines (2.B.1), the affirmative-action supplement (5.C), extra names (2.G), and
/// the rest of the Certification record. Checks what the rules' `certify` decision checks: at least one
/// requisition, unique ids, at least one vacancy, declined and removed ids on the register.
BaselineResult run_baseline(const std::string& case_path);

/// The certifications as `merit certify --format json` writes them: a JSON list of Certification objects.
std::string answer_json(const BaselineResult& result);

}  // namespace merit::bench
