/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memstream.h - open_memstream and getline with their memory from
 * ccs_malloc (ccs/mem.h), so the out-of-memory test can fail each of their
 * allocations too (the C library's own versions call malloc, which it
 * cannot reach).
 */
#ifndef CCS_CORE_MEMSTREAM_H
#define CCS_CORE_MEMSTREAM_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * A stream writing into a growing buffer, as open_memstream: *buf and *len
 * are set at once (an empty NUL-terminated string) and brought up to date
 * at each fflush and at fclose; the buffer is always NUL-terminated and
 * belongs to the caller, who frees it after fclose (also when fclose
 * fails). A write the memory is not there for sets the stream's error
 * (ferror) and errno ENOMEM, and fclose then returns EOF; what was written
 * before stays in *buf. NULL when out of memory (errno ENOMEM), *buf then
 * NULL.
 */
FILE *ccs__memstream(char **buf, size_t *len);

/*
 * getline: the next line of f, its '\n' included when there is one, into
 * *line (NUL-terminated; *line NULL and *cap 0 to start, grown as needed,
 * freed by the caller). Returns its length, or -1 at the end of the file,
 * on a read error (ferror(f)) or when out of memory (errno ENOMEM, the
 * line read so far lost, the stream past it).
 */
ssize_t ccs__getline(char **line, size_t *cap, FILE *f);

#endif
