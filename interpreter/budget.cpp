#include "interpreter/budget.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace merit {
namespace {

constexpr std::uint64_t look_every = std::uint64_t{64} << 20;

std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                               : std::uint64_t{8} << 30;
}

// Three quarters of the machine's memory, and at most 4 GB: a register of a million candidates with ten
// requisitions needs about one, and a runaway rule reaches the limit in seconds rather than minutes.
std::uint64_t default_memory_limit() {
  return std::min(physical_memory() / 4 * 3, std::uint64_t{4} << 30);
}

// The process's resident size, from /proc; 0 where it cannot be read.
std::uint64_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long size = 0;
  unsigned long long resident = 0;
  const int read = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return read == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

std::string megabytes(std::uint64_t bytes) {
  return fmt::format("{} MB", (bytes + (1 << 20) - 1) >> 20);
}

}  // namespace

EvaluationLimits& evaluation_limits() {
  static EvaluationLimits limits;
  return limits;
}

Budget::Budget(const EvaluationLimits& limits)
    : max_steps_(limits.steps),
      max_bytes_(limits.memory_bytes ? limits.memory_bytes : default_memory_limit()),
      next_look_(look_every),
      outer_(current_budget) {
  current_budget = this;
}

Budget::~Budget() {
  current_budget = outer_;
  // With the stage times (cli/run.hpp): how near the evaluation came to the limits.
  static const bool timing = std::getenv("MERIT_TIMING") != nullptr;
  if (timing)
    fmt::print(stderr, "merit: an evaluation took {} steps and made {} of lists and texts\n", steps_,
               megabytes(taken_));
}

void Budget::over_steps() const {
  throw LimitExceeded{fmt::format(
      "this evaluation went past {} steps, the limit (a step is a part of a rule worked out once: a name, an "
      "operator, a call); if the rules are right and the case is that large, raise it with --max-steps",
      max_steps_)};
}

void Budget::look_at_memory(std::uint64_t n) {
  next_look_ = taken_ + look_every;
  const std::uint64_t resident = resident_bytes();
  if (n > max_bytes_ || resident + n > max_bytes_) {
    throw LimitExceeded{fmt::format(
        "this evaluation needs more than {} of memory, the limit; if the rules are right and the case is "
        "that large, raise it with --max-memory",
        megabytes(max_bytes_))};
  }
}

}  // namespace merit
