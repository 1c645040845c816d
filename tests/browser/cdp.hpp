#pragma once
// A headless Chromium driven over the DevTools protocol (`--remote-debugging-pipe`: JSON messages, each
// ended by a NUL, the browser reading fd 3 and writing fd 4), for tests of what a person sees in a browser:
// the page as rendered, its console, a screenshot.
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace merit::testing {

using Json = nlohmann::json;

class Browser {
 public:
  /// Starts `chromium` (a path) headless, with its profile in `profile_dir`. `ok()` says whether it runs.
  Browser(const std::string& chromium, const std::string& profile_dir, int width, int height);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  bool ok() const { return session_.size() > 0; }
  /// What went wrong, when something did.
  const std::string& problem() const { return problem_; }

  /// Loads `url` and waits for its load event. False on a timeout or a navigation error.
  bool open(const std::string& url);
  /// The value of a JavaScript expression in the page (which the test writes: pages of merit doc have no
  /// script of their own).
  Json evaluate(const std::string& expression);
  /// Calls a method of the protocol in the page's session; its result, or null with problem() set.
  Json call(const std::string& method, const Json& params = Json::object());
  /// Messages the page put on its console as errors, exceptions and failed loads, since the last open().
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  pid_t pid_ = -1;
  int to_browser_ = -1;
  int from_browser_ = -1;
  int next_id_ = 1;
  std::string session_;
  std::string problem_;
  std::string buffer_;
  std::vector<std::string> errors_;
  std::vector<Json> events_;

  Json send(const std::string& method, const Json& params, const std::string& session);
  bool read_message(Json& message, std::chrono::steady_clock::time_point deadline);
  void note_event(const Json& message);
};

/// Bytes from base64 text (the protocol's screenshots and PDFs).
std::string base64_decode(const std::string& text);

}  // namespace merit::testing
