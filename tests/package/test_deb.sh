#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_deb.sh - the Debian package: `cpack -G DEB` builds ccsim_*.deb, whose
# control fields are right (name, Depends on the runtime packages of every
# library its binaries link, Recommends gnuplot-nox and the packages of the
# libraries ccsim opens when used, CBC and libmicrohttpd); unpacked with
# `dpkg -x` into a temporary root (never installed on this machine), the
# shipped ccsim runs a shipped scenario, the man pages are there, the
# library builds and runs the README's example through the unpacked
# ccsim.pc, and the Python module (when built) imports and runs.
#   test_deb.sh BUILD_DIR SOURCE_DIR     (exit 77: cpack, dpkg or dpkg-deb missing)
set -euo pipefail
BUILD=$1
SRC=$2
for tool in cpack dpkg dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
TMP=$(mktemp -d /tmp/ccs-deb-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/pkg" >"$TMP/cpack.log" 2>&1 ||
  { cat "$TMP/cpack.log" >&2; fail "cpack -G DEB failed"; exit 1; }
deb=$(ls "$TMP"/pkg/ccsim_*.deb)
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

# --- control fields ------------------------------------------------------------------
dpkg-deb -f "$deb" Package Version Depends Recommends Installed-Size >"$TMP/control"
cat "$TMP/control"
grep -qx 'Package: ccsim' "$TMP/control" || fail "package name is not ccsim"
grep -q '^Recommends:.*gnuplot-nox' "$TMP/control" || fail "gnuplot-nox is not recommended"
depends=", $(sed -n 's/^Depends: //p' "$TMP/control")"
recommends=", $(sed -n 's/^Recommends: //p' "$TMP/control")"

R=$TMP/root
dpkg -x "$deb" "$R"

# every library the packaged binaries link (NEEDED) comes from a package in
# Depends (one dpkg -S for all of them: it reads the whole package database)
: >"$TMP/uses"
for bin in "$R/usr/bin/ccsim" "$R"/usr/lib/libccsim.so.0.1.0 $(find "$R/usr/lib" -name '_ccsim*.so' -o -name ccsim-mpi.so); do
  readelf -d "$bin" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' >"$TMP/needed"
  LD_LIBRARY_PATH=$R/usr/lib ldd "$bin" >"$TMP/ldd"
  while read -r soname; do
    lib=$(awk -v n="$soname" '$1 == n && $3 ~ /^\// {print $3}' "$TMP/ldd")
    [ -n "$lib" ] || { fail "$(basename "$bin") needs $soname, which is not found"; continue; }
    case $lib in "$R"/*) continue ;; esac
    echo "$(basename "$bin") $lib $(readlink -f "$lib")" >>"$TMP/uses"
  done <"$TMP/needed"
done
awk '{print $2; print $3}' "$TMP/uses" | sort -u | xargs dpkg -S 2>/dev/null >"$TMP/owners" || true
while read -r bin lib real; do
  pkg=$(awk -v a="$lib" -v b="$real" '$NF == a || $NF == b {sub(/:.*/, "", $1); print $1; exit}' "$TMP/owners")
  [ -n "$pkg" ] || { fail "$bin loads $lib, which no package owns"; continue; }
  case ", $depends," in
    *", $pkg,"* | *", $pkg ("*) ;;
    *) fail "$bin loads $lib from $pkg, not in Depends: $depends" ;;
  esac
done <"$TMP/uses"

# the libraries the command opens when a feature asks for them (sonames
# among its strings that it does not link: CBC, libmicrohttpd) come from
# packages in Recommends, not Depends
readelf -d "$R/usr/bin/ccsim" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' >"$TMP/needed"
strings -a "$R/usr/bin/ccsim" | grep -xE 'lib[A-Za-z0-9_+-]+\.so\.[0-9]+' | sort -u |
  grep -vxFf "$TMP/needed" >"$TMP/dlopened" || true
echo "opened when used: $(tr '\n' ' ' <"$TMP/dlopened")"
while read -r soname; do
  lib=$(/sbin/ldconfig -p | awk -v n="$soname" '$1 == n && !f {print $NF; f = 1}')
  [ -n "$lib" ] || { fail "ccsim names $soname for dlopen; not installed here"; continue; }
  pkg=$({ dpkg -S "$lib" || dpkg -S "$(readlink -f "$lib")"; } 2>/dev/null | sed -n '1s/:.*//p')
  [ -n "$pkg" ] || { fail "ccsim opens $lib, which no package owns"; continue; }
  case ", $recommends," in
    *", $pkg,"* | *", $pkg ("*) ;;
    *) fail "ccsim opens $lib from $pkg, not in Recommends: $recommends" ;;
  esac
  case ", $depends," in
    *", $pkg,"* | *", $pkg ("*) fail "$pkg, opened when used, is in Depends: $depends" ;;
  esac
done <"$TMP/dlopened"

# --- the unpacked tree works ---------------------------------------------------------------
for f in usr/bin/ccsim usr/lib/libccsim.so.0 usr/lib/libccsim.a usr/include/ccs/ccs.h \
         usr/lib/pkgconfig/ccsim.pc usr/share/man/man1/ccsim.1.gz usr/share/man/man1/ccsim-run.1.gz \
         usr/share/man/man5/ccsim-scenario.5.gz usr/share/bash-completion/completions/ccsim \
         usr/share/ccsim/scenarios/default.yaml usr/share/doc/ccsim/copyright; do
  [ -e "$R/$f" ] || fail "not in the package: /$f"
done
# the module `sweep` opens on MPI ranks, when built (cmake/sweep.cmake)
if [ -e "$BUILD/ccsim-mpi.so" ]; then
  [ -n "$(find "$R/usr/lib" -path '*/ccsim/ccsim-mpi.so')" ] || fail "not in the package: ccsim-mpi.so"
  readelf -d "$R/usr/bin/ccsim" | grep -q 'NEEDED.*libmpi' && fail "the packaged ccsim links libmpi"
fi
grep -qx 'prefix=/usr' "$R/usr/lib/pkgconfig/ccsim.pc" || fail "ccsim.pc: $(grep ^prefix "$R/usr/lib/pkgconfig/ccsim.pc")"
if command -v man >/dev/null; then
  MANWIDTH=80 man -l "$R/usr/share/man/man1/ccsim-run.1.gz" >"$TMP/man" 2>&1 || fail "man -l ccsim-run.1.gz"
  grep -q 'ccsim-run - simulate a scenario' "$TMP/man" || fail "ccsim-run(1) does not render: $(head -3 "$TMP/man")"
fi
cd "$TMP"
"$R/usr/bin/ccsim" run "$R/usr/share/ccsim/scenarios/default.yaml" -r 5 --json >"$TMP/run.json" ||
  fail "the packaged ccsim could not run the packaged default.yaml"
grep -q '"format": "ccsim-summary-1"' "$TMP/run.json" || fail "no summary from the packaged ccsim"
cp -r "$R/usr/share/ccsim/scenarios" "$TMP/scenarios"
"$R/usr/bin/ccsim" sweep scenarios/sweeps/staffing.yaml -r 2 -j 2 -q --out "$TMP/sweep" >/dev/null ||
  fail "the packaged ccsim could not sweep the packaged sweep file"

# the library, through the packaged ccsim.pc (its /usr moved under the root)
if command -v cc >/dev/null && command -v pkg-config >/dev/null; then
  awk '/^## As a library/ {s = 1} s && /^```c/ {c = 1; next} c && /^```/ {exit} c {print}' \
    "$SRC/README.md" >"$TMP/example.c"
  if PKG_CONFIG_PATH=$R/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R \
     cc "$TMP/example.c" $(PKG_CONFIG_PATH=$R/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R \
                           pkg-config --cflags --libs ccsim) -o "$TMP/example" 2>"$TMP/cc.log"; then
    LD_LIBRARY_PATH=$R/usr/lib "$TMP/example" "$R/usr/share/ccsim/scenarios/default.yaml" >"$TMP/ex.out" ||
      fail "the README example on the packaged library exited $?"
    grep -q '^SL 0\.[0-9]* ± 0\.[0-9]*$' "$TMP/ex.out" || fail "example printed '$(cat "$TMP/ex.out")'"
  else
    fail "building the README example on the packaged library: $(head -3 "$TMP/cc.log")"
  fi
fi

# the Python module, when this build has one
mod=$(find "$R/usr/lib" -path '*dist-packages/ccsim/__init__.py' | head -1)
if [ -n "$mod" ]; then
  PYTHONPATH=$(dirname "$(dirname "$mod")") /usr/bin/python3 -c '
import sys, ccsim
rows = ccsim.run(sys.argv[1], replications=3, as_frame=False)
assert any(r["metric"] == "service_level" for r in rows), rows[:3]
print("python module: %d rows" % len(rows))' "$R/usr/share/ccsim/scenarios/default.yaml" ||
    fail "the packaged Python module"
fi

if [ "$FAILS" -ne 0 ]; then echo "$FAILS failure(s)" >&2; exit 1; fi
echo "all passed"
