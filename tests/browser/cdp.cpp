#include "cdp.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

namespace merit::testing {

namespace {

constexpr auto timeout = std::chrono::seconds(60);

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

Browser::Browser(const std::string& chromium, const std::string& profile_dir, int width, int height) {
  // A browser that dies makes a write to its pipe fail, not end the tests.
  ::signal(SIGPIPE, SIG_IGN);
  // Close-on-exec, so that the commands a test runs (merit, tesseract) do not hold the browser's pipes.
  int to[2], from[2];
  if (::pipe2(to, O_CLOEXEC) != 0) {
    problem_ = "cannot make pipes";
    return;
  }
  if (::pipe2(from, O_CLOEXEC) != 0) {
    ::close(to[0]);
    ::close(to[1]);
    problem_ = "cannot make pipes";
    return;
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);  // a group of its own, so that all its processes can be ended together
    // The browser reads commands on fd 3 and writes answers on fd 4.
    // dup2 leaves the copies open across exec (the originals close).
    const int in = ::dup(to[0]);
    const int out = ::dup(from[1]);
    ::dup2(in, 3);
    ::dup2(out, 4);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    const std::string user_data = "--user-data-dir=" + profile_dir;
    const std::string size = "--window-size=" + std::to_string(width) + "," + std::to_string(height);
    // --no-sandbox: the tests may run as root, where Chromium's sandbox will not start.
    ::execlp(chromium.c_str(), chromium.c_str(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--remote-debugging-pipe",
             "--hide-scrollbars", size.c_str(), user_data.c_str(), "about:blank",
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to[0]);
  ::close(from[1]);
  to_browser_ = to[1];
  from_browser_ = from[0];
  if (pid_ < 0) {
    problem_ = "cannot start chromium";
    return;
  }
  const Json target = send("Target.createTarget", {{"url", "about:blank"}}, "");
  if (!target.contains("targetId")) {
    problem_ = chromium + " did not start or answer (" + problem_ + "); ./setup.sh test installs chromium";
    return;
  }
  const Json attached =
      send("Target.attachToTarget", {{"targetId", target["targetId"]}, {"flatten", true}}, "");
  if (!attached.contains("sessionId")) return;
  session_ = attached["sessionId"].get<std::string>();
  for (const char* domain : {"Page.enable", "Runtime.enable", "Log.enable"}) {
    if (call(domain).is_null()) {
      session_.clear();
      return;
    }
  }
  // The page's viewport exactly as asked (the window's size would include what headless draws around it).
  if (call("Emulation.setDeviceMetricsOverride",
           {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", false}})
          .is_null())
    session_.clear();
}

Browser::~Browser() {
  if (pid_ > 0) {
    if (to_browser_ >= 0) {
      const Json close = {{"id", next_id_++}, {"method", "Browser.close"}};
      write_all(to_browser_, close.dump() + std::string(1, '\0'));
    }
    // A browser that does not close within ten seconds is killed.
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      ::usleep(100000);
    }
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  if (to_browser_ >= 0) ::close(to_browser_);
  if (from_browser_ >= 0) ::close(from_browser_);
}

bool Browser::read_message(Json& message, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto end = buffer_.find('\0');
    if (end != std::string::npos) {
      message = Json::parse(buffer_.substr(0, end), nullptr, false);
      buffer_.erase(0, end + 1);
      return !message.is_discarded();
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      problem_ = "the browser did not answer in time";
      return false;
    }
    pollfd p{from_browser_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char chunk[65536];
    const ssize_t n = ::read(from_browser_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      problem_ = "the browser closed its pipe";
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

void Browser::note_event(const Json& message) {
  // Every member read with value(): an event without one is read as empty, never as undefined behaviour.
  const std::string method = message.value("method", "");
  const Json params = message.value("params", Json::object());
  if (method == "Runtime.exceptionThrown") {
    errors_.push_back("exception: " + params.value("exceptionDetails", Json::object()).value("text", ""));
  } else if (method == "Runtime.consoleAPICalled") {
    const std::string type = params.value("type", "");
    if (type == "error" || type == "warning" || type == "assert") errors_.push_back("console." + type);
  } else if (method == "Log.entryAdded") {
    const Json entry = params.value("entry", Json::object());
    if (entry.value("level", "") == "error" || entry.value("level", "") == "warning")
      errors_.push_back(entry.value("level", "") + ": " + entry.value("text", "") + " " +
                        entry.value("url", ""));
  }
  events_.push_back(message);
}

Json Browser::send(const std::string& method, const Json& params, const std::string& session) {
  const int id = next_id_++;
  Json message = {{"id", id}, {"method", method}, {"params", params}};
  if (!session.empty()) message["sessionId"] = session;
  if (!write_all(to_browser_, message.dump() + std::string(1, '\0'))) {
    problem_ = "cannot write to the browser";
    return nullptr;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Json answer;
  while (read_message(answer, deadline)) {
    if (answer.contains("id") && answer["id"] == id) {
      if (answer.contains("error")) {
        problem_ = method + ": " + answer["error"].dump();
        return nullptr;
      }
      return answer.contains("result") ? answer["result"] : Json::object();
    }
    if (answer.contains("method")) note_event(answer);
  }
  return nullptr;
}

Json Browser::call(const std::string& method, const Json& params) {
  return send(method, params, session_);
}

bool Browser::open(const std::string& url) {
  errors_.clear();
  events_.clear();
  const Json navigated = call("Page.navigate", {{"url", url}});
  if (navigated.is_null()) return false;
  if (navigated.contains("errorText")) {
    problem_ = "cannot open " + url + ": " + navigated["errorText"].get<std::string>();
    return false;
  }
  const auto loaded = [&] {
    for (const auto& e : events_) {
      if (e.value("method", "") == "Page.loadEventFired") return true;
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Json message;
  while (!loaded()) {
    if (!read_message(message, deadline)) return false;
    if (message.contains("method")) note_event(message);
  }
  return true;
}

Json Browser::evaluate(const std::string& expression) {
  const Json result = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}});
  if (result.is_null()) return nullptr;
  if (result.contains("exceptionDetails")) {
    problem_ = "the expression threw: " + result["exceptionDetails"].dump();
    return nullptr;
  }
  const Json value = result.value("result", Json::object());
  return value.value("value", Json());
}

std::string base64_decode(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned int bits = 0;
  int count = 0;
  for (const char c : text) {
    const auto at = alphabet.find(c);
    if (at == std::string::npos) continue;  // '=' and line ends
    bits = (bits << 6) | static_cast<unsigned int>(at);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return out;
}

}  // namespace merit::testing
