# SPDX-License-Identifier: GPL-3.0-or-later
# test_doc_excerpts.sh - every block of README.md and docs/*.md that shows
# what a command prints is what it prints today: each is marked with the
# command that produces it (<!-- excerpt: ... -->, <!-- output: ... -->,
# <!-- keys: ... -->), which scripts/doc_excerpts.py runs and compares; an
# output block with no marker fails too. scripts/refresh-doc-excerpts.sh
# rewrites the blocks when the numbers change on purpose.
source "$(dirname "$0")/lib.sh" "$@"
if ! python3 "$SRC/scripts/doc_excerpts.py" check "$CCSIM" "$SRC" >"$TMP/report" 2>&1; then
  cat "$TMP/report" >&2
  fail "the documents show output that ccsim no longer prints (scripts/refresh-doc-excerpts.sh)"
fi
tail -1 "$TMP/report"

# the checker itself: a stale number, a lost line and an unmarked block are caught
mkdir -p "$TMP/tree/docs"
ln -s "$SRC/scenarios" "$TMP/tree/scenarios"
cat > "$TMP/tree/README.md" <<'MD'
<!-- excerpt: ccsim run scenarios/default.yaml -r 2 -->
```
Queue sales (voice, target 80% within 20s)
  Offered                          9999.9  ± 1.0
  ...
```
MD
cat > "$TMP/tree/docs/a.md" <<'MD'
<!-- excerpt: ccsim run scenarios/default.yaml -r 2 -->
```
Queue nowhere (voice)
```

```
an unmarked block
```
MD
python3 "$SRC/scripts/doc_excerpts.py" check "$CCSIM" "$TMP/tree" >"$TMP/self" 2>&1 && fail "stale blocks passed"
grep -q "^README.md:2: error: the excerpt of 'ccsim run scenarios/default.yaml -r 2' differs" "$TMP/self" \
  || fail "a stale number not caught: $(cat "$TMP/self")"
grep -q "^docs/a.md:2: error: excerpt of .*: no line shaped like 'Queue nowhere (voice)'" "$TMP/self" \
  || fail "a lost line not caught: $(cat "$TMP/self")"
grep -q "^docs/a.md:6: error: a \`\`\` block with no marker" "$TMP/self" \
  || fail "an unmarked block not caught: $(cat "$TMP/self")"
# refresh rewrites the stale number and keeps the elision
python3 "$SRC/scripts/doc_excerpts.py" refresh "$CCSIM" "$TMP/tree" >/dev/null 2>&1 || true  # a.md stays wrong
grep -q "^  Offered  *9999.9" "$TMP/tree/README.md" && fail "refresh left the stale number"
grep -qx "  ..." "$TMP/tree/README.md" || fail "refresh dropped the elision"
finish
