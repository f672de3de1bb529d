#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# oom.sh - out of memory, one allocation at a time: every allocation
# ccsim makes goes through ccs_malloc (include/ccs/mem.h), and
# CCS_FAIL_ALLOC=N fails the N-th one. For each case below a clean run
# counts the allocations (CCS_COUNT_ALLOC=1), then each chosen N is failed
# in turn. Each failure must end in one of two ways:
#   exit 1 with "out of memory" on stderr, and the working folder exactly
#     as it was (no output under a final name, no temporary left), or
#   exit 0 with the very output and files of the clean run (a failure
#     that was recovered from, never one that changed data silently).
# Anything else fails: another status, a crash, a sanitizer report (in a
# sanitizer build, which .ci/run uses: a leak on the error path shows here).
#
# Which N: for the small cases (short horizon, one replication: every
# channel and policy, each command writing all its outputs) OOM_SMALL points
# (default 40, of 60 to 1500 allocations a case), for the shipped scenarios
# OOM_SAMPLE (default 12), drawn with a seed fixed per case, always with the
# first and the last allocation. OOM_ALL=1 tries every N
# of every case (minutes in a sanitizer build); OOM_ONLY=REGEX picks cases.
#
# A ctest test (cli.oom, label oom) in sanitizer builds only, where a leak
# on an error path shows: .ci/run runs `ctest --test-dir build-asan -L oom`.
# By hand: tests/cli/oom.sh build-asan/ccsim "$PWD"   (OOM_ONLY=run-acd to pick)
#
# Known defects, left out unless OOM_KNOWN=1 (fix them, then drop them from
# KNOWN): none at present (compare --out wrote each variant's folder in a
# transaction of its own before the rest; they are now part of the one).
KNOWN='^$'
source "$(dirname "$0")/lib.sh" "$@"
CCSIM=$(cd "$(dirname "$CCSIM")" && pwd)/$(basename "$CCSIM")
SAMPLE=${OOM_SAMPLE:-12}
SMALL=${OOM_SMALL:-40}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:exitcode=86
export LSAN_OPTIONS=${LSAN_OPTIONS:-}:exitcode=87
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=88
tried=0

# the state of a folder: every file's hash, every folder's name
snapshot() { (cd "$1" && find . -type d | sort && find . -type f -print0 | sort -z | xargs -0 -r sha1sum); }

# the snapshot without what a failed command may legitimately leave: a
# sweep's journal (out/sweep.partial and its folder), kept to resume from
kept() { grep -v -E "${KEEP:-^$}" || true; }

# points N K SEED: K of 1..N (all when N <= K), with 1 and N, sorted
points() {
  local n=$1 k=$2 seed=$3
  if [ -n "${OOM_ALL:-}" ] || [ "$n" -le "$k" ]; then seq 1 "$n"; return; fi
  awk -v n="$n" -v k="$k" -v seed="$seed" 'BEGIN {
    srand(seed); c[1] = 1; c[n] = 1; m = 2
    while (m < k) { i = 1 + int(rand() * n); if (!(i in c)) { c[i] = 1; m++ } }
    for (i in c) print i }' | sort -n
}

# case NAME MAXPOINTS SETUP ARGS...: SETUP is shell run in the fresh working
# folder (copies inputs, makes the outputs that exist before the run)
case_() {
  local name=$1 max=$2 setup=$3; shift 3
  [[ "$name" =~ ${OOM_ONLY:-.} ]] || return 0
  if [ -z "${OOM_KNOWN:-}" ] && [[ "$name" =~ $KNOWN ]]; then
    echo "$name: skipped, a known defect (OOM_KNOWN=1 runs it)"
    return 0
  fi
  local w="$TMP/$name" ref="$TMP/$name.ref"
  rm -rf "$w" "$ref"; mkdir -p "$w" "$ref"
  (cd "$w" && eval "$setup")
  snapshot "$w" >"$ref/before"
  local rc=0
  (cd "$w" && CCS_COUNT_ALLOC=1 "$CCSIM" "$@" >"$ref/out" 2>"$ref/err") || rc=$?
  if [ "$rc" != 0 ]; then
    fail "$name: the clean run exits $rc: ccsim $*"; sed 's/^/    /' "$ref/err" | head -5 >&2
    return
  fi
  local n
  n=$(sed -n 's/^ccsim: \([0-9]*\) allocations$/\1/p' "$ref/err" | tail -1)
  [ -n "$n" ] || { fail "$name: no allocation count"; return; }
  snapshot "$w" >"$ref/after"
  local k bad=0 pts
  pts=$(points "$n" "$max" "$(printf '%s' "$name" | cksum | cut -d' ' -f1)")
  for k in $pts; do
    rm -rf "$w"; mkdir -p "$w"
    (cd "$w" && eval "$setup")
    rc=0
    (cd "$w" && CCS_FAIL_ALLOC=$k timeout 60 "$CCSIM" "$@" >"$TMP/out" 2>"$TMP/err") || rc=$?
    tried=$((tried + 1))
    local why=""
    if [ "$rc" = 1 ]; then
      grep -q "out of memory" "$TMP/err" || why="exit 1 without 'out of memory'"
      [ -z "$why" ] && ! snapshot "$w" | kept | cmp -s - <(kept <"$ref/before") &&
        why="exit 1 but the folder changed"
    elif [ "$rc" = 0 ]; then
      cmp -s "$TMP/out" "$ref/out" || why="exit 0 with different output"
      [ -z "$why" ] && ! snapshot "$w" | cmp -s - "$ref/after" && why="exit 0 with different files"
    else
      why="exit $rc"
    fi
    if [ -n "$why" ]; then
      fail "$name: allocation $k of $n failed: $why: ccsim $*"
      sed 's/^/    /' "$TMP/err" | head -8 >&2
      if [ "$rc" = 1 ] || [ "$rc" = 0 ]; then
        { diff <(snapshot "$w") "$ref/$([ "$rc" = 1 ] && echo before || echo after)" || true; } |
          head -6 | sed 's/^/    /' >&2
      fi
      bad=$((bad + 1))
      [ "$bad" -ge 3 ] && return
    fi
  done
  echo "$name: $(echo "$pts" | wc -w) of $n allocations failed in turn"
}

S=$SRC/scenarios
small="cp $S/omnichannel.yaml s.yaml"
short=(--set horizon=1h -r 1)

# run, every policy over every channel (omnichannel: voice, chat, e-mail,
# outbound, callbacks), all outputs of --out and --trace
for p in acd skills predictive-sla blended oldest-first; do
  case_ "run-$p" "$SMALL" "$small; mkdir out; echo mine >out/keep.txt; echo old >t.csv" \
    run s.yaml "${short[@]}" --set routing.policy="$p" --out out --json --trace t.csv
done
case_ run-by-interval "$SMALL" "$small" run s.yaml "${short[@]}" --by interval --sample 15m --explain 5
# a trace-fed scenario: the call log's import, replay, and the commands
# that estimate from it
replay="cp $S/bank-replay.yaml . && cp -r $S/data ."
case_ run-trace-fed "$SMALL" "$replay" run bank-replay.yaml -r 1 --out out --trace t.csv
case_ fit "$SMALL" "$replay" fit bank-replay.yaml --out out
case_ backtest "$SMALL" "$replay" backtest bank-replay.yaml -r 1 --out out
case_ backtest-fitted "$SMALL" "$replay" backtest bank-replay.yaml -r 1 --fitted --out out
case_ compare "$SMALL" "$small" compare s.yaml "${short[@]}" \
  --variant 'more:groups.phone.agents=+2' --out out --json
case_ staff "$SMALL" "$small" staff s.yaml "${short[@]}" --out out
case_ staff-day "$SMALL" "cp $S/staffing-day.yaml s.yaml" staff s.yaml -r 1 --out out
case_ schedule "$SMALL" "cp $S/roster-day.yaml s.yaml" schedule s.yaml --simulate -r 1 --out out
KEEP='^\./out$|^[0-9a-f]+  \./out/sweep\.partial$' \
  case_ sweep "$SMALL" "$small" sweep s.yaml "${short[@]}" --grid routing.policy=acd,skills -j 1 \
  --out out --quiet
case_ erlang "$SMALL" "" erlang --rate 100/h --aht 4m --agents 10
case_ policies "$SMALL" "" policies

# the shipped scenarios, as they are (one replication): a sample; the two
# benchmarks of 73 days (10 million calls) for one hour, or a sanitizer
# build would spend minutes on each point
for f in "$S"/*.yaml; do
  b=$(basename "$f" .yaml)
  long=()
  grep -q '^horizon: 73d' "$f" && long=(--set horizon=1h)
  case_ "shipped-$b" "$SAMPLE" "cp -r $S/. ." \
    run "$b.yaml" -r 1 "${long[@]}" --out out
done

echo "$tried allocation failures tried"
finish
