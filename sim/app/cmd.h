/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd.h - the ccsim subcommands. Each lives in its own cmd_NAME.c and
 * returns the process exit status: 0 success, 1 run-time failure (e.g. an
 * output could not be written), 2 bad usage or bad input.
 */
#ifndef CCS_APP_CMD_H
#define CCS_APP_CMD_H

enum { CCS_EXIT_OK = 0, CCS_EXIT_FAIL = 1, CCS_EXIT_USAGE = 2 };

struct ccs_command {
    const char *name;
    const char *summary;              /* one line for `ccsim --help` */
    const char *help;                 /* full text for `ccsim help NAME` */
    int (*main)(int argc, char **argv); /* argv[0] is the command name */
};

/* The table, NULL-terminated by name (defined in main.c). */
extern const struct ccs_command *const ccs_commands[];

#define CCS_DECLARE_COMMAND(id) extern const struct ccs_command ccs_cmd_##id
CCS_DECLARE_COMMAND(compare);
CCS_DECLARE_COMMAND(run);
CCS_DECLARE_COMMAND(erlang);
CCS_DECLARE_COMMAND(staff);
CCS_DECLARE_COMMAND(schedule);
CCS_DECLARE_COMMAND(sweep);
CCS_DECLARE_COMMAND(policies);
CCS_DECLARE_COMMAND(plot);
CCS_DECLARE_COMMAND(watch);
CCS_DECLARE_COMMAND(fit);
CCS_DECLARE_COMMAND(backtest);
#ifdef CCS_HAVE_SERVE
CCS_DECLARE_COMMAND(serve); /* sim/serve/ (libmicrohttpd) */
#endif

/* Print a charting notice as one line "ccsim CMD: MSG" on stderr, for
   ccs_plot_opts.note with note_ctx the command's name (defined in cmd_plot.c). */
void ccs_app_plot_note(void *ctx, const char *msg);

/*
 * The command's messages on stderr, each beginning "ccsim NAME: " with the
 * command's one spelling of its name (NULL: "ccsim: ").
 * ccs_app_usage_error: "ccsim NAME: error: MSG" and "Try 'ccsim help NAME'.";
 * returns CCS_EXIT_USAGE. ccs_app_fail: "ccsim NAME: error: MSG", a run-time
 * failure; returns CCS_EXIT_FAIL. ccs_app_say: "ccsim NAME: MSG", a note,
 * warning or progress line (MSG begins "note: " or "warning: " when it is one).
 */
#if defined(__GNUC__)
#define CCS_APP_PRINTF __attribute__((format(printf, 2, 3)))
#else
#define CCS_APP_PRINTF
#endif
int ccs_app_usage_error(const char *cmd, const char *fmt, ...) CCS_APP_PRINTF;
int ccs_app_fail(const char *cmd, const char *fmt, ...) CCS_APP_PRINTF;
void ccs_app_say(const char *cmd, const char *fmt, ...) CCS_APP_PRINTF;

#endif
