/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * _ccsim.c - the C half of the Python module ccsim (python/ccsim/ is the
 * other): one function per command, a front end over the public API only
 * (<ccs/ccs.h>), like the ccsim command. Each takes what the command line
 * would (paths or YAML text, "KEY.PATH=VALUE" overrides, counts), runs with
 * the GIL released, and returns the command's tidy CSV text, written by the
 * same library writer as the CLI's files (so the results are the CLI's, byte
 * for byte), with a dict of facts about the run. Errors raise ccsim.Error
 * with the file, line and column of the located message.
 *
 * Adding a command: a function that converts its counts with opt_counts(),
 * loads with load_with_overrides() and runs between
 * Py_BEGIN/END_ALLOW_THREADS, raises a failure with raise_diag(), and
 * returns result(capture_close(...), meta) (capture_begin() opens the
 * memory stream); a line in methods[]; its wrapper in ccsim/__init__.py.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ccs/ccs.h>
#include <gsl/gsl_errno.h>

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static PyObject *Error; /* ccsim.Error, a ValueError with file, line, column, message, code */

/* --- errors ----------------------------------------------------------------------- */

/*
 * Raise ccsim.Error from a diagnostic "FILE:LINE:COL: error: MESSAGE" (or
 * "FILE: error: ...", or a bare message): the parts become attributes.
 * Returns NULL for `return raise_diag(...)`.
 */
static PyObject *raise_diag(const struct ccs_diag *d, int code)
{
    const char *msg = d->code != 0 && d->msg[0] ? d->msg : ccs_strerror(code);
    const char *sep = strstr(msg, ": error: ");
    PyObject *file = Py_None, *line = Py_None, *col = Py_None;
    Py_INCREF(file);
    Py_INCREF(line);
    Py_INCREF(col);
    const char *text = msg;
    if (sep != NULL) {
        text = sep + 9;
        /* FILE[:LINE[:COL]] before it; FILE may itself hold colons */
        const char *end = sep;
        long nums[2];
        int n = 0;
        while (n < 2) {
            const char *c = end;
            while (c > msg && c[-1] >= '0' && c[-1] <= '9')
                c--;
            if (c == end || c == msg || c[-1] != ':')
                break;
            nums[n++] = strtol(c, NULL, 10);
            end = c - 1;
        }
        Py_DECREF(file);
        file = PyUnicode_DecodeUTF8(msg, end - msg, "replace");
        if (n == 2) {
            Py_DECREF(line);
            Py_DECREF(col);
            line = PyLong_FromLong(nums[1]);
            col = PyLong_FromLong(nums[0]);
        } else if (n == 1) {
            Py_DECREF(line);
            line = PyLong_FromLong(nums[0]);
        }
    } else if (strncmp(msg, "error: ", 7) == 0) {
        text = msg + 7;
    }
    PyObject *exc = PyObject_CallFunction(Error, "s", msg);
    if (exc != NULL && file != NULL && line != NULL && col != NULL) {
        PyObject *m = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
        PyObject *c = PyLong_FromLong(code ? code : d->code);
        if (m != NULL && c != NULL && PyObject_SetAttrString(exc, "file", file) == 0 &&
            PyObject_SetAttrString(exc, "line", line) == 0 &&
            PyObject_SetAttrString(exc, "column", col) == 0 &&
            PyObject_SetAttrString(exc, "message", m) == 0 &&
            PyObject_SetAttrString(exc, "code", c) == 0)
            PyErr_SetObject(Error, exc);
        Py_XDECREF(m);
        Py_XDECREF(c);
    }
    Py_XDECREF(exc);
    Py_XDECREF(file);
    Py_XDECREF(line);
    Py_XDECREF(col);
    return NULL;
}

/* ccsim.Error for a problem with an argument (no place in a file). */
static PyObject *raise_arg(int code, const char *fmt, ...)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    d.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d.msg, sizeof d.msg, fmt, ap);
    va_end(ap);
    return raise_diag(&d, code);
}

/* --- arguments -------------------------------------------------------------------- */

/* A list of str as C strings borrowed from the list's items (kept alive by
   the list, which the caller holds). */
struct strs {
    const char **v;
    size_t n;
};

static void strs_release(struct strs *s)
{
    PyMem_Free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* Converter for "O&": None or a list/tuple of str. Called again with NULL
   when a later argument fails, to free what it made. */
static int to_strs(PyObject *o, void *out)
{
    struct strs *s = out;
    if (o == NULL) {
        strs_release(s);
        return 1;
    }
    s->v = NULL;
    s->n = 0;
    if (o == Py_None)
        return 1;
    if (!PyList_Check(o) && !PyTuple_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "expected a list of str");
        return 0;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    s->v = PyMem_Calloc((size_t)n + 1, sizeof *s->v);
    if (s->v == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(o, i);
        if (!PyUnicode_Check(item) || (s->v[i] = PyUnicode_AsUTF8(item)) == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "expected a list of str");
            strs_release(s);
            return 0;
        }
    }
    s->n = (size_t)n;
    return Py_CLEANUP_SUPPORTED;
}

/* Optional counts: None, or an int within [lo, hi] (a ccsim.Error names it). */
static int opt_u64(PyObject *o, const char *name, unsigned long long lo, unsigned long long hi,
                   bool *has, unsigned long long *out)
{
    *has = false;
    if (o == NULL || o == Py_None)
        return 0;
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int or None", name);
        return -1;
    }
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    if (PyErr_Occurred() || v < lo || v > hi) {
        PyErr_Clear();
        raise_arg(CCS_ERANGE, "%s must be a whole number from %llu to %llu", name, lo, hi);
        return -1;
    }
    *has = true;
    *out = v;
    return 0;
}

/* The counts most commands take: replications (at least reps_lo), seed and
   jobs (jobs_o NULL: the command has none). Fields of c stay as the caller
   set them (its defaults) where the argument is None. -1 with an exception. */
struct counts {
    bool has_reps, has_seed, has_jobs;
    unsigned long long reps, seed, jobs;
};

static int opt_counts(PyObject *reps_o, unsigned long long reps_lo, PyObject *seed_o,
                      PyObject *jobs_o, struct counts *c)
{
    return opt_u64(reps_o, "replications", reps_lo, 1000000, &c->has_reps, &c->reps) != 0 ||
                   opt_u64(seed_o, "seed", 0, UINT64_MAX, &c->has_seed, &c->seed) != 0 ||
                   opt_u64(jobs_o, "jobs", 1, 4096, &c->has_jobs, &c->jobs) != 0
               ? -1
               : 0;
}

/* The counts given, over a command's defaults: seed and replications. */
static void counts_apply(const struct counts *c, uint64_t *seed, uint32_t *reps)
{
    if (c->has_seed)
        *seed = c->seed;
    if (c->has_reps)
        *reps = (uint32_t)c->reps;
}

/* A confidence level: strictly between 0 and 1. -1 with an exception. */
static int opt_level(double level)
{
    if (level > 0 && level < 1)
        return 0;
    raise_arg(CCS_ERANGE, "level must lie strictly between 0 and 1, got %g", level);
    return -1;
}

/* The replication cap of precision targets (None: none; it needs targets).
   -1 with an exception. */
static int opt_cap(PyObject *cap_o, size_t n_targets, bool *has_cap, unsigned long long *cap)
{
    if (opt_u64(cap_o, "max_replications", 2, 1000000, has_cap, cap) != 0)
        return -1;
    if (*has_cap && n_targets == 0) {
        raise_arg(CCS_EINVAL, "max_replications applies to precision targets");
        return -1;
    }
    return 0;
}

/* --- scenarios ---------------------------------------------------------------------- */

/* Overrides "KEY.PATH=VALUE" parsed, located in their own text (origin
   "overrides:1:COL"), with the buffers that hold their paths. */
struct overrides {
    struct ccs_override *ov;
    char **bufs;
    size_t n;
};

static void overrides_release(struct overrides *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->bufs[i]);
    free(o->bufs);
    free(o->ov);
    memset(o, 0, sizeof *o);
}

static int overrides_parse(const struct strs *set, struct overrides *o, struct ccs_diag *d)
{
    memset(o, 0, sizeof *o);
    o->ov = ccs_calloc(set->n + 1, sizeof *o->ov);
    o->bufs = ccs_calloc(set->n + 1, sizeof *o->bufs);
    if (o->ov == NULL || o->bufs == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < set->n; i++) {
        size_t n = strlen(set->v[i]) + 1;
        if ((o->bufs[i] = ccs_malloc(n)) == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        o->n = i + 1;
        int rc = ccs_override_parse(set->v[i], "overrides", o->bufs[i], n, &o->ov[i], d);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Load a scenario: a path, or YAML text when is_text (named "<string>"). */
static int load_scenario(const char *scenario, Py_ssize_t len, int is_text,
                         const struct overrides *ov, struct ccs_scenario **out, struct ccs_diag *d)
{
    struct ccs_load_opts o = {.ov = ov->ov, .n_ov = ov->n};
    return is_text ? ccs_scenario_load_text(NULL, scenario, (size_t)len, &o, out, d)
                   : ccs_scenario_load_opts(scenario, &o, out, d);
}

/* Parse the overrides set into ov, then load_scenario with them. Needs no
   GIL; the caller releases ov. */
static int load_with_overrides(const char *scenario, Py_ssize_t len, int is_text,
                               const struct strs *set, struct overrides *ov,
                               struct ccs_scenario **out, struct ccs_diag *d)
{
    int rc = overrides_parse(set, ov, d);
    return rc != 0 ? rc : load_scenario(scenario, len, is_text, ov, out, d);
}

/* --- results ------------------------------------------------------------------------- */

/* What a report writer wrote into memory, as str; NULL with an exception set. */
struct capture {
    char *buf;
    size_t len;
    FILE *f;
};

/* Open c's stream; NULL when it cannot be opened. Needs no GIL. */
static FILE *capture_open(struct capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    return c->f;
}

/* capture_open with the GIL held: NULL with MemoryError set. */
static FILE *capture_begin(struct capture *c)
{
    FILE *f = capture_open(c);
    if (f == NULL)
        PyErr_NoMemory();
    return f;
}

static PyObject *capture_close(struct capture *c, int write_rc)
{
    int rc = fclose(c->f);
    PyObject *s = NULL;
    if (write_rc != 0 || rc != 0)
        PyErr_SetString(PyExc_MemoryError, "could not write the results into memory");
    else
        s = PyUnicode_DecodeUTF8(c->buf ? c->buf : "", (Py_ssize_t)c->len, "replace");
    free(c->buf);
    return s;
}

/* (csv, meta); steals both references. */
static PyObject *result(PyObject *csv, PyObject *meta)
{
    if (csv == NULL || meta == NULL) {
        Py_XDECREF(csv);
        Py_XDECREF(meta);
        return NULL;
    }
    PyObject *t = PyTuple_Pack(2, csv, meta);
    Py_DECREF(csv);
    Py_DECREF(meta);
    return t;
}

/* --- run ------------------------------------------------------------------------------- */

static const char run_doc[] =
    "run(scenario, is_text, overrides, replications, seed, level, table, out, plots, jobs)\n"
    "-> (csv, meta): table 'summary', 'intervals' or 'replications' (as the files of\n"
    "ccsim run --out); out: also write the standard files (and with plots the charts).\n"
    "jobs: threads (None: 1, Ctrl-C between replications; N > 1: the thread pool,\n"
    "the same results).";

static PyObject *py_run(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "is_text", "overrides", "replications", "seed",
                             "level", "table", "out", "plots", "jobs", NULL};
    const char *scenario, *table = "summary", *out = NULL;
    Py_ssize_t len;
    int is_text = 0, plots = 0;
    struct strs set = {0};
    PyObject *reps_o = Py_None, *seed_o = Py_None, *jobs_o = Py_None;
    double level = 0.95;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|pO&OOdzzpO", kwlist, &scenario, &len, &is_text,
                                     to_strs, &set, &reps_o, &seed_o, &level, &table, &out, &plots,
                                     &jobs_o))
        return NULL;
    PyObject *ret = NULL;
    struct overrides ov = {0};
    struct ccs_scenario *sc = NULL;
    struct ccs_summary *sum = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 0, .jobs = 1};
    int (*writer)(FILE *, const struct ccs_summary *) =
        strcmp(table, "summary") == 0        ? ccs_report_summary_csv
        : strcmp(table, "intervals") == 0    ? ccs_report_intervals_csv
        : strcmp(table, "replications") == 0 ? ccs_report_replications_csv
                                             : NULL;
    if (writer == NULL) {
        raise_arg(CCS_EINVAL, "by must be 'run', 'interval' or 'replication', got '%s'", table);
        goto done;
    }
    if (opt_counts(reps_o, 1, seed_o, jobs_o, &cnt) != 0 || opt_level(level) != 0)
        goto done;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = load_with_overrides(scenario, len, is_text, &set, &ov, &sc, &d);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    counts_apply(&cnt, &o.seed, &o.replications);
    o.level = level;
    o.sample_every = plots ? ccs_plot_sample_step(sc) : 0;
    o.jobs = (unsigned)cnt.jobs;
    if (cnt.jobs > 1) {
        /* the thread pool: the same summary as one by one (run.h) */
        Py_BEGIN_ALLOW_THREADS
        rc = ccs_run(sc, &o, &sum, &d);
        Py_END_ALLOW_THREADS
    } else if ((sum = ccs_summary_new(sc, o.level, o.sample_every)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* else ccs_run, replication by replication, so that Ctrl-C stops it between two */
    for (uint32_t r = 0; cnt.jobs <= 1 && r < o.replications && rc == 0; r++) {
        Py_BEGIN_ALLOW_THREADS
        rc = ccs_run_one(sc, o.seed, r, sum, NULL, &d);
        Py_END_ALLOW_THREADS
        if (rc == 0 && PyErr_CheckSignals() != 0)
            goto done;
    }
    if (rc == 0 && out != NULL) {
        Py_BEGIN_ALLOW_THREADS
        if (!plots) {
            rc = ccs_report_write_dir(out, sum, &d);
        } else {
            struct ccs_outdir *od;
            struct ccs_plot_opts po = ccs_plot_opts_default();
            if ((rc = ccs_outdir_open(out, &od, &d)) == 0) {
                if ((rc = ccs_report_write_files(od, sum, &d)) != 0 ||
                    (rc = ccs_plot_run(od, sum, &po, &d)) != 0)
                    ccs_outdir_abort(od);
                else
                    rc = ccs_outdir_commit(od, &d);
            }
        }
        Py_END_ALLOW_THREADS
    }
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct capture c;
    if (capture_begin(&c) == NULL)
        goto done;
    int wrc = writer(c.f, sum);
    ret = result(capture_close(&c, wrc),
                 Py_BuildValue("{s:s,s:s,s:s,s:K,s:I,s:d}", "scenario", ccs_scenario_name(sc),
                               "origin", ccs_scenario_origin(sc), "policy",
                               ccs_scenario_policy(sc), "seed", (unsigned long long)o.seed,
                               "replications", ccs_summary_replications(sum), "level", o.level));
done:
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
    overrides_release(&ov);
    strs_release(&set);
    return ret;
}

/* --- compare ----------------------------------------------------------------------------- */

static const char compare_doc[] =
    "compare(scenarios, is_text, names, variants, overrides, replications, seed, level,\n"
    "        precision, max_replications, method, out, plots, jobs) -> (csv, meta)\n"
    "One scenario with variants ('NAME:KEY=VALUE,...', as --variant; none: the file's\n"
    "variants:), or several whole scenarios named by names; compare.csv's rows.";

/* Everything a comparison owns. */
struct cmp {
    struct ccs_scenario **owned;
    size_t n_owned;
    struct ccs_variant *vars;
    size_t n_vars;
    char **texts;
    size_t n_texts;
};

static void cmp_release(struct cmp *j)
{
    for (size_t i = 0; i < j->n_owned; i++)
        ccs_scenario_free(j->owned[i]);
    for (size_t i = 0; i < j->n_texts; i++)
        free(j->texts[i]);
    free(j->owned);
    free(j->vars);
    free(j->texts);
}

static const char *cmp_keep(struct cmp *j, const char *s)
{
    char **t = ccs_realloc(j->texts, (j->n_texts + 1) * sizeof *t);
    if (t == NULL)
        return NULL;
    j->texts = t;
    size_t n = strlen(s) + 1;
    if ((t[j->n_texts] = ccs_malloc(n)) == NULL)
        return NULL;
    memcpy(t[j->n_texts], s, n);
    return t[j->n_texts++];
}

/* Own sc and add it as a variant (first: in front, as the baseline). */
static int cmp_add(struct cmp *j, const char *name, const char *desc, struct ccs_scenario *sc,
                   bool first, struct ccs_diag *d)
{
    struct ccs_scenario **o = ccs_realloc(j->owned, (j->n_owned + 1) * sizeof *o);
    if (o == NULL) {
        ccs_scenario_free(sc);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    j->owned = o;
    j->owned[j->n_owned++] = sc;
    struct ccs_variant *v = ccs_realloc(j->vars, (j->n_vars + 1) * sizeof *v);
    if (v == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    j->vars = v;
    for (size_t i = 0; i < j->n_vars; i++)
        if (strcmp(j->vars[i].name, name) == 0)
            return ccs_diag_at(d, CCS_EINVAL, "variants", 0, 0, "two variants are named '%s'",
                               name);
    struct ccs_variant nv = {name, sc, desc};
    if (first) {
        memmove(&j->vars[1], &j->vars[0], j->n_vars * sizeof *j->vars);
        j->vars[0] = nv;
    } else {
        j->vars[j->n_vars] = nv;
    }
    j->n_vars++;
    return 0;
}

/* One scenario with --variant specs, or its own variants: (as ccsim compare). */
static int cmp_variants(struct cmp *j, struct ccs_scenario *base, const struct strs *specs,
                        struct ccs_diag *d)
{
    size_t n_file = ccs_scenario_variant_count(base);
    if (specs->n == 0 && n_file == 0) {
        ccs_scenario_free(base);
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "nothing to compare: give variants, several scenarios, or list "
                           "'variants:' in the scenario");
    }
    bool explicit_base = false;
    int rc = 0;
    size_t n = specs->n > 0 ? specs->n : n_file;
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct ccs_scenario *sc = NULL;
        const char *name, *desc;
        if (specs->n > 0) {
            struct ccs_variant_spec spec;
            if ((rc = ccs_variant_spec_parse(specs->v[i], "variants", &spec, d)) != 0)
                break;
            if ((rc = ccs_scenario_derive(base, spec.ov, spec.n_ov, &sc, d)) != 0) {
                ccs_variant_spec_release(&spec);
                break;
            }
            name = cmp_keep(j, spec.name);
            desc = cmp_keep(j, spec.text);
            ccs_variant_spec_release(&spec);
        } else {
            if ((rc = ccs_scenario_variant_derive(base, i, &sc, d)) != 0)
                break;
            char summary[512];
            const char *given = ccs_scenario_variant_description(base, i);
            ccs_scenario_variant_summary(base, i, summary, sizeof summary);
            name = cmp_keep(j, ccs_scenario_variant_name(base, i));
            desc = cmp_keep(j, given != NULL ? given : summary);
        }
        if (name == NULL || desc == NULL) {
            ccs_scenario_free(sc);
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        bool is_base = strcmp(name, "baseline") == 0;
        rc = cmp_add(j, name, desc[0] ? desc : NULL, sc, is_base, d);
        explicit_base = explicit_base || is_base;
    }
    if (rc == 0 && !explicit_base)
        return cmp_add(j, "baseline", NULL, base, true, d);
    ccs_scenario_free(base); /* the variants keep no pointer into it */
    return rc;
}

static PyObject *py_compare(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenarios", "is_text", "names", "variants", "overrides",
                             "replications", "seed", "level", "precision", "max_replications",
                             "method", "out", "plots", "jobs", NULL};
    struct strs scen = {0}, names = {0}, specs = {0}, set = {0}, prec = {0};
    PyObject *is_text_o, *reps_o = Py_None, *seed_o = Py_None, *cap_o = Py_None,
             *jobs_o = Py_None;
    const char *method = "auto", *out = NULL;
    double level = 0.95;
    int plots = 0;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&O|O&O&O&OOdO&OzzpO", kwlist, to_strs, &scen,
                                     &is_text_o, to_strs, &names, to_strs, &specs, to_strs, &set,
                                     &reps_o, &seed_o, &level, to_strs, &prec, &cap_o, &method,
                                     &out, &plots, &jobs_o))
        return NULL;
    PyObject *ret = NULL;
    struct cmp j = {0};
    struct overrides ov = {0};
    struct ccs_precision *targets = NULL;
    struct ccs_compare *c = NULL;
    int *texts = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 0, .jobs = 1};
    bool has_cap;
    unsigned long long cap = 0;
    int rc = 0;
    if (!PyList_Check(is_text_o) || (size_t)PyList_GET_SIZE(is_text_o) != scen.n ||
        (scen.n > 1 && names.n != scen.n)) {
        PyErr_SetString(PyExc_TypeError, "compare: scenarios, is_text and names do not match");
        goto done;
    }
    if (scen.n == 0) {
        raise_arg(CCS_EINVAL, "nothing to compare: no scenario");
        goto done;
    }
    if (scen.n > 1 && specs.n > 0) {
        raise_arg(CCS_EINVAL, "variants apply to one scenario, not to a list of scenarios");
        goto done;
    }
    if (opt_counts(reps_o, 1, seed_o, jobs_o, &cnt) != 0 ||
        opt_cap(cap_o, prec.n, &has_cap, &cap) != 0)
        goto done;
    enum ccs_compare_method m;
    if (strcmp(method, "auto") == 0)
        m = CCS_CMP_AUTO;
    else if (strcmp(method, "replications") == 0)
        m = CCS_CMP_REPLICATIONS;
    else if (strcmp(method, "batch-means") == 0 || strcmp(method, "batch_means") == 0)
        m = CCS_CMP_BATCH_MEANS;
    else {
        raise_arg(CCS_EINVAL, "method must be 'auto', 'replications' or 'batch-means', got '%s'",
                  method);
        goto done;
    }
    if (opt_level(level) != 0)
        goto done;
    if (prec.n > 0 && (targets = ccs_calloc(prec.n, sizeof *targets)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t i = 0; i < prec.n && rc == 0; i++)
        rc = ccs_precision_parse(prec.v[i], "precision", &targets[i], &d);
    if (rc == 0)
        rc = overrides_parse(&set, &ov, &d);
    if ((texts = PyMem_Calloc(scen.n, sizeof *texts)) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t i = 0; i < scen.n; i++)
        if ((texts[i] = PyObject_IsTrue(PyList_GET_ITEM(is_text_o, (Py_ssize_t)i))) < 0)
            goto done;
    Py_BEGIN_ALLOW_THREADS
    for (size_t i = 0; i < scen.n && rc == 0; i++) {
        struct ccs_scenario *sc = NULL;
        rc = load_scenario(scen.v[i], (Py_ssize_t)strlen(scen.v[i]), texts[i], &ov, &sc, &d);
        if (rc == 0)
            rc = scen.n == 1 ? cmp_variants(&j, sc, &specs, &d)
                             : cmp_add(&j, names.v[i], texts[i] ? NULL : scen.v[i], sc, false, &d);
    }
    struct ccs_compare_opts o;
    if (rc == 0) {
        o = ccs_compare_opts_default(j.vars[0].sc);
        counts_apply(&cnt, &o.seed, &o.replications);
        if (has_cap)
            o.max_replications = (uint32_t)cap;
        o.level = level;
        o.method = m;
        o.targets = targets;
        o.n_targets = prec.n;
        o.jobs = (unsigned)cnt.jobs;
        rc = ccs_compare_run(j.vars, j.n_vars, &o, &c, &d);
    }
    if (rc == 0 && out != NULL) {
        struct ccs_plot_opts po = ccs_plot_opts_default();
        rc = ccs_report_compare_write_dir(out, c, plots ? &po : NULL, &d);
    }
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct capture cap_out;
    if (capture_begin(&cap_out) == NULL)
        goto done;
    int wrc = ccs_report_compare_csv(cap_out.f, c);
    PyObject *vars = PyList_New(0);
    for (size_t v = 0; vars != NULL && v < ccs_compare_variant_count(c); v++) {
        const char *desc = ccs_compare_variant_description(c, v);
        PyObject *item = Py_BuildValue("{s:s,s:z}", "name", ccs_compare_variant_name(c, v),
                                       "description", desc);
        if (item == NULL || PyList_Append(vars, item) != 0)
            Py_CLEAR(vars);
        Py_XDECREF(item);
    }
    enum ccs_compare_method used = ccs_compare_method(c);
    PyObject *meta =
        vars == NULL ? NULL
                     : Py_BuildValue("{s:N,s:K,s:I,s:d,s:s,s:O}", "variants", vars, "seed",
                                     (unsigned long long)ccs_compare_seed(c), "replications",
                                     ccs_compare_count(c), "level", ccs_compare_level(c), "method",
                                     used == CCS_CMP_BATCH_MEANS ? "batch-means" : "replications",
                                     "targets_met",
                                     ccs_compare_target_count(c) == 0 || ccs_compare_targets_met(c)
                                         ? Py_True
                                         : Py_False);
    ret = result(capture_close(&cap_out, wrc), meta);
done:
    ccs_compare_free(c);
    PyMem_Free(texts);
    cmp_release(&j);
    overrides_release(&ov);
    free(targets);
    strs_release(&scen);
    strs_release(&names);
    strs_release(&specs);
    strs_release(&set);
    strs_release(&prec);
    return ret;
}

/* --- sweep ---------------------------------------------------------------------------- */

static const char sweep_doc[] =
    "sweep(scenario, is_text, grid, points, overrides, replications, seed, precision,\n"
    "      max_replications, baseline, streams, jobs, out) -> (csv, meta)\n"
    "grid: 'KEY.PATH=V1,V2,...'; points: 'NAME:KEY.PATH=VALUE,...'; sweep.csv's rows.\n"
    "A path to a sweep file (a mapping with 'scenario') runs that file.";

static PyObject *py_sweep(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "is_text", "grid", "points", "overrides",
                             "replications", "seed", "precision", "max_replications", "baseline",
                             "streams", "jobs", "out", NULL};
    const char *scenario, *baseline = NULL, *streams = NULL, *out = NULL;
    Py_ssize_t len;
    int is_text = 0;
    struct strs grid = {0}, points = {0}, set = {0}, prec = {0};
    PyObject *reps_o = Py_None, *seed_o = Py_None, *cap_o = Py_None, *jobs_o = Py_None;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|pO&O&O&OOO&OzzOz", kwlist, &scenario, &len,
                                     &is_text, to_strs, &grid, to_strs, &points, to_strs, &set,
                                     &reps_o, &seed_o, to_strs, &prec, &cap_o, &baseline, &streams,
                                     &jobs_o, &out))
        return NULL;
    PyObject *ret = NULL;
    struct ccs_sweep_plan *plan = ccs_sweep_plan_new();
    struct ccs_sweep *s = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 0, .jobs = 1};
    bool has_cap;
    unsigned long long cap = 0;
    int rc = 0;
    if (plan == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (opt_counts(reps_o, 1, seed_o, jobs_o, &cnt) != 0 ||
        opt_cap(cap_o, prec.n, &has_cap, &cap) != 0)
        goto done;
    enum ccs_sweep_streams st = CCS_STREAMS_AUTO;
    if (streams != NULL && strcmp(streams, "common") == 0)
        st = CCS_STREAMS_COMMON;
    else if (streams != NULL && strcmp(streams, "independent") == 0)
        st = CCS_STREAMS_INDEPENDENT;
    else if (streams != NULL) {
        raise_arg(CCS_EINVAL, "streams must be 'common' or 'independent', got '%s'", streams);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    if (is_text)
        rc = ccs_sweep_plan_set_scenario_text(plan, NULL, scenario, (size_t)len, &d);
    else
        rc = ccs_sweep_file_probe(scenario) ? ccs_sweep_plan_load_file(plan, scenario, &d)
                                            : ccs_sweep_plan_set_scenario(plan, scenario, &d);
    for (size_t i = 0; i < set.n && rc == 0; i++)
        rc = ccs_sweep_plan_add_set(plan, set.v[i], "overrides", &d);
    for (size_t i = 0; i < grid.n && rc == 0; i++)
        rc = ccs_sweep_plan_add_grid(plan, grid.v[i], "grid", &d);
    for (size_t i = 0; i < points.n && rc == 0; i++)
        rc = ccs_sweep_plan_add_point(plan, points.v[i], "points", &d);
    for (size_t i = 0; i < prec.n && rc == 0; i++) {
        struct ccs_precision p;
        if ((rc = ccs_precision_parse(prec.v[i], "precision", &p, &d)) == 0)
            rc = ccs_sweep_plan_add_target(plan, &p, &d);
    }
    if (rc == 0 && baseline != NULL)
        rc = ccs_sweep_plan_set_baseline(plan, baseline, &d);
    if (rc == 0) {
        if (cnt.has_seed)
            ccs_sweep_plan_set_seed(plan, cnt.seed);
        if (cnt.has_reps)
            ccs_sweep_plan_set_replications(plan, (uint32_t)cnt.reps);
        if (has_cap)
            ccs_sweep_plan_set_max_replications(plan, (uint32_t)cap);
        if (st != CCS_STREAMS_AUTO)
            ccs_sweep_plan_set_streams(plan, st);
        rc = ccs_sweep_plan_prepare(plan, &d);
    }
    if (rc == 0)
        rc = ccs_sweep_new(ccs_sweep_plan_design(plan), &s, &d);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    /* the pool runs the tasks; this thread looks for Ctrl-C every 0.2 s */
    bool interrupted = false;
    struct ccs_sweep_pool *pool = NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = ccs_sweep_pool_start(s, cnt.has_jobs ? (unsigned)cnt.jobs : 1, &pool, &d);
    while (rc == 0 && !ccs_sweep_pool_over(pool)) {
        ccs_sweep_pool_wait(pool, 0.2);
        Py_BLOCK_THREADS
        interrupted = PyErr_CheckSignals() != 0;
        Py_UNBLOCK_THREADS
        if (interrupted) {
            struct ccs_diag e;
            ccs_diag_clear(&e);
            ccs_diag_at(&e, CCS_EINTERRUPTED, NULL, 0, 0, "interrupted");
            ccs_sweep_pool_fail(pool, &e);
            break;
        }
    }
    if (pool != NULL) {
        int frc = ccs_sweep_pool_finish(pool, &d);
        if (rc == 0)
            rc = frc;
    }
    if (rc == 0 && !interrupted && out != NULL)
        rc = ccs_report_sweep_write_dir(out, s, &d);
    Py_END_ALLOW_THREADS
    if (interrupted)
        goto done; /* KeyboardInterrupt is set */
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct capture c;
    if (capture_begin(&c) == NULL)
        goto done;
    int wrc = ccs_report_sweep_csv(c.f, s);
    PyObject *cols = PyList_New(0);
    for (size_t i = 0; cols != NULL && i < ccs_sweep_column_count(s); i++) {
        PyObject *name = PyUnicode_FromString(ccs_sweep_column(s, i));
        if (name == NULL || PyList_Append(cols, name) != 0)
            Py_CLEAR(cols);
        Py_XDECREF(name);
    }
    long b = ccs_sweep_baseline(s);
    PyObject *meta =
        cols == NULL
            ? NULL
            : Py_BuildValue("{s:N,s:n,s:z,s:K,s:s,s:I,s:s}", "columns", cols, "points",
                            (Py_ssize_t)ccs_sweep_point_count(s), "baseline",
                            b >= 0 ? ccs_sweep_point_name(s, (size_t)b) : NULL, "seed",
                            (unsigned long long)ccs_sweep_seed(s), "streams",
                            ccs_sweep_streams(s) == CCS_STREAMS_COMMON ? "common" : "independent",
                            "replications", ccs_sweep_replications(s), "identity",
                            ccs_sweep_identity(s));
    ret = result(capture_close(&c, wrc), meta);
done:
    ccs_sweep_free(s);
    ccs_sweep_plan_free(plan);
    strs_release(&grid);
    strs_release(&points);
    strs_release(&set);
    strs_release(&prec);
    return ret;
}

/* --- staff ------------------------------------------------------------------------------ */

static const char staff_doc[] =
    "staff(scenario, is_text, overrides, replications, seed, shrinkage, max_occupancy,\n"
    "      margin, max_rounds, refine, out, jobs) -> (csv, meta): staffing.csv's rows; meta has\n"
    "the plan per group, the status and staffing.yaml's text.";

static PyObject *py_staff(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "is_text", "overrides", "replications", "seed",
                             "shrinkage", "max_occupancy", "margin", "max_rounds", "refine",
                             "out", "jobs", NULL};
    const char *scenario, *out = NULL;
    Py_ssize_t len;
    int is_text = 0, refine = 1;
    struct strs set = {0};
    PyObject *reps_o = Py_None, *seed_o = Py_None, *shrink_o = Py_None, *occ_o = Py_None,
             *margin_o = Py_None, *rounds_o = Py_None, *jobs_o = Py_None;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|pO&OOOOOOpzO", kwlist, &scenario, &len, &is_text,
                                     to_strs, &set, &reps_o, &seed_o, &shrink_o, &occ_o, &margin_o,
                                     &rounds_o, &refine, &out, &jobs_o))
        return NULL;
    PyObject *ret = NULL;
    struct overrides ov = {0};
    struct ccs_scenario *sc = NULL;
    struct ccs_staffing *st = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 0, .jobs = 1};
    bool has_rounds;
    unsigned long long rounds = 0;
    double fr[3] = {NAN, NAN, NAN};
    PyObject *fo[3] = {shrink_o, occ_o, margin_o};
    static const char *const fname[3] = {"shrinkage", "max_occupancy", "margin"};
    if (opt_counts(reps_o, 1, seed_o, jobs_o, &cnt) != 0 ||
        opt_u64(rounds_o, "max_rounds", 1, 100000, &has_rounds, &rounds) != 0)
        goto done;
    for (int k = 0; k < 3; k++) {
        if (fo[k] == Py_None)
            continue;
        fr[k] = PyFloat_AsDouble(fo[k]);
        if (PyErr_Occurred())
            goto done;
        /* shrinkage in [0, 1); occupancy in (0, 1]; margin in [0, 1] */
        if (!(fr[k] >= 0 && fr[k] <= 1) || (k == 0 && fr[k] == 1) || (k == 1 && fr[k] == 0)) {
            raise_arg(CCS_ERANGE, "%s must be a fraction %s, got %g", fname[k],
                      k == 0 ? "from 0 to below 1" : k == 1 ? "above 0, at most 1" : "from 0 to 1",
                      fr[k]);
            goto done;
        }
    }
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = load_with_overrides(scenario, len, is_text, &set, &ov, &sc, &d);
    if (rc == 0) {
        struct ccs_staff_opts so = ccs_staff_opts_default(sc);
        counts_apply(&cnt, &so.seed, &so.replications);
        if (has_rounds)
            so.max_rounds = (uint32_t)rounds;
        if (!isnan(fr[0]))
            so.shrinkage = fr[0];
        if (!isnan(fr[1]))
            so.max_occupancy = fr[1];
        if (!isnan(fr[2]))
            so.margin = fr[2];
        so.refine = refine != 0;
        so.jobs = (unsigned)cnt.jobs;
        rc = ccs_staff(sc, &so, &st, &d);
    }
    if (rc == 0 && out != NULL)
        rc = ccs_staff_write_dir(out, st, &d);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct capture c, y;
    if (capture_begin(&c) == NULL)
        goto done;
    PyObject *csv = capture_close(&c, ccs_staff_write_csv(c.f, st));
    PyObject *yaml = NULL;
    if (csv != NULL && capture_begin(&y) != NULL)
        yaml = capture_close(&y, ccs_staff_write_yaml(y.f, st));
    PyObject *plan = yaml != NULL ? PyDict_New() : NULL;
    for (size_t g = 0; plan != NULL && g < st->n_groups; g++) {
        PyObject *row = PyList_New((Py_ssize_t)st->n_intervals);
        for (uint32_t i = 0; row != NULL && i < st->n_intervals; i++) {
            PyObject *v = PyLong_FromUnsignedLong(st->plan[g * st->n_intervals + i]);
            if (v == NULL)
                Py_CLEAR(row);
            else
                PyList_SET_ITEM(row, i, v);
        }
        if (row == NULL || PyDict_SetItemString(plan, ccs_scenario_group_id(sc, g), row) != 0)
            Py_CLEAR(plan);
        Py_XDECREF(row);
    }
    PyObject *cost = st->has_cost ? PyFloat_FromDouble(st->cost) : Py_NewRef(Py_None);
    PyObject *meta = plan == NULL || cost == NULL
                         ? NULL
                         : Py_BuildValue("{s:O,s:O,s:s,s:I,s:I,s:K,s:d,s:O}", "plan", plan, "yaml",
                                         yaml, "status", ccs_staff_status_name(st->status),
                                         "rounds", st->rounds, "replications", st->replications,
                                         "seed", (unsigned long long)st->seed, "agent_hours",
                                         st->agent_hours, "cost", cost);
    Py_XDECREF(plan);
    Py_XDECREF(yaml);
    Py_XDECREF(cost);
    ret = result(csv, meta);
done:
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
    overrides_release(&ov);
    strs_release(&set);
    return ret;
}

/* --- fit, backtest ---------------------------------------------------------------------- */

/* A call log's dates and their fit, as `ccsim fit` and `ccsim backtest` load
   them: every date unless dates says otherwise (a file whose own selection is
   one date is read whole; an undated log is one day). */
struct fitjob {
    struct ccs_scenario **scs;
    size_t n;
    struct ccs_fitlog *fit;
};

static void fitjob_release(struct fitjob *j)
{
    ccs_fitlog_free(j->fit);
    ccs_scenario_list_free(j->scs, j->n);
    memset(j, 0, sizeof *j);
}

static int fitjob_load(struct fitjob *j, const char *path, const struct overrides *ov,
                       const char *dates, const struct ccs_fitlog_opts *fo, struct ccs_diag *d)
{
    struct ccs_load_opts lo = {.ov = ov->ov, .n_ov = ov->n, .dates = dates,
                               .dates_origin = "dates"};
    int rc = ccs_scenario_load_dates(path, &lo, &j->scs, &j->n, d);
    if (rc == 0 && dates == NULL && j->n == 1 && ccs_scenario_date(j->scs[0]) != NULL) {
        ccs_scenario_list_free(j->scs, j->n);
        j->scs = NULL;
        j->n = 0;
        lo.dates = "all";
        rc = ccs_scenario_load_dates(path, &lo, &j->scs, &j->n, d);
    }
    if (rc == 0)
        rc = ccs_fitlog_new(j->scs, j->n, fo, &j->fit, d);
    return rc;
}

/* The fit options from Python's arguments; -1 with an exception set. */
static int fit_opts(struct ccs_fitlog_opts *fo, const char *rule, PyObject *short_o,
                    PyObject *boot_o, int pseudonymize)
{
    if (strcmp(rule, "waiting") == 0) {
        fo->rule = CCS_AVAIL_WAITING;
    } else if (strcmp(rule, "gap") == 0) {
        fo->rule = CCS_AVAIL_GAP;
    } else {
        raise_arg(CCS_EINVAL, "rule must be 'waiting' or 'gap', got '%s'", rule);
        return -1;
    }
    if (short_o != Py_None) {
        double v = PyFloat_AsDouble(short_o);
        if (PyErr_Occurred())
            return -1;
        if (!(v >= 1 && v <= 3600)) {
            raise_arg(CCS_ERANGE, "short_abandon must be from 1 to 3600 seconds, got %g", v);
            return -1;
        }
        fo->short_abandon = v;
    }
    bool has_boot;
    unsigned long long boot = 0;
    if (opt_u64(boot_o, "bootstrap", 0, 100000, &has_boot, &boot) != 0)
        return -1;
    if (has_boot)
        fo->n_boot = (unsigned)boot;
    fo->pseudonymize = pseudonymize != 0;
    return 0;
}

/* Files a fit writes, kept in memory by name. */
struct memfiles {
    char *name[16];
    struct capture c[16];
    size_t n;
};

static FILE *memfile_open(void *ctx, const char *name, struct ccs_diag *d)
{
    struct memfiles *m = ctx;
    FILE *f = NULL;
    if (m->n < 16 && (m->name[m->n] = ccs_strdup(name)) != NULL) {
        f = capture_open(&m->c[m->n]);
        if (f == NULL)
            free(m->name[m->n]);
        else
            m->n++;
    }
    if (f == NULL)
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    return f;
}

/* Close every file; the text of `name` as str (NULL with an exception when
   it failed or is missing); the others are dropped. */
static PyObject *memfiles_take(struct memfiles *m, const char *name, int write_rc,
                               PyObject **second, const char *name2)
{
    PyObject *ret = NULL;
    for (size_t i = 0; i < m->n; i++) {
        PyObject *s = capture_close(&m->c[i], write_rc);
        if (s != NULL && strcmp(m->name[i], name) == 0 && ret == NULL)
            ret = s;
        else if (s != NULL && second != NULL && strcmp(m->name[i], name2) == 0 && *second == NULL)
            *second = s;
        else
            Py_XDECREF(s);
        free(m->name[i]);
    }
    m->n = 0;
    if (ret == NULL && !PyErr_Occurred())
        PyErr_Format(PyExc_RuntimeError, "the fit wrote no %s", name);
    return ret;
}

static const char fit_doc[] =
    "fit(scenario, overrides, dates, rule, short_abandon, bootstrap, pseudonymize, out,\n"
    "    plots) -> (csv, meta): fit.csv's rows (every estimate); meta has the fitted\n"
    "scenario.yaml's text, the dates and the available share. scenario: a path (its\n"
    "trace: block reads the log). out: also write ccsim fit --out's files (plots: and\n"
    "the charts and report.html).";

static PyObject *py_fit(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "overrides", "dates", "rule", "short_abandon",
                             "bootstrap", "pseudonymize", "out", "plots", NULL};
    const char *scenario, *dates = NULL, *rule = "gap", *out = NULL;
    struct strs set = {0};
    PyObject *short_o = Py_None, *boot_o = Py_None;
    int pseudonymize = 0, plots = 0;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|O&zzOOpzp", kwlist, &scenario, to_strs, &set,
                                     &dates, &rule, &short_o, &boot_o, &pseudonymize, &out,
                                     &plots))
        return NULL;
    PyObject *ret = NULL;
    struct overrides ov = {0};
    struct fitjob j = {0};
    struct memfiles m = {0};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_fitlog_opts fo = ccs_fitlog_opts_default();
    if (fit_opts(&fo, rule, short_o, boot_o, pseudonymize) != 0)
        goto done;
    int rc = overrides_parse(&set, &ov, &d), wrc = 0;
    Py_BEGIN_ALLOW_THREADS
    if (rc == 0)
        rc = fitjob_load(&j, scenario, &ov, dates, &fo, &d);
    if (rc == 0 && out != NULL) {
        struct ccs_plot_opts po = ccs_plot_opts_default();
        rc = ccs_fitlog_write_dir(out, j.fit, plots ? &po : NULL, &d);
    }
    if (rc == 0)
        wrc = ccs_fitlog_write(j.fit, memfile_open, &m, &d);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    PyObject *yaml = NULL;
    PyObject *csv = memfiles_take(&m, "fit.csv", wrc, &yaml, "scenario.yaml");
    if (csv != NULL && yaml == NULL) {
        Py_DECREF(csv);
        csv = NULL;
        PyErr_SetString(PyExc_RuntimeError, "the fit wrote no scenario.yaml");
    }
    PyObject *dl = csv != NULL ? PyList_New((Py_ssize_t)j.n) : NULL;
    for (size_t k = 0; dl != NULL && k < j.n; k++) {
        const char *dt = ccs_scenario_date(j.scs[k]);
        PyObject *v = dt != NULL ? PyUnicode_FromString(dt) : Py_NewRef(Py_None);
        if (v == NULL)
            Py_CLEAR(dl);
        else
            PyList_SET_ITEM(dl, (Py_ssize_t)k, v);
    }
    PyObject *meta = dl == NULL ? NULL
                                : Py_BuildValue("{s:O,s:N,s:s,s:d}", "yaml", yaml, "dates", dl,
                                                "rule", ccs_avail_rule_name(fo.rule),
                                                "available_share",
                                                ccs_fitlog_available_share(j.fit));
    Py_XDECREF(yaml);
    ret = result(csv, meta);
done:
    for (size_t i = 0; i < m.n; i++) {
        fclose(m.c[i].f);
        free(m.c[i].buf);
        free(m.name[i]);
    }
    fitjob_release(&j);
    overrides_release(&ov);
    strs_release(&set);
    return ret;
}

/* ccs_fitlog_write as a ccs_scenario_writer: the fitted scenario's files. */
static int write_fitted(const void *fit, FILE *(*open)(void *, const char *, struct ccs_diag *),
                        void *ctx, struct ccs_diag *d)
{
    return ccs_fitlog_write(fit, open, ctx, d);
}

static const char backtest_doc[] =
    "backtest(scenario, overrides, dates, rule, short_abandon, replications, seed, jobs,\n"
    "         out, fitted, plots) -> (csv, meta): backtest.csv's rows (observed and\n"
    "simulated KPIs per date and interval); meta['errors'][kpi] has bias, mae, inside,\n"
    "within over the dates. Each date replayed with its own contacts and inferred\n"
    "availability; fitted: the fitted scenario's simulated days instead.";

static PyObject *py_backtest(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "overrides", "dates", "rule", "short_abandon",
                             "replications", "seed", "jobs", "out", "fitted", "plots", NULL};
    const char *scenario, *dates = NULL, *rule = "gap", *out = NULL;
    struct strs set = {0};
    PyObject *short_o = Py_None, *reps_o = Py_None, *seed_o = Py_None, *jobs_o = Py_None;
    int fitted = 0, plots = 0;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|O&zzOOOOzpp", kwlist, &scenario, to_strs,
                                     &set, &dates, &rule, &short_o, &reps_o, &seed_o, &jobs_o,
                                     &out, &fitted, &plots))
        return NULL;
    PyObject *ret = NULL;
    struct overrides ov = {0};
    struct fitjob j = {0};
    struct ccs_backtest *bt = NULL;
    struct ccs_scenario *fsc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 20, .jobs = 1};
    struct ccs_fitlog_opts fo = ccs_fitlog_opts_default();
    fo.n_boot = 0; /* as ccsim backtest: the GoF p-values play no part here */
    if (fit_opts(&fo, rule, short_o, Py_None, 0) != 0 ||
        opt_counts(reps_o, 1, seed_o, jobs_o, &cnt) != 0)
        goto done;
    struct ccs_backtest_opts bo = {(uint32_t)cnt.reps, cnt.has_seed ? cnt.seed : 0,
                                   (unsigned)cnt.jobs};
    int rc = overrides_parse(&set, &ov, &d);
    Py_BEGIN_ALLOW_THREADS
    if (rc == 0)
        rc = fitjob_load(&j, scenario, &ov, dates, &fo, &d);
    if (rc == 0 && fitted)
        rc = ccs_scenario_load_written(write_fitted, j.fit, &fsc, &d);
    if (rc == 0)
        rc = fitted ? ccs_backtest_spread(j.fit, fsc, &bo, &bt, &d)
                    : ccs_backtest_new(j.fit, &bo, &bt, &d);
    if (rc == 0 && out != NULL) {
        struct ccs_plot_opts po = ccs_plot_opts_default();
        rc = ccs_backtest_write_dir(out, bt, plots ? &po : NULL, &d);
    }
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    struct capture c;
    if (capture_begin(&c) == NULL)
        goto done;
    PyObject *csv = capture_close(&c, ccs_backtest_write_csv(bt, c.f));
    PyObject *errs = csv != NULL ? PyDict_New() : NULL;
    for (int k = 0; errs != NULL && k < CCS_BT_KPI_COUNT; k++) {
        struct ccs_bt_error e = ccs_backtest_error(bt, (enum ccs_bt_kpi)k);
        PyObject *v = Py_BuildValue("{s:d,s:d,s:d,s:d}", "bias", e.bias, "mae", e.mae, "inside",
                                    e.inside, "within", e.within);
        if (v == NULL || PyDict_SetItemString(errs, ccs_bt_kpi_name((enum ccs_bt_kpi)k), v) != 0)
            Py_CLEAR(errs);
        Py_XDECREF(v);
    }
    PyObject *meta = errs == NULL ? NULL
                                  : Py_BuildValue("{s:N,s:n,s:I,s:s,s:O}", "errors", errs,
                                                  "dates", (Py_ssize_t)ccs_backtest_dates(bt),
                                                  "replications", (unsigned)cnt.reps, "rule",
                                                  ccs_avail_rule_name(fo.rule), "fitted",
                                                  fitted ? Py_True : Py_False);
    ret = result(csv, meta);
done:
    ccs_scenario_free(fsc);
    ccs_backtest_free(bt);
    fitjob_release(&j);
    overrides_release(&ov);
    strs_release(&set);
    return ret;
}

/* --- schedule --------------------------------------------------------------------------- */

static const char schedule_doc[] =
    "schedule(scenario, is_text, overrides, simulate, replications, seed, max_rounds,\n"
    "         out, subgradient) -> (csv, meta): roster.csv's rows (the shifts); meta has roster.yaml's\n"
    "text, the solver's status, cost, paid hours and, simulated, the cells below target.";

static PyObject *py_schedule(PyObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"scenario", "is_text", "overrides", "simulate", "replications",
                             "seed", "max_rounds", "out", "subgradient", NULL};
    const char *scenario, *out = NULL;
    Py_ssize_t len;
    int is_text = 0, simulate = 0, subgradient = 0;
    struct strs set = {0};
    PyObject *reps_o = Py_None, *seed_o = Py_None, *rounds_o = Py_None;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|pO&pOOOzp", kwlist, &scenario, &len, &is_text,
                                     to_strs, &set, &simulate, &reps_o, &seed_o, &rounds_o, &out,
                                     &subgradient))
        return NULL;
    PyObject *ret = NULL;
    struct overrides ov = {0};
    struct ccs_scenario *sc = NULL;
    struct ccs_schedule *s = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct counts cnt = {.reps = 0, .jobs = 1};
    bool has_rounds;
    unsigned long long rounds = 0;
    if (opt_counts(reps_o, 2, seed_o, NULL, &cnt) != 0 ||
        opt_u64(rounds_o, "max_rounds", 1, 10000, &has_rounds, &rounds) != 0)
        goto done;
    int rc;
    bool none = false;
    Py_BEGIN_ALLOW_THREADS
    rc = load_with_overrides(scenario, len, is_text, &set, &ov, &sc, &d);
    if (rc == 0) {
        struct ccs_schedule_opts so = ccs_schedule_opts_default(sc);
        if (!cnt.has_reps && so.replications < 2)
            so.replications = 2;
        counts_apply(&cnt, &so.seed, &so.replications);
        if (has_rounds)
            so.max_rounds = (uint32_t)rounds;
        so.simulate = simulate != 0;
        if (subgradient)
            so.cuts = CCS_SCHED_CUTS_SUBGRADIENT;
        rc = ccs_schedule(sc, &so, &s, &d);
    }
    none = rc == 0 && (s->roster->status == CCS_ROSTER_INFEASIBLE ||
                            s->roster->status == CCS_ROSTER_NO_ROSTER);
    if (rc == 0 && !none && out != NULL)
        rc = ccs_schedule_write_dir(out, s, &d);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        raise_diag(&d, rc);
        goto done;
    }
    if (none) {
        raise_arg(CCS_ERANGE, "no roster: %s", s->roster->reason[0] ? s->roster->reason
                                                  : ccs_roster_status_name(s->roster->status));
        goto done;
    }
    struct capture c, y;
    if (capture_begin(&c) == NULL)
        goto done;
    PyObject *csv = capture_close(&c, ccs_schedule_write_csv(c.f, s));
    PyObject *yaml = NULL;
    if (csv != NULL && capture_begin(&y) != NULL)
        yaml = capture_close(&y, ccs_schedule_write_yaml(y.f, s));
    PyObject *meta = yaml == NULL ? NULL
                                  : Py_BuildValue("{s:N,s:s,s:d,s:d,s:O,s:I,s:n,s:n,s:K,s:s,s:n}",
                                                  "yaml", yaml, "status",
                                                  ccs_roster_status_name(s->roster->status),
                                                  "cost", s->roster->cost, "paid_hours",
                                                  s->roster->paid_hours, "simulated",
                                                  s->simulated ? Py_True : Py_False, "rounds",
                                                  s->rounds, "below", (Py_ssize_t)s->n_below,
                                                  "short", (Py_ssize_t)s->n_short, "seed",
                                                  (unsigned long long)s->seed, "cuts",
                                                  ccs_schedule_cuts_name(s->cuts), "simulations",
                                                  (Py_ssize_t)s->simulations);
    if (meta == NULL)
        Py_XDECREF(yaml);
    ret = result(csv, meta);
done:
    ccs_schedule_free(s);
    ccs_scenario_free(sc);
    overrides_release(&ov);
    strs_release(&set);
    return ret;
}

/* --- Erlang formulas ------------------------------------------------------------------- */

static const char erlang_solve_doc[] =
    "erlang_solve(rate, mu, servers, theta, queue_max, t) -> dict of the exact M/M/c/K+M\n"
    "results (per second rates, seconds), keyed as ccs_erlang_result; ccsim.Error with\n"
    "code CCS_ERANGE for an unstable or unsolvable system.";

static PyObject *py_erlang_solve(PyObject *self, PyObject *args)
{
    struct ccs_erlang_model m;
    struct ccs_erlang_result r;
    (void)self;
    if (!PyArg_ParseTuple(args, "ddidLd", &m.lambda, &m.mu, &m.servers, &m.theta, &m.queue_max,
                          &m.t))
        return NULL;
    int rc = ccs_erlang_solve(&m, &r);
    if (rc != 0)
        return raise_arg(rc, "%d agents: %s", m.servers,
                         rc == CCS_ERANGE ? "the system is unstable (or too overloaded to solve)"
                                          : "invalid parameters");
    return Py_BuildValue("{s:s,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d,s:d}",
                         "model", ccs_erlang_model_name(&m), "block_rate", r.block_rate, "p_wait",
                         r.p_wait, "abandon_rate", r.abandon_rate, "p_ab_within", r.p_ab_within,
                         "mean_wait", r.mean_wait, "asa", r.asa, "mean_wait_abandoned",
                         r.mean_wait_abandoned, "sl_offered", r.sl_offered, "sl_answered",
                         r.sl_answered, "sl_no_short_ab", r.sl_no_short_ab, "sl_handled",
                         r.sl_handled, "sl_all", r.sl_all, "p_virtual_le_t", r.p_virtual_le_t,
                         "queue_length", r.queue_length, "in_system", r.in_system, "occupancy",
                         r.occupancy);
}

static const char staff_erlang_doc[] =
    "staff_erlang(rate, mu, theta, t, target, max_occupancy, answered) -> fewest agents\n"
    "meeting the target (Erlang C when theta is 0, else Erlang A).";

static PyObject *py_staff_erlang(PyObject *self, PyObject *args)
{
    double lambda, mu, theta, t, target, occ;
    int answered, agents = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "ddddddp", &lambda, &mu, &theta, &t, &target, &occ, &answered))
        return NULL;
    int rc = ccs_staff_erlang(lambda, mu, theta, t, target, occ, answered, &agents);
    if (rc != 0)
        return raise_arg(rc, rc == CCS_ERANGE ? "no number of agents up to 100000 meets the target"
                                              : "invalid staffing parameters");
    return PyLong_FromLong(agents);
}

static const char parse_doc[] =
    "parse(kind, text) -> float: 'duration' (seconds), 'rate' (per second), 'fraction'\n"
    "or 'number', read exactly as scenarios write them ('20s', '95/min', '80%').";

static PyObject *py_parse(PyObject *self, PyObject *args)
{
    const char *kind, *text, *why = NULL;
    double v = NAN;
    int rc;
    (void)self;
    if (!PyArg_ParseTuple(args, "ss", &kind, &text))
        return NULL;
    if (strcmp(kind, "duration") == 0)
        rc = ccs_parse_duration(text, &v, &why);
    else if (strcmp(kind, "rate") == 0)
        rc = ccs_parse_rate(text, &v, &why);
    else if (strcmp(kind, "fraction") == 0)
        rc = ccs_parse_fraction(text, &v, &why);
    else if (strcmp(kind, "number") == 0)
        rc = ccs_parse_number(text, &v, &why);
    else
        return raise_arg(CCS_EINVAL, "unknown kind '%s'", kind);
    if (rc != 0)
        return raise_arg(rc, "bad %s '%s': %s", kind, text, why ? why : "invalid");
    return PyFloat_FromDouble(v);
}

/* --- the module ---------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"run", (PyCFunction)(void (*)(void))py_run, METH_VARARGS | METH_KEYWORDS, run_doc},
    {"compare", (PyCFunction)(void (*)(void))py_compare, METH_VARARGS | METH_KEYWORDS,
     compare_doc},
    {"sweep", (PyCFunction)(void (*)(void))py_sweep, METH_VARARGS | METH_KEYWORDS, sweep_doc},
    {"staff", (PyCFunction)(void (*)(void))py_staff, METH_VARARGS | METH_KEYWORDS, staff_doc},
    {"fit", (PyCFunction)(void (*)(void))py_fit, METH_VARARGS | METH_KEYWORDS, fit_doc},
    {"backtest", (PyCFunction)(void (*)(void))py_backtest, METH_VARARGS | METH_KEYWORDS,
     backtest_doc},
    {"schedule", (PyCFunction)(void (*)(void))py_schedule, METH_VARARGS | METH_KEYWORDS,
     schedule_doc},
    {"erlang_solve", py_erlang_solve, METH_VARARGS, erlang_solve_doc},
    {"staff_erlang", py_staff_erlang, METH_VARARGS, staff_erlang_doc},
    {"parse", py_parse, METH_VARARGS, parse_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "ccsim._ccsim",
    "The C half of the ccsim module: use ccsim, not this (python/ccsim/__init__.py).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__ccsim(void);

PyMODINIT_FUNC PyInit__ccsim(void)
{
    /* GSL's default handler aborts the process (the interpreter, a notebook's
       kernel); the library checks every return instead */
    gsl_set_error_handler_off();
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Error = PyErr_NewExceptionWithDoc(
        "ccsim.Error",
        "A scenario, an override or an argument ccsim cannot use. Attributes: file, line,\n"
        "column (None where unknown), message (without the location), code (a negative\n"
        "CCS_E* number).",
        PyExc_ValueError, NULL);
    if (Error == NULL || PyModule_AddObject(m, "Error", Error) != 0) {
        Py_XDECREF(Error);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(Error); /* the module holds one reference, the static another */
#define CCS_X_(name, str)                                                                   \
    if (PyModule_AddIntConstant(m, "E" #name, CCS_E##name) != 0) {                          \
        Py_DECREF(m);                                                                       \
        return NULL;                                                                        \
    }
    CCS_ERRNO_MAP(CCS_X_)
#undef CCS_X_
    if (PyModule_AddStringConstant(m, "__version__", CCS_VERSION) != 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
