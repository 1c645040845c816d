#include "interpreter/stack.hpp"

#include <pthread.h>

#include <cstdint>

namespace merit {
namespace {

// The lowest address of this thread's stack (it grows down), found once per thread; 0 when unknown.
std::uintptr_t stack_floor() {
  thread_local const std::uintptr_t floor = [] {
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return std::uintptr_t{0};
    void* low = nullptr;
    std::size_t size = 0;
    const bool known = pthread_attr_getstack(&attributes, &low, &size) == 0;
    pthread_attr_destroy(&attributes);
    return known ? reinterpret_cast<std::uintptr_t>(low) : std::uintptr_t{0};
  }();
  return floor;
}

}  // namespace

bool stack_nearly_full() {
  // The frame address, not a local's: a sanitizer may keep locals on a heap-allocated fake stack.
  const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  const std::uintptr_t floor = stack_floor();
  return floor != 0 && (here < floor || here - floor < stack_reserve);
}

}  // namespace merit
