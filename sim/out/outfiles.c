/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outfiles.c - a command's output folder written all or nothing from its
 * result, and the file lists of `staff` and `schedule`, so the ccsim
 * commands and the Python module write the same files the same way (and,
 * for `schedule --plots`, its chart and report.html: schedule_plot.c).
 */
#include "ccs/plot.h"
#include "ccs/report.h"

/* The files into the open transaction o; on failure o is aborted. */
static int write_into(struct ccs_outdir *o, const char *dir, const struct ccs_out_file *files,
                      size_t n, const void *result, struct ccs_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        FILE *f = ccs_outdir_file(o, files[i].name, d);
        int wrc = f == NULL ? d->code : files[i].write(f, result);
        if (wrc != 0) {
            /* a writer out of memory says so, not "cannot write" */
            if (f != NULL && wrc == CCS_ENOMEM)
                ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            else if (f != NULL)
                ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "cannot write %s/%s", dir, files[i].name);
            ccs_outdir_abort(o);
            return wrc == CCS_ENOMEM ? CCS_ENOMEM : CCS_EIO;
        }
    }
    return 0;
}

int ccs_outdir_write_files(const char *dir, const struct ccs_out_file *files, size_t n,
                           const void *result, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = write_into(o, dir, files, n, result, d)) != 0)
        return rc;
    return ccs_outdir_commit(o, d);
}

/* The report.h writers, typed for ccs_outdir_write_files. */
static int staff_yaml(FILE *f, const void *st) { return ccs_staff_write_yaml(f, st); }
static int staff_csv(FILE *f, const void *st) { return ccs_staff_write_csv(f, st); }
static int roster_yaml(FILE *f, const void *s) { return ccs_schedule_write_yaml(f, s); }
static int roster_csv(FILE *f, const void *s) { return ccs_schedule_write_csv(f, s); }
static int coverage_csv(FILE *f, const void *s) { return ccs_schedule_write_coverage(f, s); }
static int sl_csv(FILE *f, const void *s) { return ccs_schedule_write_sl(f, s); }

int ccs_staff_write_dir(const char *dir, const struct ccs_staffing *st, struct ccs_diag *d)
{
    static const struct ccs_out_file files[] = {{"staffing.yaml", staff_yaml},
                                                {"staffing.csv", staff_csv}};
    return ccs_outdir_write_files(dir, files, sizeof files / sizeof files[0], st, d);
}

static const struct ccs_out_file schedule_files[] = {{"roster.yaml", roster_yaml},
                                                     {"roster.csv", roster_csv},
                                                     {"coverage.csv", coverage_csv},
                                                     {"service_level.csv", sl_csv}};

int ccs_schedule_write_dir(const char *dir, const struct ccs_schedule *s, struct ccs_diag *d)
{
    return ccs_schedule_write_dir_plots(dir, s, NULL, d);
}

int ccs_schedule_write_dir_plots(const char *dir, const struct ccs_schedule *s,
                                 const struct ccs_plot_opts *plots, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = write_into(o, dir, schedule_files, sizeof schedule_files / sizeof schedule_files[0],
                         s, d)) != 0)
        return rc;
    if (plots != NULL && (rc = ccs_schedule_plot(o, s, plots, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}
