# SPDX-License-Identifier: GPL-3.0-or-later
# test_compare.sh - `ccsim compare` end to end: the table, JSON shape,
# compare.csv rows, the A.yaml B.yaml form, variants listed in the scenario,
# precision targets, batch means, located errors with exit 2, and
# byte-for-byte determinism.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
V1="plus1:groups.sales_team.agents=18"

# the table
expect 0 "$CCSIM" compare "$S" --variant "$V1" -r 5
stdout_has "2 variants, the first is the baseline:"
stdout_has "  baseline  the scenario as written (policy acd)"
stdout_has "  plus1     groups.sales_team.agents=18 (policy acd)"
stdout_has "common random numbers: seed 2026, replications 0..4 paired by number (5 per variant)"
stdout_has "Queue sales (target 80% within 20s)"
grep -qE '^  Service level +baseline +[0-9.]+% ± [0-9.]+%$' "$TMP/out" || fail "baseline SL row"
grep -qE '^ +plus1 +[0-9.]+% ± [0-9.]+% +\+[0-9.]+% ± [0-9.]+%  better$' "$TMP/out" || fail "plus1 SL row"
grep -qE '^  Offered +baseline' "$TMP/out" || fail "offered row"
grep -qE '^ +plus1 .* n/a$' "$TMP/out" || fail "n/a verdict of a volume"
stdout_has "Service level by interval (overall): baseline mean, each variant's paired difference"
grep -qE '^  07:30-08:00 +[0-9.]+%  [+-]' "$TMP/out" || fail "interval view row"
cp "$TMP/out" "$TMP/table1"

# a named baseline, and several variants
expect 0 "$CCSIM" compare "$S" --variant "big:groups.sales_team.agents=19" \
  --variant "baseline:groups.sales_team.agents=16" -r 3
stdout_has "  baseline  groups.sales_team.agents=16 (policy acd)"
sed -n 3p "$TMP/out" | grep -q "^  baseline" || fail "a variant named baseline comes first"
grep -q "the scenario as written" "$TMP/out" && fail "implicit baseline despite a named one"

# JSON parses and has the documented shape
expect 0 "$CCSIM" compare "$S" --variant "$V1" -r 4 --json
python3 - "$TMP/out" <<'PY' || fail "JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "ccsim-compare-1"
assert d["method"] == "replications" and d["count"] == 4 and d["seed"] == 2026
assert d["batch_means"] is None and d["precision"] is None
assert [v["name"] for v in d["variants"]] == ["baseline", "plus1"]
assert d["variants"][0]["baseline"] is True and d["variants"][1]["baseline"] is False
keys = {(k["scope"], k["queue"], k["interval"], k["metric"]): k for k in d["keys"]}
k = keys[("queue", "sales", None, "service_level")]
assert k["unit"] == "fraction" and k["better"] == 1
b, p = k["variants"]
assert b["variant"] == "baseline" and b["verdict"] == "baseline" and b["diff"] == 0
assert p["variant"] == "plus1" and p["verdict"] == "better" and p["n"] == 4
assert abs(p["diff"] - (p["mean"] - b["mean"])) < 1e-9
assert p["diff_ci_low"] > 0 and p["diff_ci_low"] <= p["diff"] <= p["diff_ci_high"]
assert keys[("overall", None, 15, "service_level")]["variants"][1]["diff_n"] == 4
assert keys[("overall", None, None, "offered")]["variants"][1]["verdict"] == "n/a"
PY

# output files: compare.csv rows, each variant's outputs, deterministic bytes
expect 0 "$CCSIM" compare "$S" --variant "$V1" -r 5 --out "$TMP/a"
cmp -s "$TMP/out" "$TMP/table1" || fail "stdout differs with --out"
expect 0 "$CCSIM" compare "$S" --variant "$V1" -r 5 --out "$TMP/b"
for f in compare.csv compare.json baseline/summary.csv plus1/summary.csv plus1/intervals.csv; do
  [ -s "$TMP/a/$f" ] || fail "missing $f"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done
cmp -s "$TMP/out" "$TMP/table1" || fail "stdout not deterministic"
[ -z "$(ls -A "$TMP/a" | grep -v -E '^(compare.csv|compare.json|baseline|plus1)$')" ] \
  || fail "stray files in output dir: $(ls -A "$TMP/a")"
head -1 "$TMP/a/compare.csv" | grep -qx "variant,scope,queue,segment,group,interval,metric,unit,n,mean,halfwidth,ci_low,ci_high,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict,day,clock" \
  || fail "compare.csv header"
grep -qE '^baseline,overall,,,,,service_level,fraction,5,[0-9.e-]+,[0-9.e-]+,[0-9.e-]+,[0-9.e-]+,0,0,0,0,baseline,,$' "$TMP/a/compare.csv" \
  || fail "compare.csv baseline row"
grep -qE '^plus1,queue,sales,,,,service_level,fraction,5,([0-9.e-]+,){8}better,,$' "$TMP/a/compare.csv" \
  || fail "compare.csv variant row"
grep -qE '^plus1,overall,,,,15,service_level,fraction,5,.*,1,07:30:00$' "$TMP/a/compare.csv" || fail "compare.csv interval row (day 1, its clock time)"
grep -qE '^plus1,group,,,sales_team,,occupancy,fraction,5,([0-9.e-]+,){8}n/a,,$' "$TMP/a/compare.csv" \
  || fail "compare.csv group row"
python3 - "$TMP/a/compare.csv" "$TMP/a/compare.json" <<'PY' || fail "compare.csv rows"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
keys = json.load(open(sys.argv[2]))["keys"]
assert len(rows) == 2 * len(keys), (len(rows), len(keys))
assert all(r["verdict"] == "baseline" for r in rows if r["variant"] == "baseline")
assert {r["verdict"] for r in rows} <= {"baseline", "better", "worse", "no significant difference", "n/a"}
for r in rows:
    if r["halfwidth"]:
        assert abs(float(r["ci_low"]) - (float(r["mean"]) - float(r["halfwidth"]))) < 1e-6 * max(1, abs(float(r["mean"])))
PY

# two scenario files: named by file name, the first is the baseline
sed 's/agents: 17/agents: 18/' "$S" > "$TMP/more-sales.yaml"
expect 0 "$CCSIM" compare "$S" "$TMP/more-sales.yaml" -r 5 --out "$TMP/f"
stdout_has "  default     $S (policy acd)"
stdout_has "  more-sales  $TMP/more-sales.yaml (policy acd)"
sed 's/^default,/baseline,/; s/^more-sales,/plus1,/' "$TMP/f/compare.csv" | cmp -s - "$TMP/a/compare.csv" \
  || fail "file form differs from the --variant form of the same change"
expect 2 "$CCSIM" compare "$S" "$TMP/more-sales.yaml" --variant "$V1"
stderr_has "--variant applies to one SCENARIO"

# variants listed in the scenario file
sed '/^routing:/,$d' "$S" > "$TMP/v.yaml"
cat >> "$TMP/v.yaml" <<'EOF'
routing:
  policy: acd
variants:
  - name: plus1
    description: one more sales agent
    set: {groups.sales_team.agents: 18}
  - name: swap
    set:
      groups.sales_team.agents: 16
      groups.support_team.agents: 27
EOF
expect 0 "$CCSIM" run "$TMP/v.yaml" -r 1   # the simulator ignores them
expect 0 "$CCSIM" compare "$TMP/v.yaml" -r 5 --out "$TMP/v"
stdout_has "3 variants, the first is the baseline:"
stdout_has "  plus1     one more sales agent (policy acd)"
stdout_has "  swap      groups.sales_team.agents=16, groups.support_team.agents=27 (policy acd)"
grep -v '^swap,' "$TMP/v/compare.csv" | cmp -s - "$TMP/a/compare.csv" || fail "file variants differ from --variant"
expect 0 "$CCSIM" compare "$TMP/v.yaml" -r 2 --variant "only:groups.sales_team.agents=20"
grep -q "swap" "$TMP/out" && fail "--variant should replace the file's variants"
# a listed variant named baseline replaces the scenario as written
sed 's/  - name: plus1/  - name: baseline/' "$TMP/v.yaml" > "$TMP/vb.yaml"
expect 0 "$CCSIM" compare "$TMP/vb.yaml" -r 3
stdout_has "2 variants, the first is the baseline:"
stdout_has "  baseline  one more sales agent (policy acd)"
stdout_has "  swap      groups.sales_team.agents=16, groups.support_team.agents=27 (policy acd)"
sed 's/      groups.support_team.agents: 27/      groups.support_tem.agents: 27/' "$TMP/v.yaml" > "$TMP/bad1.yaml"
expect 2 "$CCSIM" compare "$TMP/bad1.yaml" --out "$TMP/nothing"
stderr_is "$TMP/bad1.yaml:50:14: error: no item with id 'support_tem' in 'groups' (ids: sales_team, support_team); did you mean 'support_team'?"
[ ! -e "$TMP/nothing" ] || fail "output written for a bad variant"
sed 's/groups.sales_team.agents: 16/groups.sales_team.agents: zero/' "$TMP/v.yaml" > "$TMP/bad2.yaml"
expect 2 "$CCSIM" compare "$TMP/bad2.yaml"
stderr_is "$TMP/bad2.yaml:49:33: error: 'agents' must be a whole number, got 'zero'"
sed 's/  - name: swap/  - name: plus1/' "$TMP/v.yaml" > "$TMP/bad3.yaml"
expect 2 "$CCSIM" run "$TMP/bad3.yaml"
stderr_is "$TMP/bad3.yaml:47:11: error: duplicate variant name 'plus1' (first defined at line 44)"
sed 's/    set: {groups.sales_team.agents: 18}/    sets: {groups.sales_team.agents: 18}/' "$TMP/v.yaml" > "$TMP/bad4.yaml"
expect 2 "$CCSIM" compare "$TMP/bad4.yaml"
stderr_is "$TMP/bad4.yaml:46:5: error: unknown key 'sets' in variant; did you mean 'set'?"

# bad --variant arguments: located in the argument, exit 2
expect 2 "$CCSIM" compare "$S" --variant "plus1:groups.sales_tem.agents=18"
stderr_is "--variant:1:14: error: no item with id 'sales_tem' in 'groups' (ids: sales_team, support_team); did you mean 'sales_team'?"
expect 2 "$CCSIM" compare "$S" --variant "plus1:groups.sales_team.agents=-3"
stderr_is "--variant:1:32: error: 'agents' must be a positive whole number, got '-3'"
expect 2 "$CCSIM" compare "$S" --variant "groups.sales_team.agents=18"
stderr_has "--variant:1:1: error: expected NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...]"
expect 2 "$CCSIM" compare "$S" --variant "a/b:horizon=1h"
stderr_is "--variant:1:1: error: variant name must use only letters, digits, '_' and '-', got 'a/b'"
expect 2 "$CCSIM" compare "$S" --variant "a:horizon=1h,,drain=true"
stderr_is "--variant:1:14: error: empty override (expected KEY.PATH=VALUE between commas)"
expect 2 "$CCSIM" compare "$S" --variant "a:horizon=1h" --variant "a:horizon=2h"
stderr_has "two variants are named 'a'"
expect 2 "$CCSIM" compare "$S"
stderr_has "nothing to compare"
expect 2 "$CCSIM" compare "$S" --variant "a:routing.policy=acdd"
stderr_has "--variant:1:18: error: unknown routing policy 'acdd'"

# precision targets
expect 0 "$CCSIM" compare "$S" --variant "$V1" --precision service_level=0.3% --precision queue:sales:asa=1s
grep -qE '^precision service_level: paired half-width [0-9.]+% <= target 0.3% after [0-9]+ replications$' "$TMP/out" \
  || fail "precision line: $(grep precision "$TMP/out")"
expect 0 "$CCSIM" compare "$S" --variant "$V1" --precision service_level=0.01% --max-replications 12 --json
python3 - "$TMP/out" <<'PY' || fail "precision JSON"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["precision"]
assert d["count"] == 12 and p["met"] is False and p["max_count"] == 12
t = p["targets"][0]
assert t["scope"] == "overall" and t["metric"] == "service_level" and t["halfwidth"] == 0.0001
assert t["achieved"] > t["halfwidth"] and t["met"] is False
PY
expect 2 "$CCSIM" compare "$S" --variant "$V1" --precision service_levl=1%
stderr_is "--precision:1:1: error: unknown KPI 'service_levl'; did you mean 'service_level'? (docs/kpis.md)"
expect 2 "$CCSIM" compare "$S" --variant "$V1" --precision queue:sale:asa=1s
stderr_is "--precision: error: 'queue:sale:asa': the baseline has no queue 'sale'"
expect 2 "$CCSIM" compare "$S" --variant "$V1" --precision asa=1
stderr_has "--precision:1:5: error: bad half-width '1' for asa"
expect 2 "$CCSIM" compare "$S" --variant "$V1" --max-replications 50
stderr_has "--max-replications applies to --precision"

# steady state: batch means after the warm-up
expect 0 "$CCSIM" compare "$SRC/scenarios/erlang-a.yaml" --set horizon=12h --set warmup=1h \
  --variant plus1:groups.team.agents=101 --precision asa=0.1s --json
python3 - "$TMP/out" <<'PY' || fail "batch means JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["method"] == "batch-means"
b = d["batch_means"]
assert b["batches"] == d["count"] >= 10 and b["interval_s"] == 3600 and b["first_interval"] == 1
assert b["horizon_s"] == (d["count"] + 2) * 3600
assert d["precision"]["met"] and d["precision"]["targets"][0]["achieved"] <= 0.1
assert all(k["interval"] is None for k in d["keys"])
PY
expect 0 "$CCSIM" compare "$SRC/scenarios/erlang-a.yaml" --set horizon=12h --set warmup=1h \
  --variant plus1:groups.team.agents=101
stdout_has "batches of 1h after the 1h warm-up (the last interval dropped), paired batch by batch"
expect 0 "$CCSIM" compare "$SRC/scenarios/erlang-a.yaml" --set horizon=12h --set warmup=1h \
  --variant plus1:groups.team.agents=101 --method replications -r 2
stdout_has "replications 0..1 paired by number (2 per variant)"

# usage
expect 2 "$CCSIM" compare
stderr_has "missing SCENARIO"
expect 2 "$CCSIM" compare "$S" --method fast --variant "$V1"
stderr_is "ccsim compare: error: invalid --method 'fast': expected 'auto', 'replications' or 'batch-means'
Try 'ccsim help compare'."
expect 1 "$CCSIM" compare "$S" --variant "$V1" -r 1 --out /proc/ccsim-test
stderr_has "cannot create output directory"
expect 0 "$CCSIM" help compare
stdout_has "usage: ccsim compare SCENARIO"
expect 0 "$CCSIM" --help
stdout_has "compare "
finish
