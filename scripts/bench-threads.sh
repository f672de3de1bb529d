#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-threads.sh - the speed-up of `ccsim compare` and `ccsim staff` from
# -j 1 to -j 2 (issue 16's target: 1.8x on an idle 2-core machine): compare
# of 3 variants x 40 replications of the default day, and staff of
# scenarios/staffing-day.yaml (20 replications a round). Runs -j 1 and -j 2
# alternately, ROUNDS times each; prints wall, user and system seconds of
# every run, the medians and the speed-up of the wall time, and checks that
# every run printed the same bytes. The machine may be shared: the load
# average is printed before and after; user time shows the work itself,
# which a busy machine does not change much, while wall time needs the cores.
#
#   scripts/bench-threads.sh [CCSIM [SOURCE_DIR [WORK_DIR]]]
#   cmake --build build --target bench-threads
set -euo pipefail
CCSIM=${1:-build/ccsim}
SRC=${2:-.}
WORK=${3:-/tmp/ccs-bench-threads}
ROUNDS=${ROUNDS:-5}
mkdir -p "$WORK"
: >"$WORK/times"

CMP=(compare "$SRC/scenarios/default.yaml" -r 40
     --variant a:groups.sales_team.agents=16 --variant b:groups.sales_team.agents=18)
STAFF=(staff "$SRC/scenarios/staffing-day.yaml")

run() { # LABEL JOBS ARGS...: time one run; its output must be the reference's
  local label=$1 jobs=$2; shift 2
  /usr/bin/time -f "$label $jobs %e %U %S" -a -o "$WORK/times" \
    "$CCSIM" "$@" -j "$jobs" >"$WORK/$label.out"
  cmp -s "$WORK/$label.out" "$WORK/$label.ref" || { echo "bench-threads: $label -j $jobs printed other results" >&2; exit 1; }
}

echo "ccsim compare (3 variants x 40 replications) and staff, -j 1 vs -j 2, $(nproc) cores online"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CCSIM" "${CMP[@]}" -j 1 >"$WORK/compare.ref"
"$CCSIM" "${STAFF[@]}" -j 1 >"$WORK/staff.ref"
for ((i = 1; i <= ROUNDS; i++)); do
  for j in 1 2; do
    run compare "$j" "${CMP[@]}"
    run staff "$j" "${STAFF[@]}"
  done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/times" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    label, jobs, wall, user, sys_ = line.split()
    t.setdefault((label, jobs), []).append((float(wall), float(user), float(sys_)))
for label in ("compare", "staff"):
    med = {}
    for jobs in ("1", "2"):
        runs = t[(label, jobs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] + r[2] for r in runs)
        med[jobs] = (wall, cpu)
        print(f"  {label:<8} -j {jobs}  wall " + " ".join(f"{r[0]:5.2f}" for r in runs)
              + f"  median {wall:5.2f}s, user+sys median {cpu:5.2f}s")
    print(f"  {label:<8} speed-up -j 2 over -j 1: {med['1'][0] / med['2'][0]:.2f}x wall "
          f"(user+sys {med['2'][1] / med['1'][1]:.2f}x of -j 1's)")
PY
echo "all runs printed identical results"
