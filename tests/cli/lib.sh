# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - helpers for the CLI tests. Usage in a test:
#   source "$(dirname "$0")/lib.sh" "$@"     (args: CCSIM SOURCE_DIR)
set -euo pipefail
CCSIM=$1
SRC=$2
TMP=$(mktemp -d /tmp/ccs-cli-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# expect STATUS CMD... : run, capture stdout/stderr in $TMP/out, $TMP/err.
expect() {
  local want=$1; shift
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" || got=$?
  if [ "$got" != "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/    /' "$TMP/err" | head -5 >&2
  fi
}

# stderr_is TEXT / stderr_has TEXT / stdout_has TEXT
stderr_is() { [ "$(cat "$TMP/err")" = "$1" ] || fail "stderr is '$(cat "$TMP/err")', want '$1'"; }
stderr_has() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks '$1': $(head -3 "$TMP/err")"; }
stdout_has() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks '$1'"; }

finish() {
  if [ "$FAILS" -ne 0 ]; then echo "$FAILS failure(s)" >&2; exit 1; fi
  echo "all passed"
}
