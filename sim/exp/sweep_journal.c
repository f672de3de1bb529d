/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_journal.c - resuming a sweep. Every finished point is appended to a
 * journal as one line (its replication count, precision outcome and every
 * statistic, numbers as %.17g so they read back bit for bit), flushed and
 * fsynced. The first line names the sweep by its identity hash, so a journal
 * of another sweep is never resumed from; each record ends with a checksum,
 * so a line torn by a crash is recognised and cut off. A resumed point's
 * record is the same bytes a fresh run would write: the final files do not
 * depend on where a run was interrupted. docs/sweep.md "Resuming".
 */
#include "ccs/sweep.h"

#include "core/rng.h"
#include "core/memstream.h"
#include "model/scenario.h"
#include "exp/sweep.h"
#include "fmt/fileio.h"
#include "ccs/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* 2: records hold channel rows; 3: three per channel, ASA added (an older
   journal is not resumed from: replaced) */
#define MAGIC "ccsim-sweep-journal 3"

static void num(FILE *f, double v) { fprintf(f, " %.17g", v); }

/* The record of point p without its checksum; NULL when out of memory. */
static char *record_text(const struct ccs_sweep *s, size_t p, size_t *len)
{
    const struct ccs__sweep_point *pt = &s->points[p];
    char *buf = NULL;
    FILE *f = ccs__memstream(&buf, len);
    if (f == NULL)
        return NULL;
    fprintf(f, "P %zu %u %d %zu", p, pt->final, pt->met ? 1 : 0, s->dz->n_targets);
    for (size_t t = 0; t < s->dz->n_targets; t++)
        num(f, pt->achieved[t]);
    fprintf(f, " %zu", pt->n_rows + pt->n_ch_rows);
    for (size_t i = 0; i < pt->n_rows + pt->n_ch_rows; i++) {
        const struct ccs__sweep_rec_row *r = &pt->rows[i];
        fprintf(f, " %u", r->key);
        num(f, r->n);
        num(f, r->mean);
        num(f, r->halfwidth);
        num(f, r->diff_n);
        num(f, r->diff);
        num(f, r->diff_halfwidth);
        fprintf(f, " %u", (unsigned)r->verdict);
    }
    /* the optional outputs (a resumed sweep writes them as a fresh one would) */
    if (s->outputs & CCS_SWEEP_OUT_REPLICATIONS) {
        size_t n = (size_t)pt->final * s->dz->points[p].sc->layout->n_whole;
        fprintf(f, " R %zu", n);
        for (size_t i = 0; i < n; i++)
            num(f, pt->rep_vals[i]);
    }
    size_t ni = ccs__sweep_interval_width(s, p);
    if (ni > 0) {
        fprintf(f, " I %zu", 2 * ni);
        for (size_t i = 0; i < 2 * ni; i++)
            num(f, pt->int_stats[i]);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int ccs__sweep_journal_append(struct ccs_sweep *s, size_t p, struct ccs_diag *d)
{
    size_t len = 0;
    char *text = record_text(s, p, &len);
    if (text == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    off_t at = ftello(s->journal);
    if (at < 0) {
        free(text);
        return ccs_diag_at(d, CCS_EIO, s->journal_path, 0, 0, "cannot write the journal: %s",
                           strerror(errno));
    }
    s->points[p].at = (int64_t)at;
    fprintf(s->journal, "%s #%016llx\n", text, (unsigned long long)ccs__hash_str(text));
    free(text);
    if (ferror(s->journal) || fflush(s->journal) != 0)
        return ccs_diag_at(d, CCS_EIO, s->journal_path, 0, 0, "cannot write the journal: %s",
                           strerror(errno));
    if (s->defer_sync) {
        s->unsynced = true;
        return 0;
    }
    return ccs__sweep_journal_sync(s, d);
}

int ccs__sweep_journal_sync(struct ccs_sweep *s, struct ccs_diag *d)
{
    /* fsync works on the descriptor: other threads may append to the stream meanwhile */
    if (s->journal != NULL && fsync(fileno(s->journal)) != 0)
        return ccs_diag_at(d, CCS_EIO, s->journal_path, 0, 0, "cannot write the journal: %s",
                           strerror(errno));
    return 0;
}

/* --- reading ---------------------------------------------------------------------------- */

static bool read_u(char **p, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (**p != ' ' || (*p)[1] == '-' || (*p)[1] == ' ')
        return false;
    unsigned long long v = strtoull(*p + 1, &end, 10);
    if (end == *p + 1 || errno != 0 || v > max)
        return false;
    *out = v;
    *p = end;
    return true;
}

static bool read_d(char **p, double *out)
{
    char *end;
    if (**p != ' ' || (*p)[1] == ' ')
        return false;
    *out = strtod(*p + 1, &end);
    if (end == *p + 1)
        return false;
    *p = end;
    return true;
}

/* A record as read: point p's result. */
struct parsed {
    size_t p;
    uint32_t final;
    bool met;
    double *achieved;               /* the caller's, n_targets */
    struct ccs__sweep_rec_row *rows;
    size_t n_rows;                  /* all of them: keyed, then n_ch channel rows */
    size_t n_ch;
    double *rep_vals, *int_stats;
};

static void parsed_release(struct parsed *o)
{
    free(o->rows);
    free(o->rep_vals);
    free(o->int_stats);
    o->rows = NULL;
    o->rep_vals = o->int_stats = NULL;
}

/* " TAG N" then exactly want numbers into a new array. */
static bool read_values(char **c, char tag, size_t want, double **out)
{
    unsigned long long n;
    if ((*c)[0] != ' ' || (*c)[1] != tag)
        return false;
    *c += 2;
    if (!read_u(c, want, &n) || n != want)
        return false;
    double *v = ccs_malloc((want ? want : 1) * sizeof *v);
    if (v == NULL)
        return false;
    for (size_t i = 0; i < want; i++)
        if (!read_d(c, &v[i])) {
            free(v);
            return false;
        }
    *out = v;
    return true;
}

/* Parse one record line (checksum already verified, cut off). */
static bool parse_record(const struct ccs_sweep *s, char *line, struct parsed *o)
{
    unsigned long long p, final, met, nt, nrows, u;
    char *c = line + 1;
    o->rows = NULL;
    o->rep_vals = o->int_stats = NULL;
    if (line[0] != 'P' || !read_u(&c, s->dz->n_points - 1, &p) || !read_u(&c, 1000000, &final) ||
        !read_u(&c, 1, &met) || !read_u(&c, 1000, &nt) || nt != s->dz->n_targets || final < 1)
        return false;
    o->p = (size_t)p;
    o->final = (uint32_t)final;
    o->met = met != 0;
    for (size_t t = 0; t < s->dz->n_targets; t++)
        if (!read_d(&c, &o->achieved[t]))
            return false;
    size_t K = ccs_sweep_row_scenario(s, (size_t)p)->layout->n_whole;
    if (!read_u(&c, K + CCS__SWEEP_CH_KEYS, &nrows))
        return false;
    o->n_ch = 0;
    struct ccs__sweep_rec_row *rows = ccs_malloc((nrows ? nrows : 1) * sizeof *rows);
    if (rows == NULL)
        return false;
    o->rows = rows;
    for (size_t i = 0; i < nrows; i++) {
        struct ccs__sweep_rec_row *r = &rows[i];
        if (!read_u(&c, K + CCS__SWEEP_CH_KEYS - 1, &u) || !read_d(&c, &r->n) || !read_d(&c, &r->mean) ||
            !read_d(&c, &r->halfwidth) || !read_d(&c, &r->diff_n) || !read_d(&c, &r->diff) ||
            !read_d(&c, &r->diff_halfwidth)) {
            parsed_release(o);
            return false;
        }
        r->key = (uint32_t)u;
        /* keyed rows first, then channel rows */
        bool keyed = u < K;
        o->n_ch += keyed ? 0 : 1;
        if ((keyed && o->n_ch > 0) || !read_u(&c, CCS_VERDICT_NA, &u)) {
            parsed_release(o);
            return false;
        }
        r->verdict = (uint8_t)u;
    }
    o->n_rows = nrows;
    size_t nw = s->dz->points[p].sc->layout->n_whole, ni = ccs__sweep_interval_width(s, p);
    if (((s->outputs & CCS_SWEEP_OUT_REPLICATIONS) &&
         !read_values(&c, 'R', (size_t)final * nw, &o->rep_vals)) ||
        (ni > 0 && !read_values(&c, 'I', 2 * ni, &o->int_stats)) || *c != '\0') {
        parsed_release(o);
        return false;
    }
    return true;
}

/* Take a record read when opening the journal as point o->p's result, at offset at:
   only what the summary needs stays in memory. */
static bool take_record(struct ccs_sweep *s, struct parsed *o, long at)
{
    struct ccs__sweep_point *pt = &s->points[o->p];
    if (pt->recorded) {
        parsed_release(o);
        return false;
    }
    for (size_t t = 0; t < s->dz->n_targets; t++)
        pt->achieved[t] = o->achieved[t];
    parsed_release(o);
    pt->n_rows = o->n_rows - o->n_ch;
    pt->n_ch_rows = o->n_ch;
    pt->final = o->final;
    pt->met = o->met;
    pt->at = at;
    pt->recorded = pt->resumed = true;
    s->n_recorded++;
    s->n_resumed++;
    return true;
}

/* A line of the journal: complete, with a matching checksum? Cuts the checksum off. */
static bool line_ok(char *line, ssize_t n)
{
    if (n < 19 || line[n - 1] != '\n')
        return false;
    line[--n] = '\0';
    char *hash = strrchr(line, '#');
    if (hash == NULL || hash == line || hash[-1] != ' ' || strlen(hash + 1) != 16)
        return false;
    char *end;
    unsigned long long want = strtoull(hash + 1, &end, 16);
    hash[-1] = '\0';
    return *end == '\0' && want == ccs__hash_str(line);
}

int ccs_sweep_journal_open(struct ccs_sweep *s, const char *path, size_t *resumed, bool *replaced,
                           struct ccs_diag *d)
{
    *resumed = 0;
    *replaced = false;
    if (s->journal != NULL)
        return ccs_diag_at(d, CCS_ESTATE, path, 0, 0, "the sweep is not ready for a journal");
    /* a regular file only: never through a symbolic link, never a FIFO or a
       device (/dev/zero would be read as one endless record) */
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
    if (fd < 0 && errno == ELOOP)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0,
                           "cannot open the journal: the path is a symbolic link (the journal "
                           "is written only as a regular file)");
    if (fd < 0)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open the journal: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open the journal: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ccs_diag_at(d, CCS_EIO, path, 0, 0,
                           "cannot open the journal: the path is %s (the journal is written "
                           "only as a regular file)",
                           ccs__file_kind(st.st_mode));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    /* flock, not fcntl: held by this descriptor, so a second open conflicts even in
       one process, and closing another descriptor of the file does not drop it */
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return ccs_diag_at(d, CCS_ESTATE, path, 0, 0,
                           "another sweep is running in this directory (its journal is locked)");
    }
    FILE *f = fdopen(fd, "r+");
    if (f == NULL) {
        close(fd);
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open the journal: %s", strerror(errno));
    }
    char header[128];
    /* the outputs kept are part of what a record holds (none: the header of old) */
    if (s->outputs != 0)
        snprintf(header, sizeof header, "%s %s %zu outputs=%u\n", MAGIC, s->dz->identity,
                 s->dz->n_points, s->outputs);
    else
        snprintf(header, sizeof header, "%s %s %zu\n", MAGIC, s->dz->identity, s->dz->n_points);
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t n = ccs__getline(&line, &cap, f);
    long good = 0;
    if (n > 0 && strcmp(line, header) == 0) {
        good = (long)n;
        struct parsed o = {.achieved = s->cache->achieved};
        while ((errno = 0, n = ccs__getline(&line, &cap, f)) > 0) {
            if (!line_ok(line, n) || !parse_record(s, line, &o) || !take_record(s, &o, good))
                break; /* torn or foreign: it and what follows are dropped */
            good += (long)n;
        }
    } else if (n > 0) {
        *replaced = true; /* another sweep's journal, or not a journal */
    }
    free(line);
    /* out of memory while reading: the journal stays as it is, to resume from */
    if (n < 0 && errno == ENOMEM) {
        fclose(f);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    int rc = 0;
    if (good == 0) {
        /* a new journal: the header, durable with its directory entry */
        if (ftruncate(fd, 0) != 0 || fseek(f, 0, SEEK_SET) != 0 || fputs(header, f) < 0 ||
            fflush(f) != 0 || fsync(fd) != 0)
            rc = CCS_EIO;
        (void)ccs__fsync_parent(path); /* the created entry is durable */
    } else if (ftruncate(fd, good) != 0 || fseek(f, good, SEEK_SET) != 0 || fsync(fd) != 0) {
        rc = CCS_EIO;
    }
    if (rc != 0) {
        fclose(f);
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write the journal: %s",
                           strerror(errno));
    }
    size_t len = strlen(path) + 1;
    free(s->journal_path);
    if ((s->journal_path = ccs_malloc(len)) == NULL) {
        fclose(f);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    memcpy(s->journal_path, path, len);
    s->journal = f;
    *resumed = s->n_resumed;
    ccs__sweep_after_resume(s);
    return 0;
}

/* --- reading finished points back ---------------------------------------------------------- */

static bool cache_fail(struct ccs__sweep_cache *c, int code, const char *path, const char *what)
{
    if (c->err == 0) {
        c->err = code;
        (void)path; /* the sweep's journal_path, named when the failure is reported */
        snprintf(c->msg, sizeof c->msg, "cannot read the journal back: %s", what);
    }
    return false;
}

/* Open the journal for reading (a descriptor of its own: the writer's position stays). */
static bool open_reader(const struct ccs_sweep *s)
{
    struct ccs__sweep_cache *c = s->cache;
    if (c->rd != NULL)
        return true;
    c->rd = fopen(s->journal_path, "re");
    return c->rd != NULL || cache_fail(c, CCS_EIO, s->journal_path, strerror(errno));
}

bool ccs__sweep_result(const struct ccs_sweep *s, size_t p, struct ccs__sweep_result *out)
{
    const struct ccs__sweep_point *pt = &s->points[p];
    struct ccs__sweep_cache *c = s->cache;
    memset(out, 0, sizeof *out);
    if (pt->at < 0) {
        out->rows = pt->rows;
        out->n_rows = pt->rows != NULL ? pt->n_rows + pt->n_ch_rows : 0;
        out->rep_vals = pt->rep_vals;
        out->int_stats = pt->int_stats;
        return true;
    }
    if (c->point != (long)p) {
        if (c->err != 0 || (c->rd == NULL && (s->journal_path == NULL || !open_reader(s))))
            return false;
        free(c->rows);
        free(c->rep_vals);
        free(c->int_stats);
        c->rows = NULL;
        c->rep_vals = c->int_stats = NULL;
        c->point = -1;
        char *line = NULL;
        size_t cap = 0;
        ssize_t n = -1;
        errno = 0;
        /* fseeko drops what the stream had buffered: records appended since are seen */
        if (fseeko(c->rd, (off_t)pt->at, SEEK_SET) == 0)
            n = ccs__getline(&line, &cap, c->rd);
        struct parsed o = {.achieved = c->achieved};
        bool ok = n > 0 && line_ok(line, n) && parse_record(s, line, &o);
        free(line);
        if (!ok && errno == ENOMEM)
            return cache_fail(c, CCS_ENOMEM, s->journal_path, "out of memory");
        if (!ok)
            return cache_fail(c, CCS_EIO, s->journal_path,
                              n < 0 && ferror(c->rd) ? strerror(errno)
                                                     : "a record changed since it was written");
        if (o.p != p) {
            parsed_release(&o);
            return cache_fail(c, CCS_EIO, s->journal_path, "a record changed since it was written");
        }
        c->rows = o.rows;
        c->n_rows = o.n_rows;
        c->rep_vals = o.rep_vals;
        c->int_stats = o.int_stats;
        c->point = (long)p;
    }
    out->rows = c->rows;
    out->n_rows = c->n_rows;
    out->rep_vals = c->rep_vals;
    out->int_stats = c->int_stats;
    return true;
}

int ccs_sweep_read_status(const struct ccs_sweep *s, struct ccs_diag *d)
{
    if (s->cache->err == 0)
        return 0;
    ccs_diag_at(d, s->cache->err, s->journal_path, 0, 0, "%s", s->cache->msg);
    return s->cache->err;
}

int ccs_sweep_journal_remove(struct ccs_sweep *s, struct ccs_diag *d)
{
    if (s->journal == NULL)
        return 0;
    /* the finished points stay readable through the reader once the name is gone */
    if (!open_reader(s))
        return ccs_sweep_read_status(s, d);
    int rc = 0;
    if (unlink(s->journal_path) != 0)
        rc = ccs_diag_at(d, CCS_EIO, s->journal_path, 0, 0, "cannot remove the journal: %s",
                         strerror(errno));
    else
        (void)ccs__fsync_parent(s->journal_path);
    fclose(s->journal); /* after unlink: closing releases the lock */
    s->journal = NULL;
    return rc;
}
