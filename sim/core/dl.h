/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dl.h - optional shared libraries opened when first used (dlopen) rather
 * than linked: CBC (sim/exp/roster_cbc.c) and libmicrohttpd
 * (sim/serve/http.c) are needed by `schedule` and `serve` only, and linking
 * them cost every command about 11 MiB of resident memory at start-up
 * (docs/benchmark.md). Their headers stay build dependencies; each user
 * keeps a table of function pointers typed from its header, filled here.
 */
#ifndef CCS_CORE_DL_H
#define CCS_CORE_DL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Open the shared library `soname` (e.g. "libCbcSolver.so.3", found as the
 * dynamic linker finds it: LD_LIBRARY_PATH, then ld.so.cache) with its
 * symbols kept local. When the environment variable `off_env` is set to a
 * value other than "" or "0", the library is not opened, as if it were not
 * installed: the tests' way to reach that path on a machine that has it.
 *
 * Returns the handle, never closed (the process keeps the library to its
 * end), or NULL with why (cap bytes, NUL-terminated) saying why not: the
 * dynamic linker's message, or that off_env disabled it.
 */
void *ccs__dl_open(const char *soname, const char *off_env, char *why, size_t cap);

/*
 * Resolve `name` in `lib` (from ccs__dl_open) into the function pointer at
 * `fn` of `size` bytes (sizeof the pointer: a POSIX function pointer has the
 * size of a void *). Returns true, or false with why saying which symbol is
 * missing (a library older than the header built against).
 */
bool ccs__dl_sym(void *lib, const char *name, void *fn, size_t size, char *why, size_t cap);

#endif
