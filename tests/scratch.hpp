#pragma once
// A scratch folder for tests that write files for the binary to read.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace merit::testing {

/// A fresh folder under the system's temporary folder, removed with everything in it at the end of the test.
struct Scratch {
  std::filesystem::path dir;

  explicit Scratch(const std::string& prefix = "merit") {
    static int counter = 0;
    dir = std::filesystem::temp_directory_path() /
          (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  /// Writes `content` to `name` (which may name subfolders) in the folder; gives its path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path path = dir / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
};

}  // namespace merit::testing
