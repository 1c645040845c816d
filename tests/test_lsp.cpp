// merit lsp, driven as an editor drives it: the built binary on pipes, messages with Content-Length headers.
// The rule files are opened with texts changed in the editor only; nothing is written to disk.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/run.hpp"

using Json = nlohmann::json;
using merit::testing::env_or;
using merit::testing::read_text;
using merit::testing::source_dir;

namespace {

/// `merit lsp` on two pipes, as an editor starts it.
class Editor {
 public:
  Editor() {
    int to_server[2];
    int from_server[2];
    REQUIRE(::pipe(to_server) == 0);
    REQUIRE(::pipe(from_server) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(to_server[0], 0);
      ::dup2(from_server[1], 1);
      ::close(to_server[1]);
      ::close(from_server[0]);
      if (::chdir(source_dir().c_str()) != 0) ::_exit(127);
      const std::string binary = env_or("MERIT_BINARY", "build/merit");
      ::execl(binary.c_str(), binary.c_str(), "lsp", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(to_server[0]);
    ::close(from_server[1]);
    in_ = to_server[1];
    out_ = from_server[0];
  }
  ~Editor() {
    if (in_ >= 0) ::close(in_);
    if (out_ >= 0) ::close(out_);
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Editor(const Editor&) = delete;
  Editor& operator=(const Editor&) = delete;

  void send_raw(const std::string& body) {
    const std::string message = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    REQUIRE(::write(in_, message.data(), message.size()) == static_cast<ssize_t>(message.size()));
  }
  void notify(const std::string& method, Json params) {
    send_raw(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}.dump());
  }
  /// Sends a request and gives the response to it (notifications before it are kept for `next`).
  Json request(const std::string& method, Json params = Json::object()) {
    const int id = ++last_id_;
    send_raw(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}.dump());
    for (;;) {
      Json m = read();
      if (m.contains("id") && m["id"] == id) return m;
      pending_.push_back(std::move(m));
    }
  }
  /// The next message the server sends of its own accord (a notification).
  Json next() {
    if (!pending_.empty()) {
      Json m = pending_.front();
      pending_.erase(pending_.begin());
      return m;
    }
    return read();
  }
  /// The exit status once the server has ended (after `exit`), or -1 when it does not end in time.
  int wait_exit() {
    ::close(in_);
    in_ = -1;
    for (int i = 0; i < 600; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(50'000);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  bool exited_ = false;
  int last_id_ = 0;
  std::vector<Json> pending_;
  std::string buffer_;

  /// Reads until `buffer_` holds `n` bytes; fails the test after 60 s (ASan builds are slow).
  void fill(std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (buffer_.size() < n) {
      pollfd p{out_, POLLIN, 0};
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      REQUIRE_MESSAGE(left.count() > 0, "merit lsp sent nothing in time");
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[65536];
      const ssize_t got = ::read(out_, chunk, sizeof chunk);
      REQUIRE_MESSAGE(got > 0, "merit lsp closed its output");
      buffer_.append(chunk, static_cast<std::size_t>(got));
    }
  }
  Json read() {
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) fill(buffer_.size() + 1);
    const std::string header = buffer_.substr(0, end);
    const std::string key = "Content-Length: ";
    const auto at = header.find(key);
    REQUIRE(at != std::string::npos);
    const std::size_t length = std::stoul(header.substr(at + key.size()));
    fill(end + 4 + length);
    const std::string body = buffer_.substr(end + 4, length);
    buffer_.erase(0, end + 4 + length);
    Json m = Json::parse(body, nullptr, false);
    REQUIRE_FALSE(m.is_discarded());
    return m;
  }
};

std::string absolute(const std::string& relative) {
  return std::filesystem::weakly_canonical(std::filesystem::absolute(source_dir()) / relative).string();
}
std::string uri(const std::string& relative) {
  return "file://" + absolute(relative);
}

/// The 0-based line holding `needle` in `text`, and the character where it starts, counted in UTF-16 units as
/// the protocol counts them (`§` is two bytes and one unit).
std::pair<int, int> find_in(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  REQUIRE(at != std::string::npos);
  int line = 0;
  int character = 0;
  for (std::size_t i = 0; i < at; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (text[i] == '\n') {
      ++line;
      character = 0;
    } else if ((byte & 0xC0) != 0x80) {
      character += byte >= 0xF0 ? 2 : 1;
    }
  }
  return {line, character};
}

Json at(const std::string& file_uri, int line, int character) {
  return {{"textDocument", {{"uri", file_uri}}}, {"position", {{"line", line}, {"character", character}}}};
}

void start(Editor& editor) {
  const Json init = editor.request(
      "initialize",
      {{"processId", nullptr}, {"rootUri", "file://" + absolute(".")}, {"capabilities", Json::object()}});
  const Json& caps = init["result"]["capabilities"];
  CHECK(caps["hoverProvider"] == true);
  CHECK(caps["definitionProvider"] == true);
  CHECK(caps["documentSymbolProvider"] == true);
  CHECK(caps["completionProvider"]["triggerCharacters"] == Json::array({"."}));
  CHECK(caps["textDocumentSync"]["change"] == 1);  // the whole text at each change
  editor.notify("initialized", Json::object());
}

void stop(Editor& editor) {
  CHECK(editor.request("shutdown")["result"].is_null());
  editor.notify("exit", nullptr);
  CHECK(editor.wait_exit() == 0);
}

const std::string acting = "rules/chapter8/3-acting-capacity.merit";
const std::string due =
    "function register_due(start: date): date § 3.A.2 = period_end(start, open_appointment_max)";

}  // namespace

TEST_CASE("lsp: an editor gets the diagnostics of a broken file at the right range, cleared once mended") {
  Editor editor;
  start(editor);
  const std::string text = read_text(absolute(acting));
  std::string broken = text;
  broken.replace(broken.find(due), due.size(),
                 "function register_due(start: date): date § 3.A.2 = period_end(start, open_appointment_mx)");
  editor.notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri(acting)}, {"languageId", "merit"}, {"version", 1}, {"text", broken}}}});
  const Json published = editor.next();
  CHECK(published["method"] == "textDocument/publishDiagnostics");
  CHECK(published["params"]["uri"] == uri(acting));
  const Json& diagnostics = published["params"]["diagnostics"];
  REQUIRE(diagnostics.size() == 1);
  const auto [line, character] = find_in(broken, "open_appointment_mx");
  CHECK(diagnostics[0]["range"] == Json({{"start", {{"line", line}, {"character", character}}},
                                         {"end", {{"line", line}, {"character", character + 19}}}}));
  CHECK(diagnostics[0]["severity"] == 1);
  CHECK(diagnostics[0]["message"] ==
        "unknown name open_appointment_mx; did you mean 'open_appointment_max'?");

  editor.notify("textDocument/didChange", {{"textDocument", {{"uri", uri(acting)}, {"version", 2}}},
                                           {"contentChanges", Json::array({{{"text", text}}})}});
  const Json mended = editor.next();
  CHECK(mended["params"]["uri"] == uri(acting));
  CHECK(mended["params"]["diagnostics"] == Json::array());

  editor.notify("textDocument/didClose", {{"textDocument", {{"uri", uri(acting)}}}});
  CHECK(editor.next()["params"]["diagnostics"] == Json::array());

  // A new file of its own, outside any rules folder and not yet saved: checked alone, syntax errors too.
  const std::string fresh = "file:///tmp/merit-lsp-unsaved-" + std::to_string(::getpid()) + "/new.merit";
  editor.notify("textDocument/didOpen",
                {{"textDocument",
                  {{"uri", fresh},
                   {"languageId", "merit"},
                   {"version", 1},
                   {"text", "# A new rule.\nparameter complement_size: integer = 6\n"}}}});
  const Json syntax = editor.next();
  CHECK(syntax["params"]["uri"] == fresh);
  REQUIRE(syntax["params"]["diagnostics"].size() == 1);
  CHECK(syntax["params"]["diagnostics"][0]["range"]["start"] == Json({{"line", 1}, {"character", 35}}));
  CHECK(syntax["params"]["diagnostics"][0]["message"] == "expected the section this encodes, like § 2.B.1");
  CHECK_FALSE(std::filesystem::exists("/tmp/merit-lsp-unsaved-" + std::to_string(::getpid())));
  stop(editor);
}

TEST_CASE(
    "lsp: hover shows the declaration, its section and the law quoted beside it; definition goes there") {
  Editor editor;
  start(editor);
  const std::string text = read_text(absolute(acting));
  editor.notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri(acting)}, {"languageId", "merit"}, {"version", 1}, {"text", text}}}});
  CHECK(editor.next()["params"]["diagnostics"] == Json::array());

  const auto [line, character] = find_in(text, "open_appointment_max)");
  const Json hover = editor.request("textDocument/hover", at(uri(acting), line, character + 3))["result"];
  REQUIRE(hover.is_object());
  CHECK(hover["contents"]["kind"] == "markdown");
  const std::string shown = hover["contents"]["value"];
  CHECK(shown.find("parameter open_appointment_max: duration") != std::string::npos);
  CHECK(shown.find("§ 1.A.2, 3.A.1") != std::string::npos);
  // The law quoted above the parameter in rules/chapter8/1-filling-of-vacancies.merit.
  CHECK(shown.find(
            "> Except for appointments to project or intermittent position vacancies, appointments which "
            "require the") != std::string::npos);
  CHECK(hover["range"]["start"] == Json({{"line", line}, {"character", character}}));

  const Json definition =
      editor.request("textDocument/definition", at(uri(acting), line, character + 3))["result"];
  const std::string vacancies = "rules/chapter8/1-filling-of-vacancies.merit";
  CHECK(definition["uri"] == uri(vacancies));
  const auto [def_line, def_character] =
      find_in(read_text(absolute(vacancies)), "open_appointment_max: duration");
  CHECK(definition["range"]["start"] == Json({{"line", def_line}, {"character", def_character}}));

  // A function's own name: its signature and the law quoted before it.
  const auto [fn_line, fn_character] = find_in(text, "register_due(start");
  const std::string fn = editor.request(
      "textDocument/hover", at(uri(acting), fn_line, fn_character))["result"]["contents"]["value"];
  CHECK(fn.find("function register_due(start: date): date") != std::string::npos);
  CHECK(fn.find("§ 3.A.2") != std::string::npos);
  CHECK(fn.find("> 2. Register Appointment (duration of more than three months)") != std::string::npos);

  // Blank space is no name.
  CHECK(editor.request("textDocument/hover", at(uri(acting), line, 0))["result"].is_null());
  stop(editor);
}

TEST_CASE("lsp: completion gives a record's fields after a dot, and the names in scope elsewhere") {
  Editor editor;
  start(editor);
  const std::string registers = "rules/chapter8/2-use-of-class-registers.merit";
  const std::string text = read_text(absolute(registers));
  const std::string written = "function is_state_employee(c: Candidate): boolean § 2.A.3 = c.agency != none";
  const std::string typing = "function is_state_employee(c: Candidate): boolean § 2.A.3 = c.ag";
  std::string half = text;
  half.replace(half.find(written), written.size(), typing);
  editor.notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri(registers)}, {"languageId", "merit"}, {"version", 1}, {"text", half}}}});
  CHECK(editor.next()["params"]["diagnostics"].size() == 1);  // Candidate has no field ag

  const auto [line, character] = find_in(half, typing);
  const Json fields =
      editor.request("textDocument/completion",
                     at(uri(registers), line, character + static_cast<int>(typing.size())))["result"];
  std::vector<std::string> labels;
  for (const auto& item : fields) labels.push_back(item["label"]);
  CHECK(std::find(labels.begin(), labels.end(), "agency") != labels.end());
  CHECK(std::find(labels.begin(), labels.end(), "score") != labels.end());
  CHECK(std::find(labels.begin(), labels.end(), "complement_size") ==
        labels.end());                                       // a parameter, not a field
  for (const auto& item : fields) CHECK(item["kind"] == 5);  // Field

  // Away from a dot: parameters, enum members, decisions, the function's own parameter, and built-ins.
  const std::string bare = "function is_state_employee(c: Candidate): boolean § 2.A.3 = ";
  std::string blank = text;
  blank.replace(blank.find(written), written.size(), bare + "c");
  editor.notify("textDocument/didChange", {{"textDocument", {{"uri", uri(registers)}, {"version", 2}}},
                                           {"contentChanges", Json::array({{{"text", blank}}})}});
  editor.next();
  const Json names =
      editor.request("textDocument/completion",
                     at(uri(registers), line, character + static_cast<int>(bare.size())))["result"];
  labels.clear();
  for (const auto& item : names) labels.push_back(item["label"]);
  for (const char* expected : {"complement_size", "certification", "competitive", "c", "size"}) {
    CAPTURE(expected);
    CHECK(std::find(labels.begin(), labels.end(), expected) != labels.end());
  }
  stop(editor);
}

TEST_CASE("lsp: the outline lists a file's declarations with their sections") {
  Editor editor;
  start(editor);
  const std::string text = read_text(absolute(acting));
  editor.notify(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri(acting)}, {"languageId", "merit"}, {"version", 1}, {"text", text}}}});
  editor.next();
  const Json symbols =
      editor.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri(acting)}}}})["result"];
  const Json* decision = nullptr;
  for (const auto& s : symbols) {
    if (s["name"] == "acting_capacity") decision = &s;
  }
  REQUIRE(decision != nullptr);
  CHECK((*decision)["kind"] == 2);
  CHECK((*decision)["detail"] == "§ 3");
  bool input = false;
  for (const auto& child : (*decision)["children"]) input = input || child["name"] == "start";
  CHECK(input);
  const auto [line, character] = find_in(text, "acting_capacity § 3");
  CHECK((*decision)["selectionRange"]["start"] == Json({{"line", line}, {"character", character}}));
  stop(editor);
}

TEST_CASE("lsp: bad messages get errors, not a crash; exit without shutdown ends with status 1") {
  Editor editor;
  const Json early = editor.request("textDocument/hover", at(uri(acting), 0, 0));
  CHECK(early["error"]["code"] == -32002);  // not initialized
  start(editor);
  CHECK(editor.request("workspace/symbol", {{"query", "x"}})["error"]["code"] == -32601);
  CHECK(editor.request("textDocument/hover", {{"nothing", 1}})["error"]["code"] == -32602);
  editor.send_raw("{ not json");
  CHECK(editor.next()["error"]["code"] == -32700);
  // Members of the wrong kind, or missing: an error for a request, nothing for a notification.
  CHECK(editor.request("textDocument/hover", {{"textDocument", 5}, {"position", "here"}})["error"]["code"] ==
        -32602);
  CHECK(editor.request("textDocument/completion", {{"textDocument", {{"uri", 7}}}})["error"]["code"] ==
        -32602);
  editor.notify("textDocument/didChange",
                {{"textDocument", {{"uri", uri(acting)}}}, {"contentChanges", {1, 2}}});
  editor.notify("textDocument/didOpen", {{"textDocument", {{"uri", uri(acting)}}}});
  editor.send_raw(R"({"jsonrpc": "2.0", "method": 5, "params": []})");
  editor.send_raw(R"({"jsonrpc": "2.0", "id": 99, "result": null})");
  // A document not opened has nothing to say.
  CHECK(editor.request("textDocument/hover", at(uri(acting), 3, 3))["result"].is_null());
  editor.notify("exit", nullptr);
  CHECK(editor.wait_exit() == 1);
}
