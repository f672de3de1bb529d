# SPDX-License-Identifier: GPL-3.0-or-later
# test_fit_report.sh - what the reports say about a fit and its backtest:
# `ccsim compare --backtest` prints the model's error on real days beside
# each difference and says whether the difference is larger; a backtest.csv
# is read back from the file or from the folder backtest --out wrote; `ccsim
# fit --plots` draws its charts (arrivals, handle times, patience,
# availability) into report.html, and without gnuplot still writes the
# report and the charts' data; bad input exits 2 with the exact message.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/bank-replay.yaml"
D="$SRC/scenarios/default.yaml"

# a backtest as `ccsim backtest --out` writes it, read back from the folder
expect 0 "$CCSIM" backtest "$S" -r 3 --out "$TMP/bt"
expect 0 "$CCSIM" compare "$D" -r 3 --variant more:groups.sales_team.agents=18 --backtest "$TMP/bt"
stdout_has "the model's error on real days (backtest $TMP/bt, 1 date): mean absolute error of a simulated day against the observed one"
grep -Eq '^  abandon % +[0-9.]+ points  more +[-+][0-9.]+  ' "$TMP/out" || fail "abandon row: $(grep abandon "$TMP/out" | tail -1)"

# a hand-made backtest: 2 dates, abandonment off by 10 and 20 points (MAE
# 15), ASA off by 1 s: one variant's differences fall on both sides
cat >"$TMP/bt.csv" <<'C'
date,interval,kpi,observed,simulated,lo,hi
2024-01-01,day,abandon_rate,0.05,0.15,0.1,0.2
2024-01-01,08:00,abandon_rate,0.05,0.15,0.1,0.2
2024-01-01,day,asa,20,21,15,25
2024-01-02,day,abandon_rate,0.05,0.25,0.2,0.3
2024-01-02,day,asa,20,19,15,25
C
expect 0 "$CCSIM" compare "$D" -r 3 --variant fewer:groups.sales_team.agents=14 --backtest "$TMP/bt.csv"
stdout_has "(backtest $TMP/bt.csv, 2 dates)"
grep -Eq '^  abandon % +15\.00 points  fewer +\+[0-9.]+  within the model.s error: not shown on real days$' "$TMP/out" ||
    fail "abandon within: $(grep -A1 'abandon %' "$TMP/out" | tail -2)"
grep -Eq '^  ASA +1\.00 s  fewer +\+[0-9.]+  larger than the model.s error$' "$TMP/out" ||
    fail "ASA larger: $(grep 'ASA  ' "$TMP/out" | tail -1)"
grep -Eq '^  service level +-  ' "$TMP/out" || fail "service level without backtest rows"

# bad input
expect 2 "$CCSIM" compare "$D" -r 2 --backtest "$TMP/none.csv"
stderr_is "$TMP/none.csv: error: cannot read the backtest: No such file or directory"
printf 'a,b\n1,2\n' >"$TMP/x.csv"
expect 2 "$CCSIM" compare "$D" -r 2 --backtest "$TMP/x.csv"
stderr_is "$TMP/x.csv:1:1: error: not a backtest.csv: expected the header 'date,interval,kpi,observed,simulated,lo,hi'"
printf 'date,interval,kpi,observed,simulated,lo,hi\n2024-01-01,day,speed,1,2,3,4\n' >"$TMP/y.csv"
expect 2 "$CCSIM" compare "$D" -r 2 --backtest "$TMP/y.csv"
stderr_is "$TMP/y.csv:2:16: error: unknown kpi 'speed' (known: abandon_rate, asa, service_level, mean_wait)"
printf 'date,interval,kpi,observed,simulated,lo,hi\n2024-01-01,day,asa,1,x,3,4\n' >"$TMP/z.csv"
expect 2 "$CCSIM" compare "$D" -r 2 --backtest "$TMP/z.csv"
stderr_is "$TMP/z.csv:2:1: error: expected 7 fields: date, interval, kpi and 4 numbers"
expect 2 "$CCSIM" compare "$D" -r 2 --backtest "$TMP/bt.csv" --json
stderr_is "ccsim compare: error: --backtest applies to the table, not to --json
Try 'ccsim help compare'."

# --- fit --plots
IMG="python3 $SRC/tests/cli/imgcheck.py"
expect 0 "$CCSIM" fit "$S" --bootstrap 0 --out "$TMP/fp" --plots
stdout_has "report.html, charts/"
$IMG charts "$TMP/fp" 960 540 fit_volume fit_handle_retail fit_handle_internet \
    fit_patience_retail fit_patience_internet fit_staffing || fail "fit charts"
for c in fit_volume fit_handle_retail fit_patience_retail fit_staffing; do
    grep -q "<figure id=\"chart-$c\">" "$TMP/fp/report.html" || fail "report.html lacks $c"
    [ -s "$TMP/fp/charts/$c.csv" ] || fail "no data for $c"
done
[ "$(grep -c '<svg' "$TMP/fp/report.html")" -ge 6 ] || fail "report.html: charts not inline"
grep -q '^x,series,y,lo,hi$' "$TMP/fp/charts/fit_volume.csv" || fail "fit_volume.csv header"
grep -q ',Kaplan-Meier,' "$TMP/fp/charts/fit_patience_retail.csv" || fail "Kaplan-Meier rows"
grep -q ',weibull,' "$TMP/fp/charts/fit_patience_retail.csv" || fail "censored fit rows"
grep -q ',lognormal,' "$TMP/fp/charts/fit_handle_retail.csv" || fail "fitted density rows"
grep -q '^1999-10-12,' "$TMP/fp/availability.csv" || fail "fit --plots: the fit's files too"
# without gnuplot: the report and the data, a note, exit 0
expect 0 env PATH=/nonexistent "$CCSIM" fit "$S" --bootstrap 0 --out "$TMP/fq" --plots
stderr_has "gnuplot not found; charts skipped"
grep -q 'No charts: gnuplot was not found' "$TMP/fq/report.html" || fail "no-gnuplot note"
[ -s "$TMP/fq/charts/fit_volume.csv" ] || fail "no-gnuplot: chart data"
expect 2 "$CCSIM" fit "$S" --plots
stderr_is "ccsim fit: error: --plots needs --out DIR (the charts and report.html go there)
Try 'ccsim help fit'."
finish
