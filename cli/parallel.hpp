#pragma once
// Many cases on every core, for `merit diff` and `merit test`. A value of the rules belongs to one thread
// (interpreter/value.hpp counts references without locking), so each worker loads its own copy of the
// rules and evaluates its cases with it; only the cases' parsed files, which nothing writes, are shared.
// Results go to the case's own place, so the output is in the same order whatever the number of workers.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace merit::cli {

/// How many workers: MERIT_JOBS when set to a positive number, else one per hardware thread.
inline std::size_t worker_count() {
  if (const char* jobs = std::getenv("MERIT_JOBS")) {
    // Digits only: strtoul would take "-1" for the largest number.
    const std::string text(jobs);
    if (!text.empty() && text.size() <= 6 && text.find_first_not_of("0123456789") == std::string::npos) {
      const unsigned long n = std::stoul(text);
      if (n > 0) return std::min<unsigned long>(n, 256);
    }
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

/// Runs `work(state, i)` for every i below n, taking the next i as each worker finishes one. The worker
/// on this thread uses `first` (the rules the caller already loaded and checked); each other worker the
/// state `setup()` makes for it. With one worker, or one item, everything runs here. Workers get the
/// large stack the command's own thread has (cli/main.cpp), for deeply nested rules.
template <typename State, typename Setup, typename Work>
void for_each_case(std::size_t n, State first, Setup setup, Work work) {
  const std::size_t workers = std::min(worker_count(), n);
  if (workers <= 1) {
    for (std::size_t i = 0; i < n; ++i) work(first, i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> failures(workers);
  struct Worker {
    std::function<void()> run;
  };
  std::vector<Worker> jobs(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    jobs[w].run = [&, w] {
      try {
        State state = w == 0 ? std::move(first) : setup();
        for (std::size_t i = next++; i < n; i = next++) work(state, i);
      } catch (...) {
        failures[w] = std::current_exception();
        next = n;  // the others stop at their next case
      }
    };
  }
  const auto start = [](void* job) -> void* {
    static_cast<Worker*>(job)->run();
    return nullptr;
  };
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, std::size_t{512} << 20);
  std::vector<pthread_t> threads;
  for (std::size_t w = 1; w < workers; ++w) {
    pthread_t thread;
    if (pthread_create(&thread, &attributes, start, &jobs[w]) == 0) threads.push_back(thread);
  }
  pthread_attr_destroy(&attributes);
  jobs[0].run();  // this thread is a worker too; any worker left unstarted leaves its cases to the others
  for (pthread_t thread : threads) pthread_join(thread, nullptr);
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace merit::cli
