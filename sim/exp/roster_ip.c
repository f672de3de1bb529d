/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_ip.c - the roster integer program, solved with GLPK: shifts,
 * implicit breaks, days-off patterns, one program per group (or per set of
 * groups that cuts tie together: Cezik and L'Ecuyer 2008); relax and fix
 * for a first roster; the solution taken apart into shifts with their breaks
 * and into tours. docs/schedule.md writes the program out.
 */
#include "exp/roster_impl.h"
#include "ccs/mem.h"
#include "ccs/units.h"
#include "core/grow.h"

#include <float.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXB CCS_ROSTER_MAX_BREAKS
#define MAXD CCS_ROSTER_MAX_DAYS

/* Kinds of column. */
enum { K_PATTERN, K_SHIFT, K_BREAK, K_OTHER };

/* A candidate shift: template, day, start, length; x is its column. */
struct cand {
    uint32_t tmpl, day, start, length;
    uint32_t unit;
    int col;
    double cost;
};

/*
 * A break unit: shifts of one template and day whose break windows, relative
 * to their start, are the same (lengths the minimum work after the last
 * break does not cut) - across all their starts (implicit breaks), or at one
 * start (per shift). Its break variables B[b][u] count the agents starting
 * break b at offset u from the start of the day. Sorted by start, the
 * shifts' windows [s + lo, s + hi] move right with s, so agents sorted by
 * start can take the sorted break starts in order (see extract).
 */
struct unit {
    uint32_t tmpl, day;
    uint32_t lo[MAXB], hi[MAXB]; /* windows after the shift's start */
    size_t c0, c1;               /* its shifts are among cand[c0, c1) with unit == this */
    uint32_t s_first, s_last;    /* its first and last start */
    uint32_t umin[MAXB], umax[MAXB]; /* break starts, offsets from the day's start */
    size_t bmap[MAXB];           /* m->bcol[bmap[b] + u - umin[b]]: column of B[b][u], 0: none */
};

/* Per template of the group: days-off patterns (tours) or a head-count column. */
struct tinfo {
    bool in_group;
    bool tours;           /* has a days-off rule: y columns per pattern */
    uint32_t n_pat;
    uint32_t pat[1u << MAXD];
    int ycol;             /* first y column */
    int hcol;             /* head-count column (no rule), 0 if none */
    double ub;            /* agents at most, min of template and group; HUGE_VAL: none */
};

/* A coefficient list (CSR) of the agents on the phones per group and interval. */
struct cover {
    size_t *start; /* [G * T + 1], by g * T + t */
    int *col;
    double *val;
};

struct model {
    const struct ccs_roster_problem *p;
    uint32_t g;     /* the first of its groups (messages) */
    bool *in;       /* [n_groups]: the groups of this program (one, or those cuts tie) */
    bool elastic;
    struct cand *cand;
    size_t n_cand, cap_cand;
    struct unit *unit;
    size_t n_unit, cap_unit;
    int *bcol; /* break columns of the units, see struct unit */
    size_t n_bcol, cap_bcol;
    bool per_shift; /* one unit per start (Aykin) instead of one across starts */
    uint8_t *kind;  /* [col]: K_PATTERN, K_SHIFT, K_BREAK or K_OTHER (continuous) */
    double *val;    /* [col]: the roster found, once found */
    int *tour_row;  /* [tmpl * days + day]: row linking shifts and patterns, 0: none */
    bool has_tours; /* some template has a days-off rule */
    struct tinfo *ti; /* [n_templates] */
    struct cover cov;
    glp_prob *lp;
    int *cov_row;     /* [g * T + t]: row of the group's coverage in t, 0 when none */
    int *slack_col;   /* elastic: [g * T + t] coverage slack column, 0 when none */
    int *cut_row;     /* [n_cuts] row of a cut of this group, 0 otherwise */
    int *cut_slack;   /* elastic: [n_cuts] */
    int *ia, *ja;
    double *ar;
    size_t nz, cap_nz;
    size_t n_int;
};

/* One group's answer. */
struct gres {
    enum ccs_roster_status status;
    double cost, lp, bound;
    uint64_t nodes;
    bool timed_out; /* the time limit cut something short: another run may differ */
};

/* Collected across groups before the shifts are sorted and tours formed. */
struct build {
    struct ccs_roster_shift *sh;
    size_t n_sh, cap_sh;
    /* per template: agents as runs of (days mask, count) */
    uint32_t **mask;
    uint32_t **cnt;
    size_t *n_runs;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The process's CPU time, for the verbose log (the machine may be shared). */
static double cpu(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* --- building the program ------------------------------------------------------------ */

static int nz_add(struct model *m, int row, int col, double v)
{
    if (m->nz + 1 >= m->cap_nz) {
        size_t nc = m->cap_nz == 0 ? 4096 : m->cap_nz * 2;
        int *ia = ccs_realloc(m->ia, nc * sizeof *ia);
        if (ia == NULL)
            return CCS_ENOMEM;
        m->ia = ia;
        int *ja = ccs_realloc(m->ja, nc * sizeof *ja);
        if (ja == NULL)
            return CCS_ENOMEM;
        m->ja = ja;
        double *ar = ccs_realloc(m->ar, nc * sizeof *ar);
        if (ar == NULL)
            return CCS_ENOMEM;
        m->ar = ar;
        m->cap_nz = nc;
    }
    m->nz++; /* GLPK's arrays are 1-based */
    m->ia[m->nz] = row;
    m->ja[m->nz] = col;
    m->ar[m->nz] = v;
    return 0;
}

static int add_cols(struct model *m, int n, int kind, double ub, double cost)
{
    if (n <= 0)
        return 0;
    int first = glp_add_cols(m->lp, n);
    for (int j = first; j < first + n; j++) {
        glp_set_col_kind(m->lp, j, kind);
        if (ub == HUGE_VAL)
            glp_set_col_bnds(m->lp, j, GLP_LO, 0, 0);
        else if (ub <= 0)
            glp_set_col_bnds(m->lp, j, GLP_FX, 0, 0);
        else
            glp_set_col_bnds(m->lp, j, GLP_DB, 0, ub);
        glp_set_obj_coef(m->lp, j, cost);
    }
    if (kind == GLP_IV)
        m->n_int += (size_t)n;
    return first;
}

static int add_row(struct model *m, int type, double lb, double ub)
{
    int r = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, r, type, lb, ub);
    return r;
}

/* Columns of the breaks of unit k: room for every offset of its windows. */
static int unit_close(struct model *m, struct unit *k)
{
    const struct ccs_roster_template *t = &m->p->templates[k->tmpl].t;
    k->s_first = UINT32_MAX;
    k->s_last = 0;
    for (size_t i = k->c0; i < k->c1; i++)
        if (m->cand[i].unit == (uint32_t)(k - m->unit)) {
            if (m->cand[i].start < k->s_first)
                k->s_first = m->cand[i].start;
            if (m->cand[i].start > k->s_last)
                k->s_last = m->cand[i].start;
        }
    for (uint32_t b = 0; b < t->n_breaks; b++) {
        k->umin[b] = k->s_first + k->lo[b];
        k->umax[b] = k->s_last + k->hi[b];
        size_t n = k->umax[b] - k->umin[b] + 1;
        while (m->n_bcol + n > m->cap_bcol) {
            size_t nc = m->cap_bcol == 0 ? 4096 : m->cap_bcol * 2;
            int *a = ccs_realloc(m->bcol, nc * sizeof *a);
            if (a == NULL)
                return CCS_ENOMEM;
            m->bcol = a;
            m->cap_bcol = nc;
        }
        k->bmap[b] = m->n_bcol;
        memset(m->bcol + m->n_bcol, 0, n * sizeof *m->bcol);
        m->n_bcol += n;
    }
    return 0;
}

/* The group's candidate shifts and break units. */
static int enumerate(struct model *m)
{
    const struct ccs_roster_problem *p = m->p;
    for (size_t j = 0; j < p->n_templates; j++) {
        const struct ccs_roster_template *t = &p->templates[j].t;
        if (!m->in[t->group])
            continue;
        /* lengths with the same windows share a unit: sig[i] is the first such */
        uint32_t lo[CCS_ROSTER_MAX_LENGTHS][MAXB], hi[CCS_ROSTER_MAX_LENGTHS][MAXB];
        uint32_t sig[CCS_ROSTER_MAX_LENGTHS];
        for (uint32_t i = 0; i < t->n_lengths; i++) {
            ccs__roster_windows(t, t->lengths[i], lo[i], hi[i]);
            sig[i] = i;
            for (uint32_t k = 0; k < i && sig[i] == i; k++)
                if (memcmp(lo[k], lo[i], t->n_breaks * sizeof lo[i][0]) == 0 &&
                    memcmp(hi[k], hi[i], t->n_breaks * sizeof hi[i][0]) == 0)
                    sig[i] = k;
        }
        for (uint32_t day = 0; day < p->grid.days; day++) {
            size_t c0 = m->n_cand, u0 = m->n_unit;
            uint32_t unit_of[CCS_ROSTER_MAX_LENGTHS];
            for (uint32_t i = 0; i < CCS_ROSTER_MAX_LENGTHS; i++)
                unit_of[i] = CCS_ROSTER_NONE;
            for (uint32_t s = t->start_first; s <= t->start_last; s += t->start_step) {
                if (m->per_shift)
                    for (uint32_t i = 0; i < CCS_ROSTER_MAX_LENGTHS; i++)
                        unit_of[i] = CCS_ROSTER_NONE;
                for (uint32_t i = 0; i < t->n_lengths; i++) {
                    if (ccs__roster_slot(p, day, s, t->lengths[i] - 1) == CCS_ROSTER_NONE)
                        continue;
                    uint32_t u = unit_of[sig[i]];
                    if (u == CCS_ROSTER_NONE && t->n_breaks > 0) {
                        if (CCS_GROW(m->unit, m->cap_unit, m->n_unit + 1))
                            return CCS_ENOMEM;
                        struct unit *k = &m->unit[m->n_unit];
                        memset(k, 0, sizeof *k);
                        k->tmpl = (uint32_t)j;
                        k->day = day;
                        memcpy(k->lo, lo[i], sizeof k->lo);
                        memcpy(k->hi, hi[i], sizeof k->hi);
                        k->c0 = c0;
                        u = unit_of[sig[i]] = (uint32_t)m->n_unit++;
                    }
                    if (CCS_GROW(m->cand, m->cap_cand, m->n_cand + 1))
                        return CCS_ENOMEM;
                    m->cand[m->n_cand++] = (struct cand){
                        (uint32_t)j, day, s, t->lengths[i], u, 0,
                        ccs__roster_shift_cost(p, t, t->lengths[i])};
                }
            }
            for (size_t u = u0; u < m->n_unit; u++) {
                m->unit[u].c1 = m->n_cand;
                int rc = unit_close(m, &m->unit[u]);
                if (rc != 0)
                    return rc;
            }
        }
    }
    return 0;
}

/* Agents on the phones per interval as coefficients of x (+1) and B (-1). */
static int build_cover(struct model *m)
{
    const struct ccs_roster_problem *p = m->p;
    size_t T = p->n_intervals, GT = p->n_groups * T;
    struct cover *cv = &m->cov;
    cv->start = ccs_calloc(GT + 2, sizeof *cv->start);
    if (cv->start == NULL)
        return CCS_ENOMEM;
    /* two passes: count, then fill */
    for (int pass = 0; pass < 2; pass++) {
        size_t *pos = cv->start + 1; /* pass 0 counts at t + 1; pass 1 fills from start[t] */
        if (pass == 1) {
            for (size_t t = 0; t < GT; t++)
                cv->start[t + 1] += cv->start[t];
            size_t n = cv->start[GT];
            cv->col = ccs_malloc((n + 1) * sizeof *cv->col);
            cv->val = ccs_malloc((n + 1) * sizeof *cv->val);
            if (cv->col == NULL || cv->val == NULL)
                return CCS_ENOMEM;
            pos = ccs_calloc(GT + 1, sizeof *pos);
            if (pos == NULL)
                return CCS_ENOMEM;
            memcpy(pos, cv->start, GT * sizeof *pos);
        }
        for (size_t i = 0; i < m->n_cand; i++) {
            const struct cand *c = &m->cand[i];
            size_t g0 = p->templates[c->tmpl].t.group * T;
            for (uint32_t o = 0; o < c->length; o++) {
                size_t t = g0 + ccs__roster_slot(p, c->day, c->start, o);
                if (pass == 0) {
                    pos[t]++;
                } else {
                    cv->col[pos[t]] = c->col;
                    cv->val[pos[t]++] = 1;
                }
            }
        }
        for (size_t ui = 0; ui < m->n_unit; ui++) {
            const struct unit *k = &m->unit[ui];
            const struct ccs_roster_template *tp = &p->templates[k->tmpl].t;
            size_t g0 = tp->group * T;
            for (uint32_t b = 0; b < tp->n_breaks; b++)
                for (uint32_t u = k->umin[b]; u <= k->umax[b]; u++) {
                    int col = m->bcol[k->bmap[b] + u - k->umin[b]];
                    if (col == 0)
                        continue;
                    for (uint32_t o = u; o < u + tp->breaks[b].length; o++) {
                        size_t t = g0 + ccs__roster_slot(p, k->day, 0, o);
                        if (pass == 0) {
                            pos[t]++;
                        } else {
                            cv->col[pos[t]] = col;
                            cv->val[pos[t]++] = -1;
                        }
                    }
                }
        }
        if (pass == 1)
            free(pos);
    }
    return 0;
}

/* Column of B[b][u] of unit k, 0 when no shift of it can start break b at u. */
static int bcol(const struct model *m, const struct unit *k, uint32_t b, uint32_t u)
{
    if (u < k->umin[b] || u > k->umax[b])
        return 0;
    return m->bcol[k->bmap[b] + u - k->umin[b]];
}

/*
 * The rows of a break unit, for each break b:
 *   total:     sum_u B[b][u] = sum of its shifts x
 *   forward:   shifts starting at s or before <= B[b][u] for u <= s + hi[b]
 *   backward:  shifts starting at s or after  <= B[b][u] for u >= s + lo[b]
 * (Hall's condition for the shifts of consecutive starts, which suffices as
 * the windows move right with the start: Bechtold and Jacobs 1990), and for
 * consecutive breaks b, b+1 with delta = length of b + minimum work between:
 *   order:     B[b][u' >= u] <= B[b+1][u' >= u + delta]   for every u
 * which lets the i-th earliest break b and the i-th earliest break b+1 go
 * to the same agent. With one start per unit (per shift) only total and
 * order remain. The sums are running sums held in continuous columns
 * (XC[i]: shifts of the first i + 1 starts; BC[b][u]: breaks b at u or
 * before), so that each row has two or three entries instead of a whole
 * window's: the program stays sparse, which the simplex needs.
 */
static int unit_rows(struct model *m, const struct unit *k)
{
    const struct ccs_roster_template *t = &m->p->templates[k->tmpl].t;
    uint32_t ui = (uint32_t)(k - m->unit);
    int rc = 0;
    /* the distinct starts and XC */
    uint32_t ns = 0;
    uint32_t *st = ccs_malloc((k->c1 - k->c0 + 1) * sizeof *st);
    int *cum[MAXB] = {NULL};
    if (st == NULL)
        return CCS_ENOMEM;
    for (size_t i = k->c0; i < k->c1; i++)
        if (m->cand[i].unit == ui && (ns == 0 || st[ns - 1] != m->cand[i].start))
            st[ns++] = m->cand[i].start;
    int xc = add_cols(m, (int)ns, GLP_CV, HUGE_VAL, 0);
    for (uint32_t i = 0; i < ns && rc == 0; i++) {
        int r = add_row(m, GLP_FX, 0, 0);
        rc = nz_add(m, r, xc + (int)i, 1);
        if (rc == 0 && i > 0)
            rc = nz_add(m, r, xc + (int)i - 1, -1);
        for (size_t c = k->c0; c < k->c1 && rc == 0; c++)
            if (m->cand[c].unit == ui && m->cand[c].start == st[i])
                rc = nz_add(m, r, m->cand[c].col, -1);
    }
    /* BC, and cum[b][u - umin]: the BC column of the last break start <= u
       (0: none yet, the running sum is zero) */
    for (uint32_t b = 0; b < t->n_breaks && rc == 0; b++) {
        size_t n = k->umax[b] - k->umin[b] + 1;
        cum[b] = ccs_calloc(n, sizeof *cum[b]);
        if (cum[b] == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        int prev = 0;
        for (uint32_t u = k->umin[b]; u <= k->umax[b] && rc == 0; u++) {
            int col = bcol(m, k, b, u);
            if (col != 0) {
                int bc = add_cols(m, 1, GLP_CV, HUGE_VAL, 0);
                int r = add_row(m, GLP_FX, 0, 0);
                rc = nz_add(m, r, bc, 1);
                if (rc == 0)
                    rc = nz_add(m, r, col, -1);
                if (rc == 0 && prev != 0)
                    rc = nz_add(m, r, prev, -1);
                prev = bc;
            }
            cum[b][u - k->umin[b]] = prev;
        }
        if (rc != 0)
            break;
        /* total */
        int r = add_row(m, GLP_FX, 0, 0);
        rc = nz_add(m, r, prev, 1);
        if (rc == 0)
            rc = nz_add(m, r, xc + (int)ns - 1, -1);
        for (uint32_t i = 0; i < ns && rc == 0; i++) {
            if (i + 1 < ns) { /* forward: XC[i] <= BC[b][s_i + hi] */
                uint32_t u = st[i] + k->hi[b];
                int c = u > k->umax[b] ? prev : cum[b][u - k->umin[b]];
                r = add_row(m, GLP_UP, 0, 0);
                rc = nz_add(m, r, xc + (int)i, 1);
                if (rc == 0 && c != 0)
                    rc = nz_add(m, r, c, -1);
            }
            if (i > 0 && rc == 0) { /* backward: BC[b][s_i + lo - 1] <= XC[i - 1] */
                uint32_t u = st[i] + k->lo[b];
                int c = u <= k->umin[b] ? 0 : cum[b][u - 1 - k->umin[b]];
                if (c != 0) {
                    r = add_row(m, GLP_UP, 0, 0);
                    rc = nz_add(m, r, c, 1);
                    if (rc == 0)
                        rc = nz_add(m, r, xc + (int)i - 1, -1);
                }
            }
        }
    }
    /* order: BC[b+1][u + delta - 1] <= BC[b][u - 1] (both totals are equal) */
    for (uint32_t b = 0; b + 1 < t->n_breaks && rc == 0; b++) {
        uint32_t delta = t->breaks[b].length + t->min_work_between;
        for (uint32_t u = k->umin[b]; u <= k->umax[b] && rc == 0; u++) {
            if (!bcol(m, k, b, u) || u + delta <= k->umin[b + 1])
                continue; /* no variable here, or every start of b+1 is late enough */
            uint32_t v = u + delta - 1;
            int hi = v > k->umax[b + 1] ? cum[b + 1][k->umax[b + 1] - k->umin[b + 1]]
                                        : cum[b + 1][v - k->umin[b + 1]];
            int lo = u == k->umin[b] ? 0 : cum[b][u - 1 - k->umin[b]];
            if (hi == 0)
                continue;
            int r = add_row(m, GLP_UP, 0, 0);
            rc = nz_add(m, r, hi, 1);
            if (rc == 0 && lo != 0)
                rc = nz_add(m, r, lo, -1);
        }
    }
    for (uint32_t b = 0; b < MAXB; b++)
        free(cum[b]);
    free(st);
    return rc;
}

static int build(struct model *m)
{
    const struct ccs_roster_problem *p = m->p;
    size_t T = p->n_intervals, G = p->n_groups;
    int rc = enumerate(m);
    if (rc != 0)
        return rc;
    m->lp = glp_create_prob();
    glp_set_obj_dir(m->lp, GLP_MIN);

    /* columns: x per shift, B per unit, break and time, y per pattern, h */
    for (size_t j = 0; j < p->n_templates; j++) {
        const struct ccs_roster_template *t = &p->templates[j].t;
        struct tinfo *ti = &m->ti[j];
        ti->in_group = m->in[t->group];
        if (!ti->in_group)
            continue;
        uint32_t gm = p->groups[t->group].max_agents;
        double gmax = gm == CCS_ROSTER_UNLIMITED ? HUGE_VAL : gm;
        double tmax = t->max_agents == CCS_ROSTER_UNLIMITED ? HUGE_VAL : t->max_agents;
        ti->ub = tmax < gmax ? tmax : gmax;
        ti->tours = t->days.work > 0;
    }
    for (size_t i = 0; i < m->n_cand; i++) {
        struct cand *c = &m->cand[i];
        c->col = add_cols(m, 1, GLP_IV, m->ti[c->tmpl].ub, m->elastic ? 0 : c->cost);
    }
    for (size_t ui = 0; ui < m->n_unit; ui++) {
        const struct unit *k = &m->unit[ui];
        const struct ccs_roster_template *t = &p->templates[k->tmpl].t;
        double ub = m->ti[k->tmpl].ub;
        for (uint32_t b = 0; b < t->n_breaks; b++) {
            /* a column where some start's window reaches */
            for (size_t i = k->c0; i < k->c1; i++) {
                const struct cand *c = &m->cand[i];
                if (c->unit != ui)
                    continue;
                for (uint32_t u = c->start + k->lo[b]; u <= c->start + k->hi[b]; u++) {
                    int *slot = &m->bcol[k->bmap[b] + u - k->umin[b]];
                    if (*slot == 0)
                        *slot = add_cols(m, 1, GLP_IV, ub, 0);
                }
            }
        }
    }
    for (size_t j = 0; j < p->n_templates; j++) {
        struct tinfo *ti = &m->ti[j];
        if (!ti->in_group)
            continue;
        const struct ccs_roster_template *t = &p->templates[j].t;
        if (ti->tours) {
            ti->n_pat = 0;
            for (uint32_t mask = 1; mask < (1u << p->grid.days); mask++)
                if (ccs__roster_pattern_ok(p, &t->days, mask))
                    ti->pat[ti->n_pat++] = mask;
            ti->ycol = add_cols(m, (int)ti->n_pat, GLP_IV, ti->ub, 0);
        } else if (ti->ub != HUGE_VAL) {
            ti->hcol = add_cols(m, 1, GLP_CV, ti->ub, 0);
        }
    }

    /* coverage rows: agents on the phones >= required (elastic: + slack) */
    rc = build_cover(m);
    if (rc != 0)
        return rc;
    for (size_t k = 0; k < G * T; k++) {
        if (!m->in[k / T])
            continue;
        uint32_t need = p->groups[k / T].required[k % T];
        if (need == 0)
            continue;
        m->cov_row[k] = add_row(m, GLP_LO, need, 0);
        for (size_t e = m->cov.start[k]; e < m->cov.start[k + 1]; e++)
            if ((rc = nz_add(m, m->cov_row[k], m->cov.col[e], m->cov.val[e])) != 0)
                return rc;
        if (m->elastic) {
            m->slack_col[k] = add_cols(m, 1, GLP_CV, HUGE_VAL, 1);
            if ((rc = nz_add(m, m->cov_row[k], m->slack_col[k], 1)) != 0)
                return rc;
        }
    }

    /* breaks: each agent takes each break once, inside its window, in order */
    for (size_t ui = 0; ui < m->n_unit; ui++)
        if ((rc = unit_rows(m, &m->unit[ui])) != 0)
            return rc;

    /* tours: each day, the template's shifts = its agents working that day;
       without a rule, the head count is at least each day's shifts */
    for (size_t j = 0; j < p->n_templates; j++) {
        const struct tinfo *ti = &m->ti[j];
        if (!ti->in_group || (!ti->tours && ti->hcol == 0))
            continue;
        for (uint32_t day = 0; day < p->grid.days; day++) {
            int r = ti->tours ? add_row(m, GLP_FX, 0, 0) : add_row(m, GLP_UP, 0, 0);
            if (ti->tours) {
                m->tour_row[j * p->grid.days + day] = r;
                m->has_tours = true;
            }
            for (size_t i = 0; i < m->n_cand; i++)
                if (m->cand[i].tmpl == j && m->cand[i].day == day &&
                    (rc = nz_add(m, r, m->cand[i].col, 1)) != 0)
                    return rc;
            if (ti->tours) {
                for (uint32_t q = 0; q < ti->n_pat; q++)
                    if ((ti->pat[q] >> day) & 1u)
                        if ((rc = nz_add(m, r, ti->ycol + (int)q, -1)) != 0)
                            return rc;
            } else if ((rc = nz_add(m, r, ti->hcol, -1)) != 0) {
                return rc;
            }
        }
        if (ti->tours && ti->ub != HUGE_VAL) {
            int r = add_row(m, GLP_UP, 0, ti->ub);
            for (uint32_t q = 0; q < ti->n_pat; q++)
                if ((rc = nz_add(m, r, ti->ycol + (int)q, 1)) != 0)
                    return rc;
        }
    }
    for (size_t g = 0; g < G; g++) {
        if (!m->in[g] || p->groups[g].max_agents == CCS_ROSTER_UNLIMITED)
            continue;
        int r = add_row(m, GLP_UP, 0, p->groups[g].max_agents);
        for (size_t j = 0; j < p->n_templates; j++) {
            const struct tinfo *ti = &m->ti[j];
            if (!ti->in_group || p->templates[j].t.group != g)
                continue;
            if (ti->tours) {
                for (uint32_t q = 0; q < ti->n_pat; q++)
                    if ((rc = nz_add(m, r, ti->ycol + (int)q, 1)) != 0)
                        return rc;
            } else if ((rc = nz_add(m, r, ti->hcol, 1)) != 0) {
                return rc;
            }
        }
    }

    /* part-time: sum a_s ([short] - share) x_s <= 0 */
    for (size_t l = 0; l < p->n_limits; l++) {
        const struct ccs_roster_limit *lim = &p->limits[l];
        if (!m->in[lim->group])
            continue;
        int r = add_row(m, GLP_UP, 0, 0);
        for (size_t i = 0; i < m->n_cand; i++) {
            const struct cand *c = &m->cand[i];
            if (p->templates[c->tmpl].t.group != lim->group)
                continue;
            double a = lim->by_hours
                           ? ccs__roster_paid(&p->templates[c->tmpl].t, c->length) *
                                 p->grid.minutes / 60.0
                           : 1.0;
            double v = a * ((c->length < lim->shorter_than ? 1.0 : 0.0) - lim->max_share);
            if (v != 0 && (rc = nz_add(m, r, c->col, v)) != 0)
                return rc;
        }
    }

    /* cuts: sum coef N[t] >= rhs, N[t] expanded into x and w */
    size_t ncol = (size_t)glp_get_num_cols(m->lp) + 2;
    double *acc = ccs_calloc(ncol, sizeof *acc);
    int *touched = ccs_malloc(ncol * sizeof *touched);
    bool *seen = ccs_calloc(ncol, sizeof *seen);
    if (acc == NULL || touched == NULL || seen == NULL) {
        free(acc);
        free(touched);
        free(seen);
        return CCS_ENOMEM;
    }
    for (size_t c = 0; c < p->n_cuts && rc == 0; c++) {
        const struct ccs__roster_cut *cut = &p->cuts[c];
        if (!m->in[cut->group])
            continue; /* all its groups are in this program, or none */
        int nt = 0;
        for (size_t i = 0; i < cut->n; i++) {
            size_t t = p->term_g[cut->first + i] * T + p->term_t[cut->first + i];
            double a = p->term_coef[cut->first + i];
            for (size_t e = m->cov.start[t]; e < m->cov.start[t + 1]; e++) {
                int col = m->cov.col[e];
                if (!seen[col]) {
                    seen[col] = true;
                    touched[nt++] = col;
                }
                acc[col] += a * m->cov.val[e];
            }
        }
        m->cut_row[c] = add_row(m, GLP_LO, cut->rhs, 0);
        for (int i = 0; i < nt && rc == 0; i++) {
            int col = touched[i];
            if (fabs(acc[col]) > 1e-12)
                rc = nz_add(m, m->cut_row[c], col, acc[col]);
            acc[col] = 0;
            seen[col] = false;
        }
        if (rc == 0 && m->elastic) {
            m->cut_slack[c] = add_cols(m, 1, GLP_CV, HUGE_VAL, 1);
            rc = nz_add(m, m->cut_row[c], m->cut_slack[c], 1);
        }
    }
    free(acc);
    free(touched);
    free(seen);
    if (rc != 0)
        return rc;
    if (m->nz > 0)
        glp_load_matrix(m->lp, (int)m->nz, m->ia, m->ja, m->ar);
    /* what each column is, for the heuristic's stages */
    int nc = glp_get_num_cols(m->lp);
    m->kind = ccs_malloc((size_t)nc + 1);
    if (m->kind == NULL)
        return CCS_ENOMEM;
    for (int j = 1; j <= nc; j++)
        m->kind[j] = glp_get_col_kind(m->lp, j) == GLP_IV ? K_BREAK : K_OTHER;
    for (size_t i = 0; i < m->n_cand; i++)
        m->kind[m->cand[i].col] = K_SHIFT;
    for (size_t j = 0; j < p->n_templates; j++)
        for (uint32_t q = 0; m->ti[j].tours && q < m->ti[j].n_pat; q++)
            m->kind[m->ti[j].ycol + (int)q] = K_PATTERN;
    return 0;
}

static void model_release(struct model *m)
{
    if (m->lp != NULL)
        glp_delete_prob(m->lp);
    free(m->cand);
    free(m->unit);
    free(m->bcol);
    free(m->kind);
    free(m->val);
    free(m->tour_row);
    free(m->ti);
    free(m->cov.start);
    free(m->cov.col);
    free(m->cov.val);
    free(m->cov_row);
    free(m->slack_col);
    free(m->cut_row);
    free(m->cut_slack);
    free(m->in);
    free(m->ia);
    free(m->ja);
    free(m->ar);
    memset(m, 0, sizeof *m);
}

/* The program of the groups g with comp[g] == g0 (g0 the first of them). */
static int model_init(struct model *m, const struct ccs_roster_problem *p, const uint32_t *comp,
                      uint32_t g0, bool elastic, bool per_shift)
{
    memset(m, 0, sizeof *m);
    m->p = p;
    m->g = g0;
    m->elastic = elastic;
    m->per_shift = per_shift;
    size_t GT = p->n_groups * p->n_intervals;
    m->in = ccs_calloc(p->n_groups + 1, sizeof *m->in);
    m->ti = ccs_calloc(p->n_templates + 1, sizeof *m->ti);
    m->tour_row = ccs_calloc(p->n_templates * p->grid.days + 1, sizeof *m->tour_row);
    m->cov_row = ccs_calloc(GT + 1, sizeof *m->cov_row);
    m->slack_col = ccs_calloc(GT + 1, sizeof *m->slack_col);
    m->cut_row = ccs_calloc(p->n_cuts + 1, sizeof *m->cut_row);
    m->cut_slack = ccs_calloc(p->n_cuts + 1, sizeof *m->cut_slack);
    if (m->in == NULL || m->ti == NULL || m->tour_row == NULL || m->cov_row == NULL ||
        m->slack_col == NULL || m->cut_row == NULL || m->cut_slack == NULL)
        return CCS_ENOMEM;
    for (size_t g = 0; g < p->n_groups; g++)
        m->in[g] = comp[g] == g0;
    return build(m);
}

/* --- solving -------------------------------------------------------------------------- */

struct search {
    uint64_t node_limit;
    uint64_t nodes;
    double bound; /* best lower bound seen: the least bound of the active nodes */
    bool has_bound;
    const double *start; /* a roster to offer GLPK at its first chance, or NULL */
};

static void on_tree(glp_tree *tree, void *info)
{
    struct search *s = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && s->start != NULL) {
        glp_ios_heur_sol(tree, s->start);
        s->start = NULL;
    }
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    s->nodes = (uint64_t)t_cnt;
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        double b = glp_ios_node_bound(tree, best);
        if (!s->has_bound || b > s->bound) {
            s->bound = b;
            s->has_bound = true;
        }
    }
    if (s->node_limit > 0 && s->nodes >= s->node_limit)
        glp_ios_terminate(tree);
}

static int ms_left(double deadline)
{
    if (deadline == HUGE_VAL)
        return INT_MAX;
    double left = (deadline - now()) * 1000.0;
    if (left < 1)
        return 1;
    return left > INT_MAX ? INT_MAX : (int)left;
}

/*
 * Solve the built program's LP relaxation (run_lp), then branch and bound
 * from its basis (run_mip). They set the status, LP bound, bound, cost and
 * nodes; run_lp says whether the relaxation was solved.
 */
static bool run_lp(struct model *m, const struct ccs_roster_opts *o, double deadline,
                   struct gres *res)
{
    memset(res, 0, sizeof *res);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = o->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    sp.presolve = GLP_ON;
    sp.tm_lim = ms_left(deadline);
    int rc = glp_simplex(m->lp, &sp);
    if (rc == GLP_ENOPFS || (rc == 0 && glp_get_status(m->lp) == GLP_NOFEAS)) {
        res->status = CCS_ROSTER_INFEASIBLE;
        return false;
    }
    if (rc != 0 || glp_get_status(m->lp) != GLP_OPT) {
        /* out of time (or numerical trouble) before the relaxation was solved */
        res->status = CCS_ROSTER_NO_ROSTER;
        res->timed_out = rc == GLP_ETMLIM || now() > deadline;
        return false;
    }
    res->lp = glp_get_obj_val(m->lp);
    if (o->verbose)
        printf("relaxation: %.2f (CPU %.2f s)\n", res->lp, cpu());
    return true;
}

/* Re-solve the relaxation from the current basis after bounds changed. */
static bool resolve(glp_prob *lp, const struct ccs_roster_opts *o, double deadline)
{
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    /* GLPK's dual simplex is many times slower than its primal one on
       these programs, even from a dual feasible basis (measured) */
    sp.meth = GLP_PRIMAL;
    sp.tm_lim = ms_left(deadline);
    int rc = glp_simplex(lp, &sp);
    return rc == 0 && glp_get_status(lp) == GLP_OPT;
}

/*
 * Round the days-off pattern counts: repeatedly fix those the relaxation
 * has within 0.1 of an integer there (or, if none, the one nearest to an
 * integer) and solve it again; a batch that leaves no solution is fixed up
 * instead. Rounding them all up at once adds a whole agent to most
 * template-days (2.5% on the benchmark); this way the relaxation moves the
 * rest of the roster around each step. False if it fails or runs out of
 * time; the patterns are then fixed at whatever was reached.
 */
static bool round_patterns(struct model *m, const struct ccs_roster_opts *o, double deadline)
{
    glp_prob *lp = m->lp;
    int nc = glp_get_num_cols(lp);
    int *batch = ccs_malloc(((size_t)nc + 1) * sizeof *batch);
    double *was = ccs_malloc(((size_t)nc + 1) * sizeof *was);
    if (batch == NULL || was == NULL) {
        free(batch);
        free(was);
        return false;
    }
    bool ok = true;
    for (int round = 0; ok; round++) {
        int n = 0, best = 0;
        double best_d = 1; /* distance to the nearest integer */
        for (int j = 1; j <= nc; j++) {
            if (m->kind[j] != K_PATTERN || glp_get_col_type(lp, j) == GLP_FX)
                continue;
            double v = glp_get_col_prim(lp, j), f = v - floor(v);
            if (f < 0.1 || f > 0.9) {
                was[n] = v;
                batch[n++] = j;
                double r = floor(v + 0.5);
                glp_set_col_bnds(lp, j, GLP_FX, r, r);
            } else if (fabs(f - 0.5) > 0.5 - best_d) {
                best_d = 0.5 - fabs(f - 0.5);
                best = j;
            }
        }
        if (n == 0 && best == 0)
            break; /* all fixed */
        if (n == 0) { /* the one nearest to an integer, to it */
            was[n] = glp_get_col_prim(lp, best);
            double r = floor(was[n] + 0.5);
            glp_set_col_bnds(lp, best, GLP_FX, r, r);
            batch[n++] = best;
        }
        bool solved = resolve(lp, o, deadline);
        if (!solved && now() > deadline) {
            ok = false; /* out of time, not out of agents: no roster, rather than
                           one that depends on when the time ran out */
            break;
        }
        if (!solved) {
            for (int i = 0; i < n; i++) { /* too few agents somewhere: up */
                double r = ceil(was[i] - 1e-9);
                glp_set_col_bnds(lp, batch[i], GLP_FX, r, r);
            }
            ok = resolve(lp, o, deadline);
        }
        if (o->verbose)
            printf("relax and fix: patterns, round %d: %d fixed%s, cost %.2f (CPU %.2f s)\n",
                   round + 1, n, solved ? "" : " (up)", glp_get_obj_val(lp), cpu());
    }
    free(batch);
    free(was);
    return ok;
}

/*
 * A stage's budget, in branch-and-bound nodes rather than seconds, so that
 * the first roster does not depend on the machine or its load: a stage
 * stops STAGE_AFTER nodes after its first solution (most stop earlier, at
 * their gap target), or after STAGE_MAX nodes in all (failing if it has
 * none). On the weekly benchmark (one group) 16 nodes gave 60 874, 128
 * gave 60 730, 512 and 2000 gave 60 670, all in 20-22 s of CPU time, which
 * the relaxation and the pattern rounding take (measured). Only the
 * overall deadline can cut a stage short, and then the heuristic gives no
 * roster at all.
 */
#define STAGE_AFTER 512
#define STAGE_MAX 4000

struct slice {
    double deadline;
    bool found, out_of_time;
    int found_at; /* nodes when the first solution came */
};

static void on_stage(glp_tree *tree, void *info)
{
    struct slice *sl = info;
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    if (glp_ios_reason(tree) == GLP_IBINGO && !sl->found) {
        sl->found = true;
        sl->found_at = t_cnt;
    }
    if ((sl->found && t_cnt - sl->found_at >= STAGE_AFTER) || t_cnt >= STAGE_MAX)
        glp_ios_terminate(tree);
    else if (sl->deadline != HUGE_VAL && now() > sl->deadline) {
        sl->out_of_time = true;
        glp_ios_terminate(tree);
    }
}

/* One stage of relax_and_fix: solve with the columns of integer kind, the
   presolver dropping what is fixed. False if it found nothing or ran out of
   time (the heuristic then fails rather than depend on the time). */
static bool stage(struct model *m, const struct ccs_roster_opts *o, double deadline,
                  const char *what, int day)
{
    struct slice sl = {deadline, false, false, 0};
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    /* the gap is relative to the whole program's cost, a day is a part */
    ip.mip_gap = o->mip_gap / (4.0 * m->p->grid.days);
    ip.cb_func = on_stage;
    ip.cb_info = &sl;
    double t0 = now();
    int rc = glp_intopt(m->lp, &ip);
    int st = glp_mip_status(m->lp);
    if (o->verbose)
        printf("relax and fix: %s %d, rc %d status %d, cost %.2f, %.2f s (CPU %.2f s)\n", what,
               day + 1, rc, st, glp_mip_obj_val(m->lp), now() - t0, cpu());
    return !sl.out_of_time && (st == GLP_OPT || st == GLP_FEAS);
}

/*
 * A first roster, by relax and fix. The days-off patterns first
 * (round_patterns): fixed, they fix each template's agents per day, and the
 * days depend on one another only through shifts past midnight. Then day
 * by day, with the shifts and breaks of that day integer, the days before
 * fixed at their integer values and the days after at the relaxation's
 * fractional values, solve: GLPK's presolver drops everything fixed, so
 * each day is a program a seventh of the week's, which its branch and bound
 * handles, where the whole week is too big for it to find any roster in
 * time (measured: docs/schedule.md). Every step has a budget of re-solves
 * or nodes, not of seconds: the same problem gives the same first roster on
 * any machine, or, past the deadline, none. The program is left as it was, its
 * relaxation to be solved again. Returns the roster's column values
 * ([n_cols + 1], malloc'd) or NULL.
 */
static double *relax_and_fix(struct model *m, const struct ccs_roster_opts *o, double deadline)
{
    glp_prob *lp = m->lp;
    const struct ccs_roster_problem *p = m->p;
    int nr = glp_get_num_rows(lp), nc = glp_get_num_cols(lp);
    int D = (int)p->grid.days;
    int *rstat = ccs_malloc(((size_t)nr + 1) * sizeof *rstat);
    int *cstat = ccs_malloc(((size_t)nc + 1) * sizeof *cstat);
    int *ctype = ccs_malloc(((size_t)nc + 1) * sizeof *ctype);
    int *day_of = ccs_malloc(((size_t)nc + 1) * sizeof *day_of);
    double *clb = ccs_malloc(((size_t)nc + 1) * sizeof *clb);
    double *cub = ccs_malloc(((size_t)nc + 1) * sizeof *cub);
    double *lpv = ccs_malloc(((size_t)nc + 1) * sizeof *lpv);
    double *sol = ccs_malloc(((size_t)nc + 1) * sizeof *sol);
    bool ok = rstat && cstat && ctype && day_of && clb && cub && lpv && sol;
    bool saved = ok; /* the program's state below was read: restore it */
    if (ok) {
        for (int i = 1; i <= nr; i++)
            rstat[i] = glp_get_row_stat(lp, i);
        for (int j = 1; j <= nc; j++) {
            cstat[j] = glp_get_col_stat(lp, j);
            ctype[j] = glp_get_col_type(lp, j);
            clb[j] = glp_get_col_lb(lp, j);
            cub[j] = glp_get_col_ub(lp, j);
            lpv[j] = glp_get_col_prim(lp, j);
            day_of[j] = -1;
            if (m->kind[j] != K_OTHER)
                glp_set_col_kind(lp, j, GLP_CV);
        }
        for (size_t i = 0; i < m->n_cand; i++)
            day_of[m->cand[i].col] = (int)m->cand[i].day;
        for (size_t ui = 0; ui < m->n_unit; ui++) {
            const struct unit *k = &m->unit[ui];
            const struct ccs_roster_template *t = &p->templates[k->tmpl].t;
            for (uint32_t b = 0; b < t->n_breaks; b++)
                for (uint32_t u = k->umin[b]; u <= k->umax[b]; u++)
                    if (bcol(m, k, b, u))
                        day_of[bcol(m, k, b, u)] = (int)k->day;
        }
    }
    /* the days-off patterns first: fixed, they fix each day's agents per
       template, and the days no longer depend on one another but through
       shifts past midnight */
    if (ok && m->has_tours) {
        ok = round_patterns(m, o, deadline);
        for (int j = 1; ok && j <= nc; j++)
            lpv[j] = glp_get_col_prim(lp, j);
    }
    /* day by day (a second pass, each day again with the others integer,
       kept what was cheaper, bought nothing on the benchmark: dropped) */
    for (int d = 0; ok && d < D; d++) {
        for (int j = 1; j <= nc; j++) {
            if (day_of[j] < d)
                continue; /* fixed already (or not a shift or break) */
            if (day_of[j] == d) {
                glp_set_col_bnds(lp, j, ctype[j], clb[j], cub[j]);
                glp_set_col_kind(lp, j, GLP_IV);
            } else {
                glp_set_col_bnds(lp, j, GLP_FX, lpv[j], lpv[j]);
            }
        }
        ok = stage(m, o, deadline, "day", d);
        for (int j = 1; ok && j <= nc; j++)
            if (day_of[j] == d) {
                double v = floor(glp_mip_col_val(lp, j) + 0.5);
                glp_set_col_bnds(lp, j, GLP_FX, v, v);
                glp_set_col_kind(lp, j, GLP_CV);
            }
    }
    /* the continuous columns for the counts fixed */
    if (ok)
        ok = stage(m, o, deadline, "final", -1);
    for (int j = 1; ok && j <= nc; j++) {
        sol[j] = glp_mip_col_val(lp, j);
        if (m->kind[j] != K_OTHER)
            sol[j] = floor(sol[j] + 0.5);
    }
    /* put the program back as it was, with its optimal basis */
    if (saved) {
        for (int j = 1; j <= nc; j++) {
            glp_set_col_bnds(lp, j, ctype[j], clb[j], cub[j]);
            if (m->kind[j] != K_OTHER)
                glp_set_col_kind(lp, j, GLP_IV);
            glp_set_col_stat(lp, j, cstat[j]);
        }
        for (int i = 1; i <= nr; i++)
            glp_set_row_stat(lp, i, rstat[i]);
    }
    free(rstat);
    free(cstat);
    free(ctype);
    free(day_of);
    free(clb);
    free(cub);
    free(lpv);
    if (!ok) {
        free(sol);
        return NULL;
    }
    return sol;
}

/*
 * Branch and bound from the relaxation's basis (run_lp first), offered the
 * roster `start` (may be NULL) as its first incumbent.
 */
static void run_mip(struct model *m, const struct ccs_roster_opts *o, double deadline,
                    struct gres *res, const double *start)
{
    struct search s = {o->node_limit, 0, res->lp, true, start};
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = o->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    ip.presolve = GLP_OFF; /* start from the basis found above */
    ip.mip_gap = o->mip_gap;
    ip.tm_lim = ms_left(deadline);
    ip.cb_func = on_tree;
    ip.cb_info = &s;
    ip.br_tech = GLP_BR_DTH;
    ip.bt_tech = GLP_BT_BLB;
    ip.fp_heur = GLP_ON;
    ip.gmi_cuts = GLP_ON;
    ip.mir_cuts = GLP_ON;
    int rc = glp_intopt(m->lp, &ip);
    res->nodes = s.nodes;
    res->timed_out = res->timed_out || rc == GLP_ETMLIM;
    int st = glp_mip_status(m->lp);
    if (st != GLP_OPT && st != GLP_FEAS) {
        res->status = st == GLP_NOFEAS ? CCS_ROSTER_INFEASIBLE : CCS_ROSTER_NO_ROSTER;
        return;
    }
    res->cost = glp_mip_obj_val(m->lp);
    if (rc == 0 && st == GLP_OPT) {
        res->status = CCS_ROSTER_OPTIMAL;
        res->bound = res->cost;
    } else {
        res->status = rc == GLP_EMIPGAP ? CCS_ROSTER_GAP : CCS_ROSTER_LIMIT;
        double b = s.bound > res->lp ? s.bound : res->lp;
        res->bound = b < res->cost ? b : res->cost;
    }
}

/* --- taking the solution apart -------------------------------------------------------- */

static uint32_t ival(const struct model *m, int col)
{
    double v = m->val[col];
    return v <= 0.5 ? 0 : (uint32_t)floor(v + 0.5);
}

/* Shifts with their breaks, and the template's agents as (days, count) runs. */
static int extract(struct model *m, struct build *bd)
{
    const struct ccs_roster_problem *p = m->p;
    size_t nbuf = 0;
    for (size_t i = 0; i < m->n_cand; i++)
        nbuf += ival(m, m->cand[i].col);
    /* agents of a class: break starts per break, sorted (pairing in order keeps
       the minimum work between consecutive breaks, see build) */
    uint32_t *brk[MAXB] = {NULL};
    int rc = 0;
    for (uint32_t b = 0; b < MAXB && rc == 0; b++) {
        brk[b] = ccs_malloc((nbuf + 1) * sizeof *brk[b]);
        if (brk[b] == NULL)
            rc = CCS_ENOMEM;
    }
    /* shifts without breaks: one line each */
    for (size_t i = 0; i < m->n_cand && rc == 0; i++) {
        const struct cand *c = &m->cand[i];
        const struct ccs_roster_template *t = &p->templates[c->tmpl].t;
        if (t->n_breaks > 0)
            continue;
        uint32_t x = ival(m, c->col);
        if (x == 0)
            continue;
        if ((rc = CCS_GROW(bd->sh, bd->cap_sh, bd->n_sh + 1)) != 0)
            break;
        struct ccs_roster_shift *s = &bd->sh[bd->n_sh++];
        memset(s, 0, sizeof *s);
        s->group = t->group;
        s->tmpl = c->tmpl;
        s->day = c->day;
        s->start = c->start;
        s->length = c->length;
        for (uint32_t b = 0; b < MAXB; b++)
            s->breaks[b] = CCS_ROSTER_NONE;
        s->count = x;
        s->paid_hours = ccs__roster_paid(t, c->length) * p->grid.minutes / 60.0;
        s->cost = c->cost;
    }
    for (size_t ui = 0; ui < m->n_unit && rc == 0; ui++) {
        const struct unit *k = &m->unit[ui];
        const struct ccs_roster_template *t = &p->templates[k->tmpl].t;
        size_t n = 0;
        for (size_t i = k->c0; i < k->c1; i++)
            if (m->cand[i].unit == ui)
                n += ival(m, m->cand[i].col);
        if (n == 0)
            continue;
        /* the unit's break starts per break, in increasing order */
        for (uint32_t b = 0; b < t->n_breaks; b++) {
            size_t at = 0;
            for (uint32_t u = k->umin[b]; u <= k->umax[b] && at <= n; u++) {
                uint32_t w = bcol(m, k, b, u) ? ival(m, bcol(m, k, b, u)) : 0;
                for (uint32_t a = 0; a < w && at <= n; a++) {
                    if (at < n)
                        brk[b][at] = u;
                    at++;
                }
            }
            if (at != n) {
                rc = CCS_ESTATE; /* the total rows make this impossible */
                break;
            }
        }
        /* the unit's agents in order of start take them in order: the i-th
           agent the i-th earliest of each break (exchange argument: windows
           move right with the start; the order rows keep the pairs apart) */
        size_t agent = 0;
        for (size_t i = k->c0; i < k->c1 && rc == 0; i++) {
            const struct cand *c = &m->cand[i];
            if (c->unit != ui)
                continue;
            uint32_t x = ival(m, c->col);
            for (uint32_t a = 0; a < x && rc == 0; a++, agent++) {
                for (uint32_t b = 0; b < t->n_breaks; b++) {
                    uint32_t rel = brk[b][agent] - c->start;
                    if (brk[b][agent] < c->start + k->lo[b] || rel > k->hi[b])
                        rc = CCS_ESTATE; /* the forward/backward rows make this impossible */
                }
                bool same = a > 0;
                for (uint32_t b = 0; b < t->n_breaks && same; b++)
                    same = brk[b][agent] == brk[b][agent - 1];
                if (rc != 0 || same) {
                    if (same)
                        bd->sh[bd->n_sh - 1].count++;
                    continue;
                }
                if ((rc = CCS_GROW(bd->sh, bd->cap_sh, bd->n_sh + 1)) != 0)
                    break;
                struct ccs_roster_shift *s = &bd->sh[bd->n_sh++];
                memset(s, 0, sizeof *s);
                s->group = t->group;
                s->tmpl = c->tmpl;
                s->day = c->day;
                s->start = c->start;
                s->length = c->length;
                for (uint32_t b = 0; b < MAXB; b++)
                    s->breaks[b] = b < t->n_breaks ? brk[b][agent] - c->start : CCS_ROSTER_NONE;
                s->count = 1;
                s->paid_hours = ccs__roster_paid(t, c->length) * p->grid.minutes / 60.0;
                s->cost = c->cost;
            }
        }
    }
    for (uint32_t b = 0; b < MAXB; b++)
        free(brk[b]);
    if (rc != 0)
        return rc;

    /* the agents of each template as runs of (days, count) */
    for (size_t j = 0; j < p->n_templates; j++) {
        const struct tinfo *ti = &m->ti[j];
        if (!ti->in_group)
            continue;
        uint32_t per_day[MAXD] = {0};
        for (size_t i = 0; i < m->n_cand; i++)
            if (m->cand[i].tmpl == j)
                per_day[m->cand[i].day] += ival(m, m->cand[i].col);
        size_t cap = ti->tours ? ti->n_pat : p->grid.days;
        bd->mask[j] = ccs_malloc((cap + 1) * sizeof *bd->mask[j]);
        bd->cnt[j] = ccs_malloc((cap + 1) * sizeof *bd->cnt[j]);
        if (bd->mask[j] == NULL || bd->cnt[j] == NULL)
            return CCS_ENOMEM;
        size_t nr = 0;
        if (ti->tours) {
            for (uint32_t q = 0; q < ti->n_pat; q++) {
                uint32_t y = ival(m, ti->ycol + (int)q);
                if (y > 0) {
                    bd->mask[j][nr] = ti->pat[q];
                    bd->cnt[j][nr++] = y;
                }
            }
        } else {
            /* no rule: agent a works day d when a < that day's shifts; the
               runs between successive distinct daily counts */
            uint32_t done = 0;
            for (;;) {
                uint32_t next = UINT32_MAX, mask = 0;
                for (uint32_t d = 0; d < p->grid.days; d++)
                    if (per_day[d] > done) {
                        mask |= 1u << d;
                        if (per_day[d] < next)
                            next = per_day[d];
                    }
                if (mask == 0)
                    break;
                bd->mask[j][nr] = mask;
                bd->cnt[j][nr++] = next - done;
                done = next;
            }
        }
        bd->n_runs[j] = nr;
    }
    return 0;
}

/* --- infeasibility: which interval ---------------------------------------------------- */

/*
 * A quick necessary condition: an agent of a template can be on the phones
 * in interval t only if some shift of it covers t with each break able to
 * avoid t; so a template adds at most its agent limit there, the group at
 * most its own. Returns the first interval whose requirement exceeds that,
 * or CCS_ROSTER_NONE; *cap gets the most agents there.
 */
static uint32_t precheck(const struct ccs_roster_problem *p, uint32_t g, double *cap_out,
                         int *err)
{
    size_t T = p->n_intervals;
    const struct ccs__roster_group *gr = &p->groups[g];
    double *cap = ccs_calloc(T, sizeof *cap);
    bool *poss = ccs_malloc(T * sizeof *poss);
    uint32_t found = CCS_ROSTER_NONE;
    *err = 0;
    if (cap == NULL || poss == NULL) {
        *err = CCS_ENOMEM;
        goto done;
    }
    double gmax = gr->max_agents == CCS_ROSTER_UNLIMITED ? HUGE_VAL : gr->max_agents;
    for (size_t j = 0; j < p->n_templates; j++) {
        const struct ccs_roster_template *t = &p->templates[j].t;
        if (t->group != g)
            continue;
        memset(poss, 0, T * sizeof *poss);
        for (uint32_t i = 0; i < t->n_lengths; i++) {
            uint32_t len = t->lengths[i], lo[MAXB], hi[MAXB];
            ccs__roster_windows(t, len, lo, hi);
            for (uint32_t day = 0; day < p->grid.days; day++)
                for (uint32_t s = t->start_first; s <= t->start_last; s += t->start_step) {
                    if (ccs__roster_slot(p, day, s, len - 1) == CCS_ROSTER_NONE)
                        continue;
                    for (uint32_t o = 0; o < len; o++) {
                        bool free_at = true; /* no break is forced onto o */
                        for (uint32_t b = 0; b < t->n_breaks && free_at; b++)
                            free_at = !(hi[b] <= o && o < lo[b] + t->breaks[b].length);
                        if (free_at)
                            poss[ccs__roster_slot(p, day, s, o)] = true;
                    }
                }
        }
        double ub = t->max_agents == CCS_ROSTER_UNLIMITED ? HUGE_VAL : t->max_agents;
        for (size_t k = 0; k < T; k++)
            if (poss[k])
                cap[k] += ub;
    }
    for (size_t k = 0; k < T && found == CCS_ROSTER_NONE; k++) {
        double c = cap[k] < gmax ? cap[k] : gmax;
        if (gr->required[k] > c) {
            found = (uint32_t)k;
            *cap_out = c;
        }
    }
done:
    free(cap);
    free(poss);
    return found;
}

/*
 * The program cannot be solved: solve it again with every requirement and
 * cut allowed to fall short at a unit cost, and name the first interval (or
 * cut) short in the least-short roster.
 */
static int explain_infeasible(const struct ccs_roster_problem *p, const uint32_t *comp,
                              uint32_t g0, const struct ccs_roster_opts *o, double deadline,
                              struct ccs_roster *r)
{
    struct model m;
    int rc = model_init(&m, p, comp, g0, true, o->breaks == CCS_ROSTER_BREAKS_PER_SHIFT);
    if (rc != 0) {
        model_release(&m);
        return rc;
    }
    /* the relaxation says where, in fractions of agents; the integer
       program, when it finishes in time, in whole agents */
    size_t T = p->n_groups * p->n_intervals, ns = T + p->n_cuts; /* by g * T + t, then cuts */
    double *sl = ccs_calloc(ns + 1, sizeof *sl);
    if (sl == NULL) {
        model_release(&m);
        return CCS_ENOMEM;
    }
    struct gres res;
    if (run_lp(&m, o, deadline, &res)) {
        for (size_t t = 0; t < T; t++)
            sl[t] = m.slack_col[t] ? glp_get_col_prim(m.lp, m.slack_col[t]) : 0;
        for (size_t c = 0; c < p->n_cuts; c++)
            sl[T + c] = m.cut_slack[c] ? glp_get_col_prim(m.lp, m.cut_slack[c]) : 0;
        run_mip(&m, o, deadline, &res, NULL);
        if (res.status != CCS_ROSTER_NO_ROSTER && res.status != CCS_ROSTER_INFEASIBLE) {
            for (size_t t = 0; t < T; t++)
                sl[t] = m.slack_col[t] ? glp_mip_col_val(m.lp, m.slack_col[t]) : 0;
            for (size_t c = 0; c < p->n_cuts; c++)
                sl[T + c] = m.cut_slack[c] ? glp_mip_col_val(m.lp, m.cut_slack[c]) : 0;
        }
    }
    size_t n_short = 0;
    uint32_t first = CCS_ROSTER_NONE, g = g0;
    double by = 0;
    for (size_t t = 0; t < T; t++)
        if (sl[t] > 1e-6) {
            if (first == CCS_ROSTER_NONE) {
                g = (uint32_t)(t / p->n_intervals);
                first = (uint32_t)(t % p->n_intervals);
                by = sl[t];
            }
            n_short++;
        }
    size_t cut = 0;
    for (size_t c = 0; c < p->n_cuts && cut == 0 && first == CCS_ROSTER_NONE; c++)
        if (sl[T + c] > 1e-6) {
            cut = c + 1;
            g = p->cuts[c].group;
        }
    const char *gname = p->groups[g].name;
    r->short_group = g;
    r->short_interval = first;
    if (first != CCS_ROSTER_NONE) {
        char lab[32];
        snprintf(r->reason, sizeof r->reason,
                 "group '%s': no roster covers the requirement within the agent, days-off "
                 "and part-time limits; the closest falls short by %.3g agents at %s (%u "
                 "required) and at %zu other intervals",
                 gname, by, ccs_roster_interval_label(p, first, lab, sizeof lab),
                 (unsigned)p->groups[g].required[first], n_short - 1);
    } else {
        if (cut > 0)
            snprintf(r->reason, sizeof r->reason,
                     "group '%s': no roster satisfies cut %zu within the agent, days-off and "
                     "part-time limits",
                     gname, cut);
        else
            snprintf(r->reason, sizeof r->reason,
                     "group '%s': no roster covers the requirement (the search ran out of "
                     "time before finding where)",
                     gname);
    }
    free(sl);
    model_release(&m);
    return 0;
}

/* --- one group ------------------------------------------------------------------------ */

/*
 * CBC's branch and cut on the program as built (the relaxation's integer
 * kinds and bounds), from the roster `start` (relax and fix; may be NULL),
 * within the node limit and the time left. Its cuts at the root raise the
 * bound well above GLPK's (docs/schedule.md), and its heuristics may
 * improve the roster. The best roster ends in m->val; takes start.
 */
static int cbc_search(struct model *m, const struct ccs_roster_opts *o, double deadline,
                      struct gres *res, double *start)
{
    glp_prob *lp = m->lp;
    int nc = glp_get_num_cols(lp), nr = glp_get_num_rows(lp), nz = glp_get_num_nz(lp);
    size_t c1 = (size_t)nc + 1;
    int *cstart = ccs_malloc(c1 * sizeof *cstart);
    int *index = ccs_malloc(((size_t)nz + 1) * sizeof *index);
    double *value = ccs_malloc(((size_t)nz + 1) * sizeof *value);
    double *cb = ccs_malloc(3 * c1 * sizeof *cb); /* collb, colub, obj */
    double *rb = ccs_malloc(2 * ((size_t)nr + 1) * sizeof *rb);
    char *is_int = ccs_malloc(c1);
    int *all = ccs_malloc(c1 * sizeof *all);
    int *ind = ccs_malloc(((size_t)nr + 1) * sizeof *ind);
    double *val = ccs_malloc(((size_t)nr + 1) * sizeof *val);
    double *x = ccs_malloc(c1 * sizeof *x);
    m->val = ccs_malloc(c1 * sizeof *m->val);
    int rc = 0;
    if (!cstart || !index || !value || !cb || !rb || !is_int || !all || !ind || !val || !x ||
        !m->val) {
        rc = CCS_ENOMEM;
        goto out;
    }
    double *collb = cb, *colub = cb + c1, *obj = cb + 2 * c1;
    double *rowlb = rb, *rowub = rb + nr + 1;
    int k = 0;
    for (int j = 1; j <= nc; j++) {
        cstart[j - 1] = k;
        int len = glp_get_mat_col(lp, j, ind, val);
        for (int i = 1; i <= len; i++) {
            index[k] = ind[i] - 1;
            value[k++] = val[i];
        }
        int type = glp_get_col_type(lp, j);
        collb[j - 1] = type == GLP_FR || type == GLP_UP ? -DBL_MAX : glp_get_col_lb(lp, j);
        colub[j - 1] = type == GLP_FR || type == GLP_LO ? DBL_MAX : glp_get_col_ub(lp, j);
        obj[j - 1] = glp_get_obj_coef(lp, j);
        is_int[j - 1] = (char)(glp_get_col_kind(lp, j) == GLP_IV);
        all[j - 1] = j - 1;
    }
    cstart[nc] = k;
    for (int i = 1; i <= nr; i++) {
        int type = glp_get_row_type(lp, i);
        rowlb[i - 1] = type == GLP_FR || type == GLP_UP ? -DBL_MAX : glp_get_row_lb(lp, i);
        rowub[i - 1] = type == GLP_FR || type == GLP_LO ? DBL_MAX : glp_get_row_ub(lp, i);
    }
    struct ccs__mip mp = {nc, nr, cstart, index, value, collb, colub, obj, rowlb, rowub,
                          is_int, all};
    struct ccs__mip_result cr;
    cr.x = x;
    double secs = deadline == HUGE_VAL ? HUGE_VAL : deadline - now();
    if (o->verbose)
        printf("CBC from CPU %.2f s, gap target %.3f%%\n", cpu(), 100 * o->mip_gap);
    rc = ccs__roster_cbc(&mp, start != NULL ? start + 1 : NULL, o->node_limit, secs, o->mip_gap,
                         o->verbose, &cr);
    if (rc != 0)
        goto out;
    res->nodes = cr.nodes;
    res->timed_out = res->timed_out || cr.time_limited;
    double start_cost = HUGE_VAL;
    if (start != NULL) {
        start_cost = 0;
        for (int j = 1; j <= nc; j++)
            start_cost += obj[j - 1] * start[j];
    }
    if (cr.found && cr.cost <= start_cost + 1e-6) {
        m->val[0] = 0;
        for (int j = 1; j <= nc; j++)
            m->val[j] = m->kind[j] != K_OTHER ? floor(x[j - 1] + 0.5) : x[j - 1];
        res->cost = cr.cost;
    } else if (start != NULL) {
        memcpy(m->val, start, c1 * sizeof *m->val);
        res->cost = start_cost;
    } else {
        res->status = cr.infeasible ? CCS_ROSTER_INFEASIBLE : CCS_ROSTER_NO_ROSTER;
        goto out;
    }
    double b = cr.bound > res->lp ? cr.bound : res->lp;
    res->bound = b < res->cost ? b : res->cost;
    if (cr.optimal || res->cost - res->bound <= 1e-9 * fmax(1, fabs(res->cost)))
        res->status = CCS_ROSTER_OPTIMAL;
    else if (res->cost > 0 && (res->cost - res->bound) <= o->mip_gap * res->cost + 1e-9)
        res->status = CCS_ROSTER_GAP;
    else
        res->status = CCS_ROSTER_LIMIT;
    if (res->status == CCS_ROSTER_OPTIMAL)
        res->bound = res->cost;
out:
    free(cstart);
    free(index);
    free(value);
    free(cb);
    free(rb);
    free(is_int);
    free(all);
    free(ind);
    free(val);
    free(x);
    free(start);
    return rc;
}

/*
 * After the relaxation and the first roster `start` (relax and fix; may be
 * NULL, taken): the branch and bound from it (CBC's, or GLPK's), which
 * proves a bound and may improve the roster, within the node limit, the gap
 * target o->mip_gap and the time left. The best roster ends in m->val.
 */
static int search(struct model *m, const struct ccs_roster_opts *o, double deadline,
                  struct gres *res, double *start)
{
    size_t nc = (size_t)glp_get_num_cols(m->lp);
    if (o->mip != CCS_ROSTER_MIP_GLPK && ccs__roster_cbc_available() && now() < deadline)
        return cbc_search(m, o, deadline, res, start);
    bool searched = resolve(m->lp, o, deadline);
    if (!searched)
        res->timed_out = true;
    if (searched)
        run_mip(m, o, deadline, res, start);
    else
        res->status = CCS_ROSTER_NO_ROSTER; /* out of time: the heuristic's roster, if any */
    m->val = ccs_malloc((nc + 1) * sizeof *m->val);
    if (m->val == NULL) {
        free(start);
        return CCS_ENOMEM;
    }
    int st = glp_mip_status(m->lp);
    if (searched && res->status != CCS_ROSTER_INFEASIBLE &&
        res->status != CCS_ROSTER_NO_ROSTER && (st == GLP_OPT || st == GLP_FEAS)) {
        for (size_t j = 1; j <= nc; j++)
            m->val[j] = glp_mip_col_val(m->lp, (int)j);
    } else if (start != NULL && res->status != CCS_ROSTER_INFEASIBLE) {
        /* the search found nothing (it may not even have taken the roster) */
        memcpy(m->val, start, (nc + 1) * sizeof *m->val);
        res->cost = 0;
        for (size_t j = 1; j <= nc; j++)
            res->cost += glp_get_obj_coef(m->lp, (int)j) * start[j];
        res->status = CCS_ROSTER_LIMIT;
        res->bound = res->lp < res->cost ? res->lp : res->cost;
    }
    free(start);
    return 0;
}

/*
 * One group's work, in two phases so that the gap target can be shared:
 * first every group's program, relaxation and first roster (prepare), then
 * every group's branch and bound (finish), each group allowed the part of
 * the whole roster's gap the groups before it left unused.
 */
struct gwork {
    struct model m;
    bool built;      /* m holds a program */
    bool done;       /* res is final (nothing to cover, infeasible, no roster) */
    struct gres res;
    double *start;   /* [n_cols + 1] the first roster, or NULL */
    double start_cost;
};

/* Why group's search stopped, from its result. */
static enum ccs_roster_stop stop_of(const struct gres *res)
{
    switch (res->status) {
    case CCS_ROSTER_OPTIMAL:
    case CCS_ROSTER_INFEASIBLE:
        return CCS_ROSTER_STOP_DONE;
    case CCS_ROSTER_GAP:
        return CCS_ROSTER_STOP_GAP;
    case CCS_ROSTER_LIMIT:
    case CCS_ROSTER_NO_ROSTER:
        break;
    }
    return res->timed_out ? CCS_ROSTER_STOP_TIME : CCS_ROSTER_STOP_NODES;
}

static int infeasible_at(const struct ccs_roster_problem *p, uint32_t g, uint32_t t,
                         double cap, struct ccs_roster *r)
{
    const struct ccs__roster_group *gr = &p->groups[g];
    char lab[32];
    ccs_roster_interval_label(p, t, lab, sizeof lab);
    r->short_group = g;
    r->short_interval = t;
    if (cap == 0)
        snprintf(r->reason, sizeof r->reason,
                 "group '%s': %u agents required at %s, but no shift of its templates "
                 "can have an agent on the phones then",
                 gr->name, (unsigned)gr->required[t], lab);
    else
        snprintf(r->reason, sizeof r->reason,
                 "group '%s': %u agents required at %s, but at most %.0f can be there "
                 "(the agent limits of its templates and group)",
                 gr->name, (unsigned)gr->required[t], lab, cap);
    return 0;
}

static void works_free(struct gwork *w, size_t n)
{
    if (w == NULL)
        return;
    for (size_t g = 0; g < n; g++) {
        if (w[g].built)
            model_release(&w[g].m);
        free(w[g].start);
    }
    free(w);
}

/* The program of the groups with comp[g] == g0 (one group, or those cuts
   tie together), its relaxation and a first roster (w->start). */
static int prepare_group(const struct ccs_roster_problem *p, const uint32_t *comp, uint32_t g0,
                         const struct ccs_roster_opts *o, double deadline, struct gwork *w,
                         struct ccs_roster *r)
{
    struct gres *res = &w->res;
    memset(res, 0, sizeof *res);
    bool any = false;
    for (size_t g = g0; g < p->n_groups && !any; g++)
        for (size_t t = 0; t < p->n_intervals && !any && comp[g] == g0; t++)
            any = p->groups[g].required[t] > 0;
    for (size_t c = 0; c < p->n_cuts && !any; c++)
        any = comp[p->cuts[c].group] == g0;
    if (!any) {
        res->status = CCS_ROSTER_OPTIMAL; /* nothing to cover: nobody */
        w->done = true;
        return 0;
    }
    for (uint32_t g = g0; g < p->n_groups; g++) {
        if (comp[g] != g0)
            continue;
        int err;
        double cap = 0;
        uint32_t t = precheck(p, g, &cap, &err);
        if (err != 0)
            return err;
        if (t != CCS_ROSTER_NONE) {
            res->status = CCS_ROSTER_INFEASIBLE;
            w->done = true;
            return infeasible_at(p, g, t, cap, r);
        }
    }
    int rc = model_init(&w->m, p, comp, g0, false, o->breaks == CCS_ROSTER_BREAKS_PER_SHIFT);
    w->built = true;
    if (rc != 0)
        return rc;
    r->n_vars += (size_t)glp_get_num_cols(w->m.lp);
    r->n_int_vars += w->m.n_int;
    r->n_rows += (size_t)glp_get_num_rows(w->m.lp);
    if (!run_lp(&w->m, o, deadline, res)) {
        w->done = true;
        if (res->status == CCS_ROSTER_INFEASIBLE) {
            model_release(&w->m);
            w->built = false;
            return explain_infeasible(p, comp, g0, o, deadline, r);
        }
        return 0;
    }
    w->start = relax_and_fix(&w->m, o, deadline);
    res->timed_out = w->start == NULL && now() > deadline;
    w->start_cost = HUGE_VAL;
    if (w->start != NULL) {
        int nc = glp_get_num_cols(w->m.lp);
        w->start_cost = 0;
        for (int j = 1; j <= nc; j++)
            w->start_cost += glp_get_obj_coef(w->m.lp, j) * w->start[j];
    }
    return 0;
}

/* The group's branch and bound from its first roster, to the gap target
   o->mip_gap; the roster taken apart into bd. */
static int finish_group(const struct ccs_roster_problem *p, const uint32_t *comp, uint32_t g0,
                        const struct ccs_roster_opts *o, double deadline, struct gwork *w,
                        struct build *bd, struct ccs_roster *r)
{
    struct gres *res = &w->res;
    double *start = w->start;
    w->start = NULL;
    int rc = search(&w->m, o, deadline, res, start);
    if (rc == 0 && res->status == CCS_ROSTER_INFEASIBLE) {
        model_release(&w->m);
        w->built = false;
        return explain_infeasible(p, comp, g0, o, deadline, r);
    }
    if (rc == 0 && res->status != CCS_ROSTER_NO_ROSTER)
        rc = extract(&w->m, bd);
    return rc;
}

/* --- the roster ------------------------------------------------------------------------ */

static int cmp_shift(const void *a, const void *b)
{
    const struct ccs_roster_shift *x = a, *y = b;
    const uint32_t kx[5] = {x->group, x->tmpl, x->day, x->start, x->length};
    const uint32_t ky[5] = {y->group, y->tmpl, y->day, y->start, y->length};
    for (int i = 0; i < 5; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    for (int i = 0; i < MAXB; i++)
        if (x->breaks[i] != y->breaks[i])
            return x->breaks[i] < y->breaks[i] ? -1 : 1;
    return 0;
}

struct agent {
    uint32_t mask;
    uint32_t shift[MAXD];
};

static int cmp_agent(const void *a, const void *b)
{
    const struct agent *x = a, *y = b;
    if (x->mask != y->mask)
        return x->mask < y->mask ? -1 : 1;
    for (int i = 0; i < MAXD; i++)
        if (x->shift[i] != y->shift[i])
            return x->shift[i] < y->shift[i] ? -1 : 1;
    return 0;
}

/*
 * Give each agent of a template a shift on each of his working days: day by
 * day, the working agents in order take the day's shifts in order of start
 * (so an agent tends to keep his rank, and a similar start, from day to
 * day); then agents with the same days and shifts make one tour.
 */
static int make_tours(const struct ccs_roster_problem *p, const struct build *bd,
                      struct ccs_roster *r)
{
    size_t D = p->grid.days;
    size_t cap_tours = 0;
    size_t *first = ccs_malloc((p->n_templates * D + 1) * sizeof *first);
    size_t *last = ccs_malloc((p->n_templates * D + 1) * sizeof *last);
    int rc = 0;
    if (first == NULL || last == NULL) {
        rc = CCS_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < p->n_templates * D; k++)
        first[k] = last[k] = 0;
    for (size_t i = r->n_shifts; i-- > 0;) {
        size_t k = r->shifts[i].tmpl * D + r->shifts[i].day;
        if (last[k] == 0)
            last[k] = i + 1;
        first[k] = i;
    }
    for (uint32_t g = 0; g < r->n_groups && rc == 0; g++)
        for (size_t j = 0; j < p->n_templates && rc == 0; j++) {
            if (p->templates[j].t.group != g || bd->n_runs[j] == 0)
                continue;
            size_t na = 0;
            for (size_t q = 0; q < bd->n_runs[j]; q++)
                na += bd->cnt[j][q];
            struct agent *ag = ccs_malloc(na * sizeof *ag);
            if (ag == NULL) {
                rc = CCS_ENOMEM;
                break;
            }
            size_t a = 0;
            for (size_t q = 0; q < bd->n_runs[j]; q++)
                for (uint32_t c = 0; c < bd->cnt[j][q]; c++, a++) {
                    ag[a].mask = bd->mask[j][q];
                    for (int d = 0; d < MAXD; d++)
                        ag[a].shift[d] = CCS_ROSTER_NONE;
                }
            for (size_t d = 0; d < D && rc == 0; d++) {
                size_t k = j * D + d, li = first[k], end = last[k];
                uint32_t left = li < end ? r->shifts[li].count : 0;
                for (a = 0; a < na && rc == 0; a++) {
                    if (!((ag[a].mask >> d) & 1u))
                        continue;
                    if (left == 0)
                        rc = CCS_ESTATE; /* fewer shifts than agents: the tour rows forbid it */
                    else
                        ag[a].shift[d] = (uint32_t)li;
                    if (rc == 0 && --left == 0 && ++li < end)
                        left = r->shifts[li].count;
                }
                if (rc == 0 && (left != 0 || li < end))
                    rc = CCS_ESTATE;
            }
            if (rc == 0) {
                qsort(ag, na, sizeof *ag, cmp_agent);
                for (a = 0; a < na && rc == 0; a++) {
                    if (a > 0 && cmp_agent(&ag[a], &ag[a - 1]) == 0) {
                        r->tours[r->n_tours - 1].count++;
                        continue;
                    }
                    rc = CCS_GROW(r->tours, cap_tours, r->n_tours + 1);
                    if (rc != 0)
                        break;
                    struct ccs_roster_tour *u = &r->tours[r->n_tours++];
                    u->group = g;
                    u->tmpl = (uint32_t)j;
                    u->days = ag[a].mask;
                    u->count = 1;
                    memcpy(u->shift, ag[a].shift, sizeof u->shift);
                }
                r->headcount[g] += (uint32_t)na;
            }
            free(ag);
        }
done:
    free(first);
    free(last);
    return rc;
}

static void build_release(struct build *bd, size_t n_templates)
{
    free(bd->sh);
    if (bd->mask != NULL)
        for (size_t j = 0; j < n_templates; j++) {
            free(bd->mask[j]);
            free(bd->cnt[j]);
        }
    free(bd->mask);
    free(bd->cnt);
    free(bd->n_runs);
}

/* Counts per interval, cost and hours from the shifts. */
static void tally(const struct ccs_roster_problem *p, struct ccs_roster *r)
{
    size_t T = p->n_intervals;
    r->cost = 0;
    r->paid_hours = 0;
    for (size_t i = 0; i < r->n_shifts; i++) {
        const struct ccs_roster_shift *s = &r->shifts[i];
        const struct ccs_roster_template *t = &p->templates[s->tmpl].t;
        r->cost += s->count * s->cost;
        r->paid_hours += s->count * s->paid_hours;
        for (uint32_t o = 0; o < s->length; o++) {
            size_t k = s->group * T + ccs__roster_slot(p, s->day, s->start, o);
            r->scheduled[k] += s->count;
            bool on_break = false;
            for (uint32_t b = 0; b < t->n_breaks && !on_break; b++)
                on_break = o >= s->breaks[b] && o < s->breaks[b] + t->breaks[b].length;
            if (!on_break)
                r->on_phone[k] += s->count;
        }
    }
}

int ccs_roster_solve(const struct ccs_roster_problem *p, const struct ccs_roster_opts *o,
                     struct ccs_roster **out, struct ccs_diag *d)
{
    if (p == NULL || o == NULL || out == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: nothing to solve");
    *out = NULL;
    if (!(o->mip_gap >= 0) || !isfinite(o->mip_gap))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "roster: gap target %g is not a finite number >= 0", o->mip_gap);
    if (isnan(o->time_limit))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: time limit is not a number");
    if (o->mip == CCS_ROSTER_MIP_CBC && !ccs__roster_cbc_available())
        return ccs_diag_at(d, CCS_EUNSUPPORTED, NULL, 0, 0, "roster: no CBC: %s",
                           ccs__roster_cbc_why());
    double t0 = now();
    double deadline = o->time_limit > 0 && isfinite(o->time_limit) ? t0 + o->time_limit
                                                                    : HUGE_VAL;
    size_t T = p->n_intervals, G = p->n_groups;
    struct ccs_roster *r = ccs_calloc(1, sizeof *r);
    struct build bd;
    struct gwork *w = NULL;
    uint32_t *comp = NULL, *reps = NULL;
    memset(&bd, 0, sizeof bd);
    if (r == NULL)
        return CCS_ENOMEM;
    r->n_groups = (uint32_t)G;
    r->n_intervals = (uint32_t)T;
    r->short_group = r->short_interval = CCS_ROSTER_NONE;
    r->solver = o->mip != CCS_ROSTER_MIP_GLPK && ccs__roster_cbc_available() ? "GLPK and CBC"
                                                                               : "GLPK";
    r->mip_gap = o->mip_gap;
    r->time_limit = deadline == HUGE_VAL ? 0 : o->time_limit;
    r->node_limit = o->node_limit;
    r->required = ccs_malloc((G * T + 1) * sizeof *r->required);
    r->scheduled = ccs_calloc(G * T + 1, sizeof *r->scheduled);
    r->on_phone = ccs_calloc(G * T + 1, sizeof *r->on_phone);
    r->headcount = ccs_calloc(G + 1, sizeof *r->headcount);
    bd.mask = ccs_calloc(p->n_templates + 1, sizeof *bd.mask);
    bd.cnt = ccs_calloc(p->n_templates + 1, sizeof *bd.cnt);
    bd.n_runs = ccs_calloc(p->n_templates + 1, sizeof *bd.n_runs);
    int rc = 0;
    if (r->required == NULL || r->scheduled == NULL || r->on_phone == NULL ||
        r->headcount == NULL || bd.mask == NULL || bd.cnt == NULL || bd.n_runs == NULL) {
        rc = CCS_ENOMEM;
        goto fail;
    }
    for (size_t g = 0; g < G; g++)
        memcpy(r->required + g * T, p->groups[g].required, T * sizeof *r->required);

    w = ccs_calloc(G + 1, sizeof *w);
    comp = ccs_malloc((G + 1) * sizeof *comp);
    reps = ccs_malloc((G + 1) * sizeof *reps);
    if (w == NULL || comp == NULL || reps == NULL) {
        rc = CCS_ENOMEM;
        goto fail;
    }
    /* the programs: groups tied by a cut with terms of several groups are
       one program (Cezik and L'Ecuyer 2008), the others one each; comp[g]
       is the first group of g's program */
    for (uint32_t g = 0; g < G; g++)
        comp[g] = g;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t c = 0; c < p->n_cuts; c++) {
            const struct ccs__roster_cut *cut = &p->cuts[c];
            uint32_t lo = UINT32_MAX;
            for (size_t i = 0; i < cut->n; i++)
                if (comp[p->term_g[cut->first + i]] < lo)
                    lo = comp[p->term_g[cut->first + i]];
            for (size_t i = 0; i < cut->n; i++) {
                uint32_t g = p->term_g[cut->first + i];
                if (comp[g] != lo) {
                    uint32_t old = comp[g];
                    for (uint32_t h = 0; h < G; h++)
                        if (comp[h] == old)
                            comp[h] = lo;
                    changed = true;
                }
            }
        }
    }
    uint32_t nprog = 0;
    for (uint32_t g = 0; g < G; g++)
        if (comp[g] == g)
            reps[nprog++] = g;
    r->n_programs = nprog;
    enum ccs_roster_status status = CCS_ROSTER_OPTIMAL;
    enum ccs_roster_stop stop = CCS_ROSTER_STOP_DONE;
    /* first every program's relaxation and first roster, the time left
       shared evenly by the programs left */
    for (uint32_t k = 0; k < nprog; k++) {
        double gdl = deadline == HUGE_VAL ? HUGE_VAL : now() + (deadline - now()) / (nprog - k);
        rc = prepare_group(p, comp, reps[k], o, gdl, &w[k], r);
        if (rc != 0)
            goto fail;
        if (w[k].res.status == CCS_ROSTER_INFEASIBLE) {
            status = CCS_ROSTER_INFEASIBLE;
            break;
        }
    }
    /* then the branch and bound of each. The gap target is of the whole
       roster: a group may use the part of it the groups before it left
       unused, and at least its own share (the first rosters' costs say how
       much that is) */
    double total = 0, later = 0, used = 0;
    bool all_started = true;
    for (uint32_t k = 0; k < nprog; k++)
        if (!w[k].done) {
            if (w[k].start != NULL)
                total += w[k].start_cost;
            else
                all_started = false;
        }
    later = total;
    for (uint32_t k = 0; k < nprog; k++) {
        struct gwork *wg = &w[k];
        if (status != CCS_ROSTER_INFEASIBLE && !wg->done) {
            double gdl = deadline == HUGE_VAL ? HUGE_VAL : now() + (deadline - now()) / (nprog - k);
            struct ccs_roster_opts og = *o;
            if (wg->start != NULL && all_started && wg->start_cost > 0) {
                later -= wg->start_cost;
                double own = o->mip_gap * wg->start_cost;
                double left = o->mip_gap * total - used - o->mip_gap * later;
                og.mip_gap = (left > own ? left : own) / wg->start_cost;
            }
            rc = finish_group(p, comp, reps[k], &og, gdl, wg, &bd, r);
            if (rc != 0)
                goto fail;
            if (wg->res.status != CCS_ROSTER_INFEASIBLE &&
                wg->res.status != CCS_ROSTER_NO_ROSTER)
                used += wg->res.cost - wg->res.bound;
        }
        struct gres *res = &wg->res;
        r->lp_bound += res->lp;
        r->bound += res->bound;
        r->nodes += res->nodes;
        r->time_limited = r->time_limited || res->timed_out;
        if (res->status > status)
            status = res->status;
        enum ccs_roster_stop gs = stop_of(res);
        if (gs > stop)
            stop = gs;
        if (status == CCS_ROSTER_INFEASIBLE) {
            stop = CCS_ROSTER_STOP_DONE;
            break;
        }
    }
    r->stop = stop;
    r->status = status;
    if (status == CCS_ROSTER_INFEASIBLE || status == CCS_ROSTER_NO_ROSTER) {
        r->lp_bound = status == CCS_ROSTER_INFEASIBLE ? HUGE_VAL : r->lp_bound;
        r->bound = r->lp_bound;
        r->gap = HUGE_VAL;
        r->cost = HUGE_VAL;
        if (status == CCS_ROSTER_NO_ROSTER && stop == CCS_ROSTER_STOP_TIME) {
            char lim[64];
            ccs_format_duration(o->time_limit, lim, sizeof lim);
            snprintf(r->reason, sizeof r->reason,
                     "the time limit of %s came before any roster was found", lim);
        } else if (status == CCS_ROSTER_NO_ROSTER) {
            snprintf(r->reason, sizeof r->reason,
                     "the first roster's node budget ran out before any roster was found");
        }
        build_release(&bd, p->n_templates);
        works_free(w, G);
        free(comp);
        free(reps);
        r->seconds = now() - t0;
        *out = r;
        return 0;
    }
    r->reason[0] = '\0';
    qsort(bd.sh, bd.n_sh, sizeof *bd.sh, cmp_shift);
    r->shifts = bd.sh;
    r->n_shifts = bd.n_sh;
    bd.sh = NULL;
    rc = make_tours(p, &bd, r);
    if (rc != 0)
        goto fail;
    tally(p, r); /* the cost of the shifts themselves, not GLPK's sum of its own */
    if (r->bound > r->cost)
        r->bound = r->cost;
    r->gap = r->cost > 0 ? (r->cost - r->bound) / r->cost : 0;
    if (r->status == CCS_ROSTER_OPTIMAL)
        r->gap = 0;
    /* groups stopped by their node limit may still add up to a roster
       within the gap target: say so (the target is of the whole roster) */
    if (r->status == CCS_ROSTER_LIMIT && r->gap <= o->mip_gap)
        r->status = CCS_ROSTER_GAP;
    build_release(&bd, p->n_templates);
    works_free(w, G);
    free(comp);
    free(reps);
    r->seconds = now() - t0;
    *out = r;
    return 0;
fail:
    build_release(&bd, p->n_templates);
    works_free(w, G);
    free(comp);
    free(reps);
    ccs_roster_free(r);
    if (rc == CCS_ESTATE)
        return ccs_diag_at(d, rc, NULL, 0, 0,
                           "roster: the solver's answer does not decompose into shifts "
                           "(a bug)");
    return rc;
}
