/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_watch.c - `ccsim watch`: one simulated day as a live wallboard on the
 * terminal (ncurses), at a chosen speed, with pause, single steps and speed
 * keys; or, when stdout is not a terminal, periodic plain-text snapshots.
 * What the board shows is computed by sim/out/wallboard.c; this file only
 * keeps time, reads keys and draws.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef CCS_HAVE_CURSES
/* the functions, not the macros over stdscr: they are called through C */
#define NCURSES_NOMACROS
#include <curses.h>
#include <dlfcn.h>
#endif

#define SPEED_MAX 1e6         /* simulated seconds per real second */
#define SPEED_MIN_KEY (1.0 / 64)
#define DEFAULT_SPEED (CCS_HOUR / CCS_MINUTE) /* a simulated hour per real minute */
#define DEFAULT_EVERY (30 * CCS_MINUTE)       /* plain mode: a snapshot every 30 simulated minutes */
#define FRAME_MS 100          /* the live board redraws ten times a second */

static const char help[] =
    "usage: ccsim watch SCENARIO [options]\n"
    "\n"
    "Run one simulated day of SCENARIO as a live wallboard, the way a supervisor's\n"
    "real-time monitor looks: per queue the contacts waiting, the oldest wait, offered,\n"
    "answered, abandoned and the service level so far against its target; the queue\n"
    "length over the last 30 simulated minutes; per group the agents by state. When\n"
    "stdout is not a terminal (or with --plain) it prints plain-text snapshots instead.\n"
    "\n"
    "Options:\n"
    "  --speed X              simulated seconds per real second (default 60: an hour a\n"
    "                         minute). In plain mode the default is as fast as possible;\n"
    "                         an explicit --speed paces the snapshots in real time\n"
    "  --policy NAME          routing policy (same as --set routing.policy=NAME)\n"
    "  --seed N               random seed (default: the scenario's 'seed')\n"
    "  --set KEY.PATH=VALUE   override any scenario value (as for 'ccsim run')\n"
    "  --max-memory SIZE      the memory a run may need (default 4G); a bigger run is\n"
    "                         refused before it starts\n"
    "  --plain                plain-text snapshots even on a terminal\n"
    "  --every DURATION       plain mode: a snapshot every DURATION of simulated time\n"
    "                         (default 30m), and a last one at the end of the day\n"
    "\n"
    "Keys: space or p pause/resume, s or n one event (pauses), + or ] twice as fast,\n"
    "- or [ half as fast, q quit. Live changes: g selects the next group, a adds an\n"
    "agent to it, r removes one (when its contact ends), o switches to the next\n"
    "routing policy. docs/watch.md explains every field.\n"
    "\n"
    "Exit status: 0 ok (q, or the end of a plain run), 1 run-time failure, 2 bad usage\n"
    "or bad scenario, 130 interrupted (Ctrl-C; the terminal is restored).\n"
    "\n"
    "Examples:\n"
    "  ccsim watch scenarios/default.yaml --speed 120\n"
    "  ccsim watch scenarios/default.yaml --plain --every 1h | less\n";

struct watch_opts {
    double speed;       /* 0: not given */
    double every;
    bool plain;
    uint64_t seed;
};

static double real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_until(double t)
{
    double d = t - real_now();
    if (d <= 0)
        return;
    struct timespec ts = {(time_t)d, (long)((d - floor(d)) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* --- plain mode ------------------------------------------------------------------ */

static void emit_plain(void *ctx, enum ccs_wb_line kind, const char *text)
{
    (void)kind;
    fprintf(ctx, "%s\n", text);
}

static int run_plain(struct ccs_wallboard *wb, const struct watch_opts *o)
{
    struct ccs_wb_status st = {o->speed, false, false, o->seed, 0, NULL};
    double t0 = real_now();
    double t = 0;
    while (wb->status > 0) {
        t += o->every;
        if (o->speed > 0)
            sleep_until(t0 + t / o->speed);
        ccs_wb_advance(wb, t);
        if (wb->status < 0)
            break;
        ccs_wb_render(wb, &st, 0, emit_plain, stdout);
        fputc('\n', stdout);
        if (fflush(stdout) != 0)
            return CCS_EXIT_FAIL;
    }
    return wb->status < 0 ? CCS_EXIT_FAIL : CCS_EXIT_OK;
}

/* --- live mode -------------------------------------------------------------------- */

#ifdef CCS_HAVE_CURSES

/*
 * ncurses, opened when the live board starts (CCS_CURSES_SONAME) rather
 * than linked: mapped by every command it cost 0.6 MiB of resident memory
 * (docs/benchmark.md). Typed from the header; CCS_NO_CURSES=1 in the
 * environment makes the load fail, for tests.
 */
static struct {
    __typeof__(newterm) *newterm;
    __typeof__(delscreen) *delscreen;
    __typeof__(endwin) *endwin;
    __typeof__(cbreak) *cbreak;
    __typeof__(noecho) *noecho;
    __typeof__(keypad) *keypad;
    __typeof__(curs_set) *curs_set;
    __typeof__(timeout) *timeout;
    __typeof__(has_colors) *has_colors;
    __typeof__(start_color) *start_color;
    __typeof__(use_default_colors) *use_default_colors;
    __typeof__(init_pair) *init_pair;
    __typeof__(erase) *erase;
    __typeof__(refresh) *refresh;
    __typeof__(mvprintw) *mvprintw;
    __typeof__(mvaddnstr) *mvaddnstr;
    __typeof__(attron) *attron;
    __typeof__(attroff) *attroff;
    __typeof__(getch) *getch;
    WINDOW **stdscr;
    int *COLS, *LINES;
} C;

/* Fill C; false with why when ncurses cannot be opened. */
static bool curses_load(char *why, size_t cap)
{
    const char *off = getenv("CCS_NO_CURSES");
    if (off != NULL && off[0] != '\0' && strcmp(off, "0") != 0) {
        snprintf(why, cap, "%s: not loaded, CCS_NO_CURSES is set", CCS_CURSES_SONAME);
        return false;
    }
    void *lib = dlopen(CCS_CURSES_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(why, cap, "%s", e != NULL ? e : CCS_CURSES_SONAME);
        return false;
    }
    static const struct {
        const char *name;
        size_t at;
    } syms[] = {
#define SYM(f) {#f, offsetof(__typeof__(C), f)}
        SYM(newterm),    SYM(delscreen),  SYM(endwin),     SYM(cbreak),
        SYM(noecho),     SYM(keypad),     SYM(curs_set),   SYM(timeout),
        SYM(has_colors), SYM(start_color), SYM(use_default_colors), SYM(init_pair),
        SYM(erase),      SYM(refresh),    SYM(mvprintw),   SYM(mvaddnstr),
        SYM(attron),     SYM(attroff),    SYM(getch),      SYM(stdscr),
        SYM(COLS),       SYM(LINES),
#undef SYM
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        void *p = dlsym(lib, syms[i].name);
        if (p == NULL) {
            snprintf(why, cap, "symbol %s not found in %s", syms[i].name, CCS_CURSES_SONAME);
            return false;
        }
        /* every slot is a pointer the size of a void * (POSIX dlsym): a
           function's address, or a variable's */
        memcpy((char *)&C + syms[i].at, &p, sizeof p);
    }
    return true;
}

/* Set by SIGINT/SIGTERM/SIGHUP so that the loop ends and restores the
   terminal; a signal handler can reach nothing else. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

enum { PAIR_ALERT = 1, PAIR_TITLE, PAIR_HINT };

struct screen_lines {
    char **text;
    enum ccs_wb_line *kind;
    size_t n, cap;
    bool oom;
};

static void emit_collect(void *ctx, enum ccs_wb_line kind, const char *text)
{
    struct screen_lines *s = ctx;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **t = ccs_realloc(s->text, cap * sizeof *t);
        if (t != NULL)
            s->text = t;
        enum ccs_wb_line *k = ccs_realloc(s->kind, cap * sizeof *k);
        if (k != NULL)
            s->kind = k;
        if (t == NULL || k == NULL) {
            s->oom = true;
            return;
        }
        s->cap = cap;
    }
    s->text[s->n] = ccs_strdup(text);
    if (s->text[s->n] == NULL) {
        s->oom = true;
        return;
    }
    s->kind[s->n++] = kind;
}

static void lines_clear(struct screen_lines *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->text[i]);
    s->n = 0;
}

static void draw_line(int row, enum ccs_wb_line kind, const char *text)
{
    attr_t a = A_NORMAL;
    short pair = 0;
    switch (kind) {
    case CCS_WB_L_TITLE:
        a = A_BOLD;
        pair = PAIR_TITLE;
        break;
    case CCS_WB_L_HEAD:
        a = A_BOLD;
        break;
    case CCS_WB_L_ALERT:
        a = A_BOLD;
        pair = PAIR_ALERT;
        break;
    case CCS_WB_L_HINT:
        a = A_DIM;
        break;
    case CCS_WB_L_TEXT:
        break;
    }
    if (C.has_colors() && pair != 0)
        a |= (attr_t)(NCURSES_BITS(pair, 0) & A_COLOR); /* COLOR_PAIR, a function here */
    C.attron((int)a);
    C.mvaddnstr(row, 0, text, *C.COLS);
    C.attroff((int)a);
}

#define MIN_COLS 40
#define MIN_LINES 8

static void draw(const struct ccs_wallboard *wb, const struct ccs_wb_status *st,
                 struct screen_lines *s)
{
    C.erase();
    if (*C.COLS < MIN_COLS || *C.LINES < MIN_LINES) {
        char clock[32];
        ccs_wb_clock(wb, wb->now, clock, sizeof clock);
        C.mvprintw(0, 0, "terminal too small");
        C.mvprintw(1, 0, "%dx%d, need %dx%d", *C.COLS, *C.LINES, MIN_COLS, MIN_LINES);
        C.mvprintw(2, 0, "%s %s", clock, st->paused ? "PAUSED" : wb->status > 0 ? "" : "END");
        C.mvprintw(3, 0, "q quits");
        C.refresh();
        return;
    }
    lines_clear(s);
    ccs_wb_render(wb, st, *C.COLS, emit_collect, s);
    size_t rows = (size_t)*C.LINES;
    if (s->n <= rows) {
        for (size_t i = 0; i < s->n; i++)
            draw_line((int)i, s->kind[i], s->text[i]);
    } else {
        /* keep the keys in sight: the top of the board, a cut mark, the hint */
        for (size_t i = 0; i + 2 < rows; i++)
            draw_line((int)i, s->kind[i], s->text[i]);
        draw_line((int)rows - 2, CCS_WB_L_HINT, "(more below: enlarge the terminal)");
        draw_line((int)rows - 1, s->kind[s->n - 1], s->text[s->n - 1]);
    }
    C.refresh();
}

/* The live changes of the keys g, a, r, o (ccs/live.h), at the board's
   clock; what happened is told in note. */
static void live_key(struct ccs_wallboard *wb, struct ccs_wb_status *st, int ch, char *note,
                     size_t cap)
{
    struct ccs_sim *sim = wb->sim;
    uint32_t g = st->group;
    const char *gid = wb->groups[g].id;
    int rc = 0;
    if (wb->status <= 0)
        return;
    if (ch == 'g') {
        st->group = (g + 1) % wb->n_groups;
        snprintf(note, cap, "group %s", wb->groups[st->group].id);
    } else if (ch == 'a' || ch == 'r') {
        uint32_t n = ccs_live_agents(sim, g);
        if (ch == 'r' && n == 0)
            return;
        n = ch == 'a' ? n + 1 : n - 1;
        rc = ccs_live_set_agents(sim, wb->now, g, n);
        if (rc == 0)
            snprintf(note, cap, "%s: %u agents", gid, n);
    } else if (ch == 'o') {
        const struct ccs_policy_ops *cur = ccs_live_policy(sim);
        size_t i = 0, n = 0;
        while (ccs_policies[n] != NULL)
            n++;
        while (i < n && ccs_policies[i] != cur)
            i++;
        const struct ccs_policy_ops *next = ccs_policies[(i + 1) % n];
        struct ccs_diag d;
        ccs_diag_clear(&d);
        rc = ccs_live_set_policy(sim, wb->now, next, &d);
        if (rc == 0)
            snprintf(note, cap, "policy %s", next->name);
        else
            snprintf(note, cap, "policy %s refused: %.60s", next->name, d.msg);
    }
    if (rc != 0 && ch != 'o')
        snprintf(note, cap, "refused: %s", ccs_strerror(rc));
    st->note = note;
    ccs_wb_advance(wb, wb->now); /* recount the agents */
}

/* Returns the exit status; *fallback set when the terminal cannot be used
   (TERM), *no_curses when ncurses cannot be opened (why says why). */
static int run_live(struct ccs_wallboard *wb, const struct watch_opts *o, bool *fallback,
                    bool *no_curses, char *why, size_t cap)
{
    if (!curses_load(why, cap)) {
        *no_curses = true;
        return CCS_EXIT_OK;
    }
    SCREEN *scr = C.newterm(NULL, stdout, stdin);
    if (scr == NULL) {
        *fallback = true;
        return CCS_EXIT_OK;
    }
    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    interrupted = 0;

    C.cbreak();
    C.noecho();
    C.keypad(*C.stdscr, TRUE);
    C.curs_set(0);
    C.timeout(FRAME_MS);
    if (C.has_colors()) {
        C.start_color();
        C.use_default_colors();
        C.init_pair(PAIR_ALERT, COLOR_RED, -1);
        C.init_pair(PAIR_TITLE, COLOR_CYAN, -1);
        C.init_pair(PAIR_HINT, -1, -1);
    }

    struct ccs_wb_status st = {o->speed > 0 ? o->speed : DEFAULT_SPEED, false, true, o->seed,
                               0, NULL};
    char note[128];
    struct screen_lines s = {0};
    double last = real_now();
    bool quit = false;
    while (!quit && !interrupted && wb->status >= 0 && !s.oom) {
        double r = real_now();
        if (!st.paused && wb->status > 0)
            ccs_wb_advance(wb, wb->now + (r - last) * st.speed);
        last = r;
        if (wb->status < 0)
            break;
        draw(wb, &st, &s);
        int ch = C.getch();
        switch (ch) {
        case ' ':
        case 'p':
        case 'P':
            st.paused = !st.paused;
            break;
        case 's':
        case 'S':
        case 'n':
        case 'N':
            st.paused = true;
            ccs_wb_step(wb);
            break;
        case '+':
        case '=':
        case ']':
            st.speed = fmin(st.speed * 2, SPEED_MAX);
            break;
        case '-':
        case '_':
        case '[':
            if (st.speed / 2 >= SPEED_MIN_KEY)
                st.speed /= 2;
            break;
        case 'g':
        case 'a':
        case 'r':
        case 'o':
            live_key(wb, &st, ch, note, sizeof note);
            break;
        case 'q':
        case 'Q':
            quit = true;
            break;
        default: /* ERR (no key this frame), KEY_RESIZE (redrawn next frame), others */
            break;
        }
    }
    lines_clear(&s);
    free(s.text);
    free(s.kind);
    C.endwin();
    C.delscreen(scr);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    if (s.oom)
        return ccs_app_fail("watch", "out of memory");
    if (wb->status < 0)
        return CCS_EXIT_FAIL;
    return interrupted ? 128 + (int)interrupted : CCS_EXIT_OK;
}

#endif /* CCS_HAVE_CURSES */

/* --- the command ---------------------------------------------------------------- */

/* --policy NAME: one of the registry's (a custom parser of the option table). */
static int parse_policy(void *dest, const char *arg, char *why, size_t cap)
{
    if (ccs_policy_find(arg) == NULL) {
        char known[512];
        ccs_cli_policy_names(known, sizeof known);
        snprintf(why, cap, "unknown routing policy (known: %s)", known);
        return -1;
    }
    *(const char **)dest = arg;
    return 0;
}

static int watch(struct ccs_scenario *sc, struct watch_opts *o)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_sim *sim = NULL;
    if (ccs_sim_new(sc, o->seed, 0, &sim, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return CCS_EXIT_FAIL;
    }
    struct ccs_wallboard *wb = NULL;
    if (ccs_wb_new(sim, sc, &wb) != 0) {
        ccs_sim_free(sim);
        return ccs_app_fail("watch", "out of memory");
    }
    int rc = CCS_EXIT_OK;
    bool plain = o->plain || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO);
#ifdef CCS_HAVE_CURSES
    if (!plain) {
        bool fallback = false, no_curses = false;
        char why[512];
        rc = run_live(wb, o, &fallback, &no_curses, why, sizeof why);
        if (no_curses) {
            ccs_app_say("watch", "warning: cannot load ncurses (Debian %s): %s; printing "
                                 "plain snapshots",
                        CCS_CURSES_DEB, why);
            plain = true;
        } else if (fallback) {
            ccs_app_say("watch", "warning: cannot use this terminal (TERM=%s); printing plain "
                                 "snapshots",
                        getenv("TERM") ? getenv("TERM") : "");
            plain = true;
        }
    }
#else
    if (!plain) {
        ccs_app_say("watch", "note: built without ncurses; printing plain snapshots");
        plain = true;
    }
#endif
    if (plain)
        rc = run_plain(wb, o);
    if (wb->status < 0)
        ccs_app_fail("watch", "%s",
                     ccs_sim_fault(sim) ? ccs_sim_fault(sim) : ccs_strerror(wb->status));
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    return rc;
}

static int cmd_main(int argc, char **argv)
{
    struct watch_opts o = {0, DEFAULT_EVERY, false, 0};
    const char *policy = NULL;
    const struct ccs_cli_opt opts[] = {
        {.name = "speed", .type = CCS_CLI_NUMBER, .dest = &o.speed, .max = SPEED_MAX,
         .flags = CCS_CLI_ABOVE_MIN,
         .want = "a number of simulated seconds per real second, above 0 and at most 1000000"},
        {.name = "policy", .type = CCS_CLI_CUSTOM, .dest = &policy, .parse = parse_policy},
        {.name = "plain", .type = CCS_CLI_FLAG, .dest = &o.plain},
        {.name = "every", .type = CCS_CLI_DURATION, .dest = &o.every, .min = 1, .max = INFINITY,
         .want = "a duration of at least 1s such as 15m"},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_SET | CCS_CLI_MEMORY, opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
    char *policy_set = NULL;
    int rc = ccs_cli_parse(&cli, "watch", &spec, argc, argv);
    if (rc != 0)
        goto done;
    if (policy != NULL) {
        /* --policy is --set routing.policy=NAME, last, so that it wins over a --set of it */
        size_t n = strlen("routing.policy=") + strlen(policy) + 1;
        policy_set = ccs_malloc(n);
        if (policy_set == NULL || !ccs_cli_list_push(&cli.set, policy_set)) {
            rc = ccs_app_fail("watch", "out of memory");
            goto done;
        }
        snprintf(policy_set, n, "routing.policy=%s", policy);
    }
    struct ccs_scenario *sc = NULL;
    if ((rc = ccs_cli_load(&cli, cli.operands[0], &sc)) != 0)
        goto done;
    o.seed = cli.has_seed ? cli.seed : ccs_scenario_seed(sc);
    rc = watch(sc, &o);
    ccs_scenario_free(sc);
done:
    ccs_cli_release(&cli);
    free(policy_set);
    return rc;
}

const struct ccs_command ccs_cmd_watch = {"watch", "watch one simulated day live, as a wallboard",
                                          help, cmd_main};
