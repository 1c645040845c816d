// merit_bench: times `merit certify` end to end on synthetic registers of 1k, 10k, 100k (and 1M)
// candidates, with one requisition and with a batch of requisitions of mixed methods, against a
// hand-written C++ certification of the same cases (bench/baseline.cpp) and, where pandas is installed, a
// pandas one (bench/pandas_certify.py). See bench/README.md for what each number means.
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/baseline.hpp"
#include "bench/case_generator.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using merit::bench::BaselineResult;

constexpr const char* usage =
    "usage: merit_bench [MERIT_BINARY] [--max N] [--runs R] [--seed S] [--batch K] [--pandas-script PATH]\n"
    "                   [--keep]\n"
    "  MERIT_BINARY          the merit to time (default: $MERIT_BINARY, else the merit built with this\n"
    "                        bench, else build/merit)\n"
    "  --max N               largest register (default 100000; 1000000 adds the 1M cases)\n"
    "  --runs R              runs of each program per case; the best is reported (default 3)\n"
    "  --seed S              seed of the synthetic cases (default 1)\n"
    "  --batch K             requisitions of mixed methods in the batch cases (default 50; 0: only the\n"
    "                        cases of one requisition)\n"
    "  --pandas-script PATH  the pandas certification (default: pandas_certify.py of the bench's sources);\n"
    "                        run with $MERIT_PYTHON, else the first of python3, /usr/bin/python3 that has\n"
    "                        pandas\n"
    "  --keep                keep the generated cases (in /tmp/merit-bench-XXXXXX)\n";

struct Options {
  std::string merit;
  std::size_t max = 100000;
  int runs = 3;
  std::uint64_t seed = 1;
  std::size_t batch = 50;
  std::string pandas_script;
  bool keep = false;
};

using Stages = std::vector<std::pair<std::string, double>>;

struct Run {
  double wall_ms = 0;
  double cpu_ms = 0;  // user + system
  long peak_rss_kb = 0;
  int status = -1;  // exit status; -1: killed or not started
  std::string out, err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

/// Runs `argv` as a child process with `env`, its stdout and stderr to files; wall time from just
/// before the spawn to just after wait4, peak RSS from wait4's rusage.
Run run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                const fs::path& dir) {
  Run run;
  const fs::path out_path = dir / "stdout", err_path = dir / "stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = 0;
  const auto start = std::chrono::steady_clock::now();
  // posix_spawnp: a program named without a folder (python3) is looked for on PATH.
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    run.err = fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned));
    return run;
  }
  int status = 0;
  rusage resources{};
  while (wait4(pid, &status, 0, &resources) < 0 && errno == EINTR) {
  }
  run.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kb = resources.ru_maxrss;
  const auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  run.cpu_ms = ms(resources.ru_utime) + ms(resources.ru_stime);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  return run;
}

/// The environment of this process, with MERIT_TIMING set or not.
std::vector<std::string> environment(bool timing) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    if (!std::string_view(*e).starts_with("MERIT_TIMING=")) env.emplace_back(*e);
  }
  if (timing) env.emplace_back("MERIT_TIMING=1");
  return env;
}

/// `PREFIX: STAGE   12.3 ms` lines (merit's MERIT_TIMING, the baseline's and pandas_certify.py's own), in
/// order.
Stages parse_stages(const std::string& err, std::string_view prefix) {
  Stages stages;
  std::istringstream lines(err);
  std::string line;
  while (std::getline(lines, line)) {
    // "merit: evaluate   4447.3 ms   peak   1007 MB": the stage, and its time before " ms".
    const auto ms_at = line.find(" ms", prefix.size());
    if (!line.starts_with(prefix) || ms_at == std::string::npos) continue;
    std::string_view rest = std::string_view(line).substr(prefix.size(), ms_at - prefix.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    const auto space = rest.find_last_of(' ');
    if (space == std::string_view::npos) continue;
    double ms = 0;
    const std::string_view number = rest.substr(space + 1);
    if (std::from_chars(number.data(), number.data() + number.size(), ms).ec != std::errc()) continue;
    std::string_view stage = rest.substr(0, space);
    while (!stage.empty() && stage.back() == ' ') stage.remove_suffix(1);
    stages.emplace_back(std::string(stage), ms);
  }
  return stages;
}

double stage(const Stages& stages, std::string_view name) {
  for (const auto& [n, ms] : stages) {
    if (n == name) return ms;
  }
  return 0;
}

/// A stage's time, or "-" where merit did not report it (then it is part of "other").
std::string stage_text(const Stages& stages, std::string_view name) {
  for (const auto& [n, ms] : stages) {
    if (n == name) return fmt::format("{:.1f}", ms);
  }
  return "-";
}

/// `runs` runs of one program: the one with the least wall time, and the least CPU time and least time
/// of each stage over all runs (a run that lost the processor to another program for a while counts
/// only where it was not the slowest).
struct Measured {
  Run best;
  double cpu_ms = 0;
  Stages stages;
};

Measured measure(int runs, const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 const fs::path& dir, std::string_view stage_prefix) {
  Measured m;
  for (int i = 0; i < runs; ++i) {
    Run run = run_process(argv, env, dir);
    if (run.status != 0) {
      m.best = std::move(run);
      return m;
    }
    const Stages stages = parse_stages(run.err, stage_prefix);
    if (i == 0) {
      m.stages = stages;
      m.cpu_ms = run.cpu_ms;
    }
    for (auto& [name, ms] : m.stages) ms = std::min(ms, stage(stages, name));
    m.cpu_ms = std::min(m.cpu_ms, run.cpu_ms);
    if (i == 0 || run.wall_ms < m.best.wall_ms) m.best = std::move(run);
  }
  return m;
}

std::string rate(std::size_t n, double ms) {
  if (ms <= 0) return "-";
  const double per_second = static_cast<double>(n) / (ms / 1000.0);
  if (per_second >= 1e6) return fmt::format("{:.2f} M", per_second / 1e6);
  if (per_second >= 1e3) return fmt::format("{:.1f} k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}

std::string size_label(std::size_t n) {
  if (n >= 1000000 && n % 1000000 == 0) return fmt::format("{}M", n / 1000000);
  if (n >= 1000 && n % 1000 == 0) return fmt::format("{}k", n / 1000);
  return fmt::format("{}", n);
}

std::string megabytes(long kb) {
  return fmt::format("{:.0f}", static_cast<double>(kb) / 1024.0);
}

/// The baseline as a child process (`merit_bench --baseline CASE`), so its peak RSS is its own: stage
/// times on stderr, the answer on stdout.
int baseline_child(const std::string& case_path) {
  const BaselineResult r = merit::bench::run_baseline(case_path);
  if (!r.error.empty()) {
    fmt::print(stderr, "baseline: {}\n", r.error);
    return 1;
  }
  for (const auto& [stage, ms] : {std::pair{"read", r.read_ms}, std::pair{"parse", r.parse_ms},
                                  std::pair{"convert", r.convert_ms}, std::pair{"evaluate", r.evaluate_ms}}) {
    fmt::print(stderr, "baseline: {:<8} {:10.3f} ms\n", stage, ms);
  }
  fmt::print("{}\n", merit::bench::answer_json(r));
  return 0;
}

/// A JSON value for a message, cut short when long.
std::string shown(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

/// Whether another program's answer equals merit's: the same certifications in the same order, every
/// field equal as JSON values (85 equals 85.0), merit's "provenance" aside; else the first requisition and
/// field that differ.
std::string compare(const std::string& merit_out, const std::string& other_out) {
  nlohmann::json a, b;
  try {
    a = nlohmann::json::parse(merit_out);
  } catch (const std::exception& e) {
    return fmt::format("NO: merit's answer is not JSON: {}", e.what());
  }
  try {
    b = nlohmann::json::parse(other_out);
  } catch (const std::exception& e) {
    return fmt::format("NO: the answer is not JSON: {}", e.what());
  }
  if (!a.is_array() || !b.is_array()) return "NO: not a list of certifications";
  if (a.size() != b.size()) return fmt::format("NO: {} certifications, merit {}", b.size(), a.size());
  std::size_t names = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    if (!x.is_object() || !y.is_object()) return fmt::format("NO: certification {} is not an object", i + 1);
    const auto id = x.find("requisition");
    const std::string requisition = id == x.end()     ? fmt::format("certification {}", i + 1)
                                    : id->is_string() ? id->get<std::string>()
                                                      : id->dump();
    for (const auto& [field, value] : y.items()) {
      if (!x.contains(field)) return fmt::format("NO: {}: {} is not in merit's answer", requisition, field);
    }
    for (const auto& [field, value] : x.items()) {
      if (field == "provenance") continue;  // which rules and dates produced merit's answer: merit's alone
      if (!y.contains(field)) return fmt::format("NO: {}: {} is missing", requisition, field);
      const auto& other = y[field];
      if (value == other) continue;
      if (field == "certified" && value.is_array() && other.is_array()) {
        for (std::size_t k = 0; k < std::min(value.size(), other.size()); ++k) {
          if (value[k] != other[k]) {
            return fmt::format("NO: {}: certified name {} is {}, merit {}", requisition, k + 1,
                               shown(other[k]), shown(value[k]));
          }
        }
        return fmt::format("NO: {}: {} names certified, merit {}", requisition, other.size(), value.size());
      }
      return fmt::format("NO: {}: {} is {}, merit {}", requisition, field, shown(other), shown(value));
    }
    if (x.contains("certified") && x["certified"].is_array()) names += x["certified"].size();
  }
  return fmt::format("yes ({} names)", names);
}

std::string default_merit() {
  if (const char* env = std::getenv("MERIT_BINARY"); env && *env) return env;
#ifdef MERIT_BENCH_DEFAULT_BINARY
  if (::access(MERIT_BENCH_DEFAULT_BINARY, X_OK) == 0) return MERIT_BENCH_DEFAULT_BINARY;
#endif
  return "build/merit";
}

std::string default_pandas_script() {
#ifdef MERIT_BENCH_PANDAS_SCRIPT
  return MERIT_BENCH_PANDAS_SCRIPT;
#else
  // Built without CMake: next to this source file.
  return (fs::path(__FILE__).parent_path() / "pandas_certify.py").string();
#endif
}

/// The Python that runs the pandas certification: $MERIT_PYTHON, else the first of python3 and
/// /usr/bin/python3 that can import pandas. Empty when there is none; `why` says so.
std::string find_python(const std::string& script, const std::vector<std::string>& env, const fs::path& dir,
                        std::string& why) {
  if (!fs::exists(script)) {
    why = fmt::format("not run: no pandas certification at {}", script);
    return "";
  }
  std::vector<std::string> candidates = {"python3", "/usr/bin/python3"};
  if (const char* python = std::getenv("MERIT_PYTHON"); python && *python) candidates = {python};
  for (const auto& python : candidates) {
    if (run_process({python, "-c", "import pandas"}, env, dir).status == 0) return python;
  }
  why = fmt::format("not run: pandas is not installed (for {})", fmt::join(candidates, ", "));
  return "";
}

/// One case: a register size and a number of requisitions, and how each program fared on it.
struct Row {
  std::size_t n = 0;
  std::size_t requisitions = 1;
  double file_mb = 0;
  Measured merit, base, pandas;
  bool pandas_run = false;
  std::string base_same, pandas_same;
};

void print_what_is_measured(const Options& o) {
  fmt::print(
      "\nWhat is measured (times in ms). Each program runs {} time(s) per case, each run a process of its\n"
      "own; reported: the least wall time, the least CPU time and, for each stage, its least time over the\n"
      "runs (a run that lost the processor to another program counts only where it was not the slowest).\n"
      "Each register size is certified for 1 standard-method requisition and, with --batch K, for K\n"
      "requisitions of mixed methods (reqs), certified in the order received, each seeing the referrals\n"
      "of the earlier ones.\n"
      "  wall         one whole process, from spawn to exit (wait4): start-up, reading and parsing the JSON\n"
      "               file, loading and checking the rules, converting the inputs, evaluating, writing the\n"
      "               JSON answer, exit. cand/s = candidates / wall.\n"
      "  CPU          user + system time of that process (wait4's rusage).\n"
      "  RSS MB       the process's peak resident set (wait4's ru_maxrss), of the run with the least wall.\n"
      "  merit stages from MERIT_TIMING=1 on merit's stderr (\"-\": not reported by this merit):\n"
      "    parse      read the case file and parse it (merit's JSON reader)\n"
      "    rules      parse and check the shipped rules/ (the same for every case)\n"
      "    read       the parsed JSON to interpreter values, every field's type checked\n"
      "    evaluate   the whole `certify` decision: its require checks (at least one requisition, unique\n"
      "               ids, vacancies, declined and removed ids on the register), every certification of\n"
      "               the batch, and both outputs (the JSON records and the table report)\n"
      "    other      wall minus the stages: process start-up, writing the answer, freeing memory, exit\n"
      "    eval cand/s  candidates / evaluate\n"
      "  baseline     hand-written C++ (bench/baseline.cpp), as a process of its own: read the file, parse\n"
      "               it with nlohmann::json, convert to plain structs, then `evaluate`: the same checks\n"
      "               and the whole batch certified directly (the register sorted once by score desc, id;\n"
      "               per requisition, filtering into vectors of positions, one per tier: every method,\n"
      "               the referral limit, the complement with ties, removals, replacements, affirmative\n"
      "               action, extra names, notes). No rules are loaded, no report is built; the answer is\n"
      "               written after `evaluate`.\n"
      "  pandas       bench/pandas_certify.py (where pandas is installed): `read` and `compute` as it\n"
      "               reports them on stderr.\n"
      "  merit / baseline  `evaluate`: the interpreter's evaluation over the baseline's certification\n"
      "               (same data in memory, same answer): the cost of interpreting the rules. `parse`:\n"
      "               merit's parse over the baseline's read + parse (different JSON libraries). `read`:\n"
      "               merit's read inputs over the baseline's convert. `wall`, `CPU`, `RSS`: whole\n"
      "               processes.\n"
      "  pandas / merit  `compute` over merit's `evaluate`, and wall over wall.\n"
      "  same answer  the program's whole answer equals merit's: the same certifications, in order, every\n"
      "               field equal (parsed JSON); else the first requisition and field that differ.\n",
      o.runs);
}

/// The load average, for judging whether other programs were competing for the processors.
std::string load_average() {
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) < 1) return "unknown";
  return fmt::format("{:.2f} {:.2f} {:.2f}", load[0], load[1], load[2]);
}

/// The first line of a program's error output, for a table.
std::string first_line(const std::string& text) {
  return text.substr(0, std::min(text.find('\n'), std::size_t{100}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--baseline") return baseline_child(argv[2]);

  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "-h" || arg == "--help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (arg == "--max" && has_value) {
      o.max = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--runs" && has_value) {
      o.runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--seed" && has_value) {
      o.seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--batch" && has_value) {
      o.batch = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--pandas-script" && has_value) {
      o.pandas_script = argv[++i];
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (!arg.starts_with("-") && o.merit.empty()) {
      o.merit = arg;
    } else {
      fmt::print(stderr, "merit_bench: unexpected argument {}\n{}", arg, usage);
      return 2;
    }
  }
  if (o.merit.empty()) o.merit = default_merit();
  if (::access(o.merit.c_str(), X_OK) != 0) {
    fmt::print(stderr, "merit_bench: no merit binary at {} (give its path, or set MERIT_BINARY)\n", o.merit);
    return 2;
  }
  o.merit = fs::absolute(o.merit).string();
  if (o.pandas_script.empty()) o.pandas_script = default_pandas_script();
  const std::string self = fs::read_symlink("/proc/self/exe").string();

  std::string dir_template = (fs::temp_directory_path() / "merit-bench-XXXXXX").string();
  if (!::mkdtemp(dir_template.data())) {
    fmt::print(stderr, "merit_bench: cannot make a temporary folder: {}\n", std::strerror(errno));
    return 1;
  }
  const fs::path dir = dir_template;
  // The cases are large: they go whether the bench succeeds or not, unless asked to keep them.
  const auto finish = [&](int status) {
    if (o.keep) {
      fmt::print("\nThe cases are kept in {}\n", dir.string());
    } else {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
    return status;
  };

  std::vector<std::size_t> sizes;
  for (std::size_t n : {1000UL, 10000UL, 100000UL, 1000000UL}) {
    if (n <= o.max) sizes.push_back(n);
  }
  std::vector<std::size_t> batches = {1};
  if (o.batch > 1) batches.push_back(o.batch);

  const auto timed_env = environment(true);
  const auto plain_env = environment(false);
  std::string pandas_missing;
  const std::string python = find_python(o.pandas_script, plain_env, dir, pandas_missing);

  fmt::print("merit certify benchmark\n");
  fmt::print("  merit:    {}\n", o.merit);
  fmt::print("  pandas:   {}\n", python.empty() ? pandas_missing : python + " " + o.pandas_script);
  fmt::print("  cases:    synthetic register (merit_generate, seed {}): 1 standard-method requisition{}\n",
             o.seed, o.batch > 1 ? fmt::format(", and {} requisitions of mixed methods", o.batch) : "");
  fmt::print("  machine:  {} hardware threads; load average at start: {}\n",
             std::thread::hardware_concurrency(), load_average());

  std::vector<Row> rows;
  for (const std::size_t n : sizes) {
    for (const std::size_t k : batches) {
      Row row;
      row.n = n;
      row.requisitions = k;
      const fs::path case_path = dir / fmt::format("case-{}-{}.json", n, k);
      merit::bench::CaseOptions co;
      co.candidates = n;
      co.seed = o.seed;
      co.requisitions = k;
      if (!merit::bench::write_case_json(co, case_path.string())) {
        fmt::print(stderr, "merit_bench: cannot write {}\n", case_path.string());
        return finish(1);
      }
      row.file_mb = static_cast<double>(fs::file_size(case_path)) / (1024.0 * 1024.0);
      fmt::print(stderr, "  {} candidates, {} requisition{}: merit...", size_label(n), k, k == 1 ? "" : "s");
      std::fflush(stderr);
      // A batch of 50 over a million candidates takes about 10.4 billion steps, past merit's default limit
      // of 10 billion, which is there to stop rules that run away, not to be measured.
      row.merit = measure(o.runs,
                          {o.merit, "certify", "--case", case_path.string(), "--format", "json",
                           "--max-steps", "100000000000"},
                          timed_env, dir, "merit: ");
      if (row.merit.best.status != 0) {
        fmt::print(stderr, "\nmerit_bench: merit failed on {} (status {}):\n{}\n", case_path.string(),
                   row.merit.best.status, row.merit.best.err);
        return finish(1);
      }
      fmt::print(stderr, " {:.0f} ms; baseline...", row.merit.best.wall_ms);
      std::fflush(stderr);
      row.base = measure(o.runs, {self, "--baseline", case_path.string()}, plain_env, dir, "baseline: ");
      if (row.base.best.status != 0) {
        fmt::print(stderr, "\nmerit_bench: the baseline failed on {}:\n{}\n", case_path.string(),
                   row.base.best.err);
        return finish(1);
      }
      row.base_same = compare(row.merit.best.out, row.base.best.out);
      fmt::print(stderr, " {:.0f} ms", row.base.best.wall_ms);
      if (!python.empty()) {
        fmt::print(stderr, "; pandas...");
        std::fflush(stderr);
        row.pandas =
            measure(o.runs, {python, o.pandas_script, case_path.string()}, plain_env, dir, "pandas: ");
        row.pandas_run = true;
        row.pandas_same = row.pandas.best.status == 0
                              ? compare(row.merit.best.out, row.pandas.best.out)
                              : fmt::format("NO: failed (status {}): {}", row.pandas.best.status,
                                            first_line(row.pandas.best.err));
        fmt::print(stderr, " {:.0f} ms", row.pandas.best.wall_ms);
      }
      fmt::print(stderr, "\n");
      rows.push_back(std::move(row));
      std::error_code ignored;
      if (!o.keep) fs::remove(case_path, ignored);
    }
  }

  const auto ratio = [](double a, double c) {
    if (a <= 0 || c <= 0) return std::string("-");
    return a / c < 1 ? fmt::format("{:.2f}x", a / c) : fmt::format("{:.1f}x", a / c);
  };

  fmt::print("\nmerit certify --case F --format json --max-steps 100000000000 (MERIT_TIMING=1)\n");
  fmt::print("{:>6} {:>4} {:>7} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} {:>7} | {:>11}\n",
             "cands", "reqs", "file MB", "wall ms", "CPU ms", "cand/s", "RSS MB", "parse", "rules", "read",
             "evaluate", "other", "eval cand/s");
  for (const auto& r : rows) {
    const auto& m = r.merit;
    double sum = 0;
    for (const auto& st : m.stages) sum += st.second;
    fmt::print(
        "{:>6} {:>4} {:>7.1f} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} {:>7.1f} | {:>11}\n",
        size_label(r.n), r.requisitions, r.file_mb, m.best.wall_ms, m.cpu_ms, rate(r.n, m.best.wall_ms),
        megabytes(m.best.peak_rss_kb), stage_text(m.stages, "parse JSON"), stage_text(m.stages, "load rules"),
        stage_text(m.stages, "read inputs"), stage_text(m.stages, "evaluate"),
        std::max(0.0, m.best.wall_ms - sum), rate(r.n, stage(m.stages, "evaluate")));
  }

  fmt::print("\nbaseline: hand-written C++ of the same certifications (bench/baseline.cpp)\n");
  fmt::print("{:>6} {:>4} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} | {:>11}\n", "cands", "reqs",
             "wall ms", "CPU ms", "cand/s", "RSS MB", "read", "parse", "convert", "evaluate", "eval cand/s");
  for (const auto& r : rows) {
    const auto& b = r.base;
    fmt::print("{:>6} {:>4} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8.1f} {:>8.1f} {:>8.1f} {:>8.2f} | {:>11}\n",
               size_label(r.n), r.requisitions, b.best.wall_ms, b.cpu_ms, rate(r.n, b.best.wall_ms),
               megabytes(b.best.peak_rss_kb), stage(b.stages, "read"), stage(b.stages, "parse"),
               stage(b.stages, "convert"), stage(b.stages, "evaluate"),
               rate(r.n, stage(b.stages, "evaluate")));
  }

  fmt::print("\npandas: {}\n", o.pandas_script);
  if (python.empty()) fmt::print("pandas: {}\n", pandas_missing);
  fmt::print("{:>6} {:>4} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8}\n", "cands", "reqs", "wall ms", "CPU ms",
             "cand/s", "RSS MB", "read", "compute");
  for (const auto& r : rows) {
    const auto& p = r.pandas;
    if (!r.pandas_run || p.best.status != 0) {
      fmt::print("{:>6} {:>4} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8}\n", size_label(r.n), r.requisitions,
                 "-", "-", "-", "-", "-", "-");
      continue;
    }
    fmt::print("{:>6} {:>4} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8} {:>8}\n", size_label(r.n), r.requisitions,
               p.best.wall_ms, p.cpu_ms, rate(r.n, p.best.wall_ms), megabytes(p.best.peak_rss_kb),
               stage_text(p.stages, "read"), stage_text(p.stages, "compute"));
  }

  fmt::print("\nmerit / baseline\n");
  fmt::print("{:>6} {:>4} | {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} | {}\n", "cands", "reqs", "evaluate", "parse",
             "read", "wall", "CPU", "RSS", "same answer");
  for (const auto& r : rows) {
    const auto &m = r.merit, &b = r.base;
    fmt::print("{:>6} {:>4} | {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} | {}\n", size_label(r.n), r.requisitions,
               ratio(stage(m.stages, "evaluate"), stage(b.stages, "evaluate")),
               ratio(stage(m.stages, "parse JSON"), stage(b.stages, "read") + stage(b.stages, "parse")),
               ratio(stage(m.stages, "read inputs"), stage(b.stages, "convert")),
               ratio(m.best.wall_ms, b.best.wall_ms), ratio(m.cpu_ms, b.cpu_ms),
               ratio(static_cast<double>(m.best.peak_rss_kb), static_cast<double>(b.best.peak_rss_kb)),
               r.base_same);
  }

  fmt::print("\npandas / merit\n");
  fmt::print("{:>6} {:>4} | {:>16} {:>8} | {}\n", "cands", "reqs", "compute/evaluate", "wall", "same answer");
  for (const auto& r : rows) {
    const auto &m = r.merit, &p = r.pandas;
    const bool ran = r.pandas_run && p.best.status == 0;
    fmt::print("{:>6} {:>4} | {:>16} {:>8} | {}\n", size_label(r.n), r.requisitions,
               ran ? ratio(stage(p.stages, "compute"), stage(m.stages, "evaluate")) : "-",
               ran ? ratio(p.best.wall_ms, m.best.wall_ms) : "-",
               r.pandas_run ? r.pandas_same : "- (not installed)");
  }

  // The bench itself keeps one processor busy: a load of more than the others can take means other programs
  // were competing with it.
  double load[1] = {0};
  const bool busy = ::getloadavg(load, 1) == 1 && load[0] > std::thread::hardware_concurrency();
  fmt::print("\nload average at end: {}{}\n", load_average(),
             busy ? " (above the number of hardware threads: other programs were competing for the "
                    "processors, and the times are less reliable)"
                  : "");
  print_what_is_measured(o);
  // Times are for reading; a different answer is a failure (tests/CMake runs the bench on 1k for that).
  const bool differ = std::any_of(rows.begin(), rows.end(), [](const Row& r) {
    return r.base_same.rfind("yes", 0) != 0 || (r.pandas_run && r.pandas_same.rfind("yes", 0) != 0);
  });
  return finish(differ ? 1 : 0);
}
