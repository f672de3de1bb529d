# SPDX-License-Identifier: GPL-3.0-or-later
# test_serve.sh - `ccsim serve` as a server: bad options and scenarios (exit
# 2, located), nothing served outside its own files, bad and hostile
# requests survived, a token beyond loopback (tests/cli/serve_robust.py);
# exit 1 saying why when libmicrohttpd cannot be loaded (CCS_NO_MHD=1).
# Skipped (77) when ccsim was built without libmicrohttpd.
source "$(dirname "$0")/lib.sh" "$@"
if "$CCSIM" serve --help | grep -q "not built"; then
  echo "ccsim built without serve (libmicrohttpd): skipped"
  exit 77
fi
# libmicrohttpd is opened when serve starts: where it cannot be loaded (as
# on a machine without libmicrohttpd12), serve says why and exits 1 before
# reading any scenario; bad usage is still exit 2
CCS_NO_MHD=1 expect 1 "$CCSIM" serve "$SRC/scenarios/default.yaml"
stderr_is "ccsim serve: error: cannot load libmicrohttpd (Debian libmicrohttpd12): libmicrohttpd.so.12: not loaded, CCS_NO_MHD is set"
[ ! -s "$TMP/out" ] || fail "stdout not empty without libmicrohttpd: $(head -2 "$TMP/out")"
CCS_NO_MHD=1 expect 2 "$CCSIM" serve --port nope
python3 "$SRC/tests/cli/serve_robust.py" "$CCSIM" "$SRC" || fail "serve_robust.py"
finish
