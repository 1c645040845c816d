#!/usr/bin/env bash
# merit: the single entry point for setting up, building and testing.
#
#   ./setup.sh        install missing Debian packages, configure and build build/
#   ./setup.sh test   the same, then run every test (incl. an ASan/UBSan build)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

mode="${1:-build}"
case "$mode" in
  build | test) ;;
  -h | --help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "usage: $0 [test]" >&2
    exit 2
    ;;
esac

log() { printf 'merit: %s\n' "$*"; }
die() { printf 'merit: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Packages
# ---------------------------------------------------------------------------

packages=(
  cmake g++ ninja-build
  tao-pegtl-dev libfmt-dev libcli11-dev doctest-dev nlohmann-json3-dev libsimdjson-dev
  # the tests validate the JSON Schemas merit writes (merit schema) with valijson
  libvalijson-dev
  # the manual page (help2man) and the .deb's dependencies on Debian's packages (dpkg-shlibdeps)
  help2man dpkg-dev
  # the editors' highlighting test (tests/highlight/): Oniguruma, TextMate's regex engine (found with
  # pkg-config), runs the TextMate grammar; vim runs the Vim syntax file
  pkg-config libonig-dev vim
)
# The fuzz harnesses (fuzz/, for `test`): clang, its libFuzzer and its symbolizer (llvm-16), for reports
# with files and lines; jq takes seeds out of the rule tests. clang 16, not Debian's default 14, which cannot
# capture a structured binding in a lambda (C++20).
[ "$mode" != test ] || packages+=(clang-16 libclang-rt-16-dev llvm-16 jq)
# merit doc's site is tested in a real browser (tests/browser/): headless Chromium, and tesseract to read a
# screenshot back.
[ "$mode" != test ] || packages+=(chromium tesseract-ocr tesseract-ocr-eng)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and sudo is not available; install: ${missing[*]}"
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------
# Build helpers
# ---------------------------------------------------------------------------

# run_quiet LOGFILE CMD...: run CMD with its output in LOGFILE. On failure,
# print the whole log; on success, print only what is neither a build
# progress line nor ordinary CMake chatter (i.e. compiler warnings, CMake
# warnings and merit's own configure messages).
run_quiet() {
  local logfile="$1"
  shift
  local status=0
  if [ -t 1 ]; then
    # On a terminal, the build's progress on one line: "merit:   [112/160] compiling".
    set +e
    "$@" 2>&1 | tee "$logfile" | while IFS= read -r line; do
      if [[ $line =~ ^\[([0-9]+/[0-9]+)\]\ (Building|Linking|Writing) ]]; then
        printf '\r\033[Kmerit:   [%s] %s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2],,}"
      fi
    done
    status=${PIPESTATUS[0]}
    set -e
    printf '\r\033[K'
  else
    "$@" >"$logfile" 2>&1 || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    cat "$logfile" >&2
    die "failed: $* (log: $logfile)"
  fi
  grep -v -E '^(\[ *[0-9]+(/[0-9]+|%)\] |-- |ninja: (Entering|Leaving|no work)|Internal ctest)' \
    "$logfile" >&2 || true
  grep -E '^-- merit:' "$logfile" || true
}

# configure_and_build DIR BUILD_TYPE [EXTRA CMAKE ARGS...]; with BUILD_TARGET set, builds only that target.
configure_and_build() {
  local dir="$1" type="$2"
  shift 2
  local gen=()
  # Reuse whatever generator an existing build dir was made with.
  [ -f "$dir/CMakeCache.txt" ] || gen=(-G Ninja)
  mkdir -p "$dir"
  log "configuring $dir/ ($type${*:+ $*})"
  run_quiet "$dir/configure.log" \
    cmake -S . -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE="$type" "$@"
  log "compiling $dir/ (a first build takes several minutes; the log is $dir/build.log)"
  run_quiet "$dir/build.log" cmake --build "$dir" -j "$(nproc)" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
}

# ---------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------

configure_and_build build Release

if [ "$mode" != test ]; then
  log "done: build/ is ready"
  exit 0
fi

# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

log "testing build/ (ctest)"
ctest --test-dir build --output-on-failure -j2

log "testing rules/ (merit check rules, then the policy staff's rule tests: merit test rules)"
build/merit check rules
build/merit test rules

# Kernels (interpreter/eval_kernel.cpp) are made for lists of 32 items or more; the tests' lists are short.
log "testing build/ again with a kernel for every list, however short (MERIT_KERNELS=always)"
MERIT_KERNELS=always ctest --test-dir build --output-on-failure -j2
MERIT_KERNELS=always build/merit test rules

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

configure_and_build build-asan RelWithDebInfo -DMERIT_SANITIZE=ON

log "testing build-asan/ (ctest, ASan+UBSan)"
ctest --test-dir build-asan --output-on-failure -j2

# Fuzzing (fuzz/CMakeLists.txt): the harnesses under ASan and UBSan, built with clang for libFuzzer.
BUILD_TARGET=merit_fuzz configure_and_build build-fuzz RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-16 -DMERIT_FUZZ=ON

log "testing build-fuzz/ (every input that once made a harness fail: ctest -L fuzz)"
ctest --test-dir build-fuzz --output-on-failure -j2 -L fuzz

log "fuzzing each harness for a minute (fuzz/run.sh; the fuzzer's output is in build-fuzz/fuzz/*.log)"
fuzz/run.sh build-fuzz 60 fuzz_rules fuzz_case fuzz_input fuzz_csv fuzz_options

log "all tests passed"
