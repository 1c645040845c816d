// cli/parallel.hpp: the cases of `merit diff` and `merit test` spread over workers, each with its own
// state (its own copy of the rules), every case run once and its result in its own place.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cli/parallel.hpp"

using merit::cli::for_each_case;
using merit::cli::worker_count;

namespace {

struct Jobs {
  explicit Jobs(const char* n) { ::setenv("MERIT_JOBS", n, 1); }
  ~Jobs() { ::unsetenv("MERIT_JOBS"); }
};

}  // namespace

TEST_CASE("parallel: MERIT_JOBS sets the number of workers, anything but a positive number is ignored") {
  const std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  {
    const Jobs jobs("3");
    CHECK(worker_count() == 3);
  }
  for (const char* odd : {"0", "", "two", "3x", "-1"}) {
    CAPTURE(odd);
    const Jobs jobs(odd);
    CHECK(worker_count() == cores);
  }
  CHECK(worker_count() == cores);
}

TEST_CASE(
    "parallel: every case runs exactly once, this thread's worker with the first state, others their own") {
  const Jobs jobs("4");
  constexpr std::size_t n = 2000;
  std::vector<std::atomic<int>> runs(n);
  std::vector<int> made_by(n, -1);
  std::atomic<int> setups{0};
  for_each_case(
      n, 0, [&] { return ++setups; },
      [&](int state, std::size_t i) {
        ++runs[i];
        made_by[i] = state;
      });
  CHECK(setups >= 1);
  CHECK(setups <= 3);  // the state given serves one of the four workers
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i);
    CHECK(runs[i] == 1);
    CHECK(made_by[i] >= 0);
    CHECK(made_by[i] <= setups);
  }
}

TEST_CASE("parallel: fewer cases than workers, or none, need no more workers than cases") {
  const Jobs jobs("8");
  std::atomic<int> setups{0};
  std::atomic<int> runs{0};
  for_each_case(
      2, 0, [&] { return ++setups; }, [&](int, std::size_t) { ++runs; });
  CHECK(runs == 2);
  CHECK(setups <= 1);
  setups = 0;
  for_each_case(
      0, 0, [&] { return ++setups; }, [&](int, std::size_t) { ++runs; });
  CHECK(setups == 0);
  CHECK(runs == 2);
}

TEST_CASE("parallel: a worker's failure reaches the caller") {
  for (const char* n : {"1", "3"}) {
    CAPTURE(n);
    const Jobs jobs(n);
    CHECK_THROWS_AS(for_each_case(
                        100, 0, [] { return 0; },
                        [](int, std::size_t i) {
                          if (i == 37) throw std::runtime_error("case 37");
                        }),
                    std::runtime_error);
  }
}
