#pragma once
// What one evaluation of a decision may do before it stops with an error instead of running for hours or
// taking all the machine's memory: rules are written by people, and a rule that goes through a list
// inside a list inside a list, or doubles a list with each of a chain of lets, is easy to write.
#include <cstdint>
#include <string>

namespace merit {

/// The limits of one evaluation: steps (a part of a rule worked out once, as interpreter/weigh.cpp counts
/// them, and an item of a value gone through) and memory.
struct EvaluationLimits {
  std::uint64_t steps = 10'000'000'000;
  std::uint64_t memory_bytes = 0;  // 0: 4 GB, or three quarters of the machine's memory where less
};

/// The limits every evaluation of this process gets (set from --max-steps and --max-memory).
EvaluationLimits& evaluation_limits();

/// Thrown where a limit is passed; the interpreter turns it into an error at the expression evaluated.
struct LimitExceeded {
  std::string message;
};

/// What one evaluation has used. The interpreter installs one for the time it runs (on its own thread);
/// list forms charge steps, and new lists and texts charge memory.
class Budget {
 public:
  explicit Budget(const EvaluationLimits& limits);
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;
  ~Budget();

  void steps(std::uint64_t n) {
    steps_ += n;
    if (steps_ > max_steps_) [[unlikely]]
      over_steps();
  }

  /// Memory about to be taken or just taken. The process's own size is looked at only every few
  /// megabytes: reading it costs a system call.
  void bytes(std::uint64_t n) {
    taken_ += n;
    if (taken_ >= next_look_ || n > max_bytes_) [[unlikely]]
      look_at_memory(n);
  }

 private:
  [[noreturn]] void over_steps() const;
  void look_at_memory(std::uint64_t n);

  std::uint64_t max_steps_;
  std::uint64_t max_bytes_;
  std::uint64_t steps_ = 0;
  std::uint64_t taken_ = 0;
  std::uint64_t next_look_ = 0;
  Budget* outer_;
};

/// The budget of the evaluation running on this thread; null outside one (reading a case file). Inline, with
/// its constant initializer in every file that reads it: an `extern thread_local` is read through a wrapper
/// that UBSan in GCC 12 takes for a load through a null pointer.
inline thread_local Budget* current_budget = nullptr;

inline void charge_steps(std::uint64_t n) {
  if (current_budget) current_budget->steps(n);
}

inline void charge_bytes(std::uint64_t n) {
  if (current_budget) current_budget->bytes(n);
}

}  // namespace merit
