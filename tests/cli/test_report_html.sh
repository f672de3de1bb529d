# SPDX-License-Identifier: GPL-3.0-or-later
# test_report_html.sh - report.html opened in headless Chromium: it renders,
# with its charts, and needs nothing from outside itself (network off).
# Screenshots are kept as test artefacts in BUILD/tests/artifacts/.
# Exit 77 (skipped) when Chromium is not installed (scripts/bootstrap.sh
# --test installs Debian's chromium package).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
IMG="python3 $SRC/tests/cli/imgcheck.py"
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$BROWSER" ]; then
  echo "SKIP: chromium not installed (scripts/bootstrap.sh --test)" >&2
  exit 77
fi
ART="$(cd "$(dirname "$CCSIM")" && pwd)/tests/artifacts"
mkdir -p "$ART"

# chromium ARGS... : headless, isolated profile, no network
chromium_run() {
  local profile
  profile=$(mktemp -d "$TMP/profile-XXXXXX")
  timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" "$@" 2>>"$TMP/chromium.log"
}

# check_page NAME HTML CHARTS: the DOM has CHARTS inline SVG charts, and a
# 1000x1000 screenshot (kept as NAME.png) shows chart-coloured pixels
check_page() {
  local name=$1 html=$2 charts=$3
  chromium_run --dump-dom "file://$html" > "$TMP/$name.dom" || fail "$name: chromium --dump-dom"
  local n
  n=$(grep -o '<svg role="img"' "$TMP/$name.dom" | wc -l)
  [ "$n" = "$charts" ] || fail "$name: $n charts in the DOM, want $charts"
  grep -q '<h2 id="kpis">KPIs</h2>' "$TMP/$name.dom" || fail "$name: no KPI section in the DOM"
  rm -f "$ART/$name.png"
  chromium_run --screenshot="$ART/$name.png" --window-size=1000,1000 "file://$html" >/dev/null \
    || fail "$name: chromium --screenshot"
  $IMG png "$ART/$name.png" 1000 1000 || fail "$name: screenshot is not a 1000x1000 PNG"
  $IMG ink "$ART/$name.png" 0.02 500 || fail "$name: screenshot shows no chart"
}

expect 0 "$CCSIM" run "$S" -r 3 --out "$TMP/r" --plots
cp "$TMP/r/report.html" "$ART/report-run.html"
check_page report-run "$TMP/r/report.html" 6

# the same report without gnuplot renders too, and says why it has no charts
mkdir "$TMP/nobin"
expect 0 env PATH="$TMP/nobin" "$CCSIM" run "$S" -r 2 --out "$TMP/n" --plots
chromium_run --dump-dom "file://$TMP/n/report.html" > "$TMP/n.dom" || fail "chromium on report without charts"
grep -q 'gnuplot was not found' "$TMP/n.dom" || fail "no-chart report: notice missing from the DOM"

# a comparison report
expect 0 "$CCSIM" compare "$S" --variant hire:groups.sales_team.agents=18 -r 6 --out "$TMP/c" --plots
cp "$TMP/c/report.html" "$ART/report-compare.html"
check_page report-compare "$TMP/c/report.html" "$(ls "$TMP/c/charts" | grep -c '\.svg$')"
finish
