# test_routing_docs.sh - the code docs/routing.md shows is the code that is
# compiled and tested: every block after a "<!-- listing: PATH -->" marker
# must equal PATH byte for byte; and `ccsim policies` lists every policy the
# page documents.
source "$(dirname "$0")/lib.sh" "$@"
DOC="$SRC/docs/routing.md"
n=0
while IFS= read -r path; do
  n=$((n + 1))
  awk -v want="<!-- listing: $path -->" '
    $0 == want { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```$/ { exit }
    found == 2 { print }
  ' "$DOC" > "$TMP/listing"
  if ! cmp -s "$TMP/listing" "$SRC/$path"; then
    fail "docs/routing.md's listing of $path differs from the file"
    diff "$SRC/$path" "$TMP/listing" | head -10 >&2 || true
  fi
done < <(sed -n 's/^<!-- listing: \(.*\) -->$/\1/p' "$DOC")
[ "$n" -ge 2 ] || fail "expected at least 2 listings in docs/routing.md, found $n"

# ccsim policies: every registered policy, with a section in the docs
expect 0 "$CCSIM" policies
for p in acd skills predictive-sla blended oldest-first; do
  grep -q "^$p  *[a-z]" "$TMP/out" || fail "ccsim policies does not list $p"
  grep -q "^## $p " "$DOC" || fail "docs/routing.md has no section for $p"
done
stdout_has "select: longest_idle | most_skilled | least_occupied, default longest_idle"
stdout_has "reserve: whole number, default 1"
# ... and nothing it lists is undocumented
for p in $(sed -n 's/^\([a-z][a-z-]*\)  .*/\1/p' "$TMP/out"); do
  grep -q "^## $p " "$DOC" || fail "policy $p is not documented in docs/routing.md"
done
expect 0 "$CCSIM" policies blended
stdout_has "urgent_after: percentage, default none"
expect 2 "$CCSIM" policies bogus
stderr_is "ccsim policies: error: unknown routing policy 'bogus' (known: acd, skills, predictive-sla, blended, oldest-first)"
expect 2 "$CCSIM" policies a b
stderr_has "too many arguments"
expect 0 "$CCSIM" help policies
stdout_has "usage: ccsim policies [NAME]"

# an unknown policy in a scenario lists the valid ones, located
printf 'queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\nrouting: {policy: skils}\n' > "$TMP/bad.yaml"
expect 2 "$CCSIM" run "$TMP/bad.yaml"
stderr_is "$TMP/bad.yaml:5:19: error: unknown routing policy 'skils'; did you mean 'skills'? (known: acd, skills, predictive-sla, blended, oldest-first)"
finish
