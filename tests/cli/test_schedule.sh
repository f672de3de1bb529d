# SPDX-License-Identifier: GPL-3.0-or-later
# test_schedule.sh - `ccsim schedule` end to end on the shipped roster day:
# a roster covering the requirement, its files (deterministic, byte for
# byte; the YAML pasted over 'groups:' runs), the simulation loop and its
# validation, exit 3 when no roster can cover, and bad usage (exit 2).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/roster-day.yaml"

expect 0 "$CCSIM" schedule "$S" --out "$TMP/a"
stdout_has "Roster for 'Roster day': 1 day of 20 intervals of 30m"
stdout_has "Solver (GLPK"
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
expect 0 "$CCSIM" schedule "$S" --simulate -r 5 --out "$TMP/c" --plots
stdout_has "Simulation loop:"
stdout_has "Validation with fresh seeds: 0 cells significantly below target."
cp "$TMP/out" "$TMP/table"
expect 0 "$CCSIM" schedule "$S" --simulate -r 5 --out "$TMP/d"
cmp -s "$TMP/out" "$TMP/table" || fail "simulated summary differs between identical runs"
cmp -s "$TMP/c/service_level.csv" "$TMP/d/service_level.csv" || fail "service_level.csv differs"

# the subgradient loop (--cuts subgradient) on the overlapping-skills day
expect 0 "$CCSIM" schedule "$SRC/scenarios/roster-multiskill.yaml" --simulate --cuts subgradient -r 5
stdout_has "with subgradient cuts where the simulated roster missed its target"
stdout_has "subgradient cuts (0 raised instead: no slope)"
stdout_has "Validation with fresh seeds: 0 cells significantly below target."

# the coverage chart, drawn by hand from the files (plots/coverage.gp)
if command -v gnuplot >/dev/null; then
  gnuplot -e "in='$TMP/c/coverage.csv'; sl='$TMP/c/service_level.csv'; out='$TMP/cov.png'" \
    "$SRC/plots/coverage.gp" 2>"$TMP/gp" || fail "coverage.gp: $(head -2 "$TMP/gp")"
  [ -s "$TMP/cov.png" ] || fail "coverage.gp drew nothing"
  gnuplot -e "in='$TMP/a/coverage.csv'; sl='$TMP/a/service_level.csv'; out='$TMP/cov.svg'" \
    "$SRC/plots/coverage.gp" 2>"$TMP/gp" || fail "coverage.gp without simulation: $(head -2 "$TMP/gp")"
fi

# --plots: the coverage chart (charts/coverage.{svg,png}) and report.html
# with it, the cost table against the head-count plan and the summary
[ -s "$TMP/c/report.html" ] || fail "--plots wrote no report.html"
grep -q '<h2 id="cost">Cost and paid hours against the head-count plan</h2>' "$TMP/c/report.html" \
  || fail "report.html: no cost section"
grep -q '<td><b>all groups</b></td>' "$TMP/c/report.html" || fail "report.html: no total row"
if command -v gnuplot >/dev/null; then
  for f in coverage.svg coverage.png coverage.csv service_level.csv; do
    [ -s "$TMP/c/charts/$f" ] || fail "--plots: no charts/$f"
  done
  [ "$(grep -c '<svg role="img"' "$TMP/c/report.html")" = 1 ] || fail "report.html: the chart is not inline"
  cmp -s "$TMP/c/charts/coverage.csv" "$TMP/c/coverage.csv" || fail "charts/coverage.csv differs from coverage.csv"
fi
# without gnuplot: the report, saying why it has no chart
mkdir -p "$TMP/nobin"
expect 0 env PATH="$TMP/nobin" "$CCSIM" schedule "$S" --out "$TMP/np" --plots
stderr_has "gnuplot not found; charts skipped"
grep -q 'No chart: gnuplot was not found' "$TMP/np/report.html" || fail "no-chart report: notice missing"
[ ! -e "$TMP/np/charts" ] || fail "charts/ written without gnuplot"
# the report renders in a browser (when Chromium is installed), with its chart
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$BROWSER" ] && command -v gnuplot >/dev/null; then
  profile=$(mktemp -d "$TMP/profile-XXXXXX")
  timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" \
    --dump-dom "file://$TMP/c/report.html" >"$TMP/dom" 2>>"$TMP/chromium.log" \
    || fail "chromium --dump-dom report.html"
  [ "$(grep -o '<svg role="img"' "$TMP/dom" | wc -l)" = 1 ] || fail "DOM: no inline chart"
  grep -q '<td><b>all groups</b></td>' "$TMP/dom" || fail "DOM: no cost table"
  grep -q '</pre>' "$TMP/dom" || fail "DOM: no summary"
fi
expect 2 "$CCSIM" schedule "$S" --plots
stderr_is "ccsim schedule: error: --plots needs --out DIR (the chart and report.html go there)
Try 'ccsim help schedule'."

# nobody may work: no roster covers, exit 3 with the reason
expect 3 "$CCSIM" schedule "$S" --set groups.sales_team.rostering.max_agents=2
stdout_has "): infeasible"
stderr_has "ccsim schedule: warning: no roster:"

# the solver options: the solver named, why the search stopped (the gap
# target by default, the node limit with --nodes), the time limit
expect 0 "$CCSIM" schedule "$S"
stdout_has "Search: stopped within the gap target of 1% after "
expect 0 "$CCSIM" schedule "$S" --solver glpk --nodes 1 --gap 0.01%
stdout_has "Solver (GLPK): limit; 176 variables"
stdout_has "Search: stopped by the node limit of 1 per group after "
expect 0 "$CCSIM" schedule "$S" --solver glpk --gap 0.5%
stdout_has "Solver (GLPK): "
stdout_has "Search: stopped within the gap target of 0.5% after "
if [ "${CCS_HAVE_CBC:-0}" = 1 ]; then
  expect 0 "$CCSIM" schedule "$S" --solver cbc --nodes 0
  stdout_has "Solver (GLPK and CBC): "
  # CBC is opened when used: where it cannot be loaded (CCS_NO_CBC=1, as on a
  # machine without coinor-libcbc3), --solver cbc says why and exits 2, and
  # the default solver is GLPK alone, named in the summary
  CCS_NO_CBC=1 expect 2 "$CCSIM" schedule "$S" --solver cbc
  stderr_is "ccsim schedule: error: --solver cbc: cannot load CBC (Debian coinor-libcbc3): libCbcSolver.so.3: not loaded, CCS_NO_CBC is set; use --solver glpk
Try 'ccsim help schedule'."
  CCS_NO_CBC=1 expect 0 "$CCSIM" schedule "$S"
  stdout_has "Solver (GLPK): "
  [ ! -s "$TMP/err" ] || fail "stderr not empty without CBC: $(head -2 "$TMP/err")"
else
  expect 2 "$CCSIM" schedule "$S" --solver cbc
  stderr_is "ccsim schedule: error: --solver cbc: this ccsim was built without CBC (coinor-libcbc-dev); use --solver glpk
Try 'ccsim help schedule'."
fi
# a time limit too short for any roster: exit 3, saying so
expect 3 "$CCSIM" schedule "$S" --time-limit 0.001ms
stdout_has "): no-roster: the time limit of "
stderr_has "came before any roster was found (try --time-limit)"

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
