/* cmd_erlang.c - placeholder until the command lands. */
#include "cmd.h"

#include <stdio.h>

static int cmd_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ccsim erlang: not implemented yet\n");
    return CCS_EXIT_FAIL;
}

const struct ccs_command ccs_cmd_erlang = {"erlang", "(not implemented yet)", "ccsim erlang: not implemented yet\n", cmd_main};
