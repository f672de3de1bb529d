# SPDX-License-Identifier: GPL-3.0-or-later
# test_fit_report.sh - what the reports say about a fit and its backtest:
# `ccsim compare --backtest` prints the model's error on real days beside
# each difference and says whether the difference is larger; a backtest.csv
# is read back from the file or from the folder backtest --out wrote; `ccsim
# fit --plots` draws its charts (arrivals, handle times, patience,
# availability) into report.html, and without gnuplot still writes the
# report and the charts' data; `ccsim backtest --plots` charts observed
# against simulated; the model's error is in compare's JSON, compare.json,
# model_error.csv and report.html, and a fitted scenario's 'backtest:' is
# found without --backtest; a backtest over the memory budget is refused;
# bad input exits 2 with the exact message.
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

# --- the model's error in every report: --json, compare.json, model_error.csv, report.html
expect 0 "$CCSIM" compare "$D" -r 3 --variant fewer:groups.sales_team.agents=14 --backtest "$TMP/bt.csv" --json
python3 - "$TMP/out" "$TMP/bt.csv" <<'P' || fail "compare --json: model_error"
import json, sys
m = json.load(open(sys.argv[1]))["model_error"]
assert m["backtest"] == sys.argv[2] and m["dates"] == 2, m
k = {x["metric"]: x for x in m["kpis"]}
assert abs(k["abandon_rate"]["mae"] - 0.15) < 1e-9, k
assert k["abandon_rate"]["variants"][0] == {"variant": "fewer", "diff": k["abandon_rate"]["variants"][0]["diff"], "against_model_error": "within"}
assert k["asa"]["variants"][0]["against_model_error"] == "larger", k
assert k["service_level"]["mae"] is None and k["service_level"]["variants"][0]["against_model_error"] == "no_model_error", k
P
expect 0 "$CCSIM" compare "$D" -r 2 --variant fewer:groups.sales_team.agents=14 --json
python3 -c 'import json,sys; assert "model_error" not in json.load(open(sys.argv[1]))' "$TMP/out" ||
    fail "compare --json without a backtest: no model_error"
expect 0 "$CCSIM" compare "$D" -r 3 --variant fewer:groups.sales_team.agents=14 --backtest "$TMP/bt.csv" --out "$TMP/cmp" --plots
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["model_error"]["dates"] == 2' "$TMP/cmp/compare.json" ||
    fail "compare.json: model_error"
head -1 "$TMP/cmp/model_error.csv" | grep -qx 'metric,unit,model_error,bias,inside,dates,variant,diff,against_model_error,backtest' ||
    fail "model_error.csv header: $(head -1 "$TMP/cmp/model_error.csv")"
grep -q '^abandon_rate,fraction,0.15,0.15,0,2,fewer,.*,within,' "$TMP/cmp/model_error.csv" ||
    fail "model_error.csv abandon row: $(sed -n 2p "$TMP/cmp/model_error.csv")"
grep -q '<h2 id="model-error">' "$TMP/cmp/report.html" || fail "report.html: no model-error section"
grep -q 'within the model&#39;s error\|within the model.s error: not shown on real days' "$TMP/cmp/report.html" ||
    fail "report.html: no judgement"
# ccsim plot remakes the report from the folder, the section with it
rm "$TMP/cmp/report.html"
expect 0 "$CCSIM" plot "$TMP/cmp"
grep -q '<h2 id="model-error">' "$TMP/cmp/report.html" || fail "ccsim plot: no model-error section"

# --- a fitted scenario names its backtest: compare finds it without --backtest
expect 0 "$CCSIM" fit "$S" --bootstrap 0 --out "$TMP/fit"
grep -qx 'backtest: backtest.csv' "$TMP/fit/scenario.yaml" || fail "fitted scenario: no backtest key"
V='more:routing.policy=skills'
expect 0 "$CCSIM" compare "$TMP/fit/scenario.yaml" -r 2 --variant "$V"
stderr_has "compare: note: $TMP/fit/scenario.yaml names the backtest $TMP/fit/backtest.csv, which is not there yet"
grep -q "the model's error on real days" "$TMP/out" && fail "no backtest yet, but a model-error note"
expect 0 "$CCSIM" backtest "$S" -r 3 --out "$TMP/fit"
expect 0 "$CCSIM" compare "$TMP/fit/scenario.yaml" -r 2 --variant "$V"
stdout_has "the model's error on real days (backtest $TMP/fit/backtest.csv, 1 date)"
# an explicit --backtest wins
expect 0 "$CCSIM" compare "$TMP/fit/scenario.yaml" -r 2 --variant "$V" --backtest "$TMP/bt.csv"
stdout_has "(backtest $TMP/bt.csv, 2 dates)"
# a named backtest that is not one is an error
printf 'a,b\n' >"$TMP/fit/backtest.csv"
expect 2 "$CCSIM" compare "$TMP/fit/scenario.yaml" -r 2 --variant "$V"
stderr_is "$TMP/fit/backtest.csv:1:1: error: not a backtest.csv: expected the header 'date,interval,kpi,observed,simulated,lo,hi'"

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

# --- backtest --plots: observed against simulated per interval (one date:
# its own charts), the errors per date; the second mode: the errors only
expect 0 "$CCSIM" backtest "$S" -r 3 --out "$TMP/bp" --plots
$IMG charts "$TMP/bp" 960 540 backtest_abandon_1999-10-12 backtest_asa_1999-10-12 \
    backtest_service_level_1999-10-12 backtest_errors || fail "backtest charts"
for c in backtest_abandon_1999-10-12 backtest_service_level_1999-10-12 backtest_errors; do
    grep -q "<figure id=\"chart-$c\">" "$TMP/bp/report.html" || fail "report.html lacks $c"
done
grep -q '<pre>backtest: 1 dates replayed' "$TMP/bp/report.html" || fail "report.html: the backtest's table"
grep -q '^26100,observed,' "$TMP/bp/charts/backtest_service_level_1999-10-12.csv" ||
    fail "interval rows: $(sed -n 2p "$TMP/bp/charts/backtest_service_level_1999-10-12.csv")"
grep -q '^1,abandon_points,' "$TMP/bp/charts/backtest_errors.csv" || fail "errors rows"
cmp -s "$TMP/bp/backtest.csv" "$TMP/bt/backtest.csv" || fail "--plots changed backtest.csv"
# the heat maps: a cell per date x interval, its error simulated - observed
# as backtest.csv has that interval (points; seconds for ASA)
$IMG charts "$TMP/bp" 960 540 backtest_heat_abandon backtest_heat_asa \
    backtest_heat_service_level || fail "heat map charts"
grep -q '<figure id="chart-backtest_heat_service_level">' "$TMP/bp/report.html" ||
    fail "report.html lacks the heat map"
python3 - "$TMP/bp" <<'PY' || fail "heat map values"
import csv, math, sys
d = sys.argv[1]
bt = {(r["date"], r["interval"], r["kpi"]): r for r in csv.DictReader(open(d + "/backtest.csv"))}
for word, kpi, scale in (("abandon", "abandon_rate", 100), ("asa", "asa", 1),
                         ("service_level", "service_level", 100)):
    rows = list(csv.DictReader(open(f"{d}/charts/backtest_heat_{word}.csv")))
    assert rows and list(rows[0]) == ["row", "date", "interval", "x", "error", "observed",
                                      "simulated"], list(rows[0])
    assert len(rows) == 34 and rows[0]["interval"] == "07:00" and rows[0]["x"] == "26100"
    cells = 0
    for r in rows:
        assert r["row"] == "1" and r["date"] == "1999-10-12"
        b = bt.get((r["date"], r["interval"], kpi))
        if b is None or b["observed"] == "nan" or b["simulated"] == "nan":
            assert r["error"] == "NaN", (word, r)
            continue
        want = scale * (float(b["simulated"]) - float(b["observed"]))
        assert math.isclose(float(r["error"]), want, rel_tol=1e-4, abs_tol=1e-3), (word, r, want)
        assert math.isclose(float(r["error"]), float(r["simulated"]) - float(r["observed"]),
                            rel_tol=1e-4, abs_tol=1e-3)
        cells += 1
    assert cells >= 30, (word, cells)
PY
expect 0 "$CCSIM" backtest "$S" -r 3 --fitted --out "$TMP/bf" --plots
$IMG charts "$TMP/bf" 960 540 backtest_errors || fail "backtest --fitted chart"
[ ! -e "$TMP/bf/charts/backtest_abandon_1999-10-12.csv" ] || fail "--fitted has no intervals"
[ ! -e "$TMP/bf/charts/backtest_heat_asa.csv" ] || fail "--fitted has no heat map"
expect 2 "$CCSIM" backtest "$S" --plots
stderr_is "ccsim backtest: error: --plots needs --out DIR (the charts and report.html go there)
Try 'ccsim help backtest'."

# --- the memory budget counts every replication a backtest keeps
expect 2 "$CCSIM" backtest "$S" -r 100000 -j 2 --max-memory 64M
stderr_is "$S: error: this needs about 1.0 GiB of memory (1 date x 100000 replications of up to 1384 results each, kept for their ranges, 2 simulations at once), more than the budget of 64 MiB; use fewer --replications, --dates or --jobs, or raise the budget with --max-memory SIZE"
expect 2 "$CCSIM" backtest "$S" -r 100000 -j 2 --fitted --max-memory 64M
stderr_has "(1 fitted scenario x 100000 replications of up to 11350 results each, kept for their ranges, 2 simulations at once), more than the budget of 64 MiB; use fewer --replications or --jobs"
finish
