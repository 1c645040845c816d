// Vim, run headless: see vim.hpp.
#include "vim.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <system_error>

#include "source_text.hpp"

namespace merit::highlight {

namespace fs = std::filesystem;

Scratch::Scratch() {
  static int count = 0;
  dir = fs::temp_directory_path() /
        ("merit-highlight-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
  fs::create_directories(dir);
}

Scratch::~Scratch() {
  std::error_code ec;
  fs::remove_all(dir, ec);
}

fs::path Scratch::write(const std::string& name, const std::string& content) const {
  std::ofstream(dir / name, std::ios::binary) << content;
  return dir / name;
}

VimRun run_vim(const std::vector<Probe>& probes) {
  Scratch scratch;
  const fs::path out = scratch.dir / "out.txt";
  const fs::path messages = scratch.dir / "messages.txt";
  std::string script =
      "set encoding=utf-8\n"
      "set rtp^=" +
      (kSource / "editors/vim").string() +
      "\n"
      "filetype plugin on\n"
      "syntax on\n"
      "function! Probe(l, c) abort\n"
      "  let g = synIDattr(synID(a:l, a:c, 1), 'name')\n"
      "  let h = empty(g) ? [] : hlget(g)\n"
      "  return g . ' ' . (empty(h) ? '' : get(h[0], 'linksto', ''))\n"
      "endfunction\n"
      "let out = []\n";
  fs::path current;
  for (const auto& p : probes) {
    if (p.file != current) {
      current = p.file;
      script += "execute 'edit' fnameescape('" + current.string() + "')\n";
      script += "call add(out, 'filetype ' . &filetype)\n";
    }
    script += "call add(out, Probe(" + std::to_string(p.line) + ", " + std::to_string(p.column) + "))\n";
  }
  script += "call writefile(out, '" + out.string() + "')\nqa!\n";
  const fs::path script_file = scratch.write("probe.vim", script);
  // -n: no swap file beside the rule files; stdin from /dev/null, so an error cannot leave Vim waiting.
  const std::string command = "timeout 120 vim -N -u NONE -i NONE -n -es -S '" + script_file.string() +
                              "' </dev/null >'" + messages.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  VimRun run;
  run.messages = "vim exited with " + std::to_string(status) + ": " + read_text(messages);
  CHECK_MESSAGE(status == 0, run.messages);
  if (fs::exists(out)) run.lines = split_lines(read_text(out));
  return run;
}

int column_of(const std::string& line, const std::string& what, int nth) {
  std::size_t at = line.find(what);
  for (int k = 1; k < nth && at != std::string::npos; ++k) at = line.find(what, at + 1);
  return at == std::string::npos ? 0 : static_cast<int>(at) + 1;
}

}  // namespace merit::highlight
