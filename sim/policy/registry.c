/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * registry.c - the built-in routing policies, by name. Adding a policy is
 * one file in sim/policy/ and one line here; the conformance suite
 * (tests/unit/test_policy_conformance.c) then runs it automatically.
 */
#include "ccs/policies.h"

#include <string.h>

extern const struct ccs_policy_ops ccs_policy_acd;
extern const struct ccs_policy_ops ccs_policy_skills;
extern const struct ccs_policy_ops ccs_policy_predictive_sla;
extern const struct ccs_policy_ops ccs_policy_blended;
extern const struct ccs_policy_ops ccs_policy_oldest_first;

const struct ccs_policy_ops *const ccs_policies[] = {
    &ccs_policy_acd,
    &ccs_policy_skills,
    &ccs_policy_predictive_sla,
    &ccs_policy_blended,
    &ccs_policy_oldest_first,
    NULL,
};

const struct ccs_policy_ops *ccs_policy_find(const char *name)
{
    for (size_t i = 0; ccs_policies[i] != NULL; i++)
        if (strcmp(ccs_policies[i]->name, name) == 0)
            return ccs_policies[i];
    return NULL;
}
