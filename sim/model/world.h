/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * world.h - the static structure of a simulated center (world.c): what the
 * engine builds its simulation on, and what a loader needs to let a policy
 * validate its parameters without building a whole simulation.
 */
#ifndef CCS_MODEL_WORLD_H
#define CCS_MODEL_WORLD_H

#include "ccs/policy.h"
#include "model/scenario.h"

struct ccs__world {
    struct ccs_view view;  /* wired to the arrays below; no contacts */
    struct ccs_queue *queues;
    struct ccs_line *lines;      /* 64-byte aligned, as groups and agents */
    struct ccs_group *groups;
    void *lines_raw, *groups_raw; /* the allocations behind them */
    struct ccs_agent *agents;    /* all absent; 64-byte aligned */
    void *agents_raw;            /* the allocation behind agents */
    int16_t *skill_table;        /* behind view.skill_table, skill_refs, skill_first */
    struct ccs_skill_ref *skill_refs;
    uint32_t *skill_first;
    uint32_t *queue_groups;      /* storage behind queues[].groups / group_skill */
    double *mean_hold;           /* the predictor's starting holding times */
};

/* Build the world of sc. Returns 0 or CCS_ENOMEM (w then holds nothing). */
int ccs__world_build(const struct ccs_scenario *sc, struct ccs__world *w);

/* Free the arrays (unless their ownership moved, as to a simulation). */
void ccs__world_release(struct ccs__world *w);

/* Let sc's policy parse and validate its parameters against sc's world:
   its init, then its destroy. Returns 0 or the init's error (in d). */
int ccs__policy_check(const struct ccs_scenario *sc, struct ccs_diag *d);

#endif
