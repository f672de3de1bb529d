/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staffing.c - who is logged in when. A group has a constant head count, a
 * staffing plan (agents per step), or shifts with breaks; agents may miss a
 * day (absenteeism). A break or a shift end that comes while an agent is
 * busy waits until its contacts end: the break slides (keeping its length),
 * time past the shift end is overtime. docs/staffing.md states the rules.
 *
 * Absences are not drawn from a shared stream but hashed from (seed,
 * replication, group, agent, day): agent i is absent on the same days in
 * every variant, however the variants differ. Breaks are staggered: the
 * agents of a shift take each break at evenly spaced moments of its window.
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "core/rng.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <math.h>

#define GROUP_EVENT 0x80000000u /* obj of a plan event: the group index with this bit */

/*
 * Staffing actions, in the low 4 bits of an event's gen; above them the
 * break index (ACT_BREAK) or the agent's break number (ACT_BREAK_END: a break
 * cut short by the end of the shift must not end a later break).
 */
enum { ACT_LOGIN, ACT_BREAK, ACT_BREAK_END, ACT_LOGOUT };

static uint32_t pack(uint32_t act, uint32_t arg)
{
    return (arg << 4) | act;
}

/* A uniform in [0, 1) fixed by (run, group, agent, day, what). */
static double hash_u01(const struct ccs_sim *sim, uint32_t g, uint32_t a, double day, uint32_t what)
{
    uint64_t h = ccs__stream_seed(sim->seed, sim->rep,
                                  ccs__stream_id("staffing", sim->sc->groups[g].id));
    h = ccs__mix64(h ^ ((uint64_t)a * 0x9e3779b97f4a7c15ULL));
    h = ccs__mix64(h ^ (uint64_t)(int64_t)day);
    h = ccs__mix64(h ^ what);
    return (double)(h >> 11) * 0x1.0p-53;
}

static double day_of(const struct ccs_sim *sim, double t)
{
    return floor((t + sim->sc->start_time) / CCS_DAY);
}

static bool absent(const struct ccs_sim *sim, uint32_t g, uint32_t a, double day)
{
    double p = sim->sc->groups[g].absenteeism;
    return p > 0 && hash_u01(sim, g, a, day, 0) < p;
}

static void note_absence(struct ccs_sim *sim, uint32_t g)
{
    if (sim->now >= sim->stat_start)
        sim->absences[g]++;
}

/* --- agent transitions --------------------------------------------------------- */

/* Agent a becomes present (logs in, back from break) or stops being present:
   keep its present time, which policies read as the base of its occupancy. */
static void presence(struct ccs_sim *sim, struct ccs_agent *ag, bool present)
{
    if (present && !(ag->present_since >= 0)) {
        ag->present_since = sim->now;
    } else if (!present && ag->present_since >= 0) {
        ag->login_time += sim->now - ag->present_since;
        ag->present_since = NAN;
    }
}

static void log_in(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *G = &sim->groups[ag->group];
    if (ag->pending & CCS_AP_LOGOUT) {
        /* back before it had left: the logout is cancelled */
        ccs__acc_group_advance(sim, ag->group);
        ag->pending &= (uint8_t)~CCS_AP_LOGOUT;
        if (sim->now >= ccs__ax(sim, ag)->shift_end && G->n_overtime > 0)
            G->n_overtime--;
        ccs__agent_offer(sim, a);
        return;
    }
    if (ag->state != CCS_A_ABSENT)
        return;
    ccs__acc_group_advance(sim, ag->group);
    ag->state = CCS_A_IDLE;
    G->n_present++;
    presence(sim, ag, true);
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "login");
    ccs__agent_offer(sim, a);
}

/* The agent leaves now (it holds no contact). */
static void leave(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *G = &sim->groups[ag->group];
    ccs__acc_group_advance(sim, ag->group);
    if (ag->available)
        ccs__avail_remove(sim, a);
    if (ag->state == CCS_A_BREAK)
        G->n_break--;
    else if (ag->state != CCS_A_ABSENT)
        G->n_present--;
    if ((ag->pending & CCS_AP_LOGOUT) && sim->now > ccs__ax(sim, ag)->shift_end && G->n_overtime > 0)
        G->n_overtime--;
    ag->state = CCS_A_ABSENT;
    ag->pending = 0;
    presence(sim, ag, false);
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "logout");
}

static void log_out(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    if (ag->state == CCS_A_ABSENT || (ag->pending & CCS_AP_LOGOUT))
        return;
    if (ag->load == 0) {
        leave(sim, a);
        return;
    }
    /* busy: finish the contacts first, in overtime */
    ccs__acc_group_advance(sim, ag->group);
    if (ag->available)
        ccs__avail_remove(sim, a);
    ag->pending = CCS_AP_LOGOUT;
    if (sim->now >= ccs__ax(sim, ag)->shift_end)
        sim->groups[ag->group].n_overtime++;
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "logout waits for its contact (overtime)");
}

static void break_begin(struct ccs_sim *sim, uint32_t a, double length)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *G = &sim->groups[ag->group];
    ccs__acc_group_advance(sim, ag->group);
    if (ag->available)
        ccs__avail_remove(sim, a);
    ag->state = CCS_A_BREAK;
    ag->pending = 0;
    ccs__ax(sim, ag)->staff_gen++;
    presence(sim, ag, false);
    G->n_present--;
    G->n_break++;
    ccs__push(sim, sim->now + length, CCS_EV_STAFF, a,
              pack(ACT_BREAK_END, ccs__ax(sim, ag)->staff_gen));
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "break");
}

static void break_due(struct ccs_sim *sim, uint32_t a, double length)
{
    struct ccs_agent *ag = &sim->agents[a];
    if (ag->state == CCS_A_ABSENT || ag->state == CCS_A_BREAK || (ag->pending & CCS_AP_LOGOUT))
        return;
    if (ag->load == 0) {
        break_begin(sim, a, length);
        return;
    }
    if (ag->available)
        ccs__avail_remove(sim, a);
    ag->pending |= CCS_AP_BREAK;
    ccs__ax(sim, ag)->pending_break = length;
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "break slides until its contact ends");
}

static void break_end(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *G = &sim->groups[ag->group];
    ccs__acc_group_advance(sim, ag->group);
    ag->state = CCS_A_IDLE;
    G->n_break--;
    G->n_present++;
    presence(sim, ag, true);
    CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "back from break");
    ccs__agent_offer(sim, a);
}

bool ccs__staff_freed(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    if (ag->pending == 0)
        return false;
    if (ag->load > 0)
        return true; /* still draining its other contacts */
    if (ag->pending & CCS_AP_LOGOUT)
        leave(sim, a);
    else
        break_begin(sim, a, ccs__ax(sim, ag)->pending_break);
    return true;
}

void ccs__staff_login(struct ccs_sim *sim, uint32_t a)
{
    log_in(sim, a);
}

void ccs__staff_logout(struct ccs_sim *sim, uint32_t a)
{
    log_out(sim, a);
}

/* --- shifts -------------------------------------------------------------------- */

/* Start of shift sh on calendar day d, in run time. */
static double shift_start(const struct ccs_sim *sim, const struct ccs_shift_def *sh, double d)
{
    return d * CCS_DAY + sh->start - sim->sc->start_time;
}

static bool works_on(const struct ccs_sim *sim, const struct ccs_shift_def *sh, double d)
{
    int wd = (int)fmod(fmod(d + sim->sc->start_day, 7.0) + 7.0, 7.0);
    return (sh->days_mask >> wd) & 1u;
}

/* Schedule agent a's next shift day, from day d on. */
static void next_shift(struct ccs_sim *sim, uint32_t a, double d)
{
    struct ccs_agent *ag = &sim->agents[a];
    const struct ccs_shift_def *sh = &sim->sc->groups[ag->group].shifts[ag->shift];
    for (;; d += 1.0) {
        double t = shift_start(sim, sh, d);
        if (t >= sim->sc->horizon)
            return;
        if (t + sh->length > 0 && works_on(sim, sh, d))
            break;
    }
    ccs__ax(sim, ag)->shift_day = d;
    double t = shift_start(sim, sh, d);
    ccs__push(sim, t > 0 ? t : 0, CCS_EV_STAFF, a, pack(ACT_LOGIN, 0));
}

static void shift_login(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    uint32_t g = ag->group;
    const struct ccs_shift_def *sh = &sim->sc->groups[g].shifts[ag->shift];
    double d = ccs__ax(sim, ag)->shift_day, t0 = shift_start(sim, sh, d);
    next_shift(sim, a, d + 1.0);
    if (absent(sim, g, a, d)) {
        note_absence(sim, g);
        CCS_TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "absent today");
        return;
    }
    ccs__ax(sim, ag)->shift_end = t0 + sh->length;
    log_in(sim, a);
    /* breaks: the shift's agents spread evenly over each break's window */
    uint32_t k = a - sim->groups[g].first_agent;
    for (uint32_t s = 0; s < ag->shift; s++)
        k -= sim->sc->groups[g].shifts[s].agents;
    double slot = (k + 0.5) / sh->agents;
    for (size_t j = 0; j < sh->n_breaks; j++) {
        const struct ccs_break_def *b = &sh->breaks[j];
        double at = t0 + b->after + (b->latest - b->after) * slot;
        if (at >= sim->now && at < ccs__ax(sim, ag)->shift_end)
            ccs__push(sim, at, CCS_EV_STAFF, a, pack(ACT_BREAK, (uint32_t)j));
    }
    ccs__push(sim, ccs__ax(sim, ag)->shift_end, CCS_EV_STAFF, a, pack(ACT_LOGOUT, 0));
}

/* --- plans (and constant head counts with absenteeism) ------------------------- */

static double plan_target(const struct ccs_sim *sim, uint32_t g, double k)
{
    const struct ccs_group_def *gd = &sim->sc->groups[g];
    if (gd->plan == NULL)
        return gd->agents;
    return gd->plan[(size_t)fmod(k, (double)gd->n_plan)];
}

/* Bring group g to its target for now: the first n agents, less absentees. */
static void plan_apply(struct ccs_sim *sim, uint32_t g)
{
    const struct ccs_group_def *gd = &sim->sc->groups[g];
    const struct ccs_group *G = &sim->groups[g];
    double k = gd->plan != NULL ? floor(sim->now / gd->plan_step) : 0;
    double n = plan_target(sim, g, k), day = day_of(sim, sim->now);
    bool new_day = day != sim->plan_day[g];
    sim->plan_day[g] = day;
    for (uint32_t i = 0; i < G->n_agents; i++) {
        uint32_t a = G->first_agent + i;
        struct ccs_agent *ag = &sim->agents[a];
        bool on = i < n;
        if (on && absent(sim, g, a, day)) {
            if (new_day)
                note_absence(sim, g);
            on = false;
        }
        ccs__ax(sim, ag)->shift_end = on ? INFINITY : sim->now;
        if (on)
            log_in(sim, a);
        else
            log_out(sim, a);
    }
}

/* When the plan of group g next changes: a step end, or a day start (absences). */
static void plan_next(struct ccs_sim *sim, uint32_t g)
{
    const struct ccs_group_def *gd = &sim->sc->groups[g];
    double t = INFINITY;
    if (gd->plan != NULL)
        t = (floor(sim->now / gd->plan_step) + 1.0) * gd->plan_step;
    if (gd->absenteeism > 0) {
        double day_start = (day_of(sim, sim->now) + 1.0) * CCS_DAY - sim->sc->start_time;
        if (day_start < t)
            t = day_start;
    }
    if (t < sim->sc->horizon)
        ccs__push(sim, t, CCS_EV_STAFF, GROUP_EVENT | g, 0);
}

/* --- the event and the start ----------------------------------------------------- */

void ccs__staff_event(struct ccs_sim *sim, uint32_t obj, uint32_t gen)
{
    if (obj & GROUP_EVENT) {
        uint32_t g = obj & ~GROUP_EVENT;
        if (sim->live != NULL && ccs__live_holds(sim, g))
            return; /* held by a live change: the plan no longer applies */
        plan_apply(sim, g);
        plan_next(sim, g);
        return;
    }
    struct ccs_agent *ag = &sim->agents[obj];
    if (sim->live != NULL && (gen & 0xfu) != ACT_BREAK_END && ccs__live_holds(sim, ag->group))
        return; /* held by a live change: shifts no longer apply, breaks in progress end */
    const struct ccs_shift_def *sh = &sim->sc->groups[ag->group].shifts[ag->shift];
    switch (gen & 0xfu) {
    case ACT_LOGIN:
        shift_login(sim, obj);
        break;
    case ACT_BREAK:
        break_due(sim, obj, sh->breaks[gen >> 4].length);
        break;
    case ACT_BREAK_END:
        if (ag->state == CCS_A_BREAK && (gen >> 4) == ccs__ax(sim, ag)->staff_gen)
            break_end(sim, obj);
        break;
    case ACT_LOGOUT:
        log_out(sim, obj);
        break;
    default:
        break;
    }
}

int ccs__staff_init(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    sim->plan_day = ccs_malloc((sc->n_groups + 1) * sizeof *sim->plan_day);
    sim->absences = ccs_calloc(sc->n_groups + 1, sizeof *sim->absences);
    if (sim->plan_day == NULL || sim->absences == NULL)
        return CCS_ENOMEM;
    for (uint32_t g = 0; g < sc->n_groups; g++)
        sim->plan_day[g] = -INFINITY;
    return 0;
}

void ccs__staff_start(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    for (uint32_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        const struct ccs_group *G = &sim->groups[g];
        if (gd->n_shifts > 0) {
            uint32_t a = G->first_agent;
            for (uint32_t s = 0; s < gd->n_shifts; s++)
                for (uint32_t j = 0; j < gd->shifts[s].agents; j++, a++) {
                    sim->agents[a].shift = s;
                    sim->ax[a].shift_end = -INFINITY;
                    next_shift(sim, a, day_of(sim, 0) - 1.0);
                }
            continue;
        }
        plan_apply(sim, g);
        plan_next(sim, g);
    }
}

void ccs__staff_release(struct ccs_sim *sim)
{
    free(sim->plan_day);
    free(sim->absences);
}
