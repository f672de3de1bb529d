# SPDX-License-Identifier: GPL-3.0-or-later
# test_jobs.sh - run, compare and staff run replications on -j threads, and
# what they print and write does not depend on it: -j 1, -j 2, -j 3 and the
# default (all cores) give byte-identical tables, --json, and --out files
# (CSV and JSON); compare's --precision stops at the same replication count
# with -j 1 and -j 4; no output records the number of threads; a bad -j is
# a usage error.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"

# same_all NAME CMD ARGS...: the command's stdout (and --out DIR, when ARGS
# hold the word OUT) identical with -j 1, 2, 3 and without -j; exit status
# $WANT (default 0)
same_all() {
  local name=$1; shift
  local j ref="" args a
  for j in 1 2 3 default; do
    args=()
    for a in "$@"; do
      if [ "$a" = OUT ]; then args+=("$TMP/$name.$j"); else args+=("$a"); fi
    done
    if [ "$j" = default ]; then
      expect "${WANT:-0}" "$CCSIM" "${args[@]}"
    else
      expect "${WANT:-0}" "$CCSIM" "${args[@]}" -j "$j"
    fi
    cp "$TMP/out" "$TMP/$name.$j.out"
    [ -s "$TMP/$name.$j.out" ] || fail "$name -j $j: no output"
    if [ -n "$ref" ]; then
      cmp -s "$TMP/$name.$ref.out" "$TMP/$name.$j.out" || fail "$name: -j $j printed other output than -j $ref"
      if [ -d "$TMP/$name.$ref" ]; then
        diff -r "$TMP/$name.$ref" "$TMP/$name.$j" >/dev/null || fail "$name: -j $j wrote other files than -j $ref"
      fi
    fi
    ref=$j
  done
  # how the numbers were computed is not part of them
  if grep -rqiE 'jobs|threads' "$TMP/$name.1.out" $( [ -d "$TMP/$name.1" ] && echo "$TMP/$name.1"); then
    fail "$name: an output records the number of threads"
  fi
}

# --- run: table, JSON, per-interval table, the --out files with a time series
same_all run-table run "$S" -r 5 --out OUT --sample 10m
[ -f "$TMP/run-table.1/timeseries.csv" ] || fail "run --out: no timeseries.csv"
same_all run-json run "$S" -r 5 --json
same_all run-interval run "$S" -r 4 --by interval
same_all run-one run "$S" -r 1
# --trace-all keeps the replications in order on one thread: the same trace
expect 0 "$CCSIM" run "$S" -r 3 --trace "$TMP/t1.csv" --trace-all -j 1
expect 0 "$CCSIM" run "$S" -r 3 --trace "$TMP/t2.csv" --trace-all -j 2
cmp -s "$TMP/t1.csv" "$TMP/t2.csv" || fail "run --trace-all: the trace depends on -j"

# --- compare: three variants, replications and batch means
V=(--variant a:groups.sales_team.agents=16 --variant b:groups.sales_team.agents=18)
same_all cmp-table compare "$S" -r 6 "${V[@]}" --out OUT
[ -f "$TMP/cmp-table.1/compare.csv" ] || fail "compare --out: no compare.csv"
same_all cmp-json compare "$S" -r 6 "${V[@]}" --json
same_all cmp-batch compare "$S" --method batch-means --set warmup=1h -r 4 "${V[@]}"

# --precision: the sequential rule exactly, whatever ran ahead of it
P=(--precision service_level=0.4%)  # with the ziggurat draws 0.6% is met at the first 10
expect 0 "$CCSIM" compare "$S" "${V[@]}" "${P[@]}" --json -j 1
cp "$TMP/out" "$TMP/prec1"
expect 0 "$CCSIM" compare "$S" "${V[@]}" "${P[@]}" --json -j 4
cmp -s "$TMP/prec1" "$TMP/out" || fail "compare --precision: -j 4 differs from -j 1"
python3 - "$TMP/prec1" "$TMP/out" <<'PY' || fail "compare --precision: replication counts"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
# more than the start (10) and fewer than the cap: the rule decided
assert 10 < a["count"] < 1000 and a["count"] == b["count"], (a["count"], b["count"])
PY
expect 0 "$CCSIM" compare "$S" "${V[@]}" "${P[@]}" -j 1
cp "$TMP/out" "$TMP/prec1.txt"
expect 0 "$CCSIM" compare "$S" "${V[@]}" "${P[@]}" -j 4
cmp -s "$TMP/prec1.txt" "$TMP/out" || fail "compare --precision table: -j 4 differs from -j 1"

# --- staff: the refinement's rounds, to convergence and cut short (status 3)
D="$SRC/scenarios/staffing-day.yaml"
same_all staff-table staff "$D" -r 6 --out OUT
[ -f "$TMP/staff-table.1/staffing.csv" ] || fail "staff --out: no staffing.csv"
same_all staff-json staff "$D" -r 6 --json
WANT=3 same_all staff-short staff "$D" -r 6 --max-rounds 3 --json

# --- bad -j
for cmd in run compare staff; do
  expect 2 "$CCSIM" "$cmd" "$S" -j 0
  stderr_is "ccsim $cmd: error: invalid --jobs '0': expected a whole number from 1 to 4096
Try 'ccsim help $cmd'."
  expect 2 "$CCSIM" "$cmd" "$S" --jobs x
  stderr_has "invalid --jobs 'x'"
done
finish
