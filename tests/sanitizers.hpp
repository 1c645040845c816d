#pragma once
// Whether the tests were built with AddressSanitizer: it reserves terabytes of address space when it starts
// and keeps memory of its own, so tests that hold merit to an address space, or measure its memory, skip
// themselves under it.

namespace merit::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
inline constexpr bool under_address_sanitizer = __has_feature(address_sanitizer);
#else
inline constexpr bool under_address_sanitizer = false;
#endif

}  // namespace merit::testing
