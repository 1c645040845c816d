// merit_generate N OUT.json [--seed S] [--requisitions K] [--csv OUT.csv]
// A synthetic certification case for `merit certify`, the same for the same arguments.
#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "bench/case_generator.hpp"

namespace {

constexpr const char* usage =
    "usage: merit_generate N OUT.json [--seed S] [--requisitions K] [--csv OUT.csv]\n"
    "  N                 candidates on the register (1000 to 1000000)\n"
    "  OUT.json          the certification case file (README, \"Case files\")\n"
    "  --seed S          seed (default 1); the same seed gives the same file\n"
    "  --requisitions K  requisitions (default 1: one plain standard-method requisition)\n"
    "  --csv OUT.csv     also write the candidates to OUT.csv, and leave them out of OUT.json:\n"
    "                    run `merit certify --case OUT.json --register OUT.csv`\n";

bool parse_number(std::string_view text, std::uint64_t& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
  merit::bench::CaseOptions options;
  std::string json_path, csv_path;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    std::uint64_t number = 0;
    if (arg == "-h" || arg == "--help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (arg == "--seed" && has_value && parse_number(argv[i + 1], number)) {
      options.seed = number;
      ++i;
    } else if (arg == "--requisitions" && has_value && parse_number(argv[i + 1], number) && number >= 1 &&
               number <= 1000) {
      options.requisitions = number;
      ++i;
    } else if (arg == "--csv" && has_value) {
      csv_path = argv[++i];
    } else if (positional == 0 && parse_number(arg, number)) {
      if (number < 1000 || number > 1000000) {
        fmt::print(stderr, "merit_generate: N must be from 1000 to 1000000, found {}\n", number);
        return 2;
      }
      options.candidates = number;
      ++positional;
    } else if (positional == 1 && !arg.starts_with("-")) {
      json_path = arg;
      ++positional;
    } else {
      fmt::print(stderr, "merit_generate: unexpected argument {}\n{}", arg, usage);
      return 2;
    }
  }
  if (positional != 2) {
    std::fputs(usage, stderr);
    return 2;
  }
  options.candidates_in_csv = !csv_path.empty();
  if (!merit::bench::write_case_json(options, json_path)) {
    fmt::print(stderr, "merit_generate: cannot write {}: {}\n", json_path, std::strerror(errno));
    return 1;
  }
  if (!csv_path.empty() && !merit::bench::write_candidates_csv(options, csv_path)) {
    fmt::print(stderr, "merit_generate: cannot write {}: {}\n", csv_path, std::strerror(errno));
    return 1;
  }
  return 0;
}
