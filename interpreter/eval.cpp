// The interpreter: a tree walk over the checked AST. Names are slots and indexes, never looked up by
// string; locals live in one value stack so that a call per list item allocates nothing new. This file
// holds decisions, rules, names and calls, and the stage's entry points; the other eval_*.cpp files the
// rest of the Interpreter (interpreter.hpp).
#include <chrono>

#include "interpreter/interpreter.hpp"

namespace merit::interpret {

std::size_t Interpreter::push_frame(std::int32_t size) {
  const std::size_t base = stack_.size();
  if (base + static_cast<std::size_t>(size) > stack_capacity) {
    throw EvalError{{}, "the rules call functions and decisions too deeply to evaluate"};
  }
  stack_.resize(base + static_cast<std::size_t>(size));
  return base;
}

DecisionFrame Interpreter::enter_decision(std::int32_t index, std::vector<Value> inputs) {
  DecisionFrame frame;
  frame.decl = program_.decisions[static_cast<std::size_t>(index)];
  frame.inputs = std::move(inputs);
  frame.as_of = forced_as_of_ ? *forced_as_of_ : as_of_;
  frame.definitions.resize(frame.decl->definitions.size());
  frame.in_progress.assign(frame.decl->definitions.size(), false);
  return frame;
}

/// The date a decision is judged as of: --as-of, else its `as of` date (over its inputs alone), else the
/// caller's date (or today). Called first in the decision's frame.
void Interpreter::judge_as_of(DecisionFrame& frame) {
  if (forced_as_of_ || !frame.decl->as_of) return;
  const Value date = eval(*frame.decl->as_of);
  if (date.is_none()) return;
  frame.as_of = date.as_date();
  as_of_ = frame.as_of;
}

void Interpreter::check_requirements() {
  for (const auto& r : decision_->decl->requirements) {
    if (!r.each) {
      charge_steps(r.per_item);
      check_requirement(r, [] { return std::string(); });
      continue;
    }
    const Value source = eval(*r.each_source);
    const auto& items = source.as_list().items();
    charge_steps(std::uint64_t{items.size()} * r.per_item);
    for (std::size_t i = 0; i < items.size(); ++i) {
      slot(r.each->slot).bind(items[i]);
      check_requirement(r, [&] { return item_path(r, i); });
    }
  }
}

/// Where item `i` of a requirement's `for` sits in the inputs, when its list is an input or a field of
/// one: `requisitions[2]`, and `.vacancies` after it when the condition reads one field of the item.
/// Empty when the list was computed.
std::string Interpreter::item_path(const ast::Requirement& r, std::size_t i) {
  std::string path = input_path(*r.each_source);
  if (path.empty()) return path;
  path += fmt::format("[{}]", i);
  std::set<std::string> fields;
  fields_read(*r.condition, r.each->slot, fields);
  if (fields.size() == 1) path += "." + *fields.begin();
  return path;
}

std::string Interpreter::input_path(const Expr& e) {
  if (const auto* n = std::get_if<ast::Name>(&e.node)) return n->ref.kind == RefKind::input ? n->name : "";
  if (const auto* f = std::get_if<ast::FieldAccess>(&e.node)) {
    std::string object = input_path(*f->object);
    return object.empty() ? object : object + "." + f->field;
  }
  return "";
}

void Interpreter::fields_read(const Expr& e, std::int32_t slot, std::set<std::string>& out) {
  if (const auto* f = std::get_if<ast::FieldAccess>(&e.node)) {
    if (const auto* n = std::get_if<ast::Name>(&f->object->node);
        n && n->ref.kind == RefKind::local && n->ref.index == slot) {
      out.insert(f->field);
      return;
    }
  }
  for_each_child(e, [&](const Expr& child) { fields_read(child, slot, out); });
}

const Value& Interpreter::parameter(std::int32_t index) {
  auto& in_force = parameters_[as_of_.days];
  if (in_force.empty()) in_force.resize(program_.parameters.size());
  auto& cached = in_force[static_cast<std::size_t>(index)];
  if (!cached) {
    const bool overridden =
        static_cast<std::size_t>(index) < overrides_.size() && overrides_[static_cast<std::size_t>(index)];
    if (overridden) {
      cached = overrides_[static_cast<std::size_t>(index)];
    } else {
      auto v = parameter_value(program_, index, as_of_);
      if (auto* d = std::get_if<Diagnostic>(&v)) throw EvalError{*d->span, d->message};
      cached = std::get<Value>(std::move(v));
    }
    if (explain_) trace_.parameters.push_back(ParameterUse{index, as_of_, *cached, overridden});
  }
  return *cached;
}

std::string Interpreter::rule_place(const ast::Rule& rule) const {
  return fmt::format("the rule at {}:{} (§ {})", program_.sources.files.at(rule.span.file).path,
                     rule.span.line, rule.cite.text);
}

const Outcome& Interpreter::work_out(std::int32_t index) {
  const auto& def = decision_->decl->definitions[static_cast<std::size_t>(index)];
  if (decision_->in_progress[static_cast<std::size_t>(index)]) {
    throw EvalError{def.span, fmt::format("{} is defined in terms of itself", def.name)};
  }
  enter_deeper(def.span, def.name, def.weight);
  decision_->in_progress[static_cast<std::size_t>(index)] = true;
  const std::string& decision_name = decision_->decl->name;
  std::optional<Outcome> found;
  try {
    found = first_applicable(def.top_exceptions, def);
    if (!found) found = first_applicable(def.base_rules, def);
  } catch (EvalError& error) {
    // An error on the definition's own line, from nothing it called, is where the caret already points.
    const bool here = error.span.file == def.span.file && error.span.line == def.span.line;
    if (!error.trace.empty() || !here) {
      error.trace.push_back(fmt::format("in {} {} of decision {} at {}", def.is_output ? "output" : "let",
                                        def.name, decision_name, place(def.span)));
    }
    throw;
  }
  decision_->in_progress[static_cast<std::size_t>(index)] = false;
  if (!found) {
    std::string lines;
    for (auto r : def.base_rules)
      lines += fmt::format("{}{}", lines.empty() ? "" : ", ",
                           decision_->decl->rules[static_cast<std::size_t>(r)].span.line);
    throw EvalError{
        def.span, fmt::format("no rule gives {} a value in this case (the rules at line{} {} do not apply{})",
                              def.name, def.base_rules.size() == 1 ? "" : "s", lines,
                              any_dated(def.base_rules)
                                  ? fmt::format(" or are not in force on {}", stdlib::format_date(as_of_))
                                  : "")};
  }
  // Re-read the memo slot: evaluating the rules may have filled other definitions.
  auto& stored = decision_->definitions[static_cast<std::size_t>(index)];
  stored = std::move(found);
  return *stored;
}

bool Interpreter::any_dated(const std::vector<std::int32_t>& rules) const {
  return std::any_of(rules.begin(), rules.end(), [&](std::int32_t r) {
    return decision_->decl->rules[static_cast<std::size_t>(r)].effective.has_value();
  });
}

std::optional<Outcome> Interpreter::first_applicable(const std::vector<std::int32_t>& rules,
                                                     const ast::Definition& def) {
  std::optional<Outcome> found;
  const ast::Decision& decl = *decision_->decl;  // an error unwinds past frames that do not restore it
  for (auto r : rules) {
    std::optional<Outcome> o;
    try {
      o = apply_rule(r, def);
    } catch (EvalError& error) {
      // An exception that failed is named, not also the rule it is an exception to; nor is the rule
      // written with its output (`output x: T = ...`), which the output's own line names.
      const ast::Rule& rule = decl.rules[static_cast<std::size_t>(r)];
      const bool own = rule.span.file == def.span.file && rule.span.line == def.span.line;
      if (!own && (error.trace.empty() || error.trace.back().rfind("in the rule at", 0) != 0))
        error.trace.push_back("in " + rule_place(rule));
      throw;
    }
    if (!o) continue;
    if (!found) {
      found = std::move(o);
    } else if (!values_equal(found->value, o->value)) {
      const auto& a = decision_->decl->rules[static_cast<std::size_t>(found->rule)];
      const auto& b = decision_->decl->rules[static_cast<std::size_t>(o->rule)];
      throw EvalError{
          b.span, fmt::format("rules conflict on {}: {} gives {}, and {} gives {}", def.name, rule_place(a),
                              show(found->value, def.resolved), rule_place(b), show(o->value, def.resolved))};
    }
  }
  return found;
}

std::optional<Outcome> Interpreter::apply_rule(std::int32_t index, const ast::Definition& def) {
  const ast::Rule& rule = decision_->decl->rules[static_cast<std::size_t>(index)];
  // A rule not in force on the date the decision is judged as of is as if it were not written.
  if (rule.effective && !rule.effective->covers(as_of_)) {
    note_rule(index, RuleState::not_in_force);
    return std::nullopt;
  }
  if (auto o = first_applicable(rule.exceptions, def)) return o;
  if (rule.condition && !test(*rule.condition)) {
    note_rule(index, RuleState::did_not_apply);
    return std::nullopt;
  }
  note_rule(index, RuleState::applied);
  if (!explain_) return Outcome{eval(*rule.value), index};
  // Restored however the value's evaluation ends: an error may be caught below (values_of).
  struct Restore {
    Interpreter& in;
    const ast::Rule* rule;
    std::int32_t index;
    const ast::Function* function;
    ~Restore() {
      in.current_rule_ = rule;
      in.current_rule_index_ = index;
      in.current_function_ = function;
    }
  } restore{*this, current_rule_, current_rule_index_, current_function_};
  current_rule_ = &rule;
  current_rule_index_ = index;
  current_function_ = nullptr;
  return Outcome{eval(*rule.value), index};
}

void Interpreter::note_rule(std::int32_t index, RuleState state) {
  if (!explain_) return;
  if (decision_ == root_) trace_.rules[static_cast<std::size_t>(index)] = state;
  if (!scope_stack_.empty()) scope().rules[static_cast<std::size_t>(index)] = state;
}

// A C++ library exception here is a broken invariant of the checker or the interpreter, not a fault in
// the rules; it becomes an error at the innermost expression being evaluated, so it can be reported.
Value Interpreter::eval(const Expr& e) {
  try {
    return std::visit([&](const auto& node) { return eval_node(e, node); }, e.node);
  } catch (const LimitExceeded& limit) {
    throw EvalError{e.span, limit.message};
  } catch (const std::bad_alloc&) {
    throw EvalError{e.span,
                    "there is not enough memory to evaluate this; lower --max-memory below what the "
                    "machine has, or evaluate fewer cases at once"};
  } catch (const std::exception& error) {
    throw EvalError{e.span, fmt::format("internal error: {} at {}; please report this with the rules and "
                                        "the case",
                                        error.what(), place(e.span))};
  }
}

Value Interpreter::eval_node(const Expr&, const ast::ListLiteral& list) {
  std::vector<Value> items;
  items.reserve(list.items.size());
  for (const auto& item : list.items) items.push_back(eval(*item));
  return make_list(std::move(items));
}

Value Interpreter::eval_node(const Expr& e, const ast::Name& n) {
  switch (n.ref.kind) {
    case RefKind::local:
      return local(n.ref.index);
    case RefKind::input:
      return decision_->inputs[static_cast<std::size_t>(n.ref.index)];
    case RefKind::definition:
      return definition(n.ref.index).value;
    case RefKind::parameter:
      return parameter(n.ref.index);
    case RefKind::calendar:
      return Value(CalendarRef{n.ref.index});
    case RefKind::enum_value:
      return Value(EnumValue{n.ref.index, n.ref.sub});
    default:
      throw EvalError{e.span, fmt::format("{} was not resolved", n.name)};
  }
}

Value Interpreter::eval_node(const Expr& e, const ast::FieldAccess& access) {
  Value scratch;
  return field_ref(e, access, scratch);
}

// A value where it is stored (a slot, an input, a definition, a parameter, a field of one of those),
// without copying it; anything else is evaluated into `scratch`. Reading `c.score` for every candidate
// then costs no reference counting. Storage does not move while an expression is evaluated: the stack
// has a fixed capacity, memo slots and parameter caches are never resized.
const Value& Interpreter::ref(const Expr& e, Value& scratch) {
  if (const auto* name = std::get_if<ast::Name>(&e.node)) {
    switch (name->ref.kind) {
      case RefKind::local:
        return local(name->ref.index);
      case RefKind::input:
        return decision_->inputs[static_cast<std::size_t>(name->ref.index)];
      case RefKind::definition:
        return definition(name->ref.index).value;
      case RefKind::parameter:
        return parameter(name->ref.index);
      default:
        break;
    }
  } else if (const auto* access = std::get_if<ast::FieldAccess>(&e.node)) {
    if (access->enum_member.kind != RefKind::enum_value) return field_ref(e, *access, scratch);
  } else if (const auto* lit = std::get_if<ast::Literal>(&e.node)) {
    return lit->value;
  }
  scratch = eval(e);
  return scratch;
}

const Value& Interpreter::field_ref(const Expr& e, const ast::FieldAccess& access, Value& scratch) {
  if (access.enum_member.kind == RefKind::enum_value) {
    scratch = Value(EnumValue{access.enum_member.index, access.enum_member.sub});
    return scratch;
  }
  const Value& object = ref(*access.object, scratch);
  if (object.is_none()) {
    throw EvalError{e.span, fmt::format("there is no value here to take {} from", access.field)};
  }
  return object.as_record().fields[static_cast<std::size_t>(access.slot)];
}

Value Interpreter::eval_node(const Expr& e, const ast::Call& call) {
  switch (call.ref.kind) {
    case RefKind::function:
      if (call.inlined) return as_call(call, [&] { return eval(*call.inlined); });
      return call_function(call);
    case RefKind::decision:
      return call_decision(call);
    case RefKind::builtin:
      return call_builtin(e, call);
    default:
      throw EvalError{e.span, fmt::format("{} was not resolved", call.callee)};
  }
}

/// The version of a function in force on the date the calling decision is judged as of.
const ast::Function& Interpreter::function_in_force(const ast::Call& call) {
  const ast::Function& f = *program_.functions[static_cast<std::size_t>(call.ref.index)];
  if (f.versions.empty()) return f;
  for (auto v : f.versions) {
    const ast::Function& version = *program_.functions[static_cast<std::size_t>(v)];
    if (!version.effective || version.effective->covers(as_of_)) return version;
  }
  throw EvalError{call.callee_span,
                  fmt::format("no version of {} is in force on {}", f.name, stdlib::format_date(as_of_))};
}

Value Interpreter::call_function(const ast::Call& call) {
  const ast::Function& f = function_in_force(call);
  enter_deeper(call.callee_span, f.name);
  // Arguments go straight into the new frame; they are evaluated in the caller's frame below it.
  const std::size_t base = push_frame(f.frame_size);
  // An argument stored somewhere (the caller's local, an input, a field of one) is bound where it is; one
  // computed is held by the parameter's slot.
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    Slot& param = stack_[base + static_cast<std::size_t>(f.params[i].slot)];
    if (defer_argument(*call.args[i].value, param)) continue;
    const Value& arg = ref(*call.args[i].value, param.own);
    if (&arg != &param.own) param.bind(arg);
  }
  DecisionFrame* saved_decision = decision_;
  const std::size_t saved_base = base_;
  const ast::Function* saved_function = current_function_;
  decision_ = nullptr;
  base_ = base;
  current_function_ = &f;
  Value result;
  try {
    result = eval(*f.body);
  } catch (EvalError& error) {
    decision_ = saved_decision;
    base_ = saved_base;
    current_function_ = saved_function;
    stack_.resize(base);
    error.trace.push_back(call_note(f, call));
    throw;
  }
  decision_ = saved_decision;
  base_ = saved_base;
  current_function_ = saved_function;
  stack_.resize(base);
  return result;
}

Value Interpreter::call_decision(const ast::Call& call) {
  const ast::Decision& d = *program_.decisions[static_cast<std::size_t>(call.ref.index)];
  enter_deeper(call.callee_span, d.name);
  DecisionFrame frame =
      enter_decision(call.ref.index, in_declared_order(d.inputs, call.input_order, call.args));
  std::vector<Value> outputs;
  if (explain_) open_scope(call.ref.index, frame);
  const std::size_t base = push_frame(d.frame_size);
  DecisionFrame* saved_decision = decision_;
  const std::size_t saved_base = base_;
  const Date saved_as_of = as_of_;
  const std::size_t saved_scopes = scope_stack_.size();
  try {
    with_decision(frame, base, [&] {
      judge_as_of(frame);
      note_judged(frame);
      check_requirements();
      for (std::size_t i = 0; i < d.definitions.size(); ++i) {
        if (d.definitions[i].is_output) outputs.push_back(definition(static_cast<std::int32_t>(i)).value);
      }
      if (explain_) close_scope(frame);
    });
  } catch (EvalError& error) {
    decision_ = saved_decision;
    base_ = saved_base;
    as_of_ = saved_as_of;
    scope_stack_.resize(std::min(scope_stack_.size(), saved_scopes - (explain_ ? 1 : 0)));
    stack_.resize(base);
    error.trace.push_back(fmt::format("in decision {}, called at {}", d.name, place(call.callee_span)));
    throw;
  }
  stack_.resize(base);
  return make_record(d.outputs_record, std::move(outputs));
}

Value Interpreter::call_builtin(const Expr& e, const ast::Call& call) {
  const auto& b = stdlib::builtins()[static_cast<std::size_t>(call.ref.index)];
  std::array<Value, 4> few;  // built-ins take at most four arguments; no allocation per call
  std::vector<Value> many;
  std::span<Value> args;
  if (call.args.size() <= few.size()) {
    args = std::span<Value>(few.data(), call.args.size());
  } else {
    many.resize(call.args.size());
    args = many;
  }
  for (std::size_t i = 0; i < call.args.size(); ++i) {
    args[i] = eval(*call.args[i].value);
    if (!b.goes_through_lists) continue;
    if (const auto* list = std::get_if<ListPtr>(&args[i].data)) charge_steps((*list)->size());
  }
  try {
    Value result = b.run(args, *this);
    if (const auto* d = std::get_if<Date>(&result.data)) date_in_range(*d, e.span);
    return result;
  } catch (const stdlib::BuiltinError& error) {
    throw EvalError{e.span, error.message};
  }
}

Value Interpreter::eval_node(const Expr&, const ast::RecordLiteral& r) {
  const ast::Record& record = *program_.records[static_cast<std::size_t>(r.decl)];
  return make_record(r.decl, in_declared_order(record.fields, r.field_order, r.fields));
}

}  // namespace merit::interpret

namespace merit {

using interpret::EvalError;
using interpret::Interpreter;

std::variant<Value, Diagnostic> parameter_value(const Program& program, std::int32_t parameter, Date as_of) {
  const ast::Parameter& p = *program.parameters[static_cast<std::size_t>(parameter)];
  const ast::DatedValue* in_force = nullptr;
  for (const auto& v : p.values) {
    if (!v.from || *v.from <= as_of) in_force = &v;
  }
  if (!in_force) {
    return error_at(p.span,
                    fmt::format("no value of {} is in force on {}", p.name, stdlib::format_date(as_of)));
  }
  return *constant_value(*in_force->value);
}

Date today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date{static_cast<std::int32_t>(now.time_since_epoch().count())};
}

std::variant<DecisionResult, Diagnostic> evaluate_decision(const Program& program, std::int32_t decision,
                                                           std::vector<Value> inputs,
                                                           const EvalOptions& options) {
  try {
    const ast::Decision& d = *program.decisions[static_cast<std::size_t>(decision)];
    std::vector<bool> wanted(d.definitions.size(), options.outputs.empty());
    for (const auto& name : options.outputs) {
      const auto it = std::find_if(d.definitions.begin(), d.definitions.end(),
                                   [&](const auto& def) { return def.is_output && def.name == name; });
      if (it == d.definitions.end()) {
        return error_at(d.span, fmt::format("decision {} has no output {}", d.name, name));
      }
      wanted[static_cast<std::size_t>(it - d.definitions.begin())] = true;
    }
    Interpreter interpreter(program, today(), options);
    return interpreter.run_decision(decision, std::move(inputs), wanted);
  } catch (const LimitExceeded& limit) {
    return Diagnostic{std::nullopt, {}, limit.message};
  } catch (const std::bad_alloc&) {
    return Diagnostic{std::nullopt, {}, "there is not enough memory to evaluate this decision"};
  } catch (const EvalError& e) {
    if (e.invalid_data) {
      Diagnostic d{std::nullopt, {}, e.message};
      d.data_path = e.data_path;
      return d;
    }
    Diagnostic d = error_at(e.span, e.message);
    d.notes = e.trace;
    return d;
  } catch (const std::exception& e) {
    // Outside any expression (reading the results out): no position to give, but still no crash.
    return Diagnostic{std::nullopt,
                      {},
                      fmt::format("internal error: {}; please report this with the rules "
                                  "and the case",
                                  e.what())};
  }
}

}  // namespace merit
