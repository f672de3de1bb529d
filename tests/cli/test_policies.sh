# SPDX-License-Identifier: GPL-3.0-or-later
# test_policies.sh - `ccsim policies`, policy parameters with located
# errors, and every policy running the shipped routing scenarios.
source "$(dirname "$0")/lib.sh" "$@"

expect 0 "$CCSIM" policies
for p in acd skills predictive-sla blended oldest-first; do
  grep -q "^$p  *[a-z]" "$TMP/out" || fail "ccsim policies does not list $p"
done
stdout_has "select: longest_idle | most_skilled | least_occupied | random, default longest_idle"
stdout_has "reserve: whole number, default 1"
stdout_has "work-conserving"
expect 0 "$CCSIM" policies blended
stdout_has "urgent_after: percentage, default none"
expect 2 "$CCSIM" policies bogus
stderr_is "ccsim policies: error: unknown routing policy 'bogus' (known: acd, skills, predictive-sla, blended, oldest-first)
Try 'ccsim help policies'."
expect 2 "$CCSIM" policies a b
stderr_is "ccsim policies: error: unexpected argument 'b'
Try 'ccsim help policies'."
expect 0 "$CCSIM" help policies
stdout_has "usage: ccsim policies [NAME]"
"$CCSIM" --help | grep -q "^  policies " || fail "ccsim --help does not list policies"

# an unknown policy in a scenario lists the valid ones, located
printf 'queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\nrouting: {policy: skils}\n' > "$TMP/bad.yaml"
expect 2 "$CCSIM" run "$TMP/bad.yaml"
stderr_is "$TMP/bad.yaml:5:19: error: unknown routing policy 'skils'; did you mean 'skills'? (known: acd, skills, predictive-sla, blended, oldest-first)"

# parameters: checked like the rest of the file, located in --set too
B="$SRC/scenarios/blended-email.yaml"
expect 2 "$CCSIM" run "$B" --set routing.reserve=-1
stderr_is "--set:1:17: error: 'reserve' must not be negative, got '-1'"
expect 2 "$CCSIM" run "$B" --set routing.reserve=1.5
stderr_is "--set:1:17: error: 'reserve' must be a whole number, got '1.5'"
expect 2 "$CCSIM" run "$B" --set routing.urgent_after=150%
stderr_has "'urgent_after': bad percentage '150%'"
expect 2 "$CCSIM" run "$B" --set routing.select=fastest
stderr_is "--set:1:16: error: unknown select 'fastest' (one of longest_idle, most_skilled, least_occupied, random)"
expect 2 "$CCSIM" run "$B" --set 'routing={policy: skills, reserve: 2}'
stderr_is "--set:1:26: error: unknown key 'reserve' in routing"
expect 2 "$CCSIM" run "$SRC/scenarios/vip-surge.yaml" --set routing.aging=1m
stderr_is "--set:1:9: error: unknown key 'aging' in routing"

# every policy runs every shipped routing scenario, deterministically
for s in vip-surge blended-email experts; do
  for p in acd skills predictive-sla blended oldest-first; do
    expect 0 "$CCSIM" run "$SRC/scenarios/$s.yaml" -r 2 --set "routing={policy: $p}"
    stdout_has "policy $p, seed"
    cp "$TMP/out" "$TMP/first"
    expect 0 "$CCSIM" run "$SRC/scenarios/$s.yaml" -r 2 --set "routing={policy: $p}"
    cmp -s "$TMP/out" "$TMP/first" || fail "$s with $p: two runs differ"
  done
done
# (the README's side-by-side comparison is real output: test_doc_excerpts.sh)
finish
