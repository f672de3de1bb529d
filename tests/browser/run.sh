#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - the browser test of `ccsim serve` (serve_page.mjs) under ctest:
# Debian's Chromium driven by puppeteer-core, installed in node_modules by
# `scripts/bootstrap.sh --test` (npm ci from the committed package-lock.json).
# Skipped (77) when chromium, node or node_modules is missing.
#   run.sh CCSIM SOURCE_DIR BUILD_DIR
set -euo pipefail
CCSIM=$1 SRC=$2 OUT=$3/browser
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then echo "no $chromium: skipped"; exit 77; fi
if ! command -v node >/dev/null; then echo "no node: skipped"; exit 77; fi
if [ ! -d "$SRC/tests/browser/node_modules/puppeteer-core" ]; then
  echo "no tests/browser/node_modules (scripts/bootstrap.sh --test installs it): skipped"
  exit 77
fi
mkdir -p "$OUT"
cd "$SRC/tests/browser"
CHROMIUM=$chromium node serve_page.mjs "$CCSIM" "$SRC/tests/browser/understaffed.yaml" "$OUT"
echo "screenshots: $OUT/serve-change.png $OUT/serve-end.png"
