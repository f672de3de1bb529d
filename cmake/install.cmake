# SPDX-License-Identifier: GPL-3.0-or-later
# install.cmake - what `cmake --install` (and the Debian package,
# cmake/package.cmake) puts where, under the prefix:
#   bin/ccsim                                the command (static libccsim inside)
#   lib/libccsim.a, lib/libccsim.so.0.1.0    the library, with its soname links
#   lib/ccsim/ccsim-mpi.so                   MPI for `ccsim sweep` (when built;
#                                            cmake/sweep.cmake installs it)
#   include/ccs/*.h                          the public headers
#   lib/pkgconfig/ccsim.pc                   for `pkg-config --cflags --libs ccsim`
#   share/man/man1/ccsim*.1.gz, man5/ccsim-scenario.5.gz
#   share/bash-completion/completions/ccsim
#   share/ccsim/scenarios/, share/ccsim/plots/   examples, gnuplot scripts
#   share/doc/ccsim/                         README, docs/, LICENSE, copyright
#   lib/python3.X/dist-packages/ccsim/       the Python module (prefix /usr:
#                                            lib/python3/dist-packages, as Debian's)
# Nothing installed refers back to the source or build tree.
include(GNUInstallDirs)

install(TARGETS ccsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS libccsim libccsim_shared
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/ccs DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")

# ccsim.pc names the prefix actually installed to (`cmake --install --prefix
# P`, or /usr in the Debian package), so it is written at install time.
set(CCS_PC_PREFIX "@CCS_PC_PREFIX@") # kept for the install-time pass
# static linking needs libdl where dlopen is not in libc (CBC itself is
# opened at run time, not linked: sim/exp/roster_cbc.c)
if(CCS_DL_LIBS)
  set(CCS_PC_DL " -l${CCS_DL_LIBS}")
else()
  set(CCS_PC_DL "")
endif()
configure_file(cmake/ccsim.pc.in ${CMAKE_BINARY_DIR}/ccsim.pc.in @ONLY)
install(CODE "set(CCS_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  configure_file(\"${CMAKE_BINARY_DIR}/ccsim.pc.in\" \"${CMAKE_BINARY_DIR}/ccsim.pc\" @ONLY)")
install(FILES ${CMAKE_BINARY_DIR}/ccsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Man pages, generated from `ccsim help` and docs/scenario.md by
# scripts/mkman.py, so they say what the program and the docs say.
if(Python3_Interpreter_FOUND)
  set(CCS_MAN_DIR ${CMAKE_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${CCS_MAN_DIR}/stamp
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${CCS_MAN_DIR}
    COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/mkman.py
            --ccsim $<TARGET_FILE:ccsim> --scenario-md ${PROJECT_SOURCE_DIR}/docs/scenario.md
            --out ${CCS_MAN_DIR} --gzip
    COMMAND ${CMAKE_COMMAND} -E touch ${CCS_MAN_DIR}/stamp
    DEPENDS ccsim ${PROJECT_SOURCE_DIR}/scripts/mkman.py ${PROJECT_SOURCE_DIR}/docs/scenario.md
    COMMENT "Man pages from ccsim help and docs/scenario.md" VERBATIM)
  add_custom_target(man ALL DEPENDS ${CCS_MAN_DIR}/stamp)
  install(DIRECTORY ${CCS_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}
          FILES_MATCHING PATTERN "*.gz")
else()
  message(WARNING "python3 not found: no man pages (scripts/bootstrap.sh installs it)")
endif()

install(FILES scripts/ccsim-completion.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ccsim)
install(DIRECTORY scenarios plots DESTINATION ${CMAKE_INSTALL_DATADIR}/ccsim)
install(FILES README.md LICENSE cmake/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The Python module, where Debian's python3 looks: /usr/lib/python3/dist-packages
# for a package (prefix /usr), PREFIX/lib/python3.X/dist-packages otherwise
# (/usr/local's is on its path). Decided at install time, from the prefix
# actually installed to.
if(CCS_HAVE_PYTHON)
  install(CODE "if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
      set(CCS_PY_SUBDIR lib/python3/dist-packages)
    else()
      set(CCS_PY_SUBDIR lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages)
    endif()")
  install(TARGETS ccsim_python LIBRARY DESTINATION \${CCS_PY_SUBDIR}/ccsim)
  install(FILES python/ccsim/__init__.py DESTINATION \${CCS_PY_SUBDIR}/ccsim)
endif()
