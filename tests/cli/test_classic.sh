# SPDX-License-Identifier: GPL-3.0-or-later
# test_classic.sh - the classic published models (scenarios/classic/, issue
# 21) load, run a few replications with the engine's balance intact, and
# show the rows of the rules they use.
source "$(dirname "$0")/lib.sh" "$@"
C="$SRC/scenarios/classic"

expect 0 "$CCSIM" run "$C/telethon.yaml" --replications 3 --verbose
stdout_has "Messages left"
stderr_has "balanced: every contact ended exactly once"
stderr_has "+ messages "

expect 0 "$CCSIM" run "$C/bank.yaml" --replications 3 --verbose
stdout_has "Queue balance (voice, target 80% within 30s)"
stdout_has "Cost"
stderr_has "balanced: every contact ended exactly once"

expect 0 "$CCSIM" run "$C/bilingual.yaml" --replications 3 --verbose
stdout_has "Redials"
stderr_has "balanced: every contact ended exactly once"

expect 0 "$CCSIM" run "$C/teamwork.yaml" --replications 3 --verbose
stdout_has "Queue tech (voice, target 80% within 2m)"
stdout_has "Transfers out"
stderr_has "balanced: every contact ended exactly once"

expect 0 "$CCSIM" run "$C/teamwork_original.yaml" --replications 3 --verbose
stdout_has "Transfers out"
stdout_has "Conferences skipped"
stdout_has "Disconnected at close"
stderr_has "balanced: every contact ended exactly once"
expect 0 "$CCSIM" run "$C/teamwork_original.yaml" --replications 4 --json -j 1
cp "$TMP/out" "$TMP/t1.json"
expect 0 "$CCSIM" run "$C/teamwork_original.yaml" --replications 4 --json -j 2
cmp -s "$TMP/out" "$TMP/t1.json" || fail "teamwork_original differs with -j 2"

# work-based occupancy is in the machine-readable outputs
expect 0 "$CCSIM" run "$C/telethon.yaml" --replications 2 --out "$TMP/tel"
grep -q '^group,,,volunteers,work_occupancy,fraction,2,' "$TMP/tel/summary.csv" ||
  fail "summary.csv lacks the group's work_occupancy"

# same seed, same numbers (random agent choice draws from the routing stream)
expect 0 "$CCSIM" run "$C/bilingual.yaml" --replications 2 --json
cp "$TMP/out" "$TMP/a.json"
expect 0 "$CCSIM" run "$C/bilingual.yaml" --replications 2 --json
cmp -s "$TMP/out" "$TMP/a.json" || fail "bilingual is not reproducible"
finish
