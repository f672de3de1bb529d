#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench-sweep.sh - the speed-up of `ccsim sweep` from 1 to 2 cores (and on 2
# MPI ranks when mpirun is there): a 100-point staffing grid of the default
# day (10 x 10 points, 20 replications each: 2000 simulated days), run
# alternately with -j 1 and -j 2, ROUNDS times each; prints every time, the
# medians and the speed-up, and checks that every run wrote the same bytes.
# The machine may be shared: the load average is printed before and after,
# and the median of alternating rounds damps what others do meanwhile.
#
#   scripts/bench-sweep.sh [CCSIM [SOURCE_DIR [WORK_DIR]]]
#   cmake --build build --target bench-sweep
set -euo pipefail
CCSIM=${1:-build/ccsim}
SRC=${2:-.}
WORK=${3:-/tmp/ccs-bench-sweep}
ROUNDS=${ROUNDS:-3}
S="$SRC/scenarios/default.yaml"
GRID=(--grid groups.sales_team.agents=13,14,15,16,17,18,19,20,21,22
      --grid groups.support_team.agents=21,22,23,24,25,26,27,28,29,30 -r 20)
mkdir -p "$WORK"

run() { # LABEL JOBS COMMAND...: time one sweep on JOBS threads into $WORK/LABEL
  local label=$1 jobs=$2; shift 2
  rm -rf "${WORK:?}/$label"
  local t0=$EPOCHREALTIME
  "$@" sweep "$S" "${GRID[@]}" -j "$jobs" --out "$WORK/$label" -q >/dev/null
  echo "$label $t0 $EPOCHREALTIME" >>"$WORK/times"
  cmp -s "$WORK/$label/sweep.csv" "$WORK/ref.csv" || { echo "bench-sweep: $label wrote other results" >&2; exit 1; }
}

mpi=()
if command -v mpirun >/dev/null 2>&1 && [ "$(ldd "$CCSIM" | grep -c libmpi)" -gt 0 ]; then
  mpi=(mpirun -np 2 --oversubscribe)
  [ "$(id -u)" -eq 0 ] && mpi+=(--allow-run-as-root)
fi

echo "ccsim sweep: 100 points x 20 replications of $S, $(nproc) cores online"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CCSIM" sweep "$S" "${GRID[@]}" -j 2 --out "$WORK/ref" -q >/dev/null
cp "$WORK/ref/sweep.csv" "$WORK/ref.csv"
: >"$WORK/times"
for ((i = 1; i <= ROUNDS; i++)); do
  run j1 1 "$CCSIM"
  run j2 2 "$CCSIM"
  if [ ${#mpi[@]} -gt 0 ]; then
    run mpi2 1 "${mpi[@]}" "$CCSIM"
  fi
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK/times" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    k, a, b = line.split()
    t.setdefault(k, []).append(float(b) - float(a))
names = {"j1": "-j 1", "j2": "-j 2", "mpi2": "mpirun -np 2 (1 thread each)"}
for k, v in t.items():
    print(f"  {names[k]:<30} " + "  ".join(f"{x:6.2f}s" for x in v) + f"   median {statistics.median(v):6.2f}s")
m1 = statistics.median(t["j1"])
for k in ("j2", "mpi2"):
    if k in t:
        print(f"speed-up {names[k]} over -j 1: {m1 / statistics.median(t[k]):.2f}x "
              f"({2000 / statistics.median(t[k]):.0f} vs {2000 / m1:.0f} replications/s)")
PY
echo "all runs wrote identical sweep.csv"
