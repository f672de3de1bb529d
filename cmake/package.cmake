# SPDX-License-Identifier: GPL-3.0-or-later
# package.cmake - the Debian package: `cpack -G DEB --config
# build/CPackConfig.cmake` makes ccsim_VERSION_ARCH.deb from what
# cmake/install.cmake installs, under /usr. One package, named ccsim, for
# Debian 12: the command, the library (static, shared, headers, ccsim.pc),
# the Python module when it was built, man pages, completion, examples.
# Its Depends are the Debian 12 runtime packages of the libraries ccsim
# links, its Recommends those of the libraries it opens when used;
# tests/package/test_deb.sh checks both against what the unpacked binaries
# really need.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ccsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "ccsim")
set(CPACK_PACKAGE_CONTACT "ccsim maintainers <ccsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "discrete-event contact-center simulator")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"discrete-event contact-center simulator
 ccsim simulates a contact center (arrivals, routing, agents, customers'
 patience) and reports service level, speed of answer, abandonment and
 occupancy with confidence intervals; compares variants on common random
 numbers, sweeps grids of scenarios, staffs intervals by Erlang C/A and
 simulation. The package holds the ccsim command, the libccsim library
 (headers, static and shared, pkg-config file ccsim), the Python module
 ccsim when built, man pages, bash completion and example scenarios in
 /usr/share/ccsim.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # ccsim_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz) # half the size of gzip (0.55 MB against 1.06)
set(CPACK_THREADS 0)                  # xz on every core
# The ldconfig trigger of a shared library, and the shlibs entry of
# libccsim.so.0 for packages that link it. Written here, not generated:
# CPack's generators (GENERATE_SHLIBS, SHLIBDEPS) run `file` on every packaged
# file, which doubled the package's build time (35 s to 70 s).
file(WRITE ${CMAKE_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
file(WRITE ${CMAKE_BINARY_DIR}/debian/shlibs
     "libccsim ${PROJECT_VERSION_MAJOR} ccsim (>= ${PROJECT_VERSION})\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/debian/triggers ${CMAKE_BINARY_DIR}/debian/shlibs)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Depends: the Debian 12 runtime packages of the libraries ccsim links, with
# the versions dpkg-shlibdeps finds for them there. tests/package/test_deb.sh
# checks that every library the packaged binaries need comes from one of
# these, so a new dependency cannot be forgotten.
set(CCS_DEB_DEPENDS "libc6 (>= 2.34)" "libgsl27 (>= 2.7.1)" libgslcblas0 libyaml-0-2
    "libglpk40 (>= 5.0)")
if(CCS_HAVE_MPI) # linked by the module `sweep` opens on ranks (lib/ccsim/ccsim-mpi.so)
  list(APPEND CCS_DEB_DEPENDS "libopenmpi3 (>= 4.1.4)")
endif()
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${CCS_DEB_DEPENDS}")
# Recommends: gnuplot draws the charts (--plots); python3 runs the module;
# and the libraries ccsim opens when a feature asks for them rather than
# links (sim/core/dl.h), so that a machine without them has every other
# command: libmicrohttpd for `serve` (which says so and exits 1 without
# it), CBC for the roster branch and bound (GLPK alone without it;
# libCbcSolver.so.3 brings the rest of COIN-OR), ncurses for the live board
# of `watch` (plain snapshots without it). apt installs Recommends by
# default. tests/package/test_deb.sh checks that each library the binaries
# name for dlopen comes from a package recommended here.
set(CCS_DEB_RECOMMENDS gnuplot-nox python3)
if(CCS_HAVE_SERVE)
  list(APPEND CCS_DEB_RECOMMENDS "libmicrohttpd12 (>= 0.9.75)")
endif()
if(CBC_FOUND)
  list(APPEND CCS_DEB_RECOMMENDS "coinor-libcbc3 (>= 2.10)")
endif()
if(CURSES_FOUND) # the live board of `watch` (plain snapshots without it)
  list(APPEND CCS_DEB_RECOMMENDS "${CCS_CURSES_DEB} (>= 6)")
endif()
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS "${CCS_DEB_RECOMMENDS}")
# to build against libccsim; DataFrames from the Python module
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgsl-dev, libyaml-dev, libglpk-dev, coinor-libcbc-dev, pkg-config, python3-pandas")
include(CPack)
