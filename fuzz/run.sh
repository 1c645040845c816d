#!/usr/bin/env bash
# fuzz/run.sh BUILD SECONDS HARNESS...: runs each fuzz harness built in BUILD (BUILD/fuzz/HARNESS) for
# SECONDS, one after the other, on its corpus BUILD/fuzz/corpus/HARNESS (seeded by fuzz/seed.sh; what the
# fuzzer finds is added to it and kept for the next run) with its dictionary fuzz/HARNESS.dict. Each input is
# given 10 seconds and 2 GB. Says in one line per harness what it did; its whole output is in
# BUILD/fuzz/HARNESS.log. An input that crashes, leaks, runs out of time or memory, or makes the kernels'
# answer differ from the plain interpreter's is written to BUILD/fuzz/artifacts/HARNESS/, and the script
# exits 1 once every harness has run.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD SECONDS HARNESS..." >&2
  exit 2
fi
build="$1"
seconds="$2"
shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

"$here/seed.sh" "$build/fuzz/corpus" >/dev/null

# fuzz_case and fuzz_csv write each input to a scratch file under $TMPDIR for merit to read. On a disk
# (ext4 writes out a file that is emptied and written again when it is closed) that wait held each to a
# fifth of a core; in memory, where there is /dev/shm, they run as fast as the others.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi

# Reports name the functions, files and lines (the sanitizers do not find clang 16's symbolizer alone).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer-16 >/dev/null 2>&1; then
  export ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-16)"
fi

failed=()
for harness in "$@"; do
  exe="$build/fuzz/$harness"
  [ -x "$exe" ] || { echo "fuzz: $exe is not built (cmake --build $build --target merit_fuzz)" >&2; exit 2; }
  artifacts="$build/fuzz/artifacts/$harness"
  log="$build/fuzz/$harness.log"
  mkdir -p "$artifacts"
  status=0
  "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$here/$harness.dict" -artifact_prefix="$artifacts/" "$build/fuzz/corpus/$harness" >"$log" 2>&1 ||
    status=$?
  # The last status line: "#123456 DONE cov: 7890 ft: 12345 corp: 678/90Kb ..." (or where it stopped).
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
  if [ "$status" -eq 0 ]; then
    printf 'fuzz: %s: %s inputs in %ss, coverage %s, corpus %s\n' "$harness" "${runs:-?}" "$seconds" \
      "${cov:-?}" "${corp:-?}"
  else
    echo "fuzz: $harness FAILED (exit $status); the end of $log:" >&2
    tail -n 60 "$log" >&2
    failed+=("$harness")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: failed: ${failed[*]}; the inputs are in $build/fuzz/artifacts/" \
    "(once fixed, keep each under fuzz/regressions/HARNESS/)" >&2
  exit 1
fi
