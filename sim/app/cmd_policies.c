/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_policies.c - `ccsim policies [NAME]`: the routing policies of the
 * registry, each with its summary and parameters (docs/routing.md explains
 * each rule in full).
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: ccsim policies [NAME]\n"
    "\n"
    "List the routing policies a scenario may name in 'routing: {policy: NAME}',\n"
    "with a one-line summary and their parameters (keys of the routing block).\n"
    "With NAME, describe that policy only. docs/routing.md states each rule.\n"
    "\n"
    "Exit status: 0 ok, 2 unknown policy or bad usage.\n";

/* Print one policy: its name and summary, then one indented line per parameter. */
static void describe(const struct ccs_policy_ops *p)
{
    printf("%-16s %s\n", p->name, p->summary);
    printf("%-16s %s\n", "", (p->flags & CCS_POLICY_WORK_CONSERVING)
                                 ? "work-conserving: never leaves an agent idle while a contact "
                                   "it may serve (by this rule) waits"
                                 : "may keep agents idle while contacts wait");
    const char *s = p->params_help != NULL ? p->params_help : "(none)\n";
    printf("%-16s parameters:\n", "");
    while (*s != '\0') {
        /* "name: type, default; meaning" -> the meaning on a line of its own */
        size_t n = strcspn(s, "\n");
        const char *semi = strstr(s, "; ");
        if (s[0] != '(' && semi != NULL && semi < s + n) {
            printf("%-16s   %.*s\n", "", (int)(semi - s), s);
            printf("%-16s       %.*s\n", "", (int)(s + n - semi - 2), semi + 2);
        } else {
            printf("%-16s   %.*s\n", "", (int)n, s);
        }
        s += n;
        if (*s == '\n')
            s++;
    }
}

static int cmd_main(int argc, char **argv)
{
    const struct ccs_cli_spec spec = {0, NULL, "NAME", 0, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, "policies", &spec, argc, argv);
    const char *name = rc == 0 && cli.n_operands == 1 ? cli.operands[0] : NULL;
    if (rc == 0 && name != NULL && ccs_policy_find(name) == NULL) {
        char known[512];
        ccs_cli_policy_names(known, sizeof known);
        rc = ccs_cli_usage(&cli, "unknown routing policy '%s' (known: %s)", name, known);
    }
    ccs_cli_release(&cli);
    if (rc != 0)
        return rc;
    if (name != NULL) {
        describe(ccs_policy_find(name));
        return fflush(stdout) == 0 ? CCS_EXIT_OK : CCS_EXIT_FAIL;
    }
    printf("Routing policies (scenario: routing: {policy: NAME, PARAMETER: VALUE, ...}):\n");
    for (size_t i = 0; ccs_policies[i] != NULL; i++) {
        printf("\n");
        describe(ccs_policies[i]);
    }
    printf("\nSee docs/routing.md for the exact rule of each.\n");
    return fflush(stdout) == 0 ? CCS_EXIT_OK : CCS_EXIT_FAIL;
}

const struct ccs_command ccs_cmd_policies = {"policies", "list the routing policies and their parameters",
                                             help, cmd_main};
