#pragma once
// merit lsp, the language server: what its two files share. lsp_index.cpp knows the checked rules (which
// declaration each name is, the law quoted beside a declaration); lsp.cpp speaks the protocol (messages on
// stdin and stdout, documents, positions in UTF-16) and answers from an index.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/program.hpp"

namespace merit::cli::lsp {

enum class SymbolKind : std::uint8_t {
  parameter,
  enumeration,
  member,
  record,
  field,
  function,
  function_parameter,
  decision,
  input,
  output,
  let,
  calendar,
  holiday,
};

/// A declaration of the rules: its name's span, and what hover and the outline say of it.
struct Symbol {
  std::string name;
  SymbolKind kind = SymbolKind::parameter;
  SourceSpan span;
  std::string type;     // as the checker names it: "integer", "list of Candidate"; a function's signature
  std::string section;  // the sections it cites, "2.B.1" (a let or output: those of its rules)
  std::int32_t parent = -1;
  std::vector<std::int32_t> children = {};
};

/// A name written in the rules, and what it names: a symbol, or (a local, a built-in) only its type.
struct Use {
  SourceSpan span;
  std::int32_t symbol = -1;
  std::string type;
  std::string builtin_usage = {};  // a built-in's usage line: `size(items: list of T): integer`
  TypeRef type_ref = {};
};

/// The declarations of a checked (or partly checked) program and the names that use them.
class Index {
 public:
  explicit Index(const Program& program);

  const std::vector<Symbol>& symbols() const { return symbols_; }
  /// Every name written in an expression, and every rule's target, with what it names (merit doc links them).
  const std::vector<Use>& uses() const { return uses_; }
  /// The use or declaration whose name holds byte `offset` of file `file`: a use (with its symbol, or -1),
  /// else a declaration's symbol as a use of itself. False where there is no name.
  bool at(std::uint32_t file, std::uint32_t offset, Use& found) const;
  /// Markdown for a hover on `use`: the declaration, its type and section, and the law quoted beside it.
  std::string hover(const Use& use) const;
  /// The names that may be written at `offset` in `file`: the declarations of the rules, enum members, and
  /// those of the decision or function the offset is in.
  std::vector<const Symbol*> names_at(std::uint32_t file, std::uint32_t offset) const;
  /// What may follow `name.`: the members of enum `name`, else the fields of the record that the name at
  /// `offset` of `file` holds (or a list or option of it).
  std::vector<const Symbol*> after_dot(std::uint32_t file, std::uint32_t offset, std::string_view name) const;

 private:
  const Program& program_;
  std::vector<Symbol> symbols_;
  std::vector<Use> uses_;
  std::vector<std::int32_t> parameters_, enums_, records_, functions_, decisions_, calendars_;
  std::unordered_map<const void*, std::int32_t> by_declaration_;  // a declaration's symbol

  std::int32_t add(Symbol s);
  void add_declarations();
  void add_uses();
  std::string law_quoted_before(const SourceSpan& span) const;
};

/// The lines of `text`'s quote of the law (lines starting with `>`) nearest before line `line` (1-based),
/// with only comments and blank lines between; empty when there is none.
std::string law_before_line(std::string_view text, std::uint32_t line);

/// `merit lsp`: serves the protocol on stdin and stdout until `exit`; the exit status.
int serve(std::FILE* in, std::FILE* out);

}  // namespace merit::cli::lsp
