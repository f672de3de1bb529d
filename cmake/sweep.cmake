# SPDX-License-Identifier: GPL-3.0-or-later
# sweep.cmake - what `ccsim sweep` needs beyond the base build, kept apart
# from the top-level CMakeLists.txt:
#   - threads for the library's sweep pool (always);
#   - MPI for the ccsim command: CCS_MPI=AUTO (default) builds it in when
#     find_package(MPI) finds it, ON requires it, OFF leaves it out. Without
#     it ccsim builds and sweeps on local cores as before. With it, the MPI
#     code is the module ccsim-mpi.so, opened by `sweep` on ranks only;
#   - the MPI test (2 ranks, byte-compared with -j 1 and -j 2), registered
#     only when MPI is built in;
#   - `cmake --build build --target bench-sweep`: the 100-point speed-up
#     benchmark (not a test).
find_package(Threads REQUIRED)
target_link_libraries(ccsim_objects PUBLIC Threads::Threads)
foreach(lib libccsim libccsim_shared)
  target_link_libraries(${lib} PUBLIC Threads::Threads)
endforeach()

set(CCS_MPI AUTO CACHE STRING "MPI in ccsim sweep: AUTO (when found), ON (required) or OFF")
set_property(CACHE CCS_MPI PROPERTY STRINGS AUTO ON OFF)
set(CCS_HAVE_MPI OFF)
if(CCS_MPI STREQUAL "AUTO")
  find_package(MPI QUIET COMPONENTS C)
elseif(CCS_MPI)
  find_package(MPI REQUIRED COMPONENTS C)
endif()
if(MPI_C_FOUND AND NOT (NOT CCS_MPI AND NOT CCS_MPI STREQUAL "AUTO"))
  set(CCS_HAVE_MPI ON)
  # The MPI side (sim/app/sweep_mpi.c) is a module, ccsim-mpi.so, that the
  # command opens when a sweep runs on ranks (sim/app/sweep_mpi_load.c):
  # linked into the command, Open MPI cost every command 1.2 MiB of resident
  # memory at start-up. It sits beside the command in the build tree and in
  # LIBDIR/ccsim once installed; the command exports it the libccsim
  # functions it calls (cmake/mpi-module.syms).
  include(GNUInstallDirs)
  add_library(ccsim_mpi MODULE ${PROJECT_SOURCE_DIR}/sim/app/sweep_mpi.c)
  set_target_properties(ccsim_mpi PROPERTIES OUTPUT_NAME ccsim-mpi PREFIX ""
                        LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  target_include_directories(ccsim_mpi PRIVATE ${PROJECT_SOURCE_DIR}/sim
                             ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(ccsim_mpi PRIVATE MPI::MPI_C Threads::Threads)
  file(RELATIVE_PATH CCS_MPI_MODULE_REL /p/${CMAKE_INSTALL_BINDIR} /p/${CMAKE_INSTALL_LIBDIR}/ccsim)
  target_compile_definitions(ccsim PRIVATE CCS_HAVE_MPI=1
                             CCS_MPI_MODULE_REL="${CCS_MPI_MODULE_REL}")
  set(CCS_MPI_SYMS ${PROJECT_SOURCE_DIR}/cmake/mpi-module.syms)
  file(STRINGS ${CCS_MPI_SYMS} CCS_MPI_SYM_LINES REGEX "^  ccs_[a-z0-9_]+;$")
  target_link_options(ccsim PRIVATE -Wl,--dynamic-list=${CCS_MPI_SYMS})
  foreach(line ${CCS_MPI_SYM_LINES})
    string(STRIP "${line}" sym)
    string(REPLACE ";" "" sym "${sym}")
    target_link_options(ccsim PRIVATE -Wl,--undefined=${sym})
  endforeach()
  set_property(TARGET ccsim APPEND PROPERTY LINK_DEPENDS ${CCS_MPI_SYMS})
  add_dependencies(ccsim ccsim_mpi)
  install(TARGETS ccsim_mpi LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/ccsim)
endif()
message(STATUS "ccsim sweep: MPI ${CCS_HAVE_MPI} (CCS_MPI=${CCS_MPI})")

if(CCS_TESTS AND CCS_HAVE_MPI)
  add_test(NAME cli.test_sweep_mpi
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/mpi/test_sweep_mpi.sh
                   $<TARGET_FILE:ccsim> ${PROJECT_SOURCE_DIR} ${MPIEXEC_EXECUTABLE})
  set_tests_properties(cli.test_sweep_mpi PROPERTIES LABELS "cli;mpi")
  if(CCS_SANITIZE)
    # Open MPI's own leaks: suppressed by a file (tests/mpi/lsan.supp), not
    # by turning leak detection off, so ccsim's leaks still fail the test
    set_tests_properties(cli.test_sweep_mpi PROPERTIES ENVIRONMENT
      "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/mpi/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0;OMPI_MCA_mca_base_component_disable_dlclose=1")
  endif()
endif()

add_custom_target(bench-sweep
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/bench-sweep.sh $<TARGET_FILE:ccsim>
          ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/bench-sweep
  DEPENDS ccsim USES_TERMINAL
  COMMENT "ccsim sweep: a 100-point sweep on 1 and 2 cores")
# `cmake --build build --target bench-threads`: compare and staff on 1 and 2
# threads (docs/benchmark.md, "Threads"); not a test.
add_custom_target(bench-threads
  COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/bench-threads.sh $<TARGET_FILE:ccsim>
          ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/bench-threads
  DEPENDS ccsim USES_TERMINAL
  COMMENT "ccsim compare and staff on 1 and 2 threads")
