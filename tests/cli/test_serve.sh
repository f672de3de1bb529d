# SPDX-License-Identifier: GPL-3.0-or-later
# test_serve.sh - `ccsim serve` as a server: bad options and scenarios (exit
# 2, located), nothing served outside its own files, bad and hostile
# requests survived, a token beyond loopback (tests/cli/serve_robust.py).
# Skipped (77) when ccsim was built without libmicrohttpd.
source "$(dirname "$0")/lib.sh" "$@"
if "$CCSIM" serve --help | grep -q "not built"; then
  echo "ccsim built without serve (libmicrohttpd): skipped"
  exit 77
fi
python3 "$SRC/tests/cli/serve_robust.py" "$CCSIM" "$SRC" || fail "serve_robust.py"
finish
