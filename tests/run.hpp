#pragma once
// Runs the built `merit` binary as a user would, for tests that check what a user sees.
#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace merit::testing {

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

/// The folder of the source tree (for rules/ and examples/), from CTest's environment.
inline std::string source_dir() {
  return env_or("MERIT_SOURCE_DIR", ".");
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// An answer without what produced it: the first lines of a table while they are "Rules: ..." (or a diff's
/// "Base rules: ..." and "Proposed rules: ..."), and the
/// "provenance" of a JSON object or of each object of a JSON array. Tests of an answer's content compare
/// this; the provenance itself is tested whole (test_provenance.cpp), from run_merit_raw.
inline std::string without_provenance(std::string out) {
  const auto labelled = [&] {
    for (const char* label : {"Rules: ", "Base rules: ", "Proposed rules: "}) {
      if (out.rfind(label, 0) == 0) return true;
    }
    return false;
  };
  while (labelled()) {
    const auto end = out.find('\n');
    out = end == std::string::npos ? std::string() : out.substr(end + 1);
  }
  if (out.empty() || (out[0] != '{' && out[0] != '[')) return out;
  auto json = nlohmann::ordered_json::parse(out, nullptr, false);
  if (json.is_discarded()) return out;
  bool found = false;
  const auto strip = [&](nlohmann::ordered_json& o) {
    if (o.is_object() && o.contains("provenance")) {
      o.erase("provenance");
      found = true;
    }
  };
  strip(json);
  if (json.is_array()) {
    for (auto& item : json) strip(item);
  }
  return found ? json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n" : out;
}

/// Runs a shell command: its stdout in `out`, and its exit status (-1 when it did not exit).
inline RunResult run_command(const std::string& command) {
  RunResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

/// A file in the temporary folder for one run's stderr, named by the test process and a count.
inline std::string err_file_name(const char* prefix) {
  static int counter = 0;
  return "/tmp/" + std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
         ".err";
}

/// Runs `merit ARGS` from the source folder; stdout and stderr are captured apart, stdout as it is. `env`
/// (like `MERIT_KERNELS=never`) is set for that run only.
inline RunResult run_merit_raw(const std::string& args, const std::string& env = "") {
  const std::string err_file = err_file_name("merit-test");
  RunResult result =
      run_command("cd '" + source_dir() + "' && " + (env.empty() ? "" : "env " + env + " ") + "'" +
                  env_or("MERIT_BINARY", "build/merit") + "' " + args + " 2>'" + err_file + "'");
  result.err = read_text(err_file);
  std::remove(err_file.c_str());
  return result;
}

/// Like run_merit_raw, but stopped after `seconds` (exit status 124 then), so that a hang fails a test
/// instead of hanging it; `prefix` goes before the binary (to run it as another user).
inline RunResult run_merit_limited(const std::string& args, int seconds, const std::string& prefix = "") {
  const std::string err_file = err_file_name("merit-test");
  RunResult result =
      run_command("cd '" + source_dir() + "' && " + (prefix.empty() ? "" : prefix + " ") + "timeout -k 5 " +
                  std::to_string(seconds) + " '" + env_or("MERIT_BINARY", "build/merit") + "' " + args +
                  " 2>'" + err_file + "'");
  result.err = read_text(err_file);
  std::remove(err_file.c_str());
  return result;
}

/// Runs a shell command (for a merit run from another folder, or with the environment changed); stdout and
/// stderr together in `out`.
inline RunResult run_shell(const std::string& command) {
  return run_command(command + " 2>&1");
}

/// run_merit_raw with the answer's provenance taken out of stdout (without_provenance).
inline RunResult run_merit(const std::string& args, const std::string& env = "") {
  RunResult result = run_merit_raw(args, env);
  result.out = without_provenance(result.out);
  return result;
}

}  // namespace merit::testing
