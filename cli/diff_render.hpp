#pragma once
// merit diff's changes rendered (diff_render.cpp): `changes` is the JSON `merit diff --format json` prints
// for each case.
#include <string>

#include <nlohmann/json.hpp>

namespace merit::cli {

using Json = nlohmann::ordered_json;

/// A certified name's id, or the whole item where it has none.
std::string id_of(const Json& item);

/// One case's changes as the table shows them: the case, then each requisition's names added, dropped and
/// changed, and each field changed.
std::string change_text(const Json& change);

/// The CSV's header row, and the rows of one case's change: each name added or dropped, each field changed,
/// a new order, a refusal.
inline constexpr const char* csv_header = "case,requisition,change,id,field,base,proposed";
std::string csv_rows(const Json& change);

}  // namespace merit::cli
