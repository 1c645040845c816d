// merit lsp: a language server (the Language Server Protocol, JSON-RPC with Content-Length headers on stdin
// and stdout). It checks the rule set a document belongs to whenever the document changes, with the texts the
// editor holds in place of the files on disk, and answers from the checked program (lsp_index.cpp):
// diagnostics, hover with the law quoted beside a declaration, go to definition, completion and the outline.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/cli.hpp"
#include "cli/lsp.hpp"
#include "cli/provenance.hpp"
#include "cli/run.hpp"
#include "interpreter/files.hpp"
#include "stdlib/builtins.hpp"

namespace merit::cli::lsp {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------------------
// Messages.

/// The body of the next message, or nothing at the end of the input (or a header that cannot be read).
std::optional<std::string> read_message(std::FILE* in) {
  std::size_t length = 0;
  bool have_length = false;
  std::string line;
  for (;;) {
    line.clear();
    int c = 0;
    while ((c = std::fgetc(in)) != EOF && c != '\n') line += static_cast<char>(c);
    if (c == EOF) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    constexpr std::string_view key = "Content-Length:";
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0) {
      length = std::strtoull(line.c_str() + key.size(), nullptr, 10);
      have_length = true;
    }
  }
  // A message past 256 MB is no rule file an editor sends.
  if (!have_length || length > (std::size_t{256} << 20)) return std::nullopt;
  std::string body(length, '\0');
  if (std::fread(body.data(), 1, length, in) != length) return std::nullopt;
  return body;
}

void write_message(std::FILE* out, const Json& message) {
  const std::string body = message.dump(-1, ' ', false, Json::error_handler_t::replace);
  fmt::print(out, "Content-Length: {}\r\n\r\n{}", body.size(), body);
  std::fflush(out);
}

// ---------------------------------------------------------------------------------------------------------
// Documents: paths and URIs, byte offsets and the protocol's positions (lines from 0, UTF-16 units).

std::string path_of(const std::string& uri) {
  std::string_view rest = uri;
  if (rest.starts_with("file://")) rest.remove_prefix(7);
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size()) {
      path += static_cast<char>(std::stoi(std::string(rest.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      path += rest[i];
    }
  }
  return path;
}

std::string uri_of(const std::string& path) {
  std::string uri = "file://";
  for (const unsigned char c : fs::absolute(path).lexically_normal().string()) {
    if (std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

/// The same file whatever way its path is written.
std::string canonical(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

Json position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  std::size_t units = 0;
  for (std::size_t i = start; i < offset;) {
    const std::size_t n = std::max<std::size_t>(1, utf8_length_at(text, i));
    units += n == 4 ? 2 : 1;  // past U+FFFF, a character is two UTF-16 units
    i += n;
  }
  return {{"line", line}, {"character", units}};
}

std::size_t offset_of(std::string_view text, const Json& pos) {
  const auto line = pos.value("line", std::size_t{0});
  const auto character = pos.value("character", std::size_t{0});
  std::size_t i = 0;
  for (std::size_t l = 0; l < line && i < text.size(); ++i) {
    if (text[i] == '\n') ++l;
  }
  for (std::size_t units = 0; units < character && i < text.size() && text[i] != '\n';) {
    const std::size_t n = std::max<std::size_t>(1, utf8_length_at(text, i));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return i;
}

Json range_of(std::string_view text, const SourceSpan& span) {
  return {{"start", position(text, span.begin)}, {"end", position(text, std::max(span.end, span.begin))}};
}

// ---------------------------------------------------------------------------------------------------------
// Checking the rule set a document belongs to.

struct Checked {
  Program program;
  Diagnostics errors;
  std::unique_ptr<Index> index;
  std::vector<std::string> files;  // canonical paths, in the program's order
  std::int32_t file_of(const std::string& path) const {
    for (std::size_t f = 0; f < files.size(); ++f) {
      if (files[f] == path) return static_cast<std::int32_t>(f);
    }
    return -1;
  }
  /// Whether the file parsed, so that the index knows its declarations.
  bool parsed(std::int32_t file) const {
    for (const auto& m : program.modules) {
      if (static_cast<std::int32_t>(m.file) == file) return true;
    }
    return false;
  }
};

constexpr int symbol_kind(SymbolKind k) {
  switch (k) {
    case SymbolKind::parameter:
      return 14;  // Constant
    case SymbolKind::enumeration:
      return 10;  // Enum
    case SymbolKind::member:
      return 22;  // EnumMember
    case SymbolKind::record:
      return 23;  // Struct
    case SymbolKind::field:
      return 8;  // Field
    case SymbolKind::function:
      return 12;  // Function
    case SymbolKind::function_parameter:
      return 13;  // Variable
    case SymbolKind::decision:
      return 2;  // Module
    case SymbolKind::input:
      return 7;  // Property
    case SymbolKind::output:
      return 7;  // Property
    case SymbolKind::let:
      return 13;  // Variable
    case SymbolKind::calendar:
      return 19;  // Object
    case SymbolKind::holiday:
      return 24;  // Event
  }
  return 13;
}

constexpr int completion_kind(SymbolKind k) {
  switch (k) {
    case SymbolKind::parameter:
      return 21;  // Constant
    case SymbolKind::enumeration:
      return 13;
    case SymbolKind::member:
      return 20;
    case SymbolKind::record:
      return 22;  // Struct
    case SymbolKind::field:
      return 5;
    case SymbolKind::function:
      return 3;
    case SymbolKind::decision:
      return 9;  // Module
    case SymbolKind::input:
    case SymbolKind::output:
      return 10;  // Property
    case SymbolKind::calendar:
    case SymbolKind::holiday:
      return 23;  // Event
    default:
      return 6;  // Variable
  }
}

class Server {
 public:
  explicit Server(std::FILE* out) : out_(out) {}

  /// Handles one message; false once `exit` came. Handlers take their params by value: reading a member a
  /// message lacks then gives null (and a type error where a text is wanted), never undefined behaviour.
  bool handle(const Json& message);
  int exit_status() const { return shut_down_ ? exit_ok : exit_invalid; }

 private:
  std::FILE* out_;
  bool initialized_ = false;
  bool shut_down_ = false;
  std::string root_;
  std::map<std::string, std::string> documents_;  // canonical path: the text the editor holds
  // By document: the last check of its rule set, and the last one in which it parsed.
  std::map<std::string, std::shared_ptr<const Checked>> current_, parsed_;
  std::map<std::string, bool> published_;  // documents given diagnostics, to clear them when they go

  void reply(const Json& id, Json result) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
  }
  void fail(const Json& id, int code, const std::string& message) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}});
  }
  void notify(const std::string& method, Json params) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  Json initialize(const Json& params);
  std::shared_ptr<Checked> build(const std::string& path, const std::string& text) const;
  void check(const std::string& path);
  std::vector<std::string> rule_roots() const;
  /// The check to answer from for `path`: the latest, or, while the document does not parse, the last that
  /// parsed. With the file's index in it.
  const Checked* answering(const std::string& path, std::int32_t& file) const;

  Json hover(Json params);
  Json definition(Json params);
  Json completion(Json params);
  Json document_symbols(Json params);
};

Json Server::initialize(const Json& params) {
  if (params.contains("rootUri") && params["rootUri"].is_string()) {
    root_ = path_of(params["rootUri"]);
  } else if (params.contains("rootPath") && params["rootPath"].is_string()) {
    root_ = params["rootPath"].get<std::string>();
  }
  initialized_ = true;
  return {{"capabilities",
           {{"positionEncoding", "utf-16"},
            {"textDocumentSync", {{"openClose", true}, {"change", 1}}},
            {"hoverProvider", true},
            {"definitionProvider", true},
            {"documentSymbolProvider", true},
            {"completionProvider", {{"triggerCharacters", {"."}}}}}},
          {"serverInfo", {{"name", "merit"}, {"version", merit_version()}}}};
}

/// Folders that hold a rule set: the workspace's rules/ folder, and the rules merit finds of its own.
std::vector<std::string> Server::rule_roots() const {
  std::vector<std::string> roots;
  std::error_code ec;
  if (!root_.empty() && fs::is_directory(fs::path(root_) / "rules", ec))
    roots.push_back(canonical(root_ + "/rules"));
  std::string problem;
  if (const std::string found = default_rules_dir(problem); !found.empty()) roots.push_back(canonical(found));
  return roots;
}

/// Checks the rule set of `path`, whose text is `text`: the rules folder it is in, with every other file read
/// from the editor where it is open; else, for an amendment (a file that amends or replaces), the rules with
/// it applied; else the file alone.
std::shared_ptr<Checked> Server::build(const std::string& path, const std::string& text) const {
  std::vector<std::string> paths;
  std::size_t rule_files = 0;
  Diagnostics errors;
  const auto roots = rule_roots();
  const auto inside = [&](const std::string& root) {
    return path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/';
  };
  const auto root = std::find_if(roots.begin(), roots.end(), inside);
  const bool amendment = text.starts_with("amend ") || text.starts_with("replace ") ||
                         text.find("\namend ") != std::string::npos ||
                         text.find("\nreplace ") != std::string::npos;
  if (root != roots.end()) {
    collect_rule_files(*root, paths, errors);
    for (auto& p : paths) p = canonical(p);
    if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    rule_files = paths.size();
  } else if (amendment && !roots.empty()) {
    collect_rule_files(roots.front(), paths, errors);
    for (auto& p : paths) p = canonical(p);
    rule_files = paths.size();
    paths.push_back(path);
  } else {
    paths.push_back(path);
    rule_files = 1;
  }
  auto checked = std::make_shared<Checked>();
  std::vector<SourceFile> texts;
  std::size_t first_amendment = 0;
  for (std::size_t f = 0; f < paths.size(); ++f) {
    std::string content;
    if (paths[f] == path) {
      content = text;
    } else if (const auto open = documents_.find(paths[f]); open != documents_.end()) {
      content = open->second;
    } else {
      std::string problem;
      auto read = read_text_file(paths[f], problem);
      if (!read) {
        errors.push_back(error_in_file(paths[f], problem));
        continue;
      }
      content = std::move(*read);
    }
    checked->files.push_back(paths[f]);
    texts.push_back({paths[f], std::move(content)});
    if (f < rule_files) first_amendment = texts.size();
  }
  checked->errors =
      load_program_texts(checked->program, std::move(texts), first_amendment, std::move(errors));
  checked->index = std::make_unique<Index>(checked->program);
  return checked;
}

/// Checks `path` as the editor holds it, and gives each open document of its rule set its diagnostics.
void Server::check(const std::string& path) {
  const std::shared_ptr<const Checked> checked = build(path, documents_[path]);
  // Diagnostics go to the open documents of the set; a problem with no file goes to the one checked.
  std::map<std::string, Json> by_document;
  for (const auto& [p, t] : documents_) {
    if (checked->file_of(p) >= 0) by_document[p] = Json::array();
  }
  const auto add = [&](const Diagnostic& d) {
    std::string file = path;
    SourceSpan span;
    if (d.span && d.span->file < checked->files.size()) {
      file = checked->files[d.span->file];
      span = *d.span;
    } else if (!d.file.empty() && checked->file_of(canonical(d.file)) >= 0) {
      file = canonical(d.file);
    }
    const auto doc = by_document.find(file);
    if (doc == by_document.end()) return;
    const std::string& shown = documents_[file];
    std::string message = d.message;
    for (const auto& note : d.notes) message += "\n" + note;
    Json j = {{"range", span.line > 0 ? range_of(shown, span) : range_of(shown, SourceSpan{})},
              {"severity", d.severity == Severity::warning ? 2 : 1},
              {"source", "merit"},
              {"message", message}};
    doc->second.push_back(std::move(j));
  };
  for (const auto& w : checked->program.warnings) add(w);
  for (const auto& e : checked->errors) add(e);
  for (auto& [p, list] : by_document) {
    notify("textDocument/publishDiagnostics", {{"uri", uri_of(p)}, {"diagnostics", std::move(list)}});
    published_[p] = true;
    current_[p] = checked;
    if (checked->parsed(checked->file_of(p))) parsed_[p] = checked;
  }
}

const Checked* Server::answering(const std::string& path, std::int32_t& file) const {
  for (const auto* map : {&current_, &parsed_}) {
    const auto it = map->find(path);
    if (it == map->end()) continue;
    file = it->second->file_of(path);
    if (file >= 0 && it->second->parsed(file)) return it->second.get();
  }
  return nullptr;
}

Json Server::hover(Json params) {
  const std::string path = canonical(path_of(params["textDocument"]["uri"]));
  std::int32_t file = -1;
  const Checked* c = answering(path, file);
  if (!c) return nullptr;
  const std::string& text = c->program.sources.files[static_cast<std::size_t>(file)].text;
  Use use;
  if (!c->index->at(static_cast<std::uint32_t>(file),
                    static_cast<std::uint32_t>(offset_of(text, params["position"])), use))
    return nullptr;
  const std::string markdown = c->index->hover(use);
  if (markdown.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", markdown}}}, {"range", range_of(text, use.span)}};
}

Json Server::definition(Json params) {
  const std::string path = canonical(path_of(params["textDocument"]["uri"]));
  std::int32_t file = -1;
  const Checked* c = answering(path, file);
  if (!c) return nullptr;
  const std::string& text = c->program.sources.files[static_cast<std::size_t>(file)].text;
  Use use;
  if (!c->index->at(static_cast<std::uint32_t>(file),
                    static_cast<std::uint32_t>(offset_of(text, params["position"])), use) ||
      use.symbol < 0)
    return nullptr;
  const Symbol& s = c->index->symbols()[static_cast<std::size_t>(use.symbol)];
  const std::string& target = c->program.sources.files[s.span.file].text;
  return {{"uri", uri_of(c->files[s.span.file])}, {"range", range_of(target, s.span)}};
}

Json Server::completion(Json params) {
  const std::string path = canonical(path_of(params["textDocument"]["uri"]));
  const auto doc = documents_.find(path);
  Json items = Json::array();
  if (doc == documents_.end()) return items;
  const auto add = [&](const Symbol& s) {
    Json item = {{"label", s.name}, {"kind", completion_kind(s.kind)}, {"detail", s.type}};
    if (!s.section.empty()) item["documentation"] = "§ " + s.section;
    items.push_back(std::move(item));
  };
  // What is written before the cursor: `name.` asks for what follows the name.
  const std::string& now = doc->second;
  const std::size_t cursor = offset_of(now, params["position"]);
  const auto name_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  std::size_t word = cursor;
  while (word > 0 && name_char(now[word - 1])) --word;
  if (word > 0 && now[word - 1] == '.') {
    std::size_t name = word - 1;
    while (name > 0 && name_char(now[name - 1])) --name;
    if (name == word - 1) return items;
    // `c.` does not parse: the text checked is the one without the dot and what follows it, in which the name
    // has the type the fields come from.
    std::string without_dot = now;
    without_dot.erase(word - 1, cursor - (word - 1));
    const auto checked = build(path, without_dot);
    const std::int32_t file = checked->file_of(path);
    if (file < 0) return items;
    const std::string shown = now.substr(name, word - 1 - name);
    // The checked text lost a BOM, if it had one, and so moved every offset back.
    const std::size_t bom = now.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    for (const Symbol* s : checked->index->after_dot(static_cast<std::uint32_t>(file),
                                                     static_cast<std::uint32_t>(name - bom), shown))
      add(*s);
    return items;
  }
  std::int32_t file = -1;
  const Checked* c = answering(path, file);
  if (c) {
    const std::string& checked_text = c->program.sources.files[static_cast<std::size_t>(file)].text;
    const auto offset = static_cast<std::uint32_t>(offset_of(checked_text, params["position"]));
    for (const Symbol* s : c->index->names_at(static_cast<std::uint32_t>(file), offset)) add(*s);
  }
  for (const auto& b : stdlib::builtins())
    items.push_back({{"label", std::string(b.name)}, {"kind", 3}, {"detail", std::string(b.usage)}});
  return items;
}

Json Server::document_symbols(Json params) {
  const std::string path = canonical(path_of(params["textDocument"]["uri"]));
  std::int32_t file = -1;
  const Checked* c = answering(path, file);
  Json out = Json::array();
  if (!c) return out;
  const auto& symbols = c->index->symbols();
  const std::string& text = c->program.sources.files[static_cast<std::size_t>(file)].text;
  const auto make = [&](const Symbol& s, auto& self) -> Json {
    Json j = {{"name", s.name},
              {"kind", symbol_kind(s.kind)},
              {"range", range_of(text, s.span)},
              {"selectionRange", range_of(text, s.span)}};
    if (!s.section.empty()) j["detail"] = "§ " + s.section;
    if (!s.children.empty()) {
      j["children"] = Json::array();
      for (const auto child : s.children)
        j["children"].push_back(self(symbols[static_cast<std::size_t>(child)], self));
    }
    return j;
  };
  for (const auto& s : symbols) {
    if (s.parent < 0 && s.span.file == static_cast<std::uint32_t>(file) && s.span.line > 0)
      out.push_back(make(s, make));
  }
  return out;
}

bool Server::handle(const Json& message) {
  // A message with no method is a response, and merit lsp asks the editor nothing.
  if (!message.contains("method") || !message["method"].is_string()) return true;
  const std::string method = message["method"];
  const bool request = message.contains("id");
  const Json id = request ? message["id"] : Json();
  Json params = message.contains("params") ? message["params"] : Json::object();
  try {
    if (method == "initialize") {
      reply(id, initialize(params));
    } else if (method == "exit") {
      return false;
    } else if (!initialized_) {
      if (request) fail(id, -32002, "the server is not initialized yet");
    } else if (method == "shutdown") {
      shut_down_ = true;
      reply(id, nullptr);
    } else if (method == "textDocument/didOpen") {
      const std::string path = canonical(path_of(params["textDocument"]["uri"]));
      documents_[path] = params["textDocument"]["text"];
      check(path);
    } else if (method == "textDocument/didChange") {
      const std::string path = canonical(path_of(params["textDocument"]["uri"]));
      Json& changes = params["contentChanges"];
      if (changes.is_array() && !changes.empty()) documents_[path] = changes.back()["text"];
      check(path);
    } else if (method == "textDocument/didClose") {
      const std::string path = canonical(path_of(params["textDocument"]["uri"]));
      documents_.erase(path);
      current_.erase(path);
      parsed_.erase(path);
      if (published_.erase(path) > 0)
        notify("textDocument/publishDiagnostics", {{"uri", uri_of(path)}, {"diagnostics", Json::array()}});
    } else if (method == "textDocument/hover") {
      reply(id, hover(params));
    } else if (method == "textDocument/definition") {
      reply(id, definition(params));
    } else if (method == "textDocument/completion") {
      reply(id, completion(params));
    } else if (method == "textDocument/documentSymbol") {
      reply(id, document_symbols(params));
    } else if (request) {
      fail(id, -32601, "merit lsp does not answer " + method);
    }
  } catch (const std::exception& e) {
    // A message without the fields its method needs (nlohmann's type errors), or a file that cannot be read.
    if (request) fail(id, -32602, fmt::format("merit lsp could not answer {}: {}", method, e.what()));
  }
  return true;
}

}  // namespace

int serve(std::FILE* in, std::FILE* out) {
  Server server(out);
  while (const auto body = read_message(in)) {
    const Json message = Json::parse(*body, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
      write_message(out, {{"jsonrpc", "2.0"},
                          {"id", nullptr},
                          {"error", {{"code", -32700}, {"message", "this is not JSON"}}}});
      continue;
    }
    bool go_on = true;
    try {
      go_on = server.handle(message);
    } catch (const std::exception&) {
      // A reply that could not be written, or a request whose failure could not be: the next may be read.
    }
    if (!go_on) return server.exit_status();
  }
  return exit_invalid;
}

}  // namespace merit::cli::lsp

namespace merit::cli {

int run_lsp(const Options&) {
  return lsp::serve(stdin, stdout);
}

}  // namespace merit::cli
