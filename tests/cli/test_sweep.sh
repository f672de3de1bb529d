# SPDX-License-Identifier: GPL-3.0-or-later
# test_sweep.sh - `ccsim sweep` end to end: the table and files, byte-identical
# output whatever -j, the same sweep from a file or from options, sweep.csv
# read by python's csv module with consistent columns, a point reproduced by
# `ccsim run`, a baseline giving compare's numbers, precision targets,
# resuming after kill -9 and Ctrl-C with byte-identical results, the journal
# lock, progress lines, and located errors before any work (exit 2).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
G=(--grid groups.sales_team.agents=16,17,18 --grid groups.support_team.agents=25,26)

# the table, the files, no journal left behind
expect 0 "$CCSIM" sweep "$S" "${G[@]}" -r 4 -j 1 --out "$TMP/a"
stdout_has "Sweep of $S: 6 points x 4 replications"
stdout_has "seed 2026, independent streams (each point's seed hashes its overrides)"
grep -qE '^  point  groups.sales_team.agents  groups.support_team.agents +Service level +ASA +Abandon % +Occupancy$' "$TMP/out" \
  || fail "table header"
grep -qE '^  g5 +18 +26 +[0-9.]+% ± [0-9.]+% +[0-9.]+s ± [0-9.]+s +[0-9.]+% ± [0-9.]+% +[0-9.]+% ± [0-9.]+%$' "$TMP/out" \
  || fail "table row"
stderr_has "ccsim sweep: 6/6 points, 24 replications in "
stderr_has "ccsim sweep: wrote $TMP/a/sweep.csv and $TMP/a/sweep.json"
[ "$(ls -A "$TMP/a" | tr '\n' ' ')" = "sweep.csv sweep.json " ] || fail "out dir holds: $(ls -A "$TMP/a")"
cp "$TMP/out" "$TMP/table1"

# -j 2: the same bytes; --quiet: nothing on stderr
expect 0 "$CCSIM" sweep "$S" "${G[@]}" -r 4 -j 2 --out "$TMP/b" --quiet
[ -s "$TMP/err" ] && fail "--quiet printed: $(head -2 "$TMP/err")"
for f in sweep.csv sweep.json; do
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between -j 1 and -j 2"
done
cmp -s "$TMP/out" "$TMP/table1" || fail "the table differs between -j 1 and -j 2"

# the same sweep written as a file: the same sweep.csv; NAME-sweep by default
cat > "$TMP/sw.yaml" <<EOF
scenario: $S
replications: 4
grid:
  groups.sales_team.agents: [16, 17, 18]
  groups.support_team.agents: [25, 26]
EOF
(cd "$TMP" && "$CCSIM" sweep sw.yaml -q >"$TMP/out" 2>"$TMP/err") || fail "sweep file: $(cat "$TMP/err")"
cmp -s "$TMP/a/sweep.csv" "$TMP/sw-sweep/sweep.csv" || fail "file and options give different sweep.csv"
cmp -s "$TMP/out" "$TMP/table1" || fail "file and options give different tables"

# the shipped example: its scenario path resolved against the file and shown tidy
(cd "$SRC" && "$CCSIM" sweep scenarios/sweeps/staffing.yaml -r 2 -q --out "$TMP/ex" >"$TMP/out" 2>"$TMP/err") \
  || fail "shipped sweep: $(cat "$TMP/err")"
stdout_has "Sweep 'staffing of the default day' of scenarios/default.yaml: 14 points x 2 replications"
grep -qE '^  as-is +17 +26 +\[sales, support\] .* -  baseline$' "$TMP/out" || fail "shipped sweep's baseline row"

# tidy CSV: python's csv module, one column per swept key, consistent rows; JSON shape
python3 - "$TMP/a/sweep.csv" "$TMP/a/sweep.json" <<'PY' || fail "sweep.csv / sweep.json"
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head == ["point", "name", "groups.sales_team.agents", "groups.support_team.agents",
                "scope", "queue", "segment", "group", "metric", "unit", "replications", "n",
                "mean", "halfwidth", "ci_low", "ci_high"], head
assert len(rows) > 1 and all(len(r) == len(head) for r in rows), "ragged rows"
d = list(csv.DictReader(open(sys.argv[1], newline="")))
assert {r["scope"] for r in d} == {"overall", "queue", "group", "group_queue", "channel"}, {r["scope"] for r in d}
pts = sorted({(int(r["point"]), r["name"], r["groups.sales_team.agents"],
               r["groups.support_team.agents"]) for r in d})
assert pts == [(0, "g0", "16", "25"), (1, "g1", "16", "26"), (2, "g2", "17", "25"),
               (3, "g3", "17", "26"), (4, "g4", "18", "25"), (5, "g5", "18", "26")], pts
sl = [r for r in d if r["scope"] == "overall" and r["metric"] == "service_level"]
assert len(sl) == 6 and all(r["replications"] == "4" and r["n"] == "4" for r in sl)
for r in sl:
    m, lo, hi = float(r["mean"]), float(r["ci_low"]), float(r["ci_high"])
    assert lo < m < hi and abs((hi - lo) / 2 - float(r["halfwidth"])) < 1e-8 * m
j = json.load(open(sys.argv[2]))
assert j["format"] == "ccsim-sweep-1"
s = j["sweep"]
assert s["columns"] == ["groups.sales_team.agents", "groups.support_team.agents"]
assert s["streams"] == "independent" and s["baseline"] is None and s["seed"] == 2026
assert s["replications"] == 4 and s["precision"] is None and len(s["identity"]) == 16
assert [p["name"] for p in j["points"]] == ["g%d" % i for i in range(6)]
assert j["points"][5]["values"] == {"groups.sales_team.agents": 18, "groups.support_team.agents": 26}
assert len({p["seed"] for p in j["points"]}) == 6
assert sum(len(p["kpis"]) for p in j["points"]) == len(d)
k = [x for x in j["points"][3]["kpis"] if x["scope"] == "overall" and x["metric"] == "service_level"][0]
r = [x for x in sl if x["point"] == "3"][0]
assert abs(k["mean"] - float(r["mean"])) < 1e-9 and "verdict" not in k
open(sys.argv[1] + ".seed", "w").write(j["points"][3]["seed"])
PY

# a point is reproduced by ccsim run with its seed
seed=$(cat "$TMP/a/sweep.csv.seed")
expect 0 "$CCSIM" run "$S" --set groups.sales_team.agents=17 --set groups.support_team.agents=26 \
  --seed "$seed" -r 4 --out "$TMP/run"
python3 - "$TMP/a/sweep.csv" "$TMP/run/summary.csv" <<'PY' || fail "point g3 vs ccsim run"
import csv, sys
sw = {(r["scope"], r["queue"], r["group"], r["metric"]): r for r in csv.DictReader(open(sys.argv[1]))
      if r["point"] == "3" and r["segment"] == ""}
# summary.csv's per-channel rows (scope channel) included: the sweep has them too
run = list(csv.DictReader(open(sys.argv[2])))
assert any(r["scope"] == "channel" for r in run)
assert len(run) == len(sw), (len(run), len(sw))
for r in run:
    s = sw[(r["scope"], r["queue"], r["group"], r["metric"])]
    for col in ("mean", "halfwidth"):
        a, b = r[col], s[col]
        assert (a == "" and b == "") or abs(float(a) - float(b)) <= 1e-8 * max(1, abs(float(a))), (r, col)
PY

# a baseline: compare's machinery and numbers (common random numbers)
expect 0 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16,18 --point base --baseline base \
  -r 5 -j 2 --out "$TMP/d"
stdout_has "seed 2026, common random numbers (every point runs on the seed's streams)"
stdout_has "baseline base; differences are paired by replication"
grep -qE '^  g1 +18 +[0-9.]+% ± [0-9.]+% .*  \+[0-9.]+% ± [0-9.]+%  better$' "$TMP/out" || fail "baseline table row"
grep -qE '^  base +17 .* -  baseline$' "$TMP/out" || fail "the baseline's own row"
expect 0 "$CCSIM" compare "$S" --variant g0:groups.sales_team.agents=16 \
  --variant g1:groups.sales_team.agents=18 -r 5 --out "$TMP/e"
python3 - "$TMP/d/sweep.csv" "$TMP/e/compare.csv" <<'PY' || fail "sweep with a baseline vs compare"
import csv, sys
sw = list(csv.DictReader(open(sys.argv[1])))
assert list(sw[0].keys())[-6:] == ["diff_n", "diff", "diff_halfwidth", "diff_ci_low", "diff_ci_high", "verdict"]
cmp = {(r["variant"], r["scope"], r["queue"], r["segment"], r["group"], r["metric"]): r
       for r in csv.DictReader(open(sys.argv[2])) if r["interval"] == ""}
n = 0
for r in sw:
    if r["name"] == "base":
        assert r["verdict"] == "baseline" and r["diff"] == "0", r
        continue
    # channel rows too: compare.csv has them, paired the same way
    c = cmp[(r["name"], r["scope"], r["queue"], r["segment"], r["group"], r["metric"])]
    for col in ("n", "mean", "halfwidth", "diff", "diff_halfwidth", "diff_ci_low", "verdict"):
        assert r[col] == c[col], (r["name"], r["metric"], col, r[col], c[col])
    n += 1
assert n == len([k for k in cmp if k[0] == "g0"]) * 2, n
PY

# precision targets: per point until met, the same whatever -j
P=(--grid groups.sales_team.agents=15,16,17 --precision service_level=1.5% --precision queue:sales:asa=2s)
expect 0 "$CCSIM" sweep "$S" "${P[@]}" -j 1 --out "$TMP/p1"
stdout_has "replications until service_level ± 1.50%, queue:sales:asa ± 2.00s (from 10, at most 1000)"
grep -qE '^  g0 +15 +[0-9]+ +[0-9.]+% ± (0\.|1\.[0-4])' "$TMP/out" || fail "precision row"
cp "$TMP/out" "$TMP/p1.out"
expect 0 "$CCSIM" sweep "$S" "${P[@]}" -j 2 --out "$TMP/p2" -q
cmp -s "$TMP/p1/sweep.csv" "$TMP/p2/sweep.csv" || fail "precision: sweep.csv differs with -j"
cmp -s "$TMP/out" "$TMP/p1.out" || fail "precision: the table differs with -j"
python3 - "$TMP/p1/sweep.json" <<'PY' || fail "precision JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["sweep"]["precision"]["max_replications"] == 1000
assert [t["metric"] for t in j["sweep"]["precision"]["targets"]] == ["service_level", "asa"]
for p in j["points"]:
    pr = p["precision"]
    assert pr["met"] is True and pr["achieved"][0] <= 0.015 and pr["achieved"][1] <= 2, pr
    assert p["replications"] >= 10
PY

# resume: kill -9 or Ctrl-C midway, rerun the same command: the same bytes
B=(--grid groups.sales_team.agents=14,15,16,17,18,19,20,21 --grid groups.support_team.agents=23,24,25,26,27 -r 30)
expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/full" -q
cp "$TMP/out" "$TMP/full.out"
for sig in KILL INT; do
  rm -rf "$TMP/r"
  # a script's background jobs ignore SIGINT: give it back its default, as a terminal would
  env --default-signal=INT "$CCSIM" sweep "$S" "${B[@]}" -j 1 --out "$TMP/r" >/dev/null 2>"$TMP/r.err" &
  pid=$!
  n=0
  for _ in $(seq 1 1000); do
    n=$(grep -c '^P ' "$TMP/r/sweep.partial" 2>/dev/null || true)
    [ "${n:-0}" -ge 3 ] && break
    sleep 0.01
  done
  { kill -s "$sig" "$pid"; wait "$pid"; } 2>/dev/null || true
  [ -e "$TMP/r/sweep.csv" ] && fail "the interrupted sweep ($sig) wrote sweep.csv"
  if [ "$sig" = INT ]; then
    grep -qx "ccsim sweep: interrupted: the finished points are in the journal; rerun the same command to resume" "$TMP/r.err" \
      || fail "no word on Ctrl-C: $(tail -2 "$TMP/r.err")"
  fi
  n=$(grep -c '^P ' "$TMP/r/sweep.partial" || true)
  { [ "$n" -ge 3 ] && [ "$n" -lt 40 ]; } || fail "after $sig the journal holds $n points"
  expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/r"
  stderr_has "ccsim sweep: resuming: $n of 40 points done before ($TMP/r/sweep.partial)"
  stderr_has "ccsim sweep: 40/40 points ($n from the journal), "
  grep -qE '^ccsim sweep: [0-9]+/40 points, [0-9]+ rep/s, elapsed [0-9]+:[0-9]{2}, about [0-9:?]+ left$' "$TMP/err" \
    || [ "$(grep -c . "$TMP/err")" -le 3 ] || fail "progress lines: $(head -3 "$TMP/err")"
  for f in sweep.csv sweep.json; do
    cmp -s "$TMP/full/$f" "$TMP/r/$f" || fail "$f after $sig and resume differs from an uninterrupted run"
  done
  cmp -s "$TMP/out" "$TMP/full.out" || fail "the table after $sig and resume differs"
  [ -e "$TMP/r/sweep.partial" ] && fail "the journal was left behind after $sig"
done

# a second sweep cannot write into a directory where one is running
rm -rf "$TMP/l"
"$CCSIM" sweep "$S" "${B[@]}" -j 1 --out "$TMP/l" -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  grep -q '^P ' "$TMP/l/sweep.partial" 2>/dev/null && break
  sleep 0.01
done
kill -STOP "$pid"
expect 1 "$CCSIM" sweep "$S" "${B[@]}" --out "$TMP/l" -q
stderr_is "$TMP/l/sweep.partial: error: another sweep is running in this directory (its journal is locked)"
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true

# bad input: located, exit 2, before anything is written
cd "$TMP"
cat > bad.yaml <<EOF
scenario: $S
grid:
  groups.sales_team.agnets: [16, 17]
EOF
expect 2 "$CCSIM" sweep bad.yaml
stderr_is "bad.yaml:3:21: error: unknown key 'agnets' in group; did you mean 'agents'?"
[ -e "$TMP/bad-sweep" ] && fail "a bad sweep created its output directory"
cat > bad2.yaml <<EOF
scenario: $S
points:
  - name: ok
    set: {groups.sales_team.agents: 16}
  - name: broken
    set: {groups.support_team.agents: -2}
EOF
expect 2 "$CCSIM" sweep bad2.yaml
stderr_is "bad2.yaml:6:39: error: 'agents' must be a positive whole number, got '-2'"
cat > bad3.yaml <<EOF
scenario: missing.yaml
grid: {groups.sales_team.agents: [16]}
EOF
expect 2 "$CCSIM" sweep bad3.yaml
stderr_is "bad3.yaml:1:11: error: scenario: cannot open 'missing.yaml': No such file or directory (paths are relative to the sweep file)"
cat > bad4.yaml <<EOF
scenario: $S
grid: {groups.sales_team.agents: [16]}
replicatons: 5
EOF
expect 2 "$CCSIM" sweep bad4.yaml
stderr_is "bad4.yaml:3:1: error: unknown key 'replicatons' in sweep; did you mean 'replications'?"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16,x
stderr_is "--grid:1:29: error: 'agents' must be a whole number, got 'x'"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_tem.agents=16
stderr_has "--grid:1:8: error: no item with id 'sales_tem' in 'groups'"
expect 2 "$CCSIM" sweep "$S" --point 'a:groups.sales_team.agentz=3'
stderr_is "--point:1:21: error: unknown key 'agentz' in group; did you mean 'agents'?"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16 --baseline g1
stderr_is "--baseline: error: no point named 'g1' for the baseline (give a point name, or an index from 0 to 0)"
expect 2 "$CCSIM" sweep "$S" --grid seed=1,2
stderr_has "'seed' is the sweep's own setting"
expect 2 "$CCSIM" sweep "$S"
stderr_has "error: nothing to sweep"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16 --max-replications 5
stderr_has "--max-replications applies to --precision"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16 -j 0
stderr_has "ccsim sweep: error: invalid --jobs '0': expected a whole number from 1 to 4096"
expect 2 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16 --streams some
stderr_has "ccsim sweep: error: invalid --streams 'some': expected 'common' or 'independent'"
[ -z "$(ls -d "$TMP"/*-sweep 2>/dev/null | grep -v sw-sweep)" ] || fail "bad input created: $(ls -d "$TMP"/*-sweep)"

# srun tasks that are not one MPI job would each run the whole sweep
expect 2 env SLURM_STEP_NUM_TASKS=4 "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16
stderr_has "srun started 4 tasks, but they are not one MPI job"

# the memory check counts a large center's skills, not queues x groups: 300
# queues and 300 groups with 5 skills each, 20 points, were estimated at
# 239 MiB (128 bytes per queue x group and point) and refused under 128M;
# the estimate is now 36 MiB, and the process peaks at 40 MiB
python3 "$SRC/tests/bench/gen-scale.py" 300 300 1500 5 > "$TMP/big.yaml"
expect 0 "$CCSIM" sweep "$TMP/big.yaml" --grid "groups.g0.agents=$(seq -s, 1 20)" -r 1 -j 1 \
  --set horizon=1m --max-memory 128M --out "$TMP/big"
expect 2 "$CCSIM" sweep "$TMP/big.yaml" --grid "groups.g0.agents=$(seq -s, 1 20)" -r 1 -j 1 \
  --set horizon=1m --max-memory 20M --out "$TMP/big2"
stderr_has "this needs about "

expect 0 "$CCSIM" help sweep
stdout_has "usage: ccsim sweep SWEEP.yaml [options]"
finish
