# SPDX-License-Identifier: GPL-3.0-or-later
# test_routing_docs.sh - the code docs/routing.md shows is the code that is
# compiled and tested: every block after a "<!-- listing: PATH -->" marker
# must equal PATH byte for byte; and every policy ccsim lists has a section.
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

expect 0 "$CCSIM" policies
for p in $(sed -n 's/^\([a-z][a-z-]*\)  .*/\1/p' "$TMP/out"); do
  grep -q "^## $p " "$DOC" || fail "policy $p is not documented in docs/routing.md"
done
finish
