/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_erlang.c - `ccsim erlang`: the exact Erlang B / C / A and M/M/c/K(+M)
 * calculator. Parses options with units, calls ccs_erlang_solve for each
 * agent count (and ccs_staff_erlang for --target), prints a table or JSON.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "erlang"
#define MAX_ROWS 10000
#define MAX_AGENTS 1000000

static const char help_text[] =
    "usage: ccsim erlang --rate RATE --aht DURATION (--agents N[..M] | --target SL) [OPTIONS]\n"
    "\n"
    "Exact steady-state KPIs of one queue served by c agents, with Poisson\n"
    "arrivals and exponential handle times:\n"
    "  ErlangB  no waiting room: calls finding all agents busy are lost\n"
    "  ErlangC  unlimited waiting room, patient callers\n"
    "  ErlangA  unlimited waiting room, exponential patience (--patience)\n"
    "  MMcK     finite waiting room (--waiting-room N), patient callers\n"
    "  MMcK+M   finite waiting room and exponential patience\n"
    "\n"
    "Options:\n"
    "  --rate RATE            arrival rate, e.g. 95/min or 5700/h (required)\n"
    "  --aht DURATION         mean handle time, e.g. 1m or 180s (required)\n"
    "  --agents N | A..B      agents; a range prints one row per value\n"
    "  --patience DURATION    mean patience (exponential); default: none\n"
    "  --waiting-room N       waiting places: 0 = Erlang B; default unlimited\n"
    "  --within DURATION      service-level threshold t (default 20s)\n"
    "  --target SL            service-level target, e.g. 80%: also report the\n"
    "                         fewest agents meeting it (needs an unlimited room)\n"
    "  --max-occupancy OCC    occupancy cap for --target, e.g. 85% (default 100%)\n"
    "  --answered             --target applies to sl_answered, not service_level\n"
    "  --all                  table: every KPI, not only the main ones\n"
    "  --json                 print JSON instead of the table\n"
    "  -h, --help             show this help\n"
    "\n"
    "KPIs, per offered call unless stated; durations in seconds:\n"
    "  block_rate           P(blocked: no waiting place free)\n"
    "  p_wait               P(admitted and had to wait)\n"
    "  abandon_rate         P(abandoned)\n"
    "  p_ab_within          P(abandoned after waiting <= t)\n"
    "  service_level        answered within t / offered (calls answered at once count)\n"
    "  sl_answered          answered within t / answered\n"
    "  sl_no_short_ab       answered within t / (offered - abandoned within t)\n"
    "  sl_handled           answered within t / (answered + abandoned after t)\n"
    "  sl_all               P(min(wait, patience) <= t | admitted)\n"
    "  p_virtual_le_t       P(virtual wait <= t | admitted)\n"
    "  asa                  mean wait of answered calls\n"
    "  mean_wait            mean wait of admitted calls, abandoners included\n"
    "  mean_wait_abandoned  mean wait of abandoners\n"
    "  queue_length, in_system  mean number waiting / present\n"
    "  occupancy            mean fraction of agents busy\n"
    "\n"
    "JSON: {\"model\": NAME, \"inputs\": {\"rate_per_s\", \"aht_s\", \"patience_s\",\n"
    "\"waiting_room\", \"within_s\", \"offered_load\", \"target\", \"max_occupancy\",\n"
    "\"answered\"}, \"results\": [{\"agents\": N, \"stable\": B, KPI: value, ...}],\n"
    "\"required_agents\": N}\n"
    "with null for what does not apply (no patience, unlimited room, no target).\n"
    "In a range, agent counts too few for a stable Erlang C queue get \"stable\":\n"
    "false and null KPIs (the table marks them 'unstable').\n"
    "\n"
    "Exit status: 0 ok, 1 output failed, 2 bad usage, bad value or an unstable\n"
    "system (rho >= 1 with no abandonment and no waiting-room limit).\n"
    "\n"
    "Examples:\n"
    "  ccsim erlang --rate 95/min --aht 1m --agents 100 --patience 2m --within 20s\n"
    "  ccsim erlang --rate 5700/h --aht 1m --agents 95..105 --target 80% --json\n";

struct opts {
    double rate, aht, patience, within, target, max_occ;
    long room; /* -1 unlimited */
    long agents_lo, agents_hi;
    bool have_rate, have_aht, have_patience, have_agents, have_target, have_room;
    bool answered, all, json;
};

/* Every KPI column: id, field, and whether it is a duration. */
struct column {
    const char *id;
    size_t offset;
    bool duration;
};

#define COL(id, field, dur) {id, offsetof(struct ccs_erlang_result, field), dur}
static const struct column columns[] = {
    COL("block_rate", block_rate, false),
    COL("p_wait", p_wait, false),
    COL("abandon_rate", abandon_rate, false),
    COL("p_ab_within", p_ab_within, false),
    COL("service_level", sl_offered, false),
    COL("sl_answered", sl_answered, false),
    COL("sl_no_short_ab", sl_no_short_ab, false),
    COL("sl_handled", sl_handled, false),
    COL("sl_all", sl_all, false),
    COL("p_virtual_le_t", p_virtual_le_t, false),
    COL("asa", asa, true),
    COL("mean_wait", mean_wait, true),
    COL("mean_wait_abandoned", mean_wait_abandoned, true),
    COL("queue_length", queue_length, false),
    COL("in_system", in_system, false),
    COL("occupancy", occupancy, false),
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

static double field_of(const struct ccs_erlang_result *r, const struct column *c)
{
    return *(const double *)((const char *)r + c->offset);
}

/* The main columns for a model: those that can differ from a neighbour. */
static bool column_shown(const struct column *c, const struct opts *o)
{
    if (o->all)
        return true;
    bool loss = o->room == 0, finite = o->room > 0, abandon = o->patience > 0 && !loss;
    const char *id = c->id;
    if (strcmp(id, "block_rate") == 0)
        return loss || finite;
    if (strcmp(id, "p_wait") == 0 || strcmp(id, "asa") == 0 || strcmp(id, "queue_length") == 0)
        return !loss;
    if (strcmp(id, "abandon_rate") == 0 || strcmp(id, "mean_wait") == 0 ||
        strcmp(id, "mean_wait_abandoned") == 0)
        return abandon;
    if (strcmp(id, "sl_answered") == 0)
        return abandon || finite;
    return strcmp(id, "service_level") == 0 || strcmp(id, "occupancy") == 0;
}

static const char *model_long_name(const char *name)
{
    static const struct {
        const char *name, *kendall;
    } names[] = {{"ErlangB", "M/M/c/c"},
                 {"ErlangC", "M/M/c"},
                 {"ErlangA", "M/M/c+M"},
                 {"MMcK", "M/M/c/K"},
                 {"MMcK+M", "M/M/c/K+M"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].kendall;
    return "?";
}

/* --agents N or A..B (a custom parser of the option table). */
static int parse_agents(void *dest, const char *arg, char *why, size_t cap)
{
    struct opts *o = dest;
    const char *dots = strstr(arg, "..");
    const char *w = NULL;
    long long lo, hi;
    if (dots == NULL) {
        if (ccs_parse_int(arg, &lo, &w) != 0) {
            snprintf(why, cap, "%s", w);
            return -1;
        }
        hi = lo;
    } else {
        char lo_s[64], hi_s[64];
        size_t n = (size_t)(dots - arg);
        bool ok = n < sizeof lo_s && strlen(dots + 2) < sizeof hi_s;
        if (ok) {
            memcpy(lo_s, arg, n);
            lo_s[n] = '\0';
            strcpy(hi_s, dots + 2);
            ok = ccs_parse_int(lo_s, &lo, &w) == 0 && ccs_parse_int(hi_s, &hi, &w) == 0;
        }
        if (!ok) {
            snprintf(why, cap, "expected N or a range such as 95..105");
            return -1;
        }
    }
    if (lo < 1 || hi > MAX_AGENTS)
        snprintf(why, cap, "agents must lie between 1 and 1000000");
    else if (hi < lo)
        snprintf(why, cap, "the range must not decrease");
    else if (hi - lo >= MAX_ROWS)
        snprintf(why, cap, "at most 10000 rows");
    else {
        o->agents_lo = (long)lo;
        o->agents_hi = (long)hi;
        return 0;
    }
    return -1;
}

/* --waiting-room N or 'unlimited'. */
static int parse_room(void *dest, const char *arg, char *why, size_t cap)
{
    struct opts *o = dest;
    long long v;
    const char *w = NULL;
    if (strcmp(arg, "unlimited") == 0 || strcmp(arg, "inf") == 0) {
        o->room = -1;
        return 0;
    }
    if (ccs_parse_int(arg, &v, &w) != 0) {
        snprintf(why, cap, "%s", w);
        return -1;
    }
    if (v < 0) {
        snprintf(why, cap, "must be 0 or more (or 'unlimited')");
        return -1;
    }
    o->room = (long)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o, struct ccs_cli *cli)
{
    *o = (struct opts){.within = 20, .max_occ = 1, .room = -1};
    const struct ccs_cli_opt table[] = {
        {.name = "rate", .type = CCS_CLI_RATE, .dest = &o->rate, .seen = &o->have_rate,
         .max = INFINITY, .flags = CCS_CLI_ABOVE_MIN, .want = "a positive rate such as 95/min"},
        {.name = "aht", .type = CCS_CLI_DURATION, .dest = &o->aht, .seen = &o->have_aht,
         .max = INFINITY, .flags = CCS_CLI_ABOVE_MIN, .want = "a positive duration such as 3m"},
        {.name = "agents", .type = CCS_CLI_CUSTOM, .dest = o, .seen = &o->have_agents,
         .parse = parse_agents},
        {.name = "patience", .type = CCS_CLI_DURATION, .dest = &o->patience,
         .seen = &o->have_patience, .max = INFINITY, .flags = CCS_CLI_ABOVE_MIN,
         .want = "a positive duration such as 2m"},
        {.name = "waiting-room", .type = CCS_CLI_CUSTOM, .dest = o, .seen = &o->have_room,
         .parse = parse_room},
        {.name = "within", .type = CCS_CLI_DURATION, .dest = &o->within, .max = INFINITY,
         .want = "a duration of 0s or more such as 20s"},
        {.name = "target", .type = CCS_CLI_FRACTION, .dest = &o->target, .seen = &o->have_target},
        {.name = "max-occupancy", .type = CCS_CLI_FRACTION, .dest = &o->max_occ, .max = 1,
         .flags = CCS_CLI_ABOVE_MIN, .want = "a percentage above 0%"},
        {.name = "answered", .type = CCS_CLI_FLAG, .dest = &o->answered},
        {.name = "all", .type = CCS_CLI_FLAG, .dest = &o->all},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_JSON, table, NULL, 0, 0};
    int rc = ccs_cli_parse(cli, CMD, &spec, argc, argv);
    o->json = cli->json;
    if (rc != 0)
        return rc;
    if (!o->have_rate)
        return ccs_cli_usage(cli, "--rate is required (e.g. --rate 95/min)");
    if (!o->have_aht)
        return ccs_cli_usage(cli, "--aht is required (e.g. --aht 3m)");
    if (!o->have_agents && !o->have_target)
        return ccs_cli_usage(cli, "give --agents N (or a range A..B), or --target");
    if (o->have_target && o->room >= 0)
        return ccs_cli_usage(cli, "--target staffs by Erlang C or A: it needs an unlimited "
                                  "waiting room");
    return 0;
}

static struct ccs_erlang_model model_for(const struct opts *o, long agents)
{
    struct ccs_erlang_model m = {o->rate, 1.0 / o->aht, (int)agents,
                                 o->have_patience ? 1.0 / o->patience : 0.0, o->room, o->within};
    return m;
}

static int unstable_error(const struct opts *o, long agents)
{
    double a = o->rate * o->aht;
    return ccs_app_usage_error(CMD,
                               "rho >= 1 with no abandonment: the queue grows without bound "
                               "(%ld agents for %.6g Erlangs; use more than %.6g agents, "
                               "--patience or --waiting-room)",
                               agents, a, floor(a));
}

/*
 * Solve one row; returns 0 or the exit status of the error printed. An
 * unstable Erlang C row is not an error here (*unstable is set, r is NaN):
 * a range around the load may start below it.
 */
static int solve_row(const struct opts *o, long agents, struct ccs_erlang_result *r,
                     bool *unstable)
{
    struct ccs_erlang_model m = model_for(o, agents);
    int rc = ccs_erlang_solve(&m, r);
    *unstable = false;
    if (rc == 0)
        return 0;
    if (rc == CCS_ERANGE && m.theta == 0 && m.queue_max < 0) {
        *unstable = true;
        return 0;
    }
    if (rc == CCS_ERANGE)
        return ccs_app_usage_error(CMD, "%ld agents: so overloaded with so little abandonment "
                                        "that the queue is astronomically long; no exact "
                                        "solution computed", agents);
    return ccs_app_usage_error(CMD, "%ld agents: %s", agents, ccs_strerror(rc));
}

/* A number as in every ccsim JSON file (10 significant digits), null when undefined. */
static void json_number(FILE *f, double v)
{
    char num[32];
    ccs_format_number(v, num, sizeof num);
    fputs(num[0] != '\0' ? num : "null", f);
}

static void print_json(FILE *f, const struct opts *o, const char *model,
                       const struct ccs_erlang_result *rows, const bool *unstable, long lo,
                       long n, long required)
{
    fprintf(f, "{\n  \"model\": \"%s\",\n  \"inputs\": {\n    \"rate_per_s\": ", model);
    json_number(f, o->rate);
    fputs(",\n    \"aht_s\": ", f);
    json_number(f, o->aht);
    fputs(",\n    \"patience_s\": ", f);
    json_number(f, o->have_patience ? o->patience : NAN);
    fputs(",\n    \"waiting_room\": ", f);
    if (o->room >= 0)
        fprintf(f, "%ld", o->room);
    else
        fputs("null", f);
    fputs(",\n    \"within_s\": ", f);
    json_number(f, o->within);
    fputs(",\n    \"offered_load\": ", f);
    json_number(f, o->rate * o->aht);
    fputs(",\n    \"target\": ", f);
    json_number(f, o->have_target ? o->target : NAN);
    fputs(",\n    \"max_occupancy\": ", f);
    json_number(f, o->max_occ);
    fprintf(f, ",\n    \"answered\": %s\n  },\n  \"results\": [", o->answered ? "true" : "false");
    for (long i = 0; i < n; i++) {
        fprintf(f, "%s\n    {\"agents\": %ld, \"stable\": %s", i ? "," : "", lo + i,
                unstable[i] ? "false" : "true");
        for (size_t k = 0; k < N_COLUMNS; k++) {
            fprintf(f, ", \"%s\": ", columns[k].id);
            json_number(f, field_of(&rows[i], &columns[k]));
        }
        fputc('}', f);
    }
    fputs(n ? "\n  ],\n  \"required_agents\": " : "],\n  \"required_agents\": ", f);
    if (required > 0)
        fprintf(f, "%ld", required);
    else
        fputs("null", f);
    fputs("\n}\n", f);
}

static void print_table(FILE *f, const struct opts *o, const char *model,
                        const struct ccs_erlang_result *rows, const bool *unstable, long lo,
                        long n, long required)
{
    char aht[32], pat[32], within[32];
    ccs_format_duration(o->aht, aht, sizeof aht);
    ccs_format_duration(o->patience, pat, sizeof pat);
    ccs_format_duration(o->within, within, sizeof within);
    fprintf(f, "model: %s (%s), offered load %.6g Erlangs\n", model, model_long_name(model),
            o->rate * o->aht);
    fprintf(f, "rate %.6g/min, aht %s, patience %s, waiting room ", o->rate * CCS_MINUTE, aht,
            o->have_patience ? pat : "none");
    if (o->room >= 0)
        fprintf(f, "%ld", o->room);
    else
        fputs("unlimited", f);
    fprintf(f, ", within %s (durations in seconds)\n\n", within);
    if (n > 0) {
        fprintf(f, "%6s", "agents");
        for (size_t k = 0; k < N_COLUMNS; k++)
            if (column_shown(&columns[k], o))
                fprintf(f, "  %*s", (int)(strlen(columns[k].id) > 10 ? strlen(columns[k].id) : 10),
                        columns[k].id);
        fputc('\n', f);
        for (long i = 0; i < n; i++) {
            fprintf(f, "%6ld", lo + i);
            for (size_t k = 0; k < N_COLUMNS; k++) {
                if (!column_shown(&columns[k], o))
                    continue;
                int w = (int)(strlen(columns[k].id) > 10 ? strlen(columns[k].id) : 10);
                double v = field_of(&rows[i], &columns[k]);
                if (isnan(v))
                    fprintf(f, "  %*s", w, "-");
                else if (columns[k].duration)
                    fprintf(f, "  %*.3f", w, v);
                else
                    fprintf(f, "  %*.6f", w, v);
            }
            fputs(unstable[i] ? "  unstable: rho >= 1\n" : "\n", f);
        }
    }
    if (required > 0) {
        char occ[32] = "";
        if (o->max_occ < 1)
            snprintf(occ, sizeof occ, ", occupancy <= %.6g%%", o->max_occ * 100);
        fprintf(f, "%srequired_agents: %ld (%s >= %.6g%% within %s%s)\n", n > 0 ? "\n" : "",
                required, o->answered ? "sl_answered" : "service_level", o->target * 100, within,
                occ);
    }
}

static int cmd_main(int argc, char **argv)
{
    struct opts o;
    struct ccs_cli cli;
    int rc = parse_args(argc, argv, &o, &cli);
    ccs_cli_release(&cli);
    if (rc != 0)
        return rc;
    long required = 0;
    if (o.have_target) {
        int n = 0;
        double theta = o.have_patience ? 1.0 / o.patience : 0.0;
        rc = ccs_staff_erlang(o.rate, 1.0 / o.aht, theta, o.within, o.target, o.max_occ,
                              o.answered, &n);
        if (rc == CCS_ERANGE)
            return ccs_app_usage_error(CMD, "no staffing up to 100000 agents meets the target");
        if (rc != 0)
            return ccs_app_usage_error(CMD, "staffing failed: %s", ccs_strerror(rc));
        required = n;
        if (!o.have_agents)
            o.agents_lo = o.agents_hi = n;
    }
    long lo = o.agents_lo, n = o.agents_hi - o.agents_lo + 1;
    struct ccs_erlang_result *rows = ccs_malloc((size_t)n * sizeof *rows);
    bool *unstable = ccs_malloc((size_t)n * sizeof *unstable);
    if (rows == NULL || unstable == NULL) {
        free(rows);
        free(unstable);
        return ccs_app_fail(CMD, "%s", ccs_strerror(CCS_ENOMEM));
    }
    long n_unstable = 0;
    for (long i = 0; i < n && rc == 0; i++) {
        rc = solve_row(&o, lo + i, &rows[i], &unstable[i]);
        n_unstable += unstable[i];
    }
    if (rc == 0 && n_unstable == n)
        rc = unstable_error(&o, o.agents_hi);
    if (rc == 0) {
        struct ccs_erlang_model m = model_for(&o, lo);
        const char *model = ccs_erlang_model_name(&m);
        if (o.json)
            print_json(stdout, &o, model, rows, unstable, lo, n, required);
        else
            print_table(stdout, &o, model, rows, unstable, lo, n, required);
    }
    free(rows);
    free(unstable);
    if (rc != 0)
        return rc;
    if (fflush(stdout) != 0 || ferror(stdout))
        return ccs_app_fail(CMD, "could not write the output");
    return CCS_EXIT_OK;
}

const struct ccs_command ccs_cmd_erlang = {
    "erlang", "exact Erlang B/C/A and M/M/c/K(+M) calculator and staffing", help_text, cmd_main};
