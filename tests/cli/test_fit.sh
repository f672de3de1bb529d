# SPDX-License-Identifier: GPL-3.0-or-later
# test_fit.sh - `ccsim fit` and `ccsim backtest` end to end on the shipped
# bank day: the fitted scenario loads and runs, its files are the same on a
# second fit, --pseudonymize hides the agents' ids, the backtest prints its
# table and errors, and bad input exits 2 with the exact message.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/bank-replay.yaml"

expect 0 "$CCSIM" fit "$S" --out "$TMP/f1" --bootstrap 19
stdout_has "fit: 1441 contacts on 1 dates"
for f in scenario.yaml forecast.csv fit.csv availability.csv timeline.csv patience-retail.csv; do
    [ -s "$TMP/f1/$f" ] || fail "missing $f"
done
grep -q '^busyness_cv: 0   # not estimated' "$TMP/f1/scenario.yaml" || fail "busyness comment"
grep -q '# handle time: .* by AIC of 4 families, n = ' "$TMP/f1/scenario.yaml" || fail "handle comment"
grep -q '^handle_time,retail,lognormal mean,' "$TMP/f1/fit.csv" || fail "fit.csv handle rows"
grep -q '^patience,retail,weibull shape,' "$TMP/f1/fit.csv" || fail "fit.csv patience rows"
grep -q '^available_share,agents_' "$TMP/f1/fit.csv" || fail "fit.csv availability rows"
grep -q 'BASCH' "$TMP/f1/availability.csv" 2>/dev/null || grep -q ',1999-10-12,' /dev/null ||
    grep -q '^1999-10-12,' "$TMP/f1/availability.csv" || fail "availability rows"

# the fitted scenario runs
expect 0 "$CCSIM" run "$TMP/f1/scenario.yaml" --replications 2
stdout_has "forecast forecast.csv: "

# deterministic
expect 0 "$CCSIM" fit "$S" --out "$TMP/f2" --bootstrap 19
for f in scenario.yaml forecast.csv fit.csv availability.csv timeline.csv patience-retail.csv; do
    cmp -s "$TMP/f1/$f" "$TMP/f2/$f" || fail "$f differs between two fits"
done

# pseudonymized: no agent id of the log in any output
expect 0 "$CCSIM" fit "$S" --out "$TMP/f3" --bootstrap 0 --pseudonymize
agent=$(awk -F, 'NR == 2 {print $2}' "$TMP/f1/availability.csv")
[ -n "$agent" ] || fail "no agent in availability.csv"
if grep -rqF -- "$agent" "$TMP/f3"; then fail "agent '$agent' in pseudonymized output"; fi
grep -q '^1999-10-12,agent-[0-9a-f]\{8\},' "$TMP/f3/availability.csv" || fail "hashed agent ids"

# backtest
expect 0 "$CCSIM" backtest "$S" --replications 3 --out "$TMP/bt"
stdout_has "backtest: 1 dates replayed with their own contacts and inferred availability (rule 'gap'), 3 replications each"
grep -Eq '^1999-10-12 Tue +1441 ' "$TMP/out" || fail "date row: $(grep 1999 "$TMP/out")"
stdout_has "error, simulated - observed, over the dates:"
grep -q '^1999-10-12,day,abandon_rate,0.0492' "$TMP/bt/backtest.csv" || fail "backtest.csv day row: $(sed -n 2p "$TMP/bt/backtest.csv")"

# bad input
expect 2 "$CCSIM" fit "$S" --rule sometimes
stderr_is "ccsim fit: error: invalid --rule 'sometimes': expected 'waiting' or 'gap'
Try 'ccsim help fit'."
expect 2 "$CCSIM" backtest "$S" --short-abandon -3s
stderr_is "ccsim backtest: error: invalid --short-abandon '-3s': expected a duration from 1s to 1h such as 5s
Try 'ccsim help backtest'."
expect 2 "$CCSIM" fit
stderr_is "ccsim fit: error: missing SCENARIO
Try 'ccsim help fit'."
cat >"$TMP/plain.yaml" <<'Y'
horizon: 1h
queues:
  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 3m}}
groups:
  - {id: g, agents: 3, skills: [q]}
Y
expect 2 "$CCSIM" fit "$TMP/plain.yaml"
stderr_is "$TMP/plain.yaml: error: the log has no contacts to fit: no queue has 'arrivals: trace' with records on the dates chosen"
# an undated log (times only) is fitted as one day
printf 'time,outcome,wait,handle,agent\n0,served,0,100,A\n150,served,50,100,A\n420,abandoned,30,,\n' >"$TMP/t.csv"
cat >"$TMP/undated.yaml" <<'Y'
horizon: 1h
trace: {file: t.csv, columns: {time: time, outcome: outcome, wait: wait, handle: handle, agent: agent}}
queues:
  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}
groups:
  - {id: g, agents: 1, skills: [q]}
Y
expect 0 "$CCSIM" fit "$TMP/undated.yaml" --bootstrap 0
stdout_has "fit: 3 contacts on 1 dates; 1 agents in 1 skill groups"
# the second backtest mode
expect 0 "$CCSIM" backtest "$S" --fitted --replications 3
stdout_has "backtest of the fitted scenario: 1 dates against the spread of 3 simulated weeks"
finish
