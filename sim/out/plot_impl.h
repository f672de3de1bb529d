/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plot_impl.h - what plot.c (planning and drawing the charts) shares with
 * html.c (report.html): the results' metadata, the chart list, and a
 * growable string for building gnuplot variables.
 */
#ifndef CCS_OUT_PLOT_IMPL_H
#define CCS_OUT_PLOT_IMPL_H

#include "ccs/plot.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A growable NUL-terminated string; p is NULL until something is added. */
struct ccs__sbuf {
    char *p;
    size_t n, cap;
    bool oom;
};

void ccs__sb_printf(struct ccs__sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ccs__sb_release(struct ccs__sbuf *b);

/* Append `name='value'; ` for gnuplot: inside single quotes only a doubled
   quote is special, so no text can end the string and inject commands;
   control characters (which could end the command) become spaces. */
void ccs__gp_var(struct ccs__sbuf *b, const char *name, const char *value);

/* What the results say about the scenario they came from (summary.json, or
   the scenario itself). Strings owned; NULL or NaN when unknown. */
struct ccs__meta_queue {
    char *id;
    double target, within;
    double asa;       /* sla.asa, the ASA promise (s); NaN or 0: none */
    char channel[16]; /* "voice", ...; "" when unknown */
};
struct ccs__meta_group {
    char *id;
    double agents;
    char *skills; /* queue ids, ", "-separated */
};
/* A comparison's variant, as compare.json describes it. */
struct ccs__meta_variant {
    char *name, *description, *file, *policy;
};
struct ccs__meta {
    bool known;
    char *name, *file, *policy, *sl_def, *version, *seed;
    char *sha256, *overrides; /* provenance; overrides joined by ", " */
    double reps, horizon, warmup, interval, level;
    int drain; /* -1 unknown */
    /* the clock of t = 0: seconds after midnight (NaN unknown), weekday
       (0 = Monday, -1 unknown), and the date when the run stands for one */
    double start_time;
    int start_day;
    bool dated;
    long long date; /* days since 1970-01-01 */
    size_t nq, ng, nv;
    struct ccs__meta_queue *q;
    struct ccs__meta_group *g;
    struct ccs__meta_variant *v; /* comparisons with compare.json only */
};

/* Metadata (plot_meta.c). init: all unknown; release: free and reset. */
void ccs__meta_init(struct ccs__meta *m);
void ccs__meta_release(struct ccs__meta *m);
/* From a summary.json (or a file with its "scenario", "queues", "groups").
   Returns 0, or the ydoc error (CCS_EIO, CCS_EPARSE) / CCS_ENOMEM with d. */
int ccs__meta_from_json(struct ccs__meta *m, const char *path, struct ccs_diag *d);
/* The variants (and seed) of compare.json. Returns 0 or the ydoc error. */
int ccs__meta_variants(struct ccs__meta *m, const char *path, struct ccs_diag *d);
/* From a summary in memory: its scenario, and the seed and replications it
   ran with. Returns 0 or CCS_ENOMEM. */
int ccs__meta_from_summary(struct ccs__meta *m, const struct ccs_summary *s);
/* The first variant of dir/compare.csv (the baseline) when it is a plain
   name, usable as a directory; else "". */
void ccs__baseline_name(const char *dir, char *buf, size_t cap);

/* A chart: gnuplot script + variables, drawn to charts/NAME.{png,svg} from
   data/NAME.csv (the rows it needs, same columns as the results file). */
struct ccs__chart {
    char name[80];       /* file stem, [a-z0-9_-] only */
    const char *script;  /* e.g. "service_level.gp" */
    struct ccs__sbuf vars; /* "in='...'; queues='...'" (gnuplot syntax) */
    char title[200];     /* for the report */
    char caption[600];   /* what it shows, how to read it */
    bool drawn;
};

struct ccs__plot {
    struct ccs_outdir *o;
    const char *work;   /* the transaction's work directory (gnuplot's cwd) */
    const char *src;    /* directory the input CSV/JSON files are read from */
    const struct ccs_plot_opts *po;
    bool compare;
    const struct ccs_scenario *sc; /* the (baseline) scenario when known, else NULL */
    struct ccs__meta meta;
    struct ccs__chart *charts;
    size_t n_charts;
    char notice[400];   /* shown in the report, e.g. why there are no charts */
};

/* report.html for a run (summary.csv in p->src) or a comparison
   (compare.csv). Returns 0, or CCS_EIO/CCS_ENOMEM with d. */
int ccs__html_run(FILE *f, const struct ccs__plot *p, struct ccs_diag *d);
int ccs__html_compare(FILE *f, const struct ccs__plot *p, struct ccs_diag *d);

/* Copy the chart's SVG at path into f, inline: ids prefixed with "pre-" so the
   charts of one page keep their own markers, its <title> the chart's title.
   false when the SVG is missing or unreadable (html.c; also fit_out.c). */
bool ccs__html_inline_svg(FILE *f, const char *path, const char *pre, const char *title);

/* "DIR/name" in a static-size buffer; false when it does not fit. */
bool ccs__path(char *buf, size_t cap, const char *dir, const char *name);

/* report.html's section on the model's error on real days, from
   src/model_error.csv when the comparison wrote one; nothing otherwise
   (fit_out.c). */
void ccs__html_model_error(FILE *f, const char *src);

#endif
