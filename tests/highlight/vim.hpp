#pragma once
// Vim, run headless on files, reporting the syntax group at chosen places: how the Vim syntax file
// (editors/vim) is tested, in Vim itself rather than a model of it.
#include <filesystem>
#include <string>
#include <vector>

namespace merit::highlight {

/// A scratch folder under the system's temporary folder, removed with everything in it.
struct Scratch {
  std::filesystem::path dir;
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  /// Writes `content` to the file `name` in the folder; gives its path.
  std::filesystem::path write(const std::string& name, const std::string& content) const;
};

struct Probe {
  std::filesystem::path file;
  int line;    // 1-based
  int column;  // 1-based, in bytes, as Vim counts
  std::string group;
  std::string link;  // the standard group it is linked to
  std::string what;
};

struct VimRun {
  std::vector<std::string> lines;  // for each file "filetype X", then for each of its probes "group link"
  std::string messages;            // what Vim said, for a failure's report
};

/// Runs Vim once on the probes' files, in order, with editors/vim in its runtime path; checks that it exits
/// cleanly.
VimRun run_vim(const std::vector<Probe>& probes);

/// The 1-based byte column of the `nth` occurrence of `what` in `line` (0 when absent).
int column_of(const std::string& line, const std::string& what, int nth = 1);

}  // namespace merit::highlight
