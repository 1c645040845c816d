// merit_bench: times `merit certify` end to end on synthetic registers of 1k, 10k, 100k (and 1M)
// candidates, and a hand-written C++ certification of the same case (bench/baseline.cpp).
// See bench/README.md for what each number means.
#include <fcntl.h>
#include <fmt/format.h>
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
    "usage: merit_bench [MERIT_BINARY] [--max N] [--runs R] [--seed S] [--batch K] [--keep]\n"
    "  MERIT_BINARY  the merit to time (default: $MERIT_BINARY, else the merit built with this bench,\n"
    "                else build/merit)\n"
    "  --max N       largest register (default 100000; 1000000 adds the 1M case)\n"
    "  --runs R      runs of each program per size; the best (least wall time) is reported (default 3)\n"
    "  --seed S      seed of the synthetic registers (default 1)\n"
    "  --batch K     also time merit alone on cases of K requisitions of mixed methods\n"
    "  --keep        keep the generated cases (in /tmp/merit-bench-XXXXXX)\n";

struct Options {
  std::string merit;
  std::size_t max = 100000;
  int runs = 3;
  std::uint64_t seed = 1;
  std::size_t batch = 0;
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
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
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

/// `PREFIX: STAGE   12.3 ms` lines (merit's MERIT_TIMING, the baseline's own), in order.
Stages parse_stages(const std::string& err, std::string_view prefix) {
  Stages stages;
  std::istringstream lines(err);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with(prefix) || !line.ends_with(" ms")) continue;
    std::string_view rest = std::string_view(line).substr(prefix.size(), line.size() - prefix.size() - 3);
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

/// The baseline as a child process (`merit_bench --baseline CASE`), so its peak RSS is its own.
int baseline_child(const std::string& case_path) {
  const BaselineResult r = merit::bench::run_baseline(case_path);
  for (const auto& [stage, ms] : {std::pair{"read", r.read_ms}, std::pair{"parse", r.parse_ms},
                                  std::pair{"convert", r.convert_ms}, std::pair{"evaluate", r.evaluate_ms}}) {
    fmt::print(stderr, "baseline: {:<8} {:10.3f} ms\n", stage, ms);
  }
  nlohmann::json out = {{"error", r.error}, {"interested", r.interested}, {"complete", r.complete}};
  out["certified"] = nlohmann::json::array();
  for (const auto& n : r.certified) {
    out["certified"].push_back({{"id", n.id}, {"cite", n.cite}, {"interested", n.interested}});
  }
  fmt::print("{}\n", out.dump());
  return r.error.empty() ? 0 : 1;
}

/// Whether merit's first certification names the same persons, in the same order, under the same
/// sections, as the baseline.
std::string compare(const std::string& merit_out, const nlohmann::json& baseline) {
  try {
    const auto merit = nlohmann::json::parse(merit_out).at(0);
    const auto& a = merit.at("certified");
    const auto& b = baseline.at("certified");
    if (a.size() != b.size()) return fmt::format("NO: {} names vs {}", a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (a[i].at("id") != b[i].at("id") || a[i].at("cite") != b[i].at("cite") ||
          a[i].at("interested") != b[i].at("interested")) {
        return fmt::format("NO: name {} is {} vs {}", i + 1, a[i].at("id").dump(), b[i].at("id").dump());
      }
    }
    if (merit.at("complete") != baseline.at("complete")) return "NO: complete differs";
    return fmt::format("yes ({} names)", a.size());
  } catch (const std::exception& e) {
    return fmt::format("NO: {}", e.what());
  }
}

std::string default_merit() {
  if (const char* env = std::getenv("MERIT_BINARY"); env && *env) return env;
#ifdef MERIT_BENCH_DEFAULT_BINARY
  if (::access(MERIT_BENCH_DEFAULT_BINARY, X_OK) == 0) return MERIT_BENCH_DEFAULT_BINARY;
#endif
  return "build/merit";
}

struct Row {
  std::size_t n = 0;
  double file_mb = 0;
  Measured merit, base;
  nlohmann::json base_json;
  std::string same;
};

void print_what_is_measured(const Options& o) {
  fmt::print(
      "\nWhat is measured (times in ms). Each program runs {} time(s) per size, each run a process of its\n"
      "own; reported: the least wall time, the least CPU time and, for each stage, its least time over the\n"
      "runs (a run that lost the processor to another program counts only where it was not the slowest):\n"
      "  wall         one whole process, from spawn to exit (wait4): start-up, reading and parsing the JSON\n"
      "               file, loading and checking the rules, converting the inputs, evaluating, writing the\n"
      "               JSON answer, exit. cand/s = candidates / wall.\n"
      "  CPU          user + system time of that process (wait4's rusage).\n"
      "  RSS MB       the process's peak resident set (wait4's ru_maxrss), of the run with the least wall.\n"
      "  merit stages from MERIT_TIMING=1 on merit's stderr (\"-\": not reported by this merit):\n"
      "    parse      read the case file and parse it (merit's JSON reader)\n"
      "    rules      parse and check the shipped rules/ (the same for every size)\n"
      "    read       the parsed JSON to interpreter values, every field's type checked\n"
      "    evaluate   the whole `certify` decision: its require checks (unique ids, declined and removed "
      "ids\n"
      "               on the register), the certification, and both outputs (the JSON records and the\n"
      "               table report)\n"
      "    other      wall minus the stages: process start-up, writing the answer, freeing memory, exit\n"
      "    eval cand/s  candidates / evaluate\n"
      "  baseline     hand-written C++ (bench/baseline.cpp), as a process of its own: read the file, parse "
      "it\n"
      "               with nlohmann::json, convert to plain structs, then certify directly: the same checks\n"
      "               of ids, leave out declined location/hours, selective and removed, the\n"
      "               concurrent-referral limit (2.F), tier, std::sort by (tier, score desc, id), the\n"
      "               complement with ties, replacements. No rules are loaded, no report is built, no\n"
      "               answer is written.\n"
      "  merit / baseline  `evaluate`: the interpreter's evaluation over the baseline's certification\n"
      "               (same data in memory, same answer): the cost of interpreting the rules. `parse`: "
      "merit's\n"
      "               parse over the baseline's read + parse (different JSON libraries). `read`: merit's "
      "read\n"
      "               inputs over the baseline's convert. `wall`, `CPU`, `RSS`: whole processes.\n"
      "  same answer  merit's certified names (id, cite, interested, in order) and `complete` equal the\n"
      "               baseline's.\n",
      o.runs);
}

/// The load average, for judging whether other programs were competing for the processors.
std::string load_average() {
  double load[3] = {0, 0, 0};
  if (::getloadavg(load, 3) < 1) return "unknown";
  return fmt::format("{:.2f} {:.2f} {:.2f}", load[0], load[1], load[2]);
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
  const std::string self = fs::read_symlink("/proc/self/exe").string();

  std::string dir_template = (fs::temp_directory_path() / "merit-bench-XXXXXX").string();
  if (!::mkdtemp(dir_template.data())) {
    fmt::print(stderr, "merit_bench: cannot make a temporary folder: {}\n", std::strerror(errno));
    return 1;
  }
  const fs::path dir = dir_template;

  std::vector<std::size_t> sizes;
  for (std::size_t n : {1000UL, 10000UL, 100000UL, 1000000UL}) {
    if (n <= o.max) sizes.push_back(n);
  }

  fmt::print("merit certify benchmark\n");
  fmt::print("  merit:    {}\n", o.merit);
  fmt::print("  case:     synthetic register (merit_generate, seed {}), one standard-method requisition\n",
             o.seed);
  fmt::print("  machine:  {} hardware threads; load average at start: {}\n",
             std::thread::hardware_concurrency(), load_average());

  const auto timed_env = environment(true);
  const auto plain_env = environment(false);
  std::vector<Row> rows;
  for (const std::size_t n : sizes) {
    Row row;
    row.n = n;
    const fs::path case_path = dir / fmt::format("case-{}.json", n);
    merit::bench::CaseOptions co;
    co.candidates = n;
    co.seed = o.seed;
    if (!merit::bench::write_case_json(co, case_path.string())) {
      fmt::print(stderr, "merit_bench: cannot write {}\n", case_path.string());
      return 1;
    }
    row.file_mb = static_cast<double>(fs::file_size(case_path)) / (1024.0 * 1024.0);
    fmt::print(stderr, "  {} candidates: merit...", size_label(n));
    std::fflush(stderr);
    row.merit = measure(o.runs, {o.merit, "certify", "--case", case_path.string(), "--format", "json"},
                        timed_env, dir, "merit: ");
    if (row.merit.best.status != 0) {
      fmt::print(stderr, "\nmerit_bench: merit failed on {} (status {}):\n{}\n", case_path.string(),
                 row.merit.best.status, row.merit.best.err);
      return 1;
    }
    fmt::print(stderr, " {:.0f} ms; baseline...", row.merit.best.wall_ms);
    std::fflush(stderr);
    row.base = measure(o.runs, {self, "--baseline", case_path.string()}, plain_env, dir, "baseline: ");
    try {
      row.base_json = nlohmann::json::parse(row.base.best.out);
    } catch (const std::exception&) {
      row.base_json = nlohmann::json::object();
    }
    if (row.base.best.status != 0) {
      fmt::print(stderr, "\nmerit_bench: the baseline failed on {}:\n{}{}\n", case_path.string(),
                 row.base.best.out, row.base.best.err);
      return 1;
    }
    row.same = compare(row.merit.best.out, row.base_json);
    fmt::print(stderr, " {:.0f} ms\n", row.base.best.wall_ms);
    rows.push_back(std::move(row));
  }

  const auto ratio = [](double a, double c) {
    return a > 0 && c > 0 ? fmt::format("{:.1f}x", a / c) : std::string("-");
  };

  fmt::print("\nmerit certify --case F --format json (MERIT_TIMING=1)\n");
  fmt::print("{:>6} {:>7} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} {:>7} | {:>11}\n", "cands",
             "file MB", "wall ms", "CPU ms", "cand/s", "RSS MB", "parse", "rules", "read", "evaluate",
             "other", "eval cand/s");
  for (const auto& r : rows) {
    const auto& m = r.merit;
    double sum = 0;
    for (const auto& st : m.stages) sum += st.second;
    fmt::print("{:>6} {:>7.1f} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} {:>7.1f} | {:>11}\n",
               size_label(r.n), r.file_mb, m.best.wall_ms, m.cpu_ms, rate(r.n, m.best.wall_ms),
               megabytes(m.best.peak_rss_kb), stage_text(m.stages, "parse JSON"),
               stage_text(m.stages, "load rules"), stage_text(m.stages, "read inputs"),
               stage_text(m.stages, "evaluate"), std::max(0.0, m.best.wall_ms - sum),
               rate(r.n, stage(m.stages, "evaluate")));
  }

  fmt::print("\nbaseline: hand-written C++ of the same certification (bench/baseline.cpp)\n");
  fmt::print("{:>6} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8} {:>8} {:>8} | {:>11}\n", "cands", "wall ms",
             "CPU ms", "cand/s", "RSS MB", "read", "parse", "convert", "evaluate", "eval cand/s");
  for (const auto& r : rows) {
    const auto& b = r.base;
    fmt::print("{:>6} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8.1f} {:>8.1f} {:>8.1f} {:>8.2f} | {:>11}\n",
               size_label(r.n), b.best.wall_ms, b.cpu_ms, rate(r.n, b.best.wall_ms),
               megabytes(b.best.peak_rss_kb), stage(b.stages, "read"), stage(b.stages, "parse"),
               stage(b.stages, "convert"), stage(b.stages, "evaluate"),
               rate(r.n, stage(b.stages, "evaluate")));
  }

  fmt::print("\nmerit / baseline\n");
  fmt::print("{:>6} | {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} | {}\n", "cands", "evaluate", "parse", "read",
             "wall", "CPU", "RSS", "same answer");
  for (const auto& r : rows) {
    const auto &m = r.merit, &b = r.base;
    fmt::print("{:>6} | {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} | {}\n", size_label(r.n),
               ratio(stage(m.stages, "evaluate"), stage(b.stages, "evaluate")),
               ratio(stage(m.stages, "parse JSON"), stage(b.stages, "read") + stage(b.stages, "parse")),
               ratio(stage(m.stages, "read inputs"), stage(b.stages, "convert")),
               ratio(m.best.wall_ms, b.best.wall_ms), ratio(m.cpu_ms, b.cpu_ms),
               ratio(static_cast<double>(m.best.peak_rss_kb), static_cast<double>(b.best.peak_rss_kb)),
               r.same);
  }

  if (o.batch > 0) {
    fmt::print(
        "\nmerit alone, {} requisitions of mixed methods (affirmative action, extra names, selective,\n"
        "several vacancies; each sees the referrals of those certified before it)\n",
        o.batch);
    fmt::print("{:>6} | {:>8} {:>8} {:>9} {:>7} | {:>8} {:>8} {:>15}\n", "cands", "wall ms", "CPU ms",
               "cand/s", "RSS MB", "read", "evaluate", "eval ms/requis.");
    for (const std::size_t n : sizes) {
      const fs::path case_path = dir / fmt::format("batch-{}.json", n);
      merit::bench::CaseOptions co;
      co.candidates = n;
      co.seed = o.seed;
      co.requisitions = o.batch;
      if (!merit::bench::write_case_json(co, case_path.string())) return 1;
      const Measured m =
          measure(o.runs, {o.merit, "certify", "--case", case_path.string(), "--format", "json"}, timed_env,
                  dir, "merit: ");
      if (m.best.status != 0) {
        fmt::print(stderr, "merit_bench: merit failed on {} (status {}):\n{}\n", case_path.string(),
                   m.best.status, m.best.err);
        return 1;
      }
      const double eval = stage(m.stages, "evaluate");
      fmt::print("{:>6} | {:>8.1f} {:>8.1f} {:>9} {:>7} | {:>8} {:>8} {:>15.1f}\n", size_label(n),
                 m.best.wall_ms, m.cpu_ms, rate(n, m.best.wall_ms), megabytes(m.best.peak_rss_kb),
                 stage_text(m.stages, "read inputs"), stage_text(m.stages, "evaluate"),
                 eval / static_cast<double>(o.batch));
    }
  }

  fmt::print(
      "\nload average at end: {} (above the number of hardware threads, other programs were competing\n"
      "for the processors and the times are less reliable)\n",
      load_average());
  print_what_is_measured(o);
  if (o.keep) {
    fmt::print("\nThe cases are kept in {}\n", dir.string());
  } else {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  return 0;
}
