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
# A hang is an input taking 10 s of CPU time: libFuzzer's -timeout counts
# wall time, so each timeout is run again alone under a CPU-time limit, and
# one that finishes (a starved process, not a stuck one) is set aside in
# build-fuzz/starved/TARGET/ while fuzzing goes on. runs.tsv logs wall and
# CPU seconds.
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
# CPU seconds of the finished children of this shell so far (from /proc:
# `times` in a command substitution would report the subshell's own)
cpu_now() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f\n", ($16 + $17) / hz }' /proc/$$/stat; }

# hang INPUT: whether INPUT alone takes more than 10 s of CPU time (the hang
# limit). libFuzzer's -timeout is wall time: a niced fuzzer on a loaded
# machine gets a few per cent of a core, and an input that runs in 0.2 s
# alone passes 10 s of wall time. So a timeout is checked again, the input
# alone, without -timeout, under a CPU-time limit (RLIMIT_CPU, ulimit -t):
# only an input that uses up that limit is a hang.
hang() {
  local rc=0
  (ulimit -t 11 && cd "$B" && exec nice -n 19 "./fuzz_$t" -runs=1 -timeout=0 -handle_xcpu=0 -rss_limit_mb=2048 "$1") \
    >"$B/fuzz_$t.recheck.log" 2>&1 || rc=$?
  # killed by SIGXCPU (or SIGKILL at the hard limit): it ran out of CPU time
  [ "$rc" -eq $((128 + 24)) ] || [ "$rc" -eq $((128 + 9)) ]
}

for t in "${list[@]}"; do
  work=$B/corpus/$t crash=$B/crash/$t starved=$B/starved/$t
  mkdir -p "$work" "$crash" "$starved"
  start=$(date +%s) cpu0=$(cpu_now)
  execs=0 starvings=0 result=clean
  # Fuzz until the time is up; a wall-time timeout that is no hang in CPU
  # time (the process was starved, not stuck) is set aside in starved/ and
  # fuzzing goes on for the time that is left.
  while :; do
    left=$((seconds - ($(date +%s) - start)))
    [ "$left" -gt 0 ] || break
    rc=0
    # -timeout: 10 s of wall time, rechecked in CPU time; -rss_limit_mb: 2 GB is a blow-up
    (cd "$B" && nice -n 19 "./fuzz_$t" -max_total_time="$left" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -artifact_prefix="$crash/" -print_final_stats=1 \
       "$work" "$ROOT/tests/fuzz/corpus/$t" >"$B/fuzz_$t.log" 2>&1) || rc=$?
    n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz_$t.log" | grep -o '[0-9]*$' || true)
    execs=$((execs + ${n:-0}))
    [ "$rc" -ne 0 ] || break
    slow=$(sed -n 's/.*Test unit written to \(.*timeout-[0-9a-f]*\).*/\1/p' "$B/fuzz_$t.log" | tail -1)
    if [ -n "$slow" ] && [ -f "$slow" ] && ! hang "$slow"; then
      echo "fuzz.sh: $t: a wall-time timeout that runs alone within 10 s of CPU time (starved, not a hang): $(basename "$slow") set aside in $starved/"
      mv "$slow" "$starved/"
      starvings=$((starvings + 1))
      continue
    fi
    result=crash
    break
  done
  took=$(($(date +%s) - start)) cpu=$(($(cpu_now) - cpu0))
  if [ "$result" = crash ]; then
    echo "fuzz.sh: $t: FAILED after $took s (exit $rc); input in $crash/:" >&2
    grep -E 'ERROR:|SUMMARY:|runtime error|ALARM' "$B/fuzz_$t.log" | head -5 >&2
    status=1
  else
    more=""
    [ "$starvings" -eq 0 ] || more=", $starvings wall-time timeouts rechecked: starved, not hangs"
    echo "fuzz.sh: $t: clean, $took s ($cpu s of CPU), $execs inputs$more"
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
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$took" "$execs" "$result" "$cpu" \
      >>"$ROOT/tests/fuzz/runs.tsv"
  fi
done
exit $status
