# test_bad_inputs.sh - the catalogue of bad inputs (tests/cli/bad_inputs/):
# every case is a folder with `cmd` (the ccsim arguments, relative to the
# folder, shell-quoted), its input files, `expected` (the exact standard
# error) and `status` (the exact exit status). Each case runs in a copy of
# its folder, so nothing it writes stays. Run by ctest with the sanitizer
# build too: a crash, a leak or a hang is a failure like a wrong message.
#
#   bash tests/cli/test_bad_inputs.sh CCSIM SOURCE_DIR [--capture]
#
# --capture writes expected and status from what ccsim does now (to add a
# case: create its folder with cmd and inputs, capture, then read the
# message before committing it).
source "$(dirname "$0")/lib.sh" "$@"
CAPTURE=${3:-}
case $CCSIM in /*) ;; *) CCSIM=$PWD/$CCSIM ;; esac
n=0
for case_dir in "$SRC"/tests/cli/bad_inputs/*/; do
  name=$(basename "$case_dir")
  [ -f "$case_dir/cmd" ] || { fail "$name: no cmd file"; continue; }
  work="$TMP/$name"
  cp -R "$case_dir" "$work"
  eval "set -- $(cat "$case_dir/cmd")"
  got=0
  (cd "$work" && timeout 60 "$CCSIM" "$@") >"$TMP/out" 2>"$TMP/err" || got=$?
  n=$((n + 1))
  if [ "$CAPTURE" = "--capture" ]; then
    cp "$TMP/err" "$case_dir/expected"
    echo "$got" >"$case_dir/status"
    continue
  fi
  want=$(cat "$case_dir/status" 2>/dev/null || echo missing)
  [ "$got" = "$want" ] || fail "$name: exit $got (want $want)"
  if ! cmp -s "$TMP/err" "$case_dir/expected"; then
    fail "$name: stderr differs"
    diff "$case_dir/expected" "$TMP/err" | head -6 >&2 || true
  fi
done
[ "$n" -gt 0 ] || fail "no cases in tests/cli/bad_inputs"
echo "$n cases"
finish
