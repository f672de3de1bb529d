# SPDX-License-Identifier: GPL-3.0-or-later
# test_seed.sh - every output records the seed the simulations ran with, so
# that a rerun from any report gives the same numbers: --seed N must show as
# N, not as the scenario's seed, in run's table, --json, summary.json and
# report.html; in compare's table, --json, compare.json, each variant's
# summary.json and report.html (also redrawn by `ccsim plot`); in staff's
# table and --json; in sweep's table and sweep.json.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
mkdir "$TMP/nobin" # no gnuplot: report.html without charts, fast

# --- run -----------------------------------------------------------------------------
expect 0 "$CCSIM" run "$S" -r 2 --seed 7
sed -n 2p "$TMP/out" | grep -q "^policy acd, seed 7, 2 replications," || fail "run table: $(sed -n 2p "$TMP/out")"
cp "$TMP/out" "$TMP/run7"
expect 0 "$CCSIM" run "$S" -r 2
sed -n 2p "$TMP/out" | grep -q "^policy acd, seed 2026, " || fail "run table without --seed: $(sed -n 2p "$TMP/out")"
# a rerun with the seed the report gives is the same run
expect 0 "$CCSIM" run "$S" -r 2 --set seed=7
cmp -s "$TMP/out" "$TMP/run7" || fail "run: --set seed=7 differs from --seed 7"
expect 0 "$CCSIM" run "$S" -r 2 --seed 7 --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["scenario"]["seed"]; assert s == 7, s' \
  "$TMP/out" || fail "run --json: seed"
expect 0 env PATH="$TMP/nobin" "$CCSIM" run "$S" -r 2 --seed 7 --out "$TMP/r" --plots
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["scenario"]["seed"]; assert s == 7, s' \
  "$TMP/r/summary.json" || fail "run summary.json: seed"
grep -qF '<tr><th>Seed</th><td>7</td></tr>' "$TMP/r/report.html" || fail "run report.html: seed row"
grep -qF ' &middot; seed 7 ' "$TMP/r/report.html" || fail "run report.html: seed in the title"
grep -qF '2026' "$TMP/r/report.html" && fail "run report.html names the scenario's seed"

# --- compare ---------------------------------------------------------------------------
V=(--variant hire:groups.sales_team.agents=18)
expect 0 "$CCSIM" compare "$S" -r 3 --seed 7 "${V[@]}"
stdout_has "common random numbers: seed 7, replications 0..2 paired by number"
expect 0 "$CCSIM" compare "$S" -r 3 --seed 7 "${V[@]}" --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["seed"]; assert s == 7, s' \
  "$TMP/out" || fail "compare --json: seed"
expect 0 env PATH="$TMP/nobin" "$CCSIM" compare "$S" -r 3 --seed 7 "${V[@]}" --out "$TMP/c" --plots
python3 - "$TMP/c" <<'PY' || fail "compare --out: seeds in compare.json and summary.json"
import json, sys
d = sys.argv[1]
assert json.load(open(d + "/compare.json"))["seed"] == 7
for v in ("baseline", "hire"):
    sc = json.load(open(f"{d}/{v}/summary.json"))["scenario"]
    assert sc["seed"] == 7 and sc["replications"] == 3, (v, sc)
PY
for pass in compare plot; do
  grep -qF '<tr><th>Seed</th><td>7</td></tr>' "$TMP/c/report.html" || fail "compare report.html ($pass): seed row"
  grep -qF ' &middot; seed 7 ' "$TMP/c/report.html" || fail "compare report.html ($pass): seed in the title"
  grep -qF '<tr><th>Replications</th><td>3</td></tr>' "$TMP/c/report.html" \
    || fail "compare report.html ($pass): replications"
  # ccsim plot redraws it from the files: the same seed
  [ "$pass" = compare ] && expect 0 "$CCSIM" plot "$TMP/c" --no-charts
done

# --- staff -------------------------------------------------------------------------------
ST="$SRC/scenarios/staffing-day.yaml"
expect 3 "$CCSIM" staff "$ST" -r 1 --max-rounds 1 --seed 7
stdout_has "(1 replication each, seed 7)"
expect 3 "$CCSIM" staff "$ST" -r 1 --max-rounds 1 --seed 7 --json
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["seed"]; assert s == 7, s' \
  "$TMP/out" || fail "staff --json: seed"

# --- sweep -------------------------------------------------------------------------------
expect 0 "$CCSIM" sweep "$S" -r 1 --seed 7 --grid groups.sales_team.agents=17,18 --out "$TMP/s" -q
stdout_has "seed 7, independent streams"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["sweep"]["seed"]; assert s == 7, s' \
  "$TMP/s/sweep.json" || fail "sweep.json: seed"
finish
