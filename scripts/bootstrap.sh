#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bootstrap.sh - make this checkout buildable and build it, on Debian 12.
# Installs only the Debian packages that are missing (as root, or via sudo),
# then configures and builds ccsim in build/ (Release): the command, the
# library, the man pages and the Python module. Safe to rerun.
#
#   scripts/bootstrap.sh          build dependencies, then build
#   scripts/bootstrap.sh --test   also what the test suite needs (with Open MPI,
#                                 so that ccsim sweep's MPI test runs)
set -euo pipefail
cd "$(dirname "$0")/.."

# tzdata: the time zones of exports (/usr/share/zoneinfo, read by sim/fmt/tz.c);
# libmicrohttpd: the HTTP server of `ccsim serve`; libglpk-dev: the roster
# integer programs of `ccsim schedule`; coinor-libcbc-dev: their branch and
# cut (CBC's cuts prove a weekly roster within 1% of optimal, GLPK's cannot;
# optional: without it GLPK does it all). ccsim is built against the
# headers of libmicrohttpd and CBC but opens the libraries only when serve
# or a roster uses them (sim/core/dl.h); python3: the man pages are
# generated with it; python3-dev: the Python module
pkgs=(cmake make gcc pkg-config libgsl-dev libyaml-dev libglpk-dev coinor-libcbc-dev libncurses-dev libmicrohttpd-dev gnuplot-nox
      tzdata python3 python3-dev)
if [ "${1:-}" = "--test" ]; then
  # chromium: report.html and the page of `ccsim serve` are checked in a
  # browser; Open MPI: the 2-rank sweep test; tmux: the live `ccsim watch`
  # wallboard is driven in a pseudo-terminal; pytest and pandas: the Python
  # module's tests; clang + libclang-rt-14-dev: the libFuzzer smoke run
  # (scripts/fuzz.sh smoke)
  pkgs+=(libcmocka-dev chromium libopenmpi-dev openmpi-bin tmux python3-pytest python3-pandas
         clang libclang-rt-14-dev)
  # node and npm drive Chromium (puppeteer-core); Debian's if none is there
  if ! command -v npm >/dev/null; then pkgs+=(nodejs npm); fi
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

tests=OFF
if dpkg-query -W -f='${Status}' libcmocka-dev 2>/dev/null | grep -q "install ok installed"; then
  tests=ON
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCCS_TESTS="$tests" >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

# The browser test's driver, pinned by tests/browser/package-lock.json (no
# browser download: it uses Debian's chromium).
if [ "${1:-}" = "--test" ] && command -v npm >/dev/null &&
   [ ! -d tests/browser/node_modules/puppeteer-core ]; then
  (cd tests/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund \
     >/dev/null) || echo "bootstrap: npm ci in tests/browser failed; the browser test will skip" >&2
fi
