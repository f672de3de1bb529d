#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# refresh-doc-excerpts.sh [CCSIM] - rewrite every marked output block of
# README.md and docs/*.md from what ccsim prints now (scripts/doc_excerpts.py
# says how blocks are marked). Run it after a change that moves numbers on
# purpose (a new random-variate method, a new default), then read the diff
# and fix the prose that quotes them; tests/cli/test_doc_excerpts.sh checks
# the blocks, not the prose.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
ccsim=${1:-$here/build/ccsim}
[ -x "$ccsim" ] || { echo "refresh-doc-excerpts.sh: no ccsim at $ccsim (build first, or give its path)" >&2; exit 2; }
exec python3 "$here/scripts/doc_excerpts.py" refresh "$ccsim" "$here"
