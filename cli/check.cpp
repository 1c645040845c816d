// merit check: parse and check rule files, and say what was checked. Also the helpers every command shares.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"
#include "interpreter/files.hpp"
#include "interpreter/program.hpp"

namespace merit::cli {

bool paths_or_default_rules(std::vector<std::string>& paths) {
  if (!paths.empty()) return true;
  std::string problem;
  paths.push_back(default_rules_dir(problem));
  if (!paths.back().empty()) return true;
  report({Diagnostic{std::nullopt, {}, problem}}, {});
  return false;
}

int report(const Diagnostics& errors, const SourceSet& sources) {
  fmt::print(stderr, "{}", render_all(errors, sources));
  return exit_invalid;
}

int usage_error(const std::string& message) {
  fmt::print(stderr, "merit: {}\nRun 'merit --help' for how to use it.\n", message);
  return exit_usage;
}

namespace {

using Json = nlohmann::ordered_json;

/// The line and byte column where `span` ends, counted on from where it starts.
TextPosition end_of(const SourceSpan& span, std::string_view text) {
  TextPosition p{span.line, span.column};
  const std::size_t end = std::min<std::size_t>(std::max(span.end, span.begin), text.size());
  for (std::size_t i = span.begin; i < end; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

/// Where the advice in a message starts: messages say what is wrong, then after "; " what to do. Quoted
/// names and texts may hold a "; " of their own.
std::size_t hint_start(std::string_view message) {
  char quote = 0;
  for (std::size_t i = 0; i + 1 < message.size(); ++i) {
    const char c = message[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || (c == '\'' && (i == 0 || message[i - 1] == ' ' || message[i - 1] == '('))) {
      quote = c;
    } else if (c == ';' && message[i + 1] == ' ') {
      return i + 2;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Json diagnostic_json(const Diagnostic& d, const SourceSet& sources) {
  Json out = Json::object();
  const SourceSpan* span = d.span && d.span->file < sources.files.size() ? &*d.span : nullptr;
  out["file"] = span ? sources.files[span->file].path : d.file;
  if (span && span->line > 0) {
    const TextPosition end = end_of(*span, sources.files[span->file].text);
    out["range"] = {{"start", {{"line", span->line}, {"column", span->column}}},
                    {"end", {{"line", end.line}, {"column", end.column}}}};
  }
  if (!d.data_path.empty()) out["data_path"] = d.data_path;
  out["severity"] = d.severity == Severity::warning ? "warning" : "error";
  out["message"] = d.message;
  if (const auto at = hint_start(d.message); at != std::string_view::npos) out["hint"] = d.message.substr(at);
  if (!d.notes.empty()) out["notes"] = d.notes;
  return out;
}

namespace {

/// `merit check --format json`: every diagnostic, and what was checked, as one JSON document on stdout.
int print_check_json(const Program& program, const Diagnostics& errors) {
  Json diagnostics = Json::array();
  for (const auto& w : program.warnings) diagnostics.push_back(diagnostic_json(w, program.sources));
  for (const auto& e : errors) diagnostics.push_back(diagnostic_json(e, program.sources));
  Json files = Json::array();
  for (const auto& f : program.sources.files) files.push_back(f.path);
  Json out = Json::object();
  out["files"] = std::move(files);
  out["errors"] = errors.size();
  out["warnings"] = program.warnings.size();
  if (errors.empty()) {
    out["decisions"] = program.decisions.size();
    out["parameters"] = program.parameters.size();
    Json amended = Json::array();
    for (const auto& a : program.amended) {
      amended.push_back({{"at", rule_place(program, a.at)},
                         {"what", a.what},
                         {"replaces", rule_place(program, a.replaced)}});
    }
    out["amended"] = std::move(amended);
  }
  out["diagnostics"] = std::move(diagnostics);
  fmt::print("{}\n", dump_json(out));
  return errors.empty() ? exit_ok : exit_invalid;
}

}  // namespace

int run_check(const Options& options) {
  Program program;
  std::vector<std::string> paths = options.paths;
  const bool json = options.format == "json";
  if (json && paths.empty()) {
    std::string problem;
    paths.push_back(default_rules_dir(problem));
    if (paths.back().empty()) return print_check_json(program, {Diagnostic{std::nullopt, {}, problem}});
  }
  if (!paths_or_default_rules(paths)) return exit_invalid;
  Diagnostics errors = load_program(program, paths, options.amendments);
  // The decision merit certify answers must have the shape the command prints.
  if (const auto index = program.find_decision(certify_decision); errors.empty() && index >= 0) {
    std::string problem;
    if (certify_output(program, problem) < 0)
      errors.push_back(error_at(program.decisions[static_cast<std::size_t>(index)]->span, problem));
  }
  if (json) return print_check_json(program, errors);
  fmt::print(stderr, "{}", render_all(program.warnings, program.sources));
  if (!errors.empty()) {
    report(errors, program.sources);
    fmt::print(stderr, "{} error{} found\n", errors.size(), errors.size() == 1 ? "" : "s");
    return exit_invalid;
  }
  for (const auto& a : program.amended)
    fmt::print("{}: {} (the rules': {})\n", rule_place(program, a.at), a.what,
               rule_place(program, a.replaced));
  fmt::print("{} rule file{} checked: {} decision{}, {} parameter{}, no errors\n",
             program.sources.files.size(), program.sources.files.size() == 1 ? "" : "s",
             program.decisions.size(), program.decisions.size() == 1 ? "" : "s", program.parameters.size(),
             program.parameters.size() == 1 ? "" : "s");
  return exit_ok;
}

}  // namespace merit::cli
