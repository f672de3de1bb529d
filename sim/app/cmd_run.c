/* cmd_run.c - placeholder until the command lands. */
#include "cmd.h"

#include <stdio.h>

static int cmd_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ccsim run: not implemented yet\n");
    return CCS_EXIT_FAIL;
}

const struct ccs_command ccs_cmd_run = {"run", "(not implemented yet)", "ccsim run: not implemented yet\n", cmd_main};
