# SPDX-License-Identifier: GPL-3.0-or-later
# test_plots.sh - charts and report.html: `ccsim run --plots`, `ccsim plot DIR`
# for runs and comparisons (compare.csv fixture), each PNG a valid image of
# 960x540 and each SVG well-formed XML; no gnuplot, a failing gnuplot, an
# unwritable directory; nothing half-written; no injection through names.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
IMG="python3 $SRC/tests/cli/imgcheck.py"
command -v gnuplot >/dev/null || { echo "gnuplot is needed (scripts/bootstrap.sh installs it)" >&2; exit 1; }

# check_charts DIR NAME... : each NAME.png is a 960x540 PNG, each NAME.svg parses
check_charts() {
  local dir=$1; shift
  $IMG charts "$dir" 960 540 "$@" || fail "charts in $dir"
}
# only DIR FILE... : DIR holds exactly these entries (no temporaries, no work dir)
only() {
  local dir=$1; shift
  local want got
  want=$(printf '%s\n' "$@" | sort)
  got=$(ls -A "$dir" | sort)
  [ "$want" = "$got" ] || fail "$dir holds: $(echo $got), want: $(echo $want)"
}
RUN_CHARTS="service_level waiting agents wait_cdf occupancy time_share"
RUN_FILES="summary.csv intervals.csv replications.csv waits.csv timeseries.csv summary.json report.html charts"

# run --plots: every chart, the report, nothing else; time series sampled by itself
expect 0 "$CCSIM" run "$S" -r 4 --out "$TMP/a" --plots
[ -s "$TMP/err" ] && fail "unexpected messages: $(head -3 "$TMP/err")"
only "$TMP/a" $RUN_FILES
check_charts "$TMP/a" $RUN_CHARTS
[ "$(ls "$TMP/a/charts" | wc -l)" = 12 ] || fail "charts: $(ls "$TMP/a/charts")"
grep -q "^120,queue,sales,,waiting," "$TMP/a/timeseries.csv" || fail "default sampling is not 2m for 8h"
grep -q '<svg' "$TMP/a/report.html" || fail "report has no inline svg"
[ "$(grep -c '<figure id="chart-' "$TMP/a/report.html")" = 6 ] || fail "report should show 6 charts"
grep -q 'Service level <code>service_level</code>' "$TMP/a/report.html" || fail "report KPI table"
grep -q 'answered within T / offered' "$TMP/a/report.html" || fail "report definitions"
grep -q 'seed 2026' "$TMP/a/report.html" || fail "report seed"
grep -qiE '<script|<link|<img|<iframe|@import|(src|href)=.(https?:|//)|url\((https?:|//)' "$TMP/a/report.html" \
  && fail "report.html loads something from outside itself"
python3 - "$TMP/a/report.html" <<'PY' || fail "ids of inline charts collide"
import re, sys
ids = re.findall(r"""\sid=['"]([^'"]+)""", open(sys.argv[1]).read())
dup = {i for i in ids if ids.count(i) > 1}
assert not dup, sorted(dup)[:5]
PY

# same scenario, seed and replications: byte-identical charts and report
expect 0 "$CCSIM" run "$S" -r 4 --out "$TMP/b" --plots
for f in report.html $(cd "$TMP/a" && ls charts/*); do
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done

# an explicit --sample is kept
expect 0 "$CCSIM" run "$S" -r 2 --sample 10m --out "$TMP/s" --plots
grep -q "^600,queue,sales,,waiting," "$TMP/s/timeseries.csv" || fail "--sample ignored with --plots"

# ccsim plot DIR on results written before; charts/ is replaced as a whole
expect 0 "$CCSIM" run "$S" -r 3 --out "$TMP/p"
only "$TMP/p" summary.csv intervals.csv replications.csv waits.csv summary.json
expect 0 "$CCSIM" plot "$TMP/p"
check_charts "$TMP/p" service_level wait_cdf occupancy time_share
[ -e "$TMP/p/charts/waiting.png" ] && fail "waiting chart without timeseries.csv"
touch "$TMP/p/charts/stale.png"
expect 0 "$CCSIM" plot "$TMP/p"
[ -e "$TMP/p/charts/stale.png" ] && fail "old charts/ not replaced"
only "$TMP/p" summary.csv intervals.csv replications.csv waits.csv summary.json report.html charts
expect 0 "$CCSIM" plot "$TMP/p" --no-charts
grep -q '<svg' "$TMP/p/report.html" && fail "--no-charts report has charts"

# a comparison (compare.csv as ccsim compare writes it; built from three runs)
"$CCSIM" run "$S" -r 10 --out "$TMP/v1" >/dev/null
"$CCSIM" run "$S" -r 10 --out "$TMP/v2" --set groups.sales_team.agents=18 >/dev/null
"$CCSIM" run "$S" -r 10 --out "$TMP/v3" --set groups.support_team.agents=25 >/dev/null
# laid out as ccsim compare --out writes it: compare.csv, and each variant's
# run outputs in a directory of its name (the baseline's give the scenario)
mkdir "$TMP/c"
python3 "$SRC/tests/cli/compare_fixture.py" "$TMP/c/compare.csv" acd="$TMP/v1" sales18="$TMP/v2" support25="$TMP/v3"
cp -r "$TMP/v1" "$TMP/c/acd"
expect 0 "$CCSIM" plot "$TMP/c"
only "$TMP/c" compare.csv acd report.html charts
grep -q '<tr><th>Reporting interval</th><td>30m</td></tr>' "$TMP/c/report.html" \
  || fail "compare report: scenario from the baseline's summary.json"
check_charts "$TMP/c" compare_service_level compare_asa compare_abandon_rate compare_occupancy \
  compare_intervals_service_level compare_intervals_asa
[ -e "$TMP/c/charts/compare_offered.png" ] && fail "a chart of a KPI no variant changes"
grep -q 'baseline <b>acd</b>' "$TMP/c/report.html" || fail "compare report baseline"
grep -qE '<td class="(better|worse|same)">(better|worse|no significant difference)</td>' \
  "$TMP/c/report.html" || fail "compare report verdicts"
grep -qE '<span class="diff">[+-][0-9.]+ pp &plusmn;&nbsp;[0-9.]+ pp</span>' "$TMP/c/report.html" \
  || fail "compare report differences"

# the scripts in plots/ redraw the charts by hand from the CSV files, with
# nothing but in= and out= (docs/plots.md)
mkdir -p "$TMP/hand/charts"
for spec in service_level:a/intervals.csv waiting:a/timeseries.csv agents:a/timeseries.csv \
            wait_cdf:a/waits.csv occupancy:a/intervals.csv time_share:a/summary.csv \
            compare_kpi:c/compare.csv compare_intervals:c/compare.csv; do
  name=${spec%%:*}; in=$TMP/${spec#*:}
  extra=""; case $name in compare_*) extra="; kpi='service_level'; better=1" ;; esac
  gnuplot -e "in='$in'; out='$TMP/hand/charts/$name.png'$extra" "$SRC/plots/$name.gp" \
    2>"$TMP/hand/err" || fail "plots/$name.gp by hand: $(head -2 "$TMP/hand/err")"
  # ccsim draws the SVG and then the PNG in one gnuplot session: a second run
  # of a script in the same session must draw the same chart
  gnuplot -e "in='$in'; out='$TMP/hand/charts/$name.svg'$extra" "$SRC/plots/$name.gp" \
    -e "out='$TMP/hand/again.svg'" "$SRC/plots/$name.gp" 2>"$TMP/hand/err" \
    || fail "plots/$name.gp twice: $(head -2 "$TMP/hand/err")"
  cmp -s "$TMP/hand/charts/$name.svg" "$TMP/hand/again.svg" || fail "plots/$name.gp: second run differs"
done
check_charts "$TMP/hand" service_level waiting agents wait_cdf occupancy time_share \
  compare_kpi compare_intervals
expect 1 gnuplot "$SRC/plots/service_level.gp"
stderr_has "set in='intervals.csv' and out='x.png|x.svg' with -e"

# ccsim compare --plots: charts and report in the comparison's transaction
expect 0 "$CCSIM" compare "$S" --variant hire:groups.sales_team.agents=18 -r 6 --out "$TMP/cp" --plots
only "$TMP/cp" baseline hire compare.csv compare.json report.html charts
check_charts "$TMP/cp" compare_service_level compare_asa compare_intervals_service_level
grep -q '<tr><th>Variants</th><td>baseline, hire</td></tr>' "$TMP/cp/report.html" \
  || fail "compare report: variants"
grep -q '<tr><th>Seed</th><td>2026</td></tr>' "$TMP/cp/report.html" || fail "compare report: seed"
# ccsim plot on it reads the variants from compare.json, the scenario from baseline/
expect 0 "$CCSIM" plot "$TMP/cp"
grep -q '<h3>Variants</h3>' "$TMP/cp/report.html" || fail "compare report: variants from compare.json"
grep -q '<tr><th>Reporting interval</th><td>30m</td></tr>' "$TMP/cp/report.html" \
  || fail "compare report: scenario from baseline/summary.json"
expect 2 "$CCSIM" compare "$S" --variant hire:groups.sales_team.agents=18 --plots
stderr_has "--plots needs --out DIR"

# no gnuplot: outputs and report still written, one notice line, exit 0
mkdir "$TMP/nobin"
expect 0 env PATH="$TMP/nobin" "$CCSIM" run "$S" -r 2 --out "$TMP/n" --plots
stderr_is "ccsim run: note: gnuplot not found; charts skipped (install: apt-get install gnuplot-nox)"
only "$TMP/n" summary.csv intervals.csv replications.csv waits.csv timeseries.csv summary.json report.html
grep -q 'gnuplot was not found' "$TMP/n/report.html" || fail "report does not say why there are no charts"
expect 0 env PATH="$TMP/nobin" "$CCSIM" plot "$TMP/p"
stderr_has "gnuplot not found"

# a gnuplot that fails: a warning per chart, the rest still written
mkdir "$TMP/badbin"
printf '#!/bin/sh\necho "line 1: simulated failure" >&2\nexit 1\n' > "$TMP/badbin/gnuplot"
chmod +x "$TMP/badbin/gnuplot"
expect 0 env PATH="$TMP/badbin" "$CCSIM" run "$S" -r 2 --out "$TMP/f" --plots
stderr_has "ccsim run: warning: chart 'service_level' not drawn: line 1: simulated failure"
[ "$(grep -c 'not drawn' "$TMP/err")" = 6 ] || fail "one warning per chart expected"
only "$TMP/f" summary.csv intervals.csv replications.csv waits.csv timeseries.csv summary.json report.html
grep -q '6 of 6 charts could not be drawn' "$TMP/f/report.html" || fail "report notice"

# unwritable output directory: clear error, exit 1, nothing written
expect 1 "$CCSIM" run "$S" -r 1 --out /proc/ccsim-test --plots
stderr_has "/proc/ccsim-test: error: cannot create output directory"
# a file where charts/ must go: the whole transaction fails, nothing half-written
expect 0 "$CCSIM" run "$S" -r 2 --out "$TMP/x"
rm -rf "$TMP/x/charts"; echo keep > "$TMP/x/charts"
cp "$TMP/x/summary.csv" "$TMP/x.summary"
expect 1 "$CCSIM" run "$S" -r 3 --out "$TMP/x" --plots
stderr_has "charts: error: cannot replace: exists and is not a directory"
[ "$(cat "$TMP/x/charts")" = keep ] || fail "charts file changed"
cmp -s "$TMP/x/summary.csv" "$TMP/x.summary" || fail "summary.csv half-replaced after a failed commit"
[ -e "$TMP/x/report.html" ] && fail "report.html written by a failed run"
only "$TMP/x" summary.csv intervals.csv replications.csv waits.csv summary.json charts

# names cannot inject gnuplot commands or HTML
expect 0 "$CCSIM" run "$S" -r 2 --out "$TMP/e" --plots --set "name=<b>R&D'; system(\"touch PWNED\")</b>"
[ -e "$TMP/e/PWNED" ] || [ -e PWNED ] && fail "gnuplot ran a command from the scenario name"
grep -q '&lt;b&gt;R&amp;D' "$TMP/e/report.html" || fail "scenario name not escaped in the report"
grep -q '<b>R&D' "$TMP/e/report.html" && fail "raw HTML from the scenario name"
sed -i "s/^acd,/x'; system('touch PWNED'); y='acd,/" "$TMP/c/compare.csv"
expect 0 "$CCSIM" plot "$TMP/c"
[ -e "$TMP/c/PWNED" ] || [ -e "$TMP/c/.ccsim-work"* ] && fail "injection through a variant name"
check_charts "$TMP/c" compare_service_level

# usage
expect 2 "$CCSIM" run "$S" --plots
stderr_has "--plots needs --out DIR"
expect 2 "$CCSIM" plot
stderr_has "missing DIR"
expect 2 "$CCSIM" plot "$TMP/nobin"
stderr_has "not a ccsim results directory"
expect 2 "$CCSIM" plot "$TMP/missing"
stderr_has "cannot open results directory"
expect 2 "$CCSIM" plot "$TMP/p" --interval 0s
stderr_has "ccsim plot: error: invalid --interval '0s': expected a positive duration such as 30m"
expect 0 "$CCSIM" help plot
stdout_has "usage: ccsim plot DIR"
finish
