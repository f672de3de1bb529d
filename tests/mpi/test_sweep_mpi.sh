# SPDX-License-Identifier: GPL-3.0-or-later
# test_sweep_mpi.sh - `mpirun -np 2 ccsim sweep` gives the bytes of -j 1 and
# -j 2 on one machine: a plain grid, and a baseline with precision targets;
# the other rank really works; replications.csv and intervals.csv too; a
# sweep interrupted on local threads resumes under MPI to the same bytes;
# the module ccsim-mpi.so is opened by sweep only, with an error saying why
# when it cannot be. Registered by cmake/sweep.cmake only when ccsim is
# built with MPI. Args: CCSIM SOURCE_DIR MPIEXEC
source "$(dirname "$0")/../cli/lib.sh" "$1" "$2"
MPIEXEC=${3:-mpirun}
S="$SRC/scenarios/default.yaml"
mpi=("$MPIEXEC" -np 2 --oversubscribe)
[ "$(id -u)" -eq 0 ] && mpi+=(--allow-run-as-root)
# containers often forbid the cross-memory attach Open MPI's shared memory uses
export OMPI_MCA_btl_vader_single_copy_mechanism=none

# MPI is a module only `sweep` on ranks opens: the command does not link it,
# and says why when it cannot open it (CCS_NO_MPI=1; a ccsim copied alone)
readelf -d "$CCSIM" | grep -q 'NEEDED.*libmpi' && fail "ccsim links libmpi"
CCS_NO_MPI=1 expect 1 "$CCSIM" sweep "$S" --mpi -r 2 -q --out "$TMP/nompi"
stderr_is "ccsim sweep: error: cannot load MPI support (Debian libopenmpi3): ccsim-mpi.so: not loaded, CCS_NO_MPI is set"
mkdir "$TMP/alone" && cp "$CCSIM" "$TMP/alone/"
expect 1 "$TMP/alone/ccsim" sweep "$S" --mpi -r 2 -q --out "$TMP/nompi"
grep -qx "ccsim sweep: error: cannot load MPI support (Debian libopenmpi3): ccsim-mpi.so is neither in $TMP/alone nor in $TMP/alone/\.\./lib[^ ]*/ccsim" "$TMP/err" ||
  fail "a ccsim without its module: $(cat "$TMP/err")"

run_three() { # NAME ARGS...: -j 1, -j 2 and 2 ranks into $TMP/NAME-{j1,j2,mpi}
  local name=$1; shift
  expect 0 "$CCSIM" sweep "$S" "$@" -j 1 --out "$TMP/$name-j1" -q
  cp "$TMP/out" "$TMP/$name-j1.out"
  expect 0 "$CCSIM" sweep "$S" "$@" -j 2 --out "$TMP/$name-j2" -q
  cp "$TMP/out" "$TMP/$name-j2.out"
  expect 0 "${mpi[@]}" "$CCSIM" sweep "$S" "$@" --out "$TMP/$name-mpi"
  cp "$TMP/out" "$TMP/$name-mpi.out"
  for f in sweep.csv sweep.json; do
    cmp -s "$TMP/$name-j1/$f" "$TMP/$name-j2/$f" || fail "$name: $f differs between -j 1 and -j 2"
    cmp -s "$TMP/$name-j1/$f" "$TMP/$name-mpi/$f" || fail "$name: $f differs between -j 1 and 2 MPI ranks"
  done
  cmp -s "$TMP/$name-j1.out" "$TMP/$name-mpi.out" || fail "$name: the table differs under MPI"
}

run_three grid --grid groups.sales_team.agents=15,16,17,18 --grid groups.support_team.agents=24,26 -r 12
grep -qE '^ccsim sweep: 8/8 points, 96 replications in [0-9.]+ s \([0-9]+ rep/s\) on 2 MPI ranks x 1 thread \(([1-9][0-9]*) of them on rank 1\)$' "$TMP/err" \
  || fail "rank 1 did no work: $(cat "$TMP/err")"
[ "$(ls -A "$TMP/grid-mpi" | tr '\n' ' ')" = "sweep.csv sweep.json " ] || fail "MPI out dir: $(ls -A "$TMP/grid-mpi")"

run_three paired --grid groups.sales_team.agents=15,16,18 --point base --baseline base \
  --precision service_level=1.5%

# the raw data (--per-replication, --per-interval): ranks send every value
run_three raw --grid groups.sales_team.agents=15,17 --point base --baseline base -r 3 \
  --set horizon=2h --per-replication --per-interval
for f in replications.csv intervals.csv; do
  cmp -s "$TMP/raw-j1/$f" "$TMP/raw-j2/$f" || fail "raw: $f differs between -j 1 and -j 2"
  cmp -s "$TMP/raw-j1/$f" "$TMP/raw-mpi/$f" || fail "raw: $f differs between -j 1 and 2 MPI ranks"
done

# interrupted on local threads, resumed on 2 ranks: the same bytes
B=(--grid groups.sales_team.agents=14,15,16,17,18,19,20,21 --grid groups.support_team.agents=23,24,25,26,27 -r 30)
expect 0 "$CCSIM" sweep "$S" "${B[@]}" -j 2 --out "$TMP/full" -q
"$CCSIM" sweep "$S" "${B[@]}" -j 1 --out "$TMP/r" -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  n=$(grep -c '^P ' "$TMP/r/sweep.partial" 2>/dev/null || true)
  [ "${n:-0}" -ge 3 ] && break
  sleep 0.01
done
{ kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
expect 0 "${mpi[@]}" "$CCSIM" sweep "$S" "${B[@]}" --out "$TMP/r"
stderr_has "sweep: resuming: "
for f in sweep.csv sweep.json; do
  cmp -s "$TMP/full/$f" "$TMP/r/$f" || fail "$f resumed under MPI differs"
done

# a bad sweep: every rank stops before any work, one message
expect 2 "${mpi[@]}" "$CCSIM" sweep "$S" --grid groups.sales_team.agents=16,x
[ "$(grep -c "error: 'agents' must be a whole number, got 'x'" "$TMP/err")" -eq 1 ] \
  || fail "bad input under MPI: $(cat "$TMP/err")"
finish
