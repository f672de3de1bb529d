#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_bad_inputs.sh - the catalogue of bad inputs (tests/cli/bad_inputs/):
# every case is refused with its exact message and exit status, never a
# crash, a hang or a stray output file.
#
# A case is a folder bad_inputs/NAME/ holding
#   cmd       the ccsim arguments, one line, split as the shell splits them,
#             paths relative to the case folder (run from a copy of it)
#   expected  the exact standard error
#   status    the exit status (a number; 2 when the file is absent)
#   setup     optional: shell commands run in the copy first (to make what
#             git cannot hold: a FIFO, a symbolic link, a huge file)
#   ...       the input files the command names
# Add a case by adding a folder; `CCS_BAD_REFRESH=1` rewrites every
# `expected` and `status` from what ccsim says now (review the diff).
source "$(dirname "$0")/lib.sh" "$@"
CCSIM=$(cd "$(dirname "$CCSIM")" && pwd)/$(basename "$CCSIM")
CASES="$SRC/tests/cli/bad_inputs"
n=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/cmd" ] || { fail "$name: no cmd file"; continue; }
  work="$TMP/$name"
  cp -r "$dir" "$work"
  if [ -f "$dir/setup" ] && ! (cd "$work" && sh ./setup); then
    fail "$name: setup failed"
    continue
  fi
  eval "args=($(cat "$dir/cmd"))"
  want_status=2
  [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
  got=0
  (cd "$work" && timeout 20 "$CCSIM" "${args[@]}" >"$TMP/out" 2>"$TMP/err") || got=$?
  # A case names /dev/null as an output: were its refusal ever to break,
  # the write would replace the device (as root) for the whole machine.
  # Say so loudly and put the device back rather than leave it broken.
  if [ ! -c /dev/null ]; then
    fail "$name: /dev/null is no longer a character device (an output replaced it)"
    if [ "$(id -u)" = 0 ]; then rm -f /dev/null && mknod -m 666 /dev/null c 1 3; fi
  fi
  if [ -n "${CCS_BAD_REFRESH:-}" ]; then
    cp "$TMP/err" "$dir/expected"
    [ "$got" = 2 ] && rm -f "$dir/status" || echo "$got" >"$dir/status"
    continue
  fi
  n=$((n + 1))
  if [ "$got" = 124 ]; then
    fail "$name: hangs (killed after 20 s)"
    continue
  fi
  if [ "$got" != "$want_status" ]; then
    fail "$name: exit $got, want $want_status"
    sed 's/^/    /' "$TMP/err" | head -3 >&2
  fi
  if ! cmp -s "$TMP/err" "$dir/expected"; then
    fail "$name: stderr differs"
    diff "$dir/expected" "$TMP/err" | sed 's/^/    /' | head -6 >&2
  fi
done
echo "$n bad-input cases"
finish
