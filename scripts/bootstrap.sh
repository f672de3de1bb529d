#!/usr/bin/env bash
# bootstrap.sh - make this checkout buildable and build it, on Debian 12.
# Installs only the Debian packages that are missing (as root, or via sudo),
# then configures and builds ccsim in build/ (Release). Safe to rerun.
#
#   scripts/bootstrap.sh          build dependencies, then build
#   scripts/bootstrap.sh --test   also what the test suite needs (with Open MPI,
#                                 so that ccsim sweep's MPI test runs)
set -euo pipefail
cd "$(dirname "$0")/.."

# tzdata: the time zones of exports (/usr/share/zoneinfo, read by sim/fmt/tz.c)
pkgs=(cmake make gcc pkg-config libgsl-dev libyaml-dev libncurses-dev gnuplot-nox tzdata)
if [ "${1:-}" = "--test" ]; then
  # chromium: report.html is checked in a browser; Open MPI: the 2-rank sweep
  # test; tmux: the live `ccsim watch` wallboard is driven in a pseudo-terminal
  # clang + libclang-rt-14-dev: the libFuzzer smoke run (scripts/fuzz.sh smoke)
  pkgs+=(libcmocka-dev python3 chromium libopenmpi-dev openmpi-bin tmux clang libclang-rt-14-dev)
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
