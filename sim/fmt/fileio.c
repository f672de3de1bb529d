/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fileio.c - regular files only: opening inputs without blocking on FIFOs,
 * reading small files whole with a limit, and checking that an output name
 * is free or a regular file before it is replaced (fileio.h).
 */
#include "fmt/fileio.h"
#include "ccs/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ccs__file_kind(mode_t m)
{
    if (S_ISREG(m))
        return "a regular file";
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISLNK(m))
        return "a symbolic link";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a plain file";
}

int ccs__open_regular(const char *path, const char **kind)
{
    *kind = NULL;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *kind = ccs__file_kind(st.st_mode);
        errno = EINVAL;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int ccs__read_small_file(const char *path, size_t max, char **out, size_t *len,
                         struct ccs_diag *d)
{
    *out = NULL;
    *len = 0;
    const char *kind;
    int fd = ccs__open_regular(path, &kind);
    if (fd < 0 && kind != NULL)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read: not a regular file (%s)", kind);
    if (fd < 0)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    size_t cap = 65536, n = 0;
    char *buf = ccs_malloc(cap);
    int rc = buf == NULL ? ccs_diag_at(d, CCS_ENOMEM, path, 0, 0, "out of memory") : 0;
    while (rc == 0) {
        if (n + 1 == cap) {
            if (n > max) {
                rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read: larger than %zu bytes",
                                 max);
                break;
            }
            char *grown = ccs_realloc(buf, cap * 2);
            if (grown == NULL) {
                rc = ccs_diag_at(d, CCS_ENOMEM, path, 0, 0, "out of memory");
                break;
            }
            buf = grown;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    close(fd);
    if (rc == 0 && n > max)
        rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read: larger than %zu bytes", max);
    if (rc != 0) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

bool ccs__output_ok(const char *path, const char *what, struct ccs_diag *d)
{
    struct stat st;
    if (lstat(path, &st) != 0 || S_ISREG(st.st_mode))
        return true; /* absent (or unreadable: creating it will say why) */
    ccs_diag_at(d, CCS_EIO, path, 0, 0,
                "cannot write%s%s: the path is %s (outputs are written only as regular files)",
                what ? " " : "", what ? what : "", ccs__file_kind(st.st_mode));
    return false;
}

void ccs__dir_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, cap, ".");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

int ccs__fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    close(fd);
    return rc;
}

int ccs__fsync_parent(const char *path)
{
    char dir[4096];
    ccs__dir_of(path, dir, sizeof dir);
    return ccs__fsync_dir(dir);
}
