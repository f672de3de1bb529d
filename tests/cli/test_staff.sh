# SPDX-License-Identifier: GPL-3.0-or-later
# test_staff.sh - `ccsim staff` end to end: the textbook Erlang C number,
# shrinkage, the refined plan of the shipped staffing day, its output files
# (deterministic; the YAML fragment pasted over 'groups:' runs), JSON, exit 3
# when the refinement cannot meet target, and bad input (exit 2).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/staffing-day.yaml"

# 100 calls in 30 minutes, AHT 3 minutes, 80% within 20 s: 14 agents by Erlang C
cat >"$TMP/book.yaml" <<'EOF'
horizon: 30m
interval: 30m
queues:
  - id: q
    sla: {target: 80%, within: 20s}
    arrivals: {volumes: [100]}
    handle_time: {dist: exponential, mean: 3m}
groups:
  - {id: g, agents: 1, skills: [q]}
EOF
expect 0 "$CCSIM" staff "$TMP/book.yaml" --no-refine --max-occupancy 100%
grep -Eq '^  00:00-00:30 +100\.0 +14 +14 +88\.8% +14 +14 +88\.8%  SL$' "$TMP/out" || fail "textbook row: $(grep 00:00 "$TMP/out" | head -1)"
stdout_has "occupancy at most 100% (--max-occupancy)"
stdout_has "Not refined"
# 30% shrinkage: ceil(14 / 0.7) = 20 staffed
expect 0 "$CCSIM" staff "$TMP/book.yaml" --no-refine --max-occupancy 100% --shrinkage 30%
grep -Eq '^  00:00-00:30 +100\.0 +14 +20 ' "$TMP/out" || fail "shrinkage row"
grep -Eq '^  00:00-00:30 +20 \(14\)$' "$TMP/out" || fail "plan row with shrinkage"
# a 70% cap (10 / 14 = 71%) needs 15
expect 0 "$CCSIM" staff "$TMP/book.yaml" --no-refine --max-occupancy 70%
grep -Eq '^  00:00-00:30 +100\.0 +15 .*  occupancy$' "$TMP/out" || fail "occupancy cap row: $(grep 00:00 "$TMP/out" | head -1)"
stdout_has "occupancy at most 70% (--max-occupancy)"
# 30 Erlangs offered to callers who wait 20 s on average: 16 agents meet a
# 50% target only because most of the queue abandons
cat >"$TMP/patience.yaml" <<'EOF2'
horizon: 30m
interval: 30m
queues:
  - id: q
    sla: {target: 50%, within: 60s}
    arrivals: {volumes: [300]}
    handle_time: {dist: exponential, mean: 3m}
    patience: {dist: exponential, mean: 20s}
groups:
  - {id: g, agents: 1, skills: [q]}
EOF2
expect 0 "$CCSIM" staff "$TMP/patience.yaml" --no-refine --max-occupancy 100%
grep -Eq '^  00:00-00:30 +300\.0 +32 +32 +67\.6% +16 +16 +52\.2%  patience$' "$TMP/out" || fail "patience row: $(grep 00:00 "$TMP/out" | head -1)"
expect 0 "$CCSIM" staff "$TMP/patience.yaml" --no-refine --max-occupancy 100% --json
stdout_has '"bound": ["patience"]'

# the staffing day: refined, converged, files written, deterministic
expect 0 "$CCSIM" staff "$S" --out "$TMP/a"
stdout_has "Queue sales (target 80% within 20s; AHT 4.5m, patience 3m; best group sales_team, shrinkage 8%)"
stdout_has "Refinement converged after"
stdout_has "agent-hours, cost"
[ ! -s "$TMP/err" ] || fail "stderr not empty: $(head -2 "$TMP/err")"
cp "$TMP/out" "$TMP/table"
expect 0 "$CCSIM" staff "$S" --out "$TMP/b"
cmp -s "$TMP/out" "$TMP/table" || fail "table differs between identical runs"
for f in staffing.yaml staffing.csv; do
  [ -s "$TMP/a/$f" ] || fail "missing $f"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done
[ -z "$(ls -A "$TMP/a" | grep -v -E '^(staffing.yaml|staffing.csv)$')" ] || fail "stray files: $(ls -A "$TMP/a")"
head -1 "$TMP/a/staffing.csv" | grep -qx "interval,start,scope,id,method,agents,staffed,volume,aht_s,service_level,sl_halfwidth,target,occupancy" \
  || fail "staffing.csv header"
# per interval: 2 queues x (erlang_c, erlang_a, simulated) + 2 groups x (initial, plan)
[ "$(wc -l <"$TMP/a/staffing.csv")" -eq $((1 + 20 * 10)) ] || fail "staffing.csv rows: $(wc -l <"$TMP/a/staffing.csv")"
grep -q "^0,08:00,queue,sales,erlang_c,9,10,40,270," "$TMP/a/staffing.csv" || fail "staffing.csv erlang_c row"
grep -q "^19,17:30,group,support_team,plan," "$TMP/a/staffing.csv" || fail "staffing.csv plan row"
grep -q "^groups:$" "$TMP/a/staffing.yaml" || fail "fragment has no groups:"
grep -q "^    staffing: \[" "$TMP/a/staffing.yaml" || fail "fragment has no staffing list"

# paste the fragment over the scenario's groups: it loads and runs
sed '/^groups:/,/^routing:/{/^routing:/!d}' "$S" >"$TMP/pasted.yaml"
cat "$TMP/a/staffing.yaml" >>"$TMP/pasted.yaml"
expect 0 "$CCSIM" run "$TMP/pasted.yaml" -r 2 --by interval
stdout_has "Group sales_team"

# or set each group's plan with --set: the override replaces 'agents'
expect 0 "$CCSIM" staff "$S" --json
sets=$(python3 -c '
import json, sys
for g in json.load(open(sys.argv[1]))["groups"]:
    print("groups.%s.staffing=%s" % (g["id"], json.dumps(g["plan"])))' "$TMP/out")
args=()
while read -r s; do args+=(--set "$s"); done <<<"$sets"
expect 0 "$CCSIM" run "$S" -r 2 "${args[@]}"
stdout_has "Group sales_team"

# JSON
expect 0 "$CCSIM" staff "$S" --no-refine --json
python3 - "$TMP/out" <<'PY' || fail "JSON shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "erlang" and d["rounds"] == 0
assert len(d["intervals"]) == 20 and d["intervals"][0] == "08:00"
q = {x["id"]: x for x in d["queues"]}
assert q["sales"]["erlang_c"][0] == 9 and q["sales"]["best_group"] == "sales_team"
# every interval's own needs (not one interval's struct read at a stride)
assert q["sales"]["volume"][:3] == [40, 55, 70], q["sales"]["volume"][:3]
for x in q.values():
    assert all(0 <= v <= 1 for k in ("sl_c", "sl_a") for v in x[k] if v is not None), x["id"]
    assert all(b in ("-", "SL", "occupancy", "patience") for b in x["bound"]), x["id"]
assert q["sales"]["simulated_sl"] == []
g = {x["id"]: x for x in d["groups"]}
assert len(g["support_team"]["plan"]) == 20 and abs(g["support_team"]["shrinkage"] - 0.08) < 1e-12
assert d["cost"] > 0 and d["agent_hours"] > 0
PY

# a queue no group serves: no agent can help, so the refinement stops (when
# the queue that can be served settles, in a round or two: its service level
# at 5 agents is near 80%, so simulation noise may move one agent) with exit
# 3, a warning, and the plan still printed and written
cat >"$TMP/hopeless.yaml" <<'EOF'
horizon: 1h
interval: 30m
replications: 2
queues:
  - {id: q, arrivals: {rate: 60/h}, handle_time: {dist: exponential, mean: 3m}}
  - {id: orphan, arrivals: {rate: 6/h}, handle_time: {dist: exponential, mean: 3m}}
groups:
  - {id: g, agents: 1, skills: [q]}
EOF
expect 3 "$CCSIM" staff "$TMP/hopeless.yaml" --out "$TMP/h"
grep -Eqx "ccsim staff: warning: the refinement did not converge after [1-5] rounds?: some intervals stay below target \(try --max-rounds, or check that the groups can serve the queues\)" "$TMP/err" ||
  fail "stderr is '$(cat "$TMP/err")', want the warning after 1 to 5 rounds (the cap is 40)"
stdout_has "WARNING: the refinement did not converge"
stdout_has "* below target"
[ -s "$TMP/h/staffing.yaml" ] || fail "no plan written on exit 3"
grep -q "NOT MEETING TARGET" "$TMP/h/staffing.yaml" || fail "fragment does not say it misses target"

# --verbose reports the rounds
expect 0 "$CCSIM" staff "$TMP/book.yaml" -r 2 -v
stderr_has "ccsim staff: round 1: "

# bad input: exit 2 with the message
expect 2 "$CCSIM" staff
stderr_has "ccsim staff: error: missing SCENARIO"
expect 2 "$CCSIM" staff "$S" --shrinkage 100%
stderr_has "ccsim staff: error: invalid --shrinkage '100%': expected a percentage below 100%"
expect 2 "$CCSIM" staff "$S" --shrinkage lots
stderr_has "ccsim staff: error: invalid --shrinkage 'lots': expected a percentage such as 80% or a fraction such as 0.8"
expect 2 "$CCSIM" staff "$S" --max-occupancy 0
stderr_has "ccsim staff: error: invalid --max-occupancy '0': expected a percentage above 0%"
expect 2 "$CCSIM" staff "$S" --max-occupancy 120%
stderr_has "ccsim staff: error: invalid --max-occupancy '120%': must lie between 0% and 100%"
expect 2 "$CCSIM" staff "$S" --max-rounds 0
stderr_has "ccsim staff: error: invalid --max-rounds '0': expected a whole number from 1 to 100000"
expect 2 "$CCSIM" staff "$S" --bogus
stderr_has "ccsim staff: error: unknown option '--bogus'"
expect 2 "$CCSIM" staff "$S" "$S"
stderr_has "ccsim staff: error: unexpected argument '"
expect 2 "$CCSIM" staff "$S" --set groups.sales_team.agnets=3
stderr_has "error: unknown key 'agnets' in group; did you mean 'agents'?"
expect 2 "$CCSIM" staff "$S" --set groups.sales_team.absenteeism=100%
stderr_is "$S: error: group 'sales_team': absenteeism 100% leaves nobody to staff with; give --shrinkage"
printf 'queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skils: [q]}\n' >"$TMP/bad.yaml"
expect 2 "$CCSIM" staff "$TMP/bad.yaml"
stderr_is "$TMP/bad.yaml:4:24: error: unknown key 'skils' in group; did you mean 'skills'?"
expect 2 "$CCSIM" staff "$TMP/missing.yaml"
stderr_has "missing.yaml"
# an output path that is a file: exit 1, nothing computed
: >"$TMP/file"
expect 1 "$CCSIM" staff "$TMP/book.yaml" --no-refine --out "$TMP/file"
# help
expect 0 "$CCSIM" help staff
stdout_has "usage: ccsim staff SCENARIO"
expect 0 "$CCSIM" --help
stdout_has "staff "

finish
