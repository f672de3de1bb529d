# SPDX-License-Identifier: GPL-3.0-or-later
# test_run.sh - `ccsim run` end to end: table, JSON, output files,
# determinism, and the command-line contract (help, version, exit codes).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"

# table
expect 0 "$CCSIM" run "$S" --replications 5
stdout_has "Queue sales (voice, target 80% within 20s)"
stdout_has "Service level"
stdout_has "Group sales_team (17 agents)"

# JSON parses and has the documented shape
expect 0 "$CCSIM" run "$S" --replications 3 --json
python3 - "$TMP/out" <<'PY' || fail "JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "ccsim-summary-1"
assert d["scenario"]["replications"] == 3
q = {x["id"]: x for x in d["queues"]}
sl = q["sales"]["kpis"]["service_level"]
assert 0 < sl["mean"] < 1 and sl["ci_low"] <= sl["mean"] <= sl["ci_high"]
assert d["overall"]["offered"]["n"] == 3
assert d["groups"][0]["queues"]["sales"]["time_share"]["mean"] > 0
PY

# output files: complete, tidy, deterministic byte for byte
expect 0 "$CCSIM" run "$S" --replications 4 --out "$TMP/a"
expect 0 "$CCSIM" run "$S" --replications 4 --out "$TMP/b"
for f in summary.csv intervals.csv replications.csv waits.csv summary.json; do
  [ -s "$TMP/a/$f" ] || fail "missing $f"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done
[ -z "$(ls -A "$TMP/a" | grep -v -E '^(summary.csv|intervals.csv|replications.csv|waits.csv|summary.json)$')" ] \
  || fail "stray files in output dir: $(ls -A "$TMP/a")"
head -1 "$TMP/a/summary.csv" | grep -qx "scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,ci_low,ci_high" \
  || fail "summary.csv header"
grep -q "^queue,sales,,,service_level,fraction,4," "$TMP/a/summary.csv" || fail "summary.csv row"
[ "$(grep -c '^[0-9]*,0,.*,offered,' "$TMP/a/replications.csv" || true)" -ge 0 ] || true
grep -q "^3,overall,,,,offered,count," "$TMP/a/replications.csv" || fail "replications.csv row"
grep -q "^15,27000,28800,queue,sales,,,service_level," "$TMP/a/intervals.csv" || fail "intervals.csv row"
head -1 "$TMP/a/waits.csv" | grep -qx "queue,wait_s,cdf" || fail "waits.csv header"
grep -q "^sales,0," "$TMP/a/waits.csv" || fail "waits.csv starts at 0"
python3 - "$TMP/a/waits.csv" <<'PY' || fail "waits.csv is not a CDF"
import csv, sys
last = {}
for r in csv.DictReader(open(sys.argv[1])):
    q, c = r["queue"], float(r["cdf"])
    assert 0 <= c <= 1 and c >= last.get(q, 0), r
    last[q] = c
assert all(abs(v - 1) < 1e-9 for v in last.values()), last
PY

# time series on request
expect 0 "$CCSIM" run "$S" -r 3 --sample 10m --out "$TMP/ts"
head -1 "$TMP/ts/timeseries.csv" | grep -qx "t_s,scope,queue,group,metric,mean,halfwidth,ci_low,ci_high,day,clock" || fail "timeseries header"
grep -q "^600,queue,sales,,waiting," "$TMP/ts/timeseries.csv" || fail "timeseries row"
grep -q "^28800,group,,support_team,staffed,26," "$TMP/ts/timeseries.csv" || fail "timeseries staffed"
expect 2 "$CCSIM" run "$S" --sample 0s
stderr_has "ccsim run: error: invalid --sample '0s': expected a positive duration such as 5m"

# a different seed gives different numbers; the same seed the same stdout
expect 0 "$CCSIM" run "$S" -r 2 --seed 7; cp "$TMP/out" "$TMP/s7"
expect 0 "$CCSIM" run "$S" -r 2 --seed 7; cmp -s "$TMP/out" "$TMP/s7" || fail "stdout not deterministic"
expect 0 "$CCSIM" run "$S" -r 2 --seed 8; cmp -s "$TMP/out" "$TMP/s7" && fail "seed ignored"

# --set changes the model and is validated like the file
expect 0 "$CCSIM" run "$S" -r 2 --set groups.sales_team.agents=30
stdout_has "Group sales_team (30 agents)"
expect 2 "$CCSIM" run "$S" --set groups.sales_team.agents=-3
stderr_is "--set:1:26: error: 'agents' must be a positive whole number, got '-3'"
expect 2 "$CCSIM" run "$S" --set groups.sales_tem.agents=3
stderr_has "no item with id 'sales_tem' in 'groups'"
stderr_has "did you mean 'sales_team'?"
expect 2 "$CCSIM" run "$S" --set horizon
stderr_has "expected KEY.PATH=VALUE"

# bad scenario: located error, exit 2, nothing written
printf 'queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: expo, mean: 1m}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\n' > "$TMP/bad.yaml"
expect 2 "$CCSIM" run "$TMP/bad.yaml" --out "$TMP/c"
stderr_has "$TMP/bad.yaml:4:25: error: unknown distribution 'expo'"
[ ! -e "$TMP/c" ] || fail "output dir created for a bad scenario"
expect 2 "$CCSIM" run "$TMP/missing.yaml"
stderr_has "$TMP/missing.yaml:1:1: error: cannot open"
expect 2 "$CCSIM" run "$TMP"
stderr_has "is a directory"
: > "$TMP/empty.yaml"
expect 2 "$CCSIM" run "$TMP/empty.yaml"
stderr_has "empty file"

# unwritable output: clear error, exit 1, nothing half-written
expect 1 "$CCSIM" run "$S" -r 1 --out /proc/ccsim-test
stderr_has "cannot create output directory"

# usage
expect 2 "$CCSIM" run
stderr_has "missing SCENARIO"
expect 2 "$CCSIM" run "$S" --bogus
stderr_has "unknown option '--bogus'"
expect 2 "$CCSIM" run "$S" --replications 0
stderr_is "ccsim run: error: invalid --replications '0': expected a whole number from 1 to 1000000
Try 'ccsim help run'."
expect 2 "$CCSIM" run "$S" --seed abc
expect 2 "$CCSIM" run "$S" --out
stderr_has "needs a value"
expect 2 "$CCSIM"
expect 2 "$CCSIM" frobnicate
stderr_has "unknown command 'frobnicate'"
expect 0 "$CCSIM" --version
stdout_has "ccsim "
expect 0 "$CCSIM" --help
stdout_has "Commands:"
expect 0 "$CCSIM" help run
stdout_has "usage: ccsim run SCENARIO"
expect 0 "$CCSIM" run --help
stdout_has "--set KEY.PATH=VALUE"
expect 2 "$CCSIM" help frobnicate

# provenance: the file's SHA-256 and every override, in summary.json and
# compare.json (per variant), and not -j or output paths
expect 0 "$CCSIM" run "$SRC/scenarios/default.yaml" -r 2 --set groups.sales_team.agents=18 \
  --set routing.policy=skills --json
python3 - "$TMP/out" "$(sha256sum <"$SRC/scenarios/default.yaml" | cut -d' ' -f1)" <<'PY' || fail "summary.json provenance"
import json, sys
sc = json.load(open(sys.argv[1]))["scenario"]
assert sc["sha256"] == sys.argv[2], sc["sha256"]
assert sc["overrides"] == ["groups.sales_team.agents=18", "routing.policy=skills"], sc["overrides"]
assert sc["seed"] == 2026 and sc["replications"] == 2, sc
PY
expect 0 "$CCSIM" compare "$SRC/scenarios/default.yaml" -r 2 --set horizon=2h \
  --variant hire:groups.sales_team.agents=18 --json
python3 - "$TMP/out" <<'PY' || fail "compare.json provenance"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"]["overrides"] == ["horizon=2h"], d["scenario"]
ov = {v["name"]: v["overrides"] for v in d["variants"]}
assert ov == {"baseline": ["horizon=2h"], "hire": ["horizon=2h", "groups.sales_team.agents=18"]}, ov
assert all(len(v["sha256"]) == 64 for v in d["variants"])
PY

# the shipped scenarios all load and run
for f in "$SRC"/scenarios/*.yaml; do
  expect 0 "$CCSIM" run "$f" -r 1 --set horizon=2h
done
# the memory check counts what the run keeps: whole-run results only
# unless --out (or --by interval, --dates) asks for intervals (issue 16)
sed 's/^horizon: 200000min/horizon: 20000min/' \
  "$SRC/tests/cli/bad_inputs/memory-run-intervals/s.yaml" > "$TMP/mem.yaml"
expect 2 "$CCSIM" run "$TMP/mem.yaml" -j 1 -r 1 --max-memory 100M --out "$TMP/mem"
grep -q "needs about 492 MiB" "$TMP/err" || fail "with --out: $(cat "$TMP/err")"
[ ! -e "$TMP/mem" ] || fail "a refused run created its --out directory"
expect 2 "$CCSIM" run "$TMP/mem.yaml" -j 1 -r 1 --max-memory 100M --by interval
expect 0 "$CCSIM" run "$TMP/mem.yaml" -j 1 -r 1 --max-memory 100M
finish
