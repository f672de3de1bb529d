#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_install.sh - `cmake --install` into a temporary prefix gives a tree
# that works on its own: every file in place (one man page per command of
# `ccsim --help`, rendering without warnings), the soname, no internal
# symbol exported, the README's library example (taken from README.md, so
# the README cannot drift) built with pkg-config both shared and static,
# agreeing with `ccsim run --json`, the README's commands run with the
# installed ccsim on its installed scenarios, the MPI module opened by the
# installed ccsim (when built), bash completion working.
#   test_install.sh BUILD_DIR SOURCE_DIR       (exit 77: cc or pkg-config missing)
set -euo pipefail
BUILD=$1
SRC=$2
for tool in cc pkg-config python3 readelf nm; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
TMP=$(mktemp -d /tmp/ccs-install-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

P=$TMP/prefix
cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log"

# --- the files -----------------------------------------------------------------
for f in bin/ccsim lib/libccsim.a lib/libccsim.so lib/libccsim.so.0 lib/libccsim.so.0.1.0 \
         include/ccs/ccs.h include/ccs/run.h lib/pkgconfig/ccsim.pc \
         share/bash-completion/completions/ccsim share/ccsim/scenarios/default.yaml \
         share/ccsim/scenarios/sweeps/staffing.yaml share/ccsim/scenarios/data/bank-1999-10-12.txt \
         share/ccsim/plots/service_level.gp share/man/man1/ccsim.1.gz \
         share/man/man5/ccsim-scenario.5.gz share/doc/ccsim/LICENSE share/doc/ccsim/README.md; do
  [ -e "$P/$f" ] || fail "not installed: $f"
done
[ "$(readlink "$P/lib/libccsim.so.0")" = libccsim.so.0.1.0 ] || fail "libccsim.so.0 -> $(readlink "$P/lib/libccsim.so.0")"
readelf -d "$P/lib/libccsim.so.0.1.0" >"$TMP/dyn"
grep -q 'SONAME.*\[libccsim\.so\.0\]' "$TMP/dyn" || fail "soname is not libccsim.so.0"
nm -D --defined-only "$P/lib/libccsim.so" | awk '{sub(/@.*/, "", $3); print $3}' >"$TMP/syms"
! grep -q '^ccs__' "$TMP/syms" || fail "libccsim.so exports internal symbols: $(grep '^ccs__' "$TMP/syms" | head -3 | tr '\n' ' ')"
grep -qx 'ccs_run' "$TMP/syms" || fail "libccsim.so does not export ccs_run"

# one man page per command, each rendering without a warning
cmds=$("$P/bin/ccsim" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1; next} on {exit}')
[ -n "$cmds" ] || fail "ccsim --help lists no commands"
for c in $cmds; do
  [ -f "$P/share/man/man1/ccsim-$c.1.gz" ] || fail "no man page ccsim-$c(1)"
done
for page in "$P"/share/man/man*/*.gz; do
  if command -v groff >/dev/null; then
    zcat "$page" | groff -t -man -Tutf8 -ww -z 2>"$TMP/groff.err" || fail "groff failed on $page"
    [ ! -s "$TMP/groff.err" ] || fail "$(basename "$page"): $(head -3 "$TMP/groff.err")"
  fi
done
zcat "$P/share/man/man1/ccsim-run.1.gz" >"$TMP/page"
grep -q -- '\\-\\-replications' "$TMP/page" || fail "ccsim-run(1) lacks --replications"
zcat "$P/share/man/man5/ccsim-scenario.5.gz" >"$TMP/page"
grep -q '^\.SH GROUPS' "$TMP/page" || fail "ccsim-scenario(5) lacks GROUPS"

# nothing installed points back into the source or build tree
if grep -rlI -e "$SRC" -e "$BUILD" "$P" >"$TMP/refs" 2>/dev/null; then
  fail "installed files mention the source or build tree: $(head -3 "$TMP/refs" | tr '\n' ' ')"
fi

# --- the README's library example -------------------------------------------------
mkdir "$TMP/ex"
awk '/^## As a library/ {s = 1} s && /^```c/ {c = 1; next} c && /^```/ {exit} c {print}' \
  "$SRC/README.md" >"$TMP/ex/example.c"
grep -q 'int main' "$TMP/ex/example.c" || fail "no example program in README.md's 'As a library'"
export PKG_CONFIG_PATH=$P/lib/pkgconfig
SCEN=$P/share/ccsim/scenarios/default.yaml
"$P/bin/ccsim" run "$SCEN" --json >"$TMP/run.json"
want=$(python3 -c 'import json, sys
q = json.load(open(sys.argv[1]))["queues"][0]["kpis"]["service_level"]
print("SL %.3f ± %.3f" % (q["mean"], q["halfwidth"]))' "$TMP/run.json")
(
  cd "$TMP/ex"
  # the README's commands, as written there
  cc example.c $(pkg-config --cflags --libs ccsim) -o example
  cc -static example.c $(pkg-config --static --cflags --libs ccsim) -o example-static
) >"$TMP/cc.log" 2>&1 || fail "building README's example: $(head -5 "$TMP/cc.log")"
if [ -x "$TMP/ex/example" ]; then
  readelf -d "$TMP/ex/example" >"$TMP/dyn"
  grep -q 'NEEDED.*libccsim\.so\.0' "$TMP/dyn" || fail "example is not linked to libccsim.so.0"
  got=$(LD_LIBRARY_PATH=$P/lib "$TMP/ex/example" "$SCEN") || fail "example exited $?"
  [ "$got" = "$want" ] || fail "example printed '$got', ccsim run --json says '$want'"
fi
if [ -x "$TMP/ex/example-static" ]; then
  readelf -d "$TMP/ex/example-static" >"$TMP/dyn" 2>&1 || true
  ! grep -q NEEDED "$TMP/dyn" || fail "example-static has dynamic dependencies"
  got=$("$TMP/ex/example-static" "$SCEN") || fail "example-static exited $?"
  [ "$got" = "$want" ] || fail "static example printed '$got', want '$want'"
fi

# --- the README's commands, from the installed tree -------------------------------
python3 "$SRC/tests/package/readme_commands.py" "$SRC/README.md" "$P/bin" "$P/share/ccsim" \
  "$TMP/work" >"$TMP/readme.log" || { cat "$TMP/readme.log" >&2; fail "README commands"; }

# --- the Python module from the installed tree, with Debian's interpreter -----------
pymod=$(find "$P/lib" -path '*dist-packages/ccsim/__init__.py' | head -1)
if [ -n "$pymod" ]; then
  case $pymod in */lib/python3.*/dist-packages/*) ;; *) fail "Python module at $pymod" ;; esac
  (cd "$TMP" && PYTHONPATH=$(dirname "$(dirname "$pymod")") /usr/bin/python3 -c '
import sys, ccsim
assert ccsim.__file__.startswith(sys.argv[1]), ccsim.__file__
rows = ccsim.run(sys.argv[2], replications=2)
assert rows.where(metric="service_level", scope="overall")' "$P" "$SCEN") ||
    fail "the installed Python module"
fi

# --- the MPI module: installed, opened by the installed command ---------------------
# (sweep on ranks only; a singleton MPI job here, started without a launcher)
if [ -e "$BUILD/ccsim-mpi.so" ]; then
  mod=$(find "$P" -name ccsim-mpi.so)
  case $mod in "$P"/lib*/ccsim/ccsim-mpi.so) ;; *) fail "MPI module at '$mod'" ;; esac
  readelf -d "$P/bin/ccsim" | grep -q 'NEEDED.*libmpi' && fail "the installed ccsim links libmpi"
  (cd "$TMP" && OMPI_MCA_btl_vader_single_copy_mechanism=none "$P/bin/ccsim" sweep "$SCEN" --mpi \
     --grid groups.sales_team.agents=15,16 -r 2 -q --out "$TMP/mpi" >/dev/null 2>"$TMP/mpi.err" &&
   "$P/bin/ccsim" sweep "$SCEN" --grid groups.sales_team.agents=15,16 -r 2 -j 1 -q \
     --out "$TMP/local" >/dev/null && cmp -s "$TMP/mpi/sweep.csv" "$TMP/local/sweep.csv") ||
    fail "the installed ccsim did not sweep on MPI: $(cat "$TMP/mpi.err")"
fi

# --- bash completion from the installed script --------------------------------------
comp() { # comp WORD... : the completions of the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
           _ccsim; printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$P/share/bash-completion/completions/ccsim" "$@" | sort | tr '\n' ' '
}
got=$(cd "$TMP/work" && comp "$P/bin/ccsim" s)
want="staff sweep "
"$P/bin/ccsim" --help 2>&1 | grep -q '^ *serve' && want="serve $want"
want="schedule $want"
[ "$got" = "$want" ] || fail "completing 's': '$got', not '$want'"
got=$(cd "$TMP/work" && comp "$P/bin/ccsim" run x.yaml --rep)
[ "$got" = "--replications " ] || fail "completing 'run --rep': '$got'"
got=$(cd "$TMP/work" && comp "$P/bin/ccsim" run scenarios/sweeps/)
[ "$got" = "scenarios/sweeps/staffing.yaml " ] || fail "completing a scenario file: '$got'"

if [ "$FAILS" -ne 0 ]; then echo "$FAILS failure(s)" >&2; exit 1; fi
echo "all passed"
