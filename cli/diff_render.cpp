// merit diff's answers as people and spreadsheets read them (diff.cpp compares; this renders the changes):
// a table of each case's changes, and a CSV row per change.
#include "cli/diff_render.hpp"

#include <fmt/format.h>

#include <string_view>

namespace merit::cli {

std::string id_of(const Json& item) {
  return item.is_object() && item.contains("id") && item["id"].is_string()
             ? item["id"].get<std::string>()
             : item.dump(-1, ' ', false, Json::error_handler_t::replace);
}

namespace {

/// A JSON value as the tables show values: text as is, null as none, lists joined by commas.
std::string plain(const Json& value) {
  if (value.is_null()) return "none";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    if (value.empty()) return "(none)";
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + plain(item);
    return out;
  }
  if (value.is_object()) {
    std::string out;
    for (const auto& [key, item] : value.items()) out += (out.empty() ? "" : ", ") + key + ": " + plain(item);
    return "{" + out + "}";
  }
  return value.dump();
}

/// A certified name: its id, then its other fields (`C05 (score 90, basis rank, cite 2.B.1)`).
std::string name_text(const Json& item) {
  if (!item.is_object()) return plain(item);
  std::string fields;
  for (const auto& [key, value] : item.items()) {
    if (key != "id") fields += (fields.empty() ? "" : ", ") + key + " " + plain(value);
  }
  return id_of(item) + (fields.empty() ? "" : " (" + fields + ")");
}

std::string changes_text(const Json& changed, std::string_view indent) {
  std::string out;
  for (const auto& [key, value] : changed.items()) {
    out += fmt::format("{}{}: {} -> {}\n", indent, key, plain(value["base"]), plain(value["proposed"]));
  }
  return out;
}

std::string requisition_text(const Json& r) {
  std::string out = fmt::format("  {}\n", plain(r["requisition"]));
  if (r.contains("only_in")) {
    return out + fmt::format("    certified only under the {} rules\n", r["only_in"].get<std::string>());
  }
  for (const char* list : {"added", "dropped"}) {
    for (const auto& item : r[list]) out += fmt::format("    {} {}\n", list, name_text(item));
  }
  for (const auto& name : r["changed_names"]) {
    for (const auto& [key, value] : name["changed"].items()) {
      out += fmt::format("    {} {}: {} -> {}\n", name["id"].get<std::string>(), key, plain(value["base"]),
                         plain(value["proposed"]));
    }
  }
  return out + changes_text(r["changed"], "    ");
}

/// A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line end.
std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string change_text(const Json& change) {
  std::string out = change["case"].get<std::string>();
  if (change.contains("decision")) out += fmt::format(" ({})", change["decision"].get<std::string>());
  out += "\n";
  if (change.contains("refused")) {
    for (const char* side : {"base", "proposed"}) {
      const Json& message = change["refused"][side];
      out += message.is_null() ? fmt::format("  answered under the {} rules\n", side)
                               : fmt::format("  refused under the {} rules: {}\n", side, plain(message));
    }
    return out;
  }
  if (change.contains("requisitions")) {
    for (const auto& r : change["requisitions"]) out += requisition_text(r);
  }
  if (change.contains("outputs")) out += changes_text(change["outputs"], "  ");
  return out;
}

/// The rows of one case's change: each name added or dropped, each field changed, a new order, a refusal.
std::string csv_rows(const Json& change) {
  std::string out;
  const std::string case_path = change["case"].get<std::string>();
  const auto row = [&](const std::string& requisition, const std::string& what, const std::string& id,
                       const std::string& field, const std::string& base, const std::string& proposed) {
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_cell(case_path), csv_cell(requisition), what,
                       csv_cell(id), csv_cell(field), csv_cell(base), csv_cell(proposed));
  };
  const auto fields = [&](const std::string& requisition, const Json& changed, const std::string& id) {
    for (const auto& [key, value] : changed.items()) {
      row(requisition, key == "order" ? "order" : "changed", id, key == "order" ? "" : key,
          plain(value["base"]), plain(value["proposed"]));
    }
  };
  if (change.contains("refused")) {
    row("", "refused", "", "", plain(change["refused"]["base"]), plain(change["refused"]["proposed"]));
  }
  if (change.contains("outputs")) fields("", change["outputs"], "");
  if (change.contains("requisitions")) {
    for (const auto& r : change["requisitions"]) {
      const std::string requisition = plain(r["requisition"]);
      if (r.contains("only_in")) {
        row(requisition, "only_in_" + r["only_in"].get<std::string>(), "", "", "", "");
        continue;
      }
      for (const auto& item : r["added"]) row(requisition, "added", id_of(item), "", "", name_text(item));
      for (const auto& item : r["dropped"]) row(requisition, "dropped", id_of(item), "", name_text(item), "");
      for (const auto& name : r["changed_names"])
        fields(requisition, name["changed"], name["id"].get<std::string>());
      fields(requisition, r["changed"], "");
    }
  }
  return out;
}

}  // namespace merit::cli
