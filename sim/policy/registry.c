/*
 * registry.c - the built-in routing policies, by name. Adding a policy is
 * one file in sim/policy/ and one line here.
 */
#include "ccs/policy.h"

#include <string.h>

extern const struct ccs_policy_ops ccs_policy_acd;

const struct ccs_policy_ops *const ccs_policies[] = {
    &ccs_policy_acd,
    NULL,
};

const struct ccs_policy_ops *ccs_policy_find(const char *name)
{
    for (size_t i = 0; ccs_policies[i] != NULL; i++)
        if (strcmp(ccs_policies[i]->name, name) == 0)
            return ccs_policies[i];
    return NULL;
}
