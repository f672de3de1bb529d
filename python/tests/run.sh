#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh - the Python module's tests (ctest python.pytest): pytest from
# Debian's interpreter on the module in the build tree. Skips (exit 77) when
# the module was not built (no python3-dev) or pytest is missing.
#   run.sh PYTHON BUILT(ON|OFF) MODULE_DIR CCSIM SOURCE_DIR [PYTEST ARGS...]
set -euo pipefail
PY=$1 BUILT=$2 MODDIR=$3
export CCSIM=$4 CCS_SOURCE_DIR=$5
shift 5
if [ "$BUILT" != ON ]; then
  echo "skipped: the Python module was not built (install python3-dev and reconfigure)"
  exit 77
fi
if ! "$PY" -c 'import pytest' 2>/dev/null; then
  echo "skipped: $PY has no pytest (Debian: apt-get install python3-pytest)"
  exit 77
fi
export PYTHONPATH=$(cd "$MODDIR" && pwd) PYTHONDONTWRITEBYTECODE=1
exec "$PY" -m pytest -q -p no:cacheprovider "$CCS_SOURCE_DIR/python/tests" "$@"
