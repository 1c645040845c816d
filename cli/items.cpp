#include "cli/items.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>

#include "cli/report.hpp"
#include "cli/run.hpp"
#include "interpreter/data.hpp"
#include "interpreter/files.hpp"

namespace merit::cli {
namespace {

using Json = nlohmann::ordered_json;

const ast::Record& record_of(const Program& program, const TypeRef& type) {
  return *program.records[static_cast<std::size_t>(strip_optional(type)->decl)];
}

/// The slot of a record's field named `name`, or -1.
std::int32_t field_slot(const ast::Record& record, std::string_view name) {
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].name == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

/// A text field of a record value, or "" when it has none or it is none.
std::string text_field(const ast::Record& record, const Value& value, std::string_view name) {
  const std::int32_t slot = field_slot(record, name);
  if (slot < 0 || value.is_none()) return "";
  const Value& v = value.as_record().fields[static_cast<std::size_t>(slot)];
  return std::holds_alternative<Text>(v.data) ? v.as_text() : "";
}

/// An input list of records whose items went through the scope's steps: the persons of a register.
struct Subjects {
  std::string path;  // `register.candidates`
  const ast::Record* record = nullptr;
  const ListValue* items = nullptr;
};

std::vector<Subjects> subjects_of(const Program& program, const Scope& scope) {
  std::vector<Subjects> out;
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(scope.decision)];
  const auto consider = [&](const std::string& path, const Value& value, const TypeRef& type) {
    if (value.is_none() || !is_record_list(type)) return;
    const ListValue& list = value.as_list();
    const bool stepped = std::any_of(list.items().begin(), list.items().end(), [&](const Value& item) {
      const auto* p = std::get_if<RecordPtr>(&item.data);
      return p && scope.items.count(p->get()) > 0;
    });
    if (stepped) out.push_back({path, &record_of(program, strip_optional(type)->element), &list});
  };
  for (std::size_t i = 0; i < d.inputs.size() && i < scope.inputs.size(); ++i) {
    const TypeRef type = strip_optional(d.inputs[i].resolved);
    const Value& value = scope.inputs[i];
    consider(d.inputs[i].name, value, type);
    if (type->kind != TypeKind::record || value.is_none()) continue;
    const ast::Record& record = record_of(program, type);
    for (std::size_t f = 0; f < record.fields.size(); ++f) {
      consider(d.inputs[i].name + "." + record.fields[f].name, value.as_record().fields[f],
               record.fields[f].resolved);
    }
  }
  return out;
}

/// A row of the answer that names an item by its `id`, with the list it is in.
struct Row {
  std::string list;  // the answer's field: `certified`
  const ast::Record* record = nullptr;
  const Value* value = nullptr;
};

std::map<std::string, Row> rows_by_id(const Program& program, const Value& answer, const TypeRef& type) {
  std::map<std::string, Row> out;
  const TypeRef t = strip_optional(type);
  if (answer.is_none() || t->kind != TypeKind::record) return out;
  const ast::Record& record = record_of(program, t);
  for (std::size_t f = 0; f < record.fields.size(); ++f) {
    const Value& list = answer.as_record().fields[f];
    if (!is_record_list(record.fields[f].resolved) || list.is_none()) continue;
    const ast::Record& row = record_of(program, strip_optional(record.fields[f].resolved)->element);
    for (const Value& item : list.as_list().items()) {
      const std::string id = text_field(row, item, "id");
      if (!id.empty() && !out.count(id)) out[id] = {record.fields[f].name, &row, &item};
    }
  }
  return out;
}

/// A row as a person reads it in a column: its enumeration and text fields but the id ("rank 2.B.1").
std::string row_summary(const Program& program, const Row& row) {
  std::string out;
  const auto& fields = row.value->as_record().fields;
  for (std::size_t i = 0; i < row.record->fields.size(); ++i) {
    const auto& f = row.record->fields[i];
    const TypeKind kind = strip_optional(f.resolved)->kind;
    if (f.name == "id" || (kind != TypeKind::enumeration && kind != TypeKind::text) || fields[i].is_none())
      continue;
    out += (out.empty() ? "" : " ") + format_value(fields[i], f.resolved, program);
  }
  return out.empty() ? "yes" : out;
}

/// The rule text of an expression, on one line.
std::string source_of(const Program& program, const ast::Expr* e) {
  if (!e || e->span.file >= program.sources.files.size()) return "?";
  const std::string& text = program.sources.files[e->span.file].text;
  if (e->span.end <= e->span.begin || e->span.end > text.size()) return "?";
  std::string out;
  bool space = false;
  for (std::size_t i = e->span.begin; i < e->span.end; ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string values_text(const Program& program, const std::vector<ValueAt>& values) {
  std::string out;
  for (const auto& v : values) {
    out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", source_of(program, v.expr),
                       format_value(v.value, v.expr ? v.expr->type : nullptr, program));
  }
  return out;
}

std::string_view fate_key(ItemFate fate) {
  switch (fate) {
    case ItemFate::left_out:
      return "left_out";
    case ItemFate::placed:
      return "placed";
    case ItemFate::taken:
      return "taken";
    case ItemFate::tied:
      return "tied";
    case ItemFate::cut:
      break;
  }
  return "cut";
}

bool is_positive(ItemFate fate) {
  return fate == ItemFate::placed || fate == ItemFate::taken || fate == ItemFate::tied;
}

/// One step's effect on one item, in a sentence whose facts all come from the trace.
std::string describe(const Program& program, const ListStep& step, const ItemEvent& event) {
  const std::string because = step.because.empty() ? "" : ": " + step.because;
  const std::string head = fmt::format("{} (§ {})", step.name, step.cite);
  switch (event.fate) {
    case ItemFate::left_out:
      return fmt::format("left out by {}{}{}", head, because,
                         event.values.empty() ? "" : "; " + values_text(program, event.values));
    case ItemFate::placed:
      return fmt::format("place {} in {}", event.place, head);
    case ItemFate::taken:
      return fmt::format("place {} of the {} taken by {}", event.place, step.before_ties, head);
    case ItemFate::tied:
      return fmt::format("place {} in {}, tied with the last of the {} taken at {}", event.place, head,
                         step.before_ties, values_text(program, step.last_keys));
    case ItemFate::cut:
      break;
  }
  if (step.last_keys.empty()) {
    return fmt::format("not reached by {}{}; {} taken, and this was place {}", head, because, step.taken,
                       event.place);
  }
  return fmt::format("not reached by {}{}; {} taken, the last of the {} at {}; here {}", head, because,
                     step.taken, step.before_ties, values_text(program, step.last_keys),
                     values_text(program, event.values));
}

/// What decided an item: for one in the answer, the last step that took or placed it; for one not in it,
/// the first step that left it out or cut it off, where a cut is followed by the later cuts that went
/// further down the same order (replacements after the complement).
const ItemEvent* decisive(const std::vector<ItemEvent>& events, bool in_answer) {
  if (in_answer) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (is_positive(it->fate)) return &*it;
    }
    return nullptr;
  }
  const ItemEvent* found = nullptr;
  for (const auto& e : events) {
    if (is_positive(e.fate)) continue;
    if (found && (found->fate != ItemFate::cut || e.fate != ItemFate::cut)) break;
    found = &e;
  }
  return found;
}

struct Explained {
  std::string id;
  std::string name;
  const Row* row = nullptr;
  std::string cite;
  std::string reason;
  const std::vector<ItemEvent>* events = nullptr;
  const ItemEvent* decisive = nullptr;  // the step that decided, if one did
};

std::vector<std::pair<const Subjects*, std::vector<Explained>>> explain_all(
    const Program& program, const Scope& scope, const std::vector<Subjects>& subjects,
    const std::map<std::string, Row>& rows) {
  static const std::vector<ItemEvent> no_events;
  std::vector<std::pair<const Subjects*, std::vector<Explained>>> out;
  for (const auto& s : subjects) {
    std::vector<Explained> items;
    for (const Value& item : s.items->items()) {
      Explained e;
      e.id = text_field(*s.record, item, "id");
      e.name = text_field(*s.record, item, "name");
      const auto row = rows.find(e.id);
      e.row = e.id.empty() || row == rows.end() ? nullptr : &row->second;
      const auto found = scope.items.find(std::get<RecordPtr>(item.data).get());
      e.events = found == scope.items.end() ? &no_events : &found->second;
      if (const ItemEvent* event = decisive(*e.events, e.row != nullptr)) {
        e.decisive = event;
        const ListStep& step = scope.steps[static_cast<std::size_t>(event->step)];
        e.cite = step.cite;
        e.reason = describe(program, step, *event);
      } else {
        e.reason = e.row ? "in " + e.row->list : "no step of the rules that gives a reason left it out";
      }
      items.push_back(std::move(e));
    }
    out.emplace_back(&s, std::move(items));
  }
  return out;
}

/// The exceptions and the rules with a condition that applied: the waivers and the provisions that
/// changed the answer. Rules that always apply say nothing a reader needs here.
std::vector<std::size_t> applied_rules(const ast::Decision& d, const Scope& scope) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < d.rules.size() && r < scope.rules.size(); ++r) {
    if (scope.rules[r] != RuleState::applied) continue;
    if (d.rules[r].is_exception || d.rules[r].condition) out.push_back(r);
  }
  return out;
}

std::string answer_title(const Program& program, const Value& answer, const TypeRef& type) {
  const TypeRef t = strip_optional(type);
  if (answer.is_none() || t->kind != TypeKind::record) return "the answer";
  const ast::Record& record = record_of(program, t);
  std::string name = record.name;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::size_t i = 0; i < record.fields.size(); ++i) {
    const Value& v = answer.as_record().fields[i];
    if (std::holds_alternative<Text>(v.data)) return name + " " + shown_safely(v.as_text());
  }
  return name;
}

}  // namespace

const Scope* scope_of_output(const Trace& trace, const Value& value) {
  const auto* wanted = std::get_if<RecordPtr>(&value.data);
  if (!wanted) return nullptr;
  for (const auto& scope : trace.scopes) {
    for (const auto& out : scope.outputs) {
      const auto* p = std::get_if<RecordPtr>(&out.data);
      if (p && p->get() == wanted->get()) return &scope;
    }
  }
  return nullptr;
}

std::string explain_items_table(const Program& program, const Scope& scope, const Value& answer,
                                const TypeRef& answer_type) {
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(scope.decision)];
  const auto subjects = subjects_of(program, scope);
  const auto rows = rows_by_id(program, answer, answer_type);
  // The column says which lists of the answer an item may be in: `certified`.
  std::string list_names;
  if (const TypeRef t = strip_optional(answer_type); t->kind == TypeKind::record) {
    for (const auto& f : record_of(program, t).fields) {
      if (is_record_list(f.resolved)) list_names += (list_names.empty() ? "" : "/") + f.name;
    }
  }
  if (list_names.empty()) list_names = "in";
  std::string out;
  for (const auto& [s, items] : explain_all(program, scope, subjects, rows)) {
    out += fmt::format("Why each of {} is or is not in {} (§ {}), rules as of {}\n", s->path,
                       answer_title(program, answer, answer_type), d.cite.text,
                       stdlib::format_date(scope.as_of));
    std::vector<std::array<std::string, 4>> cells{{"id", "name", list_names, "reason"}};
    for (const auto& e : items)
      cells.push_back({shown_safely(e.id), shown_safely(e.name), e.row ? row_summary(program, *e.row) : "no",
                       shown_safely(e.reason)});
    std::array<std::size_t, 3> widths{};
    for (const auto& c : cells) {
      for (std::size_t i = 0; i < 3; ++i) widths[i] = std::max(widths[i], c[i].size());
    }
    for (const auto& c : cells) {
      out +=
          fmt::format("  {:<{}} {:<{}} {:<{}} {}\n", c[0], widths[0], c[1], widths[1], c[2], widths[2], c[3]);
    }
  }
  const auto applied = applied_rules(d, scope);
  out +=
      applied.empty() ? "  No exception or rule that gives a reason applied.\n" : "  Rules that applied:\n";
  for (const std::size_t r : applied) {
    const ast::Rule& rule = d.rules[r];
    const auto& def = d.definitions[static_cast<std::size_t>(rule.definition)];
    const std::string& because = scope.explanations[r];
    out += fmt::format(
        "    § {}: {} = {}{} ({})\n", rule.cite.text, def.name,
        format_value(scope.outputs[static_cast<std::size_t>(rule.definition)], def.resolved, program),
        because.empty() ? "" : ", " + because, rule_place(program, rule.span));
  }
  return out;
}

Json explain_items_json(const Program& program, const Scope& scope, const Value& answer,
                        const TypeRef& answer_type) {
  const ast::Decision& d = *program.decisions[static_cast<std::size_t>(scope.decision)];
  const auto subjects = subjects_of(program, scope);
  const auto rows = rows_by_id(program, answer, answer_type);
  Json items = Json::array();
  for (const auto& [s, explained] : explain_all(program, scope, subjects, rows)) {
    for (const auto& e : explained) {
      Json steps = Json::array();
      for (const auto& event : *e.events) {
        const ListStep& step = scope.steps[static_cast<std::size_t>(event.step)];
        Json values = Json::object();
        for (const auto& v : event.values)
          values[source_of(program, v.expr)] = write_value(v.value, v.expr ? v.expr->type : nullptr, program);
        steps.push_back({{"step", step.name},
                         {"cite", step.cite},
                         {"rule", rule_place(program, step.declaration)},
                         {"fate", fate_key(event.fate)},
                         {"place", event.place},
                         {"values", std::move(values)}});
      }
      Json item = Json::object();
      item["list"] = s->path;
      item["id"] = e.id;
      item["name"] = e.name.empty() ? Json() : Json(e.name);
      item["in"] = e.row ? Json(e.row->list) : Json();
      const ListStep* step = e.decisive ? &scope.steps[static_cast<std::size_t>(e.decisive->step)] : nullptr;
      item["step"] = step ? Json(step->name) : Json();
      item["fate"] = e.decisive ? Json(fate_key(e.decisive->fate)) : Json();
      item["cite"] = e.cite.empty() ? Json() : Json(e.cite);
      item["reason"] = e.reason;
      item["steps"] = std::move(steps);
      items.push_back(std::move(item));
    }
  }
  Json applied = Json::array();
  for (const std::size_t r : applied_rules(d, scope)) {
    const ast::Rule& rule = d.rules[r];
    const auto& def = d.definitions[static_cast<std::size_t>(rule.definition)];
    const std::string& because = scope.explanations[r];
    applied.push_back({{"cite", rule.cite.text},
                       {"rule", rule_place(program, rule.span)},
                       {"name", def.name},
                       {"value", write_value(scope.outputs[static_cast<std::size_t>(rule.definition)],
                                             def.resolved, program)},
                       {"because", because.empty() ? Json() : Json(because)}});
  }
  Json out = Json::object();
  out["as_of"] = stdlib::format_date(scope.as_of);
  out["items"] = std::move(items);
  out["applied"] = std::move(applied);
  return out;
}

}  // namespace merit::cli
