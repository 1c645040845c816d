// merit as a user installs it: `cmake --install` into a prefix, and the .deb CPack builds, unpacked. Each
// answers from any folder with the rules installed beside it, and carries its manual page and completion.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "tests/run.hpp"
#include "tests/scratch.hpp"

namespace fs = std::filesystem;
using merit::testing::env_or;
using merit::testing::read_text;
using merit::testing::run_merit;
using merit::testing::run_shell;
using merit::testing::Scratch;

namespace {

/// The build folder of the merit under test: its install rules and CPack configuration are there.
fs::path build_dir() {
  return fs::absolute(env_or("MERIT_BINARY", "build/merit")).parent_path();
}

/// Checks an installed tree under `prefix`: run from `elsewhere`, merit certifies the installed example with
/// the installed rules.
void check_installed(const fs::path& prefix, const fs::path& elsewhere) {
  const fs::path merit = prefix / "bin" / "merit";
  REQUIRE(fs::exists(merit));
  const fs::path example = prefix / "share/doc/merit/examples/certify/standard.json";
  REQUIRE(fs::exists(example));
  const auto r = run_shell("cd '" + elsewhere.string() + "' && env -u MERIT_RULES '" + merit.string() +
                           "' certify --case '" + example.string() + "'");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("Rules: " + (prefix / "share/merit/rules").string() + " (hash ", 0) == 0);
  CHECK(r.out.find("\nCertification R-2026-014\n") != std::string::npos);
  // The rule tests are installed with the rules they test, and pass there.
  const auto tests =
      run_shell("cd '" + elsewhere.string() + "' && env -u MERIT_RULES '" + merit.string() + "' test");
  CHECK(tests.status == 0);
  CHECK(fs::exists(prefix / "share/man/man1/merit.1"));
  CHECK(fs::exists(prefix / "share/bash-completion/completions/merit"));
  CHECK(fs::exists(prefix / "share/doc/merit/README.md"));
}

}  // namespace

TEST_CASE("install: cmake --install puts merit, its rules, examples, manual page and completion in place") {
  Scratch s("merit-install");
  const fs::path prefix = s.dir / "prefix";
  const auto install =
      run_shell("cmake --install '" + build_dir().string() + "' --prefix '" + prefix.string() + "'");
  // cmake --install writes the list of what it installed into the build folder: not ours to leave there.
  std::filesystem::remove(build_dir() / "install_manifest.txt");
  REQUIRE_MESSAGE(install.status == 0, install.out);
  fs::create_directories(s.dir / "elsewhere");
  check_installed(prefix, s.dir / "elsewhere");
  // The manual page names the commands, and where the rules are once installed, not the build tree's.
  const std::string man = read_text((prefix / "share/man/man1/merit.1").string());
  for (const char* command : {"certify", "eval", "check", "diff", "test", "list"}) {
    CAPTURE(command);
    CHECK(man.find(command) != std::string::npos);
  }
  CHECK(man.find(merit::testing::source_dir()) == std::string::npos);
}

TEST_CASE("install: the .deb holds the same tree under /usr and depends on Debian's packages") {
  Scratch s("merit-deb");
  const auto pack = run_shell("cpack --config '" + (build_dir() / "CPackConfig.cmake").string() + "' -B '" +
                              s.dir.string() + "'");
  std::filesystem::remove(build_dir() / "install_manifest.txt");  // CPack's install writes it there too
  REQUIRE_MESSAGE(pack.status == 0, pack.out);
  fs::path deb;
  for (const auto& entry : fs::directory_iterator(s.dir)) {
    if (entry.path().extension() == ".deb") deb = entry.path();
  }
  REQUIRE(!deb.empty());
  const auto depends = run_shell("dpkg-deb -f '" + deb.string() + "' Depends");
  CHECK(depends.status == 0);
  CHECK(depends.out.find("libfmt") != std::string::npos);
  CHECK(depends.out.find("libsimdjson") != std::string::npos);
  const fs::path root = s.dir / "root";
  REQUIRE(run_shell("dpkg-deb -x '" + deb.string() + "' '" + root.string() + "'").status == 0);
  fs::create_directories(s.dir / "elsewhere");
  check_installed(root / "usr", s.dir / "elsewhere");
}

TEST_CASE("install: the bash completion offers every option each command's help lists") {
  const std::string completion =
      read_text((fs::path(merit::testing::source_dir()) / "cli/merit.bash-completion").string());
  REQUIRE(!completion.empty());
  static const std::regex option("\n  (--[a-z-]+)");
  for (const std::string command : {"check", "eval", "certify", "diff", "test", "list", "schema"}) {
    CAPTURE(command);
    const auto help = run_merit(command + " --help");
    REQUIRE(help.status == 0);
    int found = 0;
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), option);
         it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1].str();
      CAPTURE(name);
      // Its branch in the script, `    certify)`, and the first `options="..."` in it.
      const auto branch = completion.find("\n    " + command + ")");
      REQUIRE(branch != std::string::npos);
      const auto line = completion.find("options=\"", branch);
      REQUIRE(line != std::string::npos);
      const std::string options = completion.substr(line, completion.find('\n', line) - line);
      CHECK((name == "--help" || name == "--help-all" || options.find(name) != std::string::npos));
      ++found;
    }
    CHECK(found >= 2);
  }
}
