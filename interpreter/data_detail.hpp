#pragma once
// What data.cpp (parsing, writing) and data_read.cpp (reading values) share: declarations looked up
// defensively, so that a data file never crashes the reader, even against a program that was built by hand
// or only partly checked; and durations as people write them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "interpreter/program.hpp"
#include "interpreter/value.hpp"

namespace merit::data_detail {

const ast::Enumeration* enum_decl(const Program& program, std::int32_t decl);
const ast::Record* record_decl(const Program& program, std::int32_t decl);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
/// "21 days", "1 month", "90 working days" (singular or plural whatever the amount).
std::optional<Duration> parse_duration(std::string_view text);

}  // namespace merit::data_detail
