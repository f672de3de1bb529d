#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz.sh - run a libFuzzer harness of tests/fuzz/ (tests/fuzz/README.md).
#
#   scripts/fuzz.sh TARGET MINUTES    fuzz TARGET (scenario, trace, forecast, csv, sweep,
#                                     args, or all: each in turn) for MINUTES
#                                     each, at low priority; new inputs are
#                                     merged (minimised) into the committed
#                                     corpus tests/fuzz/corpus/TARGET (seed-*
#                                     files are kept as they are), the time
#                                     is logged in tests/fuzz/runs.tsv
#   scripts/fuzz.sh smoke             every harness for 30 s (CI); skips (exit
#                                     0, says so) when clang or libFuzzer is
#                                     missing
# A crash leaves its input in build-fuzz/crash/TARGET/ and exits 1: turn it
# into a regression test (a catalogue case or a unit test), fix, rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGETS=(scenario trace forecast csv sweep args)
B=$ROOT/build-fuzz

usage() { sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 1 ] || usage
if [ "$1" = smoke ]; then
  list=("${TARGETS[@]}"); seconds=30; log=no
else
  [ $# -eq 2 ] || usage
  case "$2" in ''|*[!0-9]*) usage ;; esac
  if [ "$1" = all ]; then list=("${TARGETS[@]}"); else list=("$1"); fi
  for t in "${list[@]}"; do
    [[ " ${TARGETS[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (known: ${TARGETS[*]})" >&2; exit 2; }
  done
  seconds=$(($2 * 60)); log=yes
fi

if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz.sh: skipped: clang or libFuzzer (Debian: clang, libclang-rt-14-dev) is missing"
  exit 0
fi
CC=clang cmake -S . -B "$B" -DCCS_FUZZ=ON -DCCS_TESTS=OFF -DCCS_MPI=OFF -DCCS_CURSES=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
nice -n 19 cmake --build "$B" -j2 --target $(printf 'fuzz_%s ' "${list[@]}") >/dev/null

# Open MPI is not linked here; leaks are real findings.
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in "${list[@]}"; do
  work=$B/corpus/$t crash=$B/crash/$t
  mkdir -p "$work" "$crash"
  start=$(date +%s)
  rc=0
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is a blow-up
  (cd "$B" && nice -n 19 "./fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -max_len=65536 -artifact_prefix="$crash/" -print_final_stats=1 \
     "$work" "$ROOT/tests/fuzz/corpus/$t" >"$B/fuzz_$t.log" 2>&1) || rc=$?
  took=$(($(date +%s) - start))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz_$t.log" | grep -o '[0-9]*$' || echo 0)
  if [ "$rc" -ne 0 ]; then
    echo "fuzz.sh: $t: FAILED after $took s (exit $rc); input in $crash/:" >&2
    grep -E 'ERROR:|SUMMARY:|runtime error' "$B/fuzz_$t.log" | head -5 >&2
    status=1
    result=crash
  else
    echo "fuzz.sh: $t: clean, $took s, $execs inputs"
    result=clean
  fi
  if [ "$log" = yes ]; then
    # keep what was learnt, minimised, in the committed corpus
    mkdir -p "$B/merged/$t" && rm -rf "$B/merged/$t"/*
    (cd "$B" && nice -n 19 "./fuzz_$t" -merge=1 -timeout=10 -rss_limit_mb=2048 "$B/merged/$t" \
       "$ROOT/tests/fuzz/corpus/$t" "$work" >/dev/null 2>&1) || true
    # The hand-made seeds (seed-*) stay whatever the merge thinks of them:
    # they document each syntax and the merge would drop those it covers.
    if [ -n "$(ls -A "$B/merged/$t")" ]; then
      find "$ROOT/tests/fuzz/corpus/$t" -type f ! -name 'seed-*' -delete
      seeds=" "
      for f in "$ROOT/tests/fuzz/corpus/$t"/seed-*; do
        if [ -f "$f" ]; then seeds+="$(sha1sum <"$f" | cut -c1-40) "; fi
      done
      for f in "$B/merged/$t"/*; do
        [[ "$seeds" == *" $(basename "$f") "* ]] || cp "$f" "$ROOT/tests/fuzz/corpus/$t/"
      done
    fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$took" "$execs" "$result" \
      >>"$ROOT/tests/fuzz/runs.tsv"
  fi
done
exit $status
