#!/usr/bin/env bash
# fuzz/seed.sh OUTDIR: the first corpus of each fuzz harness, OUTDIR/HARNESS/, from what the repository
# already holds (rules/, examples/, tests/), so that nothing is copied into fuzz/ to go stale. Run again over
# a corpus that has grown, it only adds (each seed is named by its source). Cases, inputs and --set values
# are taken out of the rule tests with jq, when it is installed.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out="$1"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for harness in fuzz_rules fuzz_case fuzz_input fuzz_csv fuzz_options; do
  mkdir -p "$out/$harness"
done

# seed HARNESS NAME: stdin becomes the seed NAME (a path made into one file name).
seed() {
  cat >"$out/$1/${2//\//_}"
}

have_jq=false
command -v jq >/dev/null 2>&1 && have_jq=true

# fuzz_rules: every rule file, and the shipped rules as the one file they make together.
while IFS= read -r file; do
  seed fuzz_rules "$file" <"$file"
done < <(find rules examples tests -name '*.merit' | sort)
find rules -name '*.merit' | sort | xargs cat | seed fuzz_rules rules-all.merit

# fuzz_case: the certification cases, and each certification the rule tests make (the file's register, or
# the test's own, with the test's requisitions).
shopt -s nullglob
for file in examples/certify/*.json examples/csv/csv-case.json tests/bad_inputs/cases/*.json; do
  seed fuzz_case "$file" <"$file"
done
# fuzz_input: the decisions' input files, and the inputs of decision cases and of decision tests.
for file in examples/*.json tests/decisions/*.json tests/rules/language/inputs/*.json \
  tests/bad_inputs/cases/input*.json; do
  seed fuzz_input "$file" <"$file"
done
if $have_jq; then
  for file in rules/*.test.json rules/*/*.test.json; do
    i=0
    jq -c '(.register // null) as $r | (.tests // [.])[] | select(.requisition or .requisitions)
           | {register: (.register // $r)} + (if .requisition then {requisition} else {requisitions} end)' \
      "$file" | while IFS= read -r line; do
      i=$((i + 1))
      printf '%s\n' "$line" | seed fuzz_case "$file.$i.json"
    done
    jq -c '(.tests // [.])[] | select(.decision) | .input' "$file" | while IFS= read -r line; do
      i=$((i + 1))
      printf '%s\n' "$line" | seed fuzz_input "$file.$i.json"
    done
  done
  for file in examples/decisions/*.json; do
    jq '.input' "$file" | seed fuzz_input "$file"
  done
fi

# fuzz_csv: the example register and the bad ones of the tests, and the example again with the other
# separators, a byte order mark, CRLF line ends and quoted cells.
for file in examples/csv/register.csv tests/bad_inputs/csv/*; do
  seed fuzz_csv "$file" <"$file"
done
csv=examples/csv/register.csv
sed 's/,/;/g' "$csv" | seed fuzz_csv "$csv.semicolon"
tr ',' '\t' <"$csv" | seed fuzz_csv "$csv.tab"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$csv"; } | seed fuzz_csv "$csv.bom-crlf"
sed 's/\([^,]*\),\([^,]*\),/"\1","\2",/' "$csv" | seed fuzz_csv "$csv.quoted"

# fuzz_options: each parameter set to the value the rules give it (on a line of its own after an empty
# --as-of line), alone and all together, and dates to judge the rules as of.
awk '/^parameter / { name = $2; sub(/:$/, "", name); value = $0
                     if (value ~ /=[ \t]*$/) { getline; value = $0 } else sub(/^[^=]*=[ \t]*/, "", value)
                     sub(/^[ \t]*/, "", value); sub(/[ \t]*#.*$/, "", value)
                     print name "=" value }' rules/*.merit rules/*/*.merit >"$out/params.tmp"
while IFS= read -r set; do
  printf '\n%s\n' "$set" | seed fuzz_options "param-${set%%=*}"
done <"$out/params.tmp"
{ echo; cat "$out/params.tmp"; } | seed fuzz_options all-params
rm "$out/params.tmp"
for date in 2026-05-01 2027-07-01 2024-02-29; do
  printf '%s\n' "$date" | seed fuzz_options "as-of-$date"
done
printf '2027-07-01\ncomplement_size=5\nselection_period=30 days\n' | seed fuzz_options as-of-and-sets
if $have_jq; then
  every_set='[.. | objects | .set? // empty | to_entries[] | "\(.key)=\(.value)"] | unique | .[]'
  for file in rules/*.test.json rules/*/*.test.json tests/cases/rule-tests/*/*.test.json; do
    sets=$(jq -r "$every_set" "$file")
    [ -z "$sets" ] || printf '\n%s\n' "$sets" | seed fuzz_options "$file.sets"
  done
fi

for harness in fuzz_rules fuzz_case fuzz_input fuzz_csv fuzz_options; do
  printf 'fuzz: %s: %s seeds in %s\n' "$harness" "$(find "$out/$harness" -type f | wc -l)" "$out/$harness"
done
