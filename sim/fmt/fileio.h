/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fileio.h - opening user-named files safely: inputs are read only from
 * regular files (a FIFO or device may never end, or wait forever), outputs
 * are written only as regular files, never through or over a symbolic link,
 * FIFO, device or directory. Knows nothing of contact centers.
 */
#ifndef CCS_FMT_FILEIO_H
#define CCS_FMT_FILEIO_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* "a directory", "a FIFO", "a character device", ... for a message. */
const char *ccs__file_kind(mode_t m);

/*
 * Open path for reading if it is a regular file, without ever blocking on a
 * FIFO. Returns the descriptor (>= 0, close-on-exec), or -1: errno says why
 * when *kind is NULL; otherwise the path exists but is not a regular file
 * and *kind names what it is (static, for "not a regular file (%s)").
 */
int ccs__open_regular(const char *path, const char **kind);

/*
 * Read all of a regular file of at most max bytes into a malloc'd buffer,
 * NUL-terminated (*len excludes the NUL). Returns 0, or CCS_EIO (cannot open
 * or read, not a regular file, larger than max) with d naming the path and
 * the cause, or CCS_ENOMEM.
 */
int ccs__read_small_file(const char *path, size_t max, char **out, size_t *len,
                         struct ccs_diag *d);

/*
 * May path be created or replaced by a regular file? true when it does not
 * exist or is a regular file (checked with lstat: a symbolic link is not
 * followed). Otherwise false with d set: "PATH: error: cannot write WHAT:
 * the path is a symbolic link (outputs are written only as regular files)"
 * where WHAT is what (e.g. "the trace"; NULL: nothing).
 */
bool ccs__output_ok(const char *path, const char *what, struct ccs_diag *d);

/* The folder holding path into dir: what precedes its last '/', "." when
   there is none. Always NUL-terminates dir. */
void ccs__dir_of(const char *path, char *dir, size_t cap);

/* fsync the directory dir, so that entries created, renamed or removed in it
   are durable. Returns 0 (also where a filesystem cannot sync a directory,
   EINVAL) or the errno of the failure. */
int ccs__fsync_dir(const char *dir);

/* ccs__fsync_dir of the folder holding path (ccs__dir_of). */
int ccs__fsync_parent(const char *path);

#endif
