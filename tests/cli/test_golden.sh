# SPDX-License-Identifier: GPL-3.0-or-later
# test_golden.sh - the fixed-seed reports in docs/reports/ are what ccsim
# prints today, byte for byte (refresh with scripts/refresh-golden.sh after an
# intended change, and review the diff).
source "$(dirname "$0")/lib.sh" "$@"
for f in "$SRC"/docs/reports/*.txt; do
  name=$(basename "$f" .txt)
  expect 0 "$CCSIM" run "$SRC/scenarios/$name.yaml"
  # the report names the scenario file as given on the command line
  sed "s|$SRC/scenarios/|scenarios/|" "$TMP/out" > "$TMP/got"
  if ! cmp -s "$TMP/got" "$f"; then
    fail "$name: output differs from docs/reports/$name.txt"
    diff "$f" "$TMP/got" | head -20 >&2 || true
  fi
done
finish
