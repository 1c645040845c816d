// merit test --coverage: which rules, exceptions and filtering conditions of the rules no test exercised.
// Counted by behaviour, from what each test's evaluation recorded (as --explain records it): a rule or an
// exception is exercised when it applied in some test; the `where` of a list a declaration explains with
// `because` when it left out an item (a record or any other value) in some test. Places are `FILE:LINE`, so
// that the rule sets of different workers (each its own copy of the rules) count as one.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "cli/rule_tests.hpp"
#include "cli/run.hpp"
#include "interpreter/ast_walk.hpp"

namespace merit::cli {
namespace {

std::string key_of(const Program& program, const SourceSpan& span) {
  return fmt::format("{}:{}:{}", program.sources.files.at(span.file).path, span.line, span.column);
}

/// Every `where` of a comprehension in `e` and below, not in the functions it calls.
void filters_in(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  if (const auto* c = std::get_if<ast::Comprehension>(&e.node); c && c->condition) out.push_back(&e);
  ast::for_each_child(e, [&](const ast::Expr& child) { filters_in(child, out); });
}

}  // namespace

std::vector<std::string> exercised(const Program& program, const Trace& trace) {
  std::vector<std::string> out;
  for (const Scope& scope : trace.scopes) {
    if (scope.decision < 0) continue;
    const ast::Decision& d = *program.decisions[static_cast<std::size_t>(scope.decision)];
    for (std::size_t r = 0; r < scope.rules.size() && r < d.rules.size(); ++r) {
      if (scope.rules[r] == RuleState::applied) out.push_back(key_of(program, d.rules[r].span));
    }
    for (const ListStep& step : scope.steps) {
      if (step.left_out > 0 && step.operation) out.push_back(key_of(program, step.operation->span));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void add_coverable(const Program& program, std::map<std::string, Coverable>& out) {
  const auto place = [&](const SourceSpan& span) { return rule_place(program, span); };
  for (const ast::Decision* d : program.decisions) {
    for (const ast::Rule& rule : d->rules) {
      const std::string what =
          rule.is_exception
              ? fmt::format("exception § {} to {} (decision {})", rule.cite.text, rule.target, d->name)
              : fmt::format("rule § {} of {} (decision {})", rule.cite.text, rule.target, d->name);
      out.try_emplace(key_of(program, rule.span),
                      Coverable{rule.is_exception ? Coverable::exception : Coverable::rule, place(rule.span),
                                what, rule.span});
      if (!rule.explanation || !rule.value) continue;
      std::vector<const ast::Expr*> filters;
      filters_in(*rule.value, filters);
      for (const ast::Expr* f : filters) {
        out.try_emplace(key_of(program, f->span),
                        Coverable{Coverable::filter, place(f->span),
                                  fmt::format("the `where` of {} § {} (decision {})", rule.target,
                                              rule.cite.text, d->name),
                                  f->span});
      }
    }
  }
  for (const ast::Function* f : program.functions) {
    if (!f->explanation || !f->body) continue;
    std::vector<const ast::Expr*> filters;
    filters_in(*f->body, filters);
    for (const ast::Expr* e : filters) {
      out.try_emplace(key_of(program, e->span),
                      Coverable{Coverable::filter, place(e->span),
                                fmt::format("the `where` of function {}{}", f->name,
                                            f->cite ? " § " + f->cite->text : std::string()),
                                e->span});
    }
  }
}

Json coverage_report(const std::map<std::string, Coverable>& coverable, const std::set<std::string>& done,
                     std::FILE* out, bool json) {
  std::size_t total[3] = {0, 0, 0};
  std::size_t hit[3] = {0, 0, 0};
  std::vector<const Coverable*> missed;
  for (const auto& [key, c] : coverable) {
    ++total[c.kind];
    if (done.count(key) != 0) {
      ++hit[c.kind];
    } else {
      missed.push_back(&c);
    }
  }
  std::sort(missed.begin(), missed.end(),
            [](const Coverable* a, const Coverable* b) { return a->place < b->place; });
  const std::size_t all = total[0] + total[1] + total[2];
  const std::size_t all_hit = hit[0] + hit[1] + hit[2];
  const double percent = all == 0 ? 100.0 : 100.0 * static_cast<double>(all_hit) / static_cast<double>(all);
  Json report = Json::object();
  report["percent"] = std::floor(percent * 10) / 10;
  const char* names[3] = {"rules", "exceptions", "filters"};
  for (int k = 0; k < 3; ++k) report[names[k]] = Json{{"exercised", hit[k]}, {"of", total[k]}};
  Json not_exercised = Json::array();
  for (const Coverable* c : missed) not_exercised.push_back(Json{{"place", c->place}, {"what", c->what}});
  report["not_exercised"] = not_exercised;
  if (!json) {
    fmt::print(out, "coverage: {:.1f}% ({} of {}: rules {}/{}, exceptions {}/{}, filters {}/{})\n",
               report["percent"].get<double>(), all_hit, all, hit[0], total[0], hit[1], total[1], hit[2],
               total[2]);
    if (!missed.empty()) fmt::print(out, "not exercised by any test:\n");
    for (const Coverable* c : missed) fmt::print(out, "  {}: {}\n", c->place, c->what);
  }
  return report;
}

}  // namespace merit::cli
