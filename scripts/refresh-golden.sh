#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# refresh-golden.sh - regenerate the fixed-seed reports kept in docs/reports/.
# They are shown in the documentation and checked byte for byte by
# tests/cli/test_golden.sh, so a change in results is always a visible diff.
# Run after an intended change of results, and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
ccsim=${CCSIM:-build/ccsim}
for s in default omnichannel bank-replay; do
  "$ccsim" run "scenarios/$s.yaml" > "docs/reports/$s.txt"
done
echo "refreshed docs/reports/: review with git diff"
