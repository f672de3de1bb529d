#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-baseline.sh - the benchmark with an earlier commit's ccsim timed in
# the same alternating rounds, so a speed regression is measured side by side
# rather than against a figure taken on another day (issue 3's budget: W2 no
# more than 10% slower than the foundation).
#
#   scripts/bench-baseline.sh [REV]     REV defaults to the foundation, cb0e47a
#
# REV is built (Release, no tests) in a scratch worktree under build/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-cb0e47a}
work="$PWD/build/bench/baseline-$rev"
if [ ! -x "$work/build/ccsim" ]; then
  rm -rf "$work"
  git worktree prune
  git worktree add --detach "$work" "$rev" >/dev/null
  cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCCS_TESTS=OFF >/dev/null
  cmake --build "$work/build" -j"$(nproc)" --target ccsim >/dev/null
fi
cmake -S . -B build -DCCS_BENCH_BASELINE="$work/build/ccsim" >/dev/null
trap 'cmake -S . -B build -DCCS_BENCH_BASELINE= >/dev/null' EXIT
cmake --build build --target bench
