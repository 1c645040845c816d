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

/// Runs `merit ARGS` from the source folder; stdout and stderr are captured apart. `env` (like
/// `MERIT_KERNELS=never`) is set for that run only.
inline RunResult run_merit(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  const std::string err_file =
      "/tmp/merit-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".err";
  const std::string command = "cd '" + source_dir() + "' && " + (env.empty() ? "" : "env " + env + " ") +
                              "'" + env_or("MERIT_BINARY", "build/merit") + "' " + args + " 2>'" + err_file +
                              "'";
  RunResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.err = read_text(err_file);
  std::remove(err_file.c_str());
  return result;
}

}  // namespace merit::testing
