# SPDX-License-Identifier: GPL-3.0-or-later
# test_routing_docs.sh - every policy ccsim lists has a section in
# docs/routing.md. (The code the page shows is checked against the files by
# test_doc_excerpts.sh: its "<!-- output: cat PATH -->" blocks.)
source "$(dirname "$0")/lib.sh" "$@"
DOC="$SRC/docs/routing.md"
grep -q '^<!-- output: cat sim/policy/oldest_first.c -->$' "$DOC" \
  || fail "docs/routing.md no longer shows sim/policy/oldest_first.c"
expect 0 "$CCSIM" policies
for p in $(sed -n 's/^\([a-z][a-z-]*\)  .*/\1/p' "$TMP/out"); do
  grep -q "^## $p " "$DOC" || fail "policy $p is not documented in docs/routing.md"
done
finish
