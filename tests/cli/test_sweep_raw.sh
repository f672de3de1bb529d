# SPDX-License-Identifier: GPL-3.0-or-later
# test_sweep_raw.sh - a sweep's raw data: --per-replication (replications.csv)
# and --per-interval (intervals.csv) are opt-in, byte-identical whatever -j and
# after an interrupted sweep resumes, agree with sweep.csv and with `ccsim run`
# of the same point; a journal kept without them is not resumed from.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
G=(--grid groups.sales_team.agents=16,17 --grid groups.support_team.agents=25,26 --set horizon=2h -r 4)

# off by default: sweep.csv and sweep.json only
expect 0 "$CCSIM" sweep "$S" "${G[@]}" -j 1 --out "$TMP/off" -q
[ "$(ls -A "$TMP/off" | tr '\n' ' ')" = "sweep.csv sweep.json " ] || fail "default outputs: $(ls -A "$TMP/off")"

# on: -j 1 and -j 2 give the same bytes; sweep.csv is unchanged by them
expect 0 "$CCSIM" sweep "$S" "${G[@]}" -j 1 --out "$TMP/a" --per-replication --per-interval
stderr_has "ccsim sweep: wrote $TMP/a/sweep.csv and $TMP/a/sweep.json, replications.csv, intervals.csv"
cp "$TMP/out" "$TMP/a.out"
expect 0 "$CCSIM" sweep "$S" "${G[@]}" -j 2 --out "$TMP/b" --per-replication --per-interval -q
for f in sweep.csv sweep.json replications.csv intervals.csv; do
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between -j 1 and -j 2"
done
cmp -s "$TMP/a.out" "$TMP/out" || fail "the table differs between -j 1 and -j 2"
for f in sweep.csv sweep.json; do
  cmp -s "$TMP/a/$f" "$TMP/off/$f" || fail "$f changed with the raw outputs on"
done

# replications.csv: 4 points x 4 replications, one column per KPI, whose mean
# is sweep.csv's; intervals.csv: 4 points x 4 intervals, the means of `ccsim run`'s
python3 - "$TMP" <<'PY' || fail "the raw files disagree with sweep.csv"
import csv, sys, math
d = sys.argv[1]
reps = list(csv.DictReader(open(f"{d}/a/replications.csv")))
assert len(reps) == 16, len(reps)
assert list(reps[0])[:5] == ["point", "name", "groups.sales_team.agents", "groups.support_team.agents", "replication"], list(reps[0])[:5]
assert [r["replication"] for r in reps[:4]] == ["0", "1", "2", "3"]
summ = {(r["point"], r["scope"], r["queue"], r["metric"]): r for r in csv.DictReader(open(f"{d}/a/sweep.csv"))}
for p in "0123":
    for col, key in (("overall.service_level", ("overall", "", "service_level")),
                     ("queue.sales.asa", ("queue", "sales", "asa")),
                     ("overall.offered", ("overall", "", "offered"))):
        xs = [float(r[col]) for r in reps if r["point"] == p]
        want = float(summ[(p,) + key]["mean"])
        assert abs(sum(xs) / len(xs) - want) <= 1e-8 * max(1, abs(want)), (p, col, xs, want)
ints = list(csv.DictReader(open(f"{d}/a/intervals.csv")))
assert len(ints) == 16, len(ints)
assert [(r["interval"], r["start_s"], r["end_s"]) for r in ints[:4]] == [("0", "0", "1800"), ("1", "1800", "3600"), ("2", "3600", "5400"), ("3", "5400", "7200")]
assert "overall.service_level.halfwidth" in ints[0] and "queue.support.offered" in ints[0]
PY

# a point of intervals.csv is what `ccsim run` gives for the same scenario and seed
expect 0 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16 --set horizon=2h -r 4 --streams common \
  --per-interval --out "$TMP/c" -q
expect 0 "$CCSIM" run "$S" --set groups.sales_team.agents=16 --set horizon=2h -r 4 --out "$TMP/run"
python3 - "$TMP" <<'PY' || fail "intervals.csv differs from ccsim run's intervals.csv"
import csv, sys
d = sys.argv[1]
sw = list(csv.DictReader(open(f"{d}/c/intervals.csv")))
run = {(r["interval"], r["scope"], r["queue"], r["group"], r["metric"]): r for r in csv.DictReader(open(f"{d}/run/intervals.csv"))}
n = 0
for r in sw:
    for col, key in (("overall.offered", ("overall", "", "", "offered")),
                     ("queue.sales.service_level", ("queue", "sales", "", "service_level")),
                     ("group.support_team.occupancy", ("group", "", "support_team", "occupancy"))):
        want = run[(r["interval"],) + key]
        assert r[col] == want["mean"], (r["interval"], col, r[col], want["mean"])
        assert r[col + ".halfwidth"] == want["halfwidth"], (r["interval"], col)
        n += 1
    # day and clock last, as run spells them
    assert (r["day"], r["clock"]) == (want["day"], want["clock"]), (r["interval"], r["day"], r["clock"])
assert n == 12, n
assert list(sw[0])[-2:] == ["day", "clock"], list(sw[0])[-2:]
assert [(r["day"], r["clock"]) for r in sw] == [("1", "00:00:00"), ("1", "00:30:00"), ("1", "01:00:00"), ("1", "01:30:00")]
PY
# a swept start_time: each point's clock from its own start
expect 0 "$CCSIM" sweep "$S" --grid start_time=08:00,23:30 --set horizon=1h -r 2 --per-interval --out "$TMP/t" -q
python3 - "$TMP" <<'PY' || fail "intervals.csv: day and clock per point"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/t/intervals.csv")))
assert [(r["point"], r["day"], r["clock"]) for r in rows] == [
    ("0", "1", "08:00:00"), ("0", "1", "08:30:00"), ("1", "1", "23:30:00"), ("1", "2", "00:00:00")], rows
PY

# resume: kill -9 midway, rerun: the same bytes in every file
B=(--grid groups.sales_team.agents=14,15,16,17,18,19,20,21 --grid groups.support_team.agents=23,24,25,26,27 -r 30
   --set horizon=3h --per-replication --per-interval)
expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/full" -q
rm -rf "$TMP/r"
"$CCSIM" sweep "$S" "${B[@]}" -j 1 --out "$TMP/r" -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  n=$(grep -c '^P ' "$TMP/r/sweep.partial" 2>/dev/null || true)
  [ "${n:-0}" -ge 3 ] && break
  sleep 0.01
done
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
n=$(grep -c '^P ' "$TMP/r/sweep.partial" || true)
{ [ "$n" -ge 3 ] && [ "$n" -lt 40 ]; } || fail "after kill the journal holds $n points"
expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/r"
stderr_has "ccsim sweep: resuming: $n of 40 points done before ($TMP/r/sweep.partial)"
for f in sweep.csv sweep.json replications.csv intervals.csv; do
  cmp -s "$TMP/full/$f" "$TMP/r/$f" || fail "$f after kill and resume differs from an uninterrupted run"
done

# a journal kept without the raw outputs cannot give them: started over
rm -rf "$TMP/x"
"$CCSIM" sweep "$S" "${B[@]:0:8}" -j 1 --out "$TMP/x" -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  grep -q '^P ' "$TMP/x/sweep.partial" 2>/dev/null && break
  sleep 0.01
done
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/x"
stderr_has "ccsim sweep: $TMP/x/sweep.partial was another sweep's journal: starting over"
cmp -s "$TMP/full/replications.csv" "$TMP/x/replications.csv" || fail "replications.csv after starting over differs"
finish
