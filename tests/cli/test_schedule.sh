# SPDX-License-Identifier: GPL-3.0-or-later
# test_schedule.sh - `ccsim schedule` end to end on the shipped roster day:
# a roster covering the requirement, its files (deterministic, byte for
# byte; the YAML pasted over 'groups:' runs), the simulation loop and its
# validation, exit 3 when no roster can cover, and bad usage (exit 2).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/roster-day.yaml"

expect 0 "$CCSIM" schedule "$S" --out "$TMP/a"
stdout_has "Roster for 'Roster day': 1 day of 20 intervals of 30m"
stdout_has "Solver (GLPK): "
stdout_has "optimality gap"
stdout_has "head-count plan"
[ ! -s "$TMP/err" ] || fail "stderr not empty: $(head -2 "$TMP/err")"
cp "$TMP/out" "$TMP/table"
expect 0 "$CCSIM" schedule "$S" --out "$TMP/b"
cmp -s "$TMP/out" "$TMP/table" || fail "summary differs between identical runs"
for f in roster.yaml roster.csv coverage.csv service_level.csv; do
  [ -s "$TMP/a/$f" ] || fail "missing $f"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done
head -1 "$TMP/a/roster.csv" | grep -qx "group,template,day,start,end,breaks,count,paid_hours,cost" \
  || fail "roster.csv header"
head -1 "$TMP/a/coverage.csv" | grep -qx "group,interval,time,required,scheduled,on_phone" \
  || fail "coverage.csv header"
# every interval covered: on the phones >= required
awk -F, 'NR > 1 && $6 < $4 {bad = 1} END {exit bad}' "$TMP/a/coverage.csv" || fail "an interval is not covered"
# a full day's lunch is unpaid: 8h30m shifts pay 8 hours
grep -q '^sales_team,full-day,daily,08:00,16:30,[^,]*unpaid,[0-9]*,8,224.00$' "$TMP/a/roster.csv" \
  || fail "paid hours of an 8h30m shift with an unpaid lunch: $(grep 16:30 "$TMP/a/roster.csv" | head -1)"

# paste the roster over the scenario's groups: it loads and runs
sed '/^groups:/,/^routing:/{/^routing:/!d}' "$S" >"$TMP/pasted.yaml"
cat "$TMP/a/roster.yaml" >>"$TMP/pasted.yaml"
expect 0 "$CCSIM" run "$TMP/pasted.yaml" -r 2
stdout_has "Group sales_team"

# the loop: simulated, validated with fresh seeds, deterministic
expect 0 "$CCSIM" schedule "$S" --simulate -r 5 --out "$TMP/c"
stdout_has "Simulation loop:"
stdout_has "Validation with fresh seeds: 0 cells significantly below target."
cp "$TMP/out" "$TMP/table"
expect 0 "$CCSIM" schedule "$S" --simulate -r 5 --out "$TMP/d"
cmp -s "$TMP/out" "$TMP/table" || fail "simulated summary differs between identical runs"
cmp -s "$TMP/c/service_level.csv" "$TMP/d/service_level.csv" || fail "service_level.csv differs"

# the coverage chart, drawn by hand from the files (plots/coverage.gp)
if command -v gnuplot >/dev/null; then
  gnuplot -e "in='$TMP/c/coverage.csv'; sl='$TMP/c/service_level.csv'; out='$TMP/cov.png'" \
    "$SRC/plots/coverage.gp" 2>"$TMP/gp" || fail "coverage.gp: $(head -2 "$TMP/gp")"
  [ -s "$TMP/cov.png" ] || fail "coverage.gp drew nothing"
  gnuplot -e "in='$TMP/a/coverage.csv'; sl='$TMP/a/service_level.csv'; out='$TMP/cov.svg'" \
    "$SRC/plots/coverage.gp" 2>"$TMP/gp" || fail "coverage.gp without simulation: $(head -2 "$TMP/gp")"
fi

# nobody may work: no roster covers, exit 3 with the reason
expect 3 "$CCSIM" schedule "$S" --set groups.sales_team.rostering.max_agents=2
stdout_has "Solver (GLPK): infeasible"
stderr_has "ccsim schedule: warning: no roster:"

# bad usage
expect 2 "$CCSIM" schedule "$S" --time-limit 0s
stderr_is "ccsim schedule: error: invalid --time-limit '0s': expected a positive duration
Try 'ccsim help schedule'."
expect 2 "$CCSIM" schedule "$S" --alpha 0%
stderr_is "ccsim schedule: error: invalid --alpha '0%': expected a percentage between 0% and 100%
Try 'ccsim help schedule'."
expect 2 "$CCSIM" schedule
stderr_is "ccsim schedule: error: missing SCENARIO
Try 'ccsim help schedule'."
finish
