#pragma once
// A loaded rule set: the source files, their ASTs, and flat tables of every declaration that the checker
// resolved names into. Built by `load_program` (parse, then check); used read-only by the interpreter.
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "interpreter/ast.hpp"
#include "interpreter/diagnostic.hpp"

namespace merit {

struct Program {
  SourceSet sources;
  std::deque<ast::Module> modules;

  // Declarations by index; every Ref in the AST points into one of these. Enumeration 0 is the built-in
  // `Weekday` (monday .. sunday), which the date built-ins speak in.
  std::vector<const ast::Parameter*> parameters;
  std::vector<const ast::Enumeration*> enums;
  std::vector<const ast::Record*> records;
  std::vector<const ast::Function*> functions;
  std::vector<const ast::Decision*> decisions;
  std::vector<const ast::Calendar*> calendars;

  // Declarations the checker made: the Weekday enum and one record of outputs per decision.
  std::deque<ast::Enumeration> synthetic_enums;
  std::deque<ast::Record> synthetic_records;

  /// What the checker found probably wrong but harmless to running the rules (`merit check` prints them).
  Diagnostics warnings;
  /// What each amendment file replaced, for `merit check` to say: where the amendment is, what it does
  /// ("replaces parameter complement_size"), and the rules' declaration it replaces.
  struct Amended {
    SourceSpan at;
    std::string what;
    SourceSpan replaced;
    std::optional<Date> from;  // adopted from this day; before it the rules' own declaration holds
  };
  std::vector<Amended> amended;

  std::unordered_map<std::string, std::int32_t> parameter_index;
  std::unordered_map<std::string, std::int32_t> decision_index;
  std::unordered_map<std::string, std::int32_t> calendar_index;

  std::int32_t find_parameter(const std::string& name) const { return find(parameter_index, name); }
  std::int32_t find_decision(const std::string& name) const { return find(decision_index, name); }

  /// A type as a reader of the rules writes it: `integer`, `list of Candidate`, `date?`.
  std::string type_name(const TypeRef& type) const;

  /// Calls `f` on every expression of the rules that no other expression holds: values, conditions, bodies,
  /// defaults, explanations, requirements and holidays. For the passes that run after checking.
  template <typename F>
  void for_each_root(F f) const {
    const auto each = [&](const ast::ExprPtr& e) {
      if (e) f(*e);
    };
    for (const ast::Parameter* p : parameters) {
      for (const auto& v : p->values) each(v.value);
    }
    for (const ast::Record* r : records) {
      for (const auto& field : r->fields) each(field.default_value);
    }
    for (const ast::Function* fn : functions) {
      each(fn->body);
      each(fn->explanation);
    }
    for (const ast::Decision* d : decisions) {
      each(d->as_of);
      for (const auto& input : d->inputs) each(input.default_value);
      for (const auto& rule : d->rules) {
        each(rule.value);
        each(rule.condition);
        each(rule.explanation);
      }
      for (const auto& r : d->requirements) {
        each(r.each_source);
        each(r.condition);
        each(r.message);
      }
    }
    for (const ast::Calendar* c : calendars) {
      for (const auto& h : c->holidays) each(h.date);
    }
  }

 private:
  static std::int32_t find(const std::unordered_map<std::string, std::int32_t>& m, const std::string& name) {
    const auto it = m.find(name);
    return it == m.end() ? -1 : it->second;
  }
};

/// The built-in enumeration of days of the week, index 0 in Program::enums.
inline constexpr std::int32_t weekday_enum = 0;

/// Adds `path` to `files` if it is a file, or every rule file (*.merit) in it and its subfolders, in name
/// order (so that diagnostics and declaration order do not depend on the disk), if it is a folder.
void collect_rule_files(const std::string& path, std::vector<std::string>& files, Diagnostics& errors);

/// Reads every `.merit` file under the given paths (files or folders, folders in name order), parses and
/// checks them as one rule set. Returns the diagnostics; the program is usable only when there are none.
/// With `amendments`: amendment files (interpreter/amend.hpp) applied to the rules before they are checked.
Diagnostics load_program(Program& program, const std::vector<std::string>& paths,
                         const std::vector<std::string>& amendments = {});

/// load_program for rule files already read (by load_program, or given from memory): parses each of `files`,
/// those from `first_amendment` on as amendment files, and checks them as one rule set. `errors` holds what
/// reading found; with any, the files are parsed but not checked.
Diagnostics load_program_texts(Program& program, std::vector<SourceFile> files, std::size_t first_amendment,
                               Diagnostics errors = {});

}  // namespace merit
