/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_serve.c - `ccsim serve`: a live playground in the browser for classes
 * and workshops (docs/serve.md). Parses the options, builds the scenario
 * catalogue, starts the session and the HTTP server, prints the address
 * (and the token when listening beyond loopback), and waits for Ctrl-C.
 */
#include "app/cli.h"
#include "app/cmd.h"
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PORT 8080
#define DEFAULT_SPEED 60.0 /* a simulated hour per real minute */
#define FRAME_S 0.2        /* five frames a second */

static const char help[] =
    "usage: ccsim serve [SCENARIO|FOLDER...] [options]\n"
    "\n"
    "A live playground in the browser, for classes and workshops: the day of a\n"
    "scenario plays in simulated time (pausable, steppable, at a chosen speed), and\n"
    "the page changes it while it runs: agents of a group, the routing policy,\n"
    "arrivals (a surge). Beside it plays the same day without the changes (common\n"
    "random numbers), so the class sees the effect and not the luck of the day.\n"
    "The page lists the teaching scenarios built into ccsim and the *.yaml files of\n"
    "the SCENARIOs and FOLDERs given (the first file given plays at start), and a\n"
    "scenario can be edited in the page. Nothing else is ever served.\n"
    "\n"
    "Options:\n"
    "  --port N          TCP port (default 8080; 0: any free port, printed)\n"
    "  --listen ADDR     numeric address to listen on (default 127.0.0.1). Beyond\n"
    "                    loopback a token is required on every request: it is\n"
    "                    printed at start, in the address to open\n"
    "  --speed X         simulated seconds per real second at start (default 60)\n"
    "  --seed N          random seed (default: each scenario's 'seed')\n"
    "  --paused          start paused\n"
    "\n"
    "Stop it with Ctrl-C. docs/serve.md explains the page, the commands and the\n"
    "rules of the live changes.\n"
    "\n"
    "Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 cannot listen or run, 2 bad\n"
    "usage or bad scenario.\n"
    "\n"
    "Examples:\n"
    "  ccsim serve                                   (the built-in teaching scenarios)\n"
    "  ccsim serve scenarios/teaching/pooling.yaml scenarios/\n"
    "  ccsim serve client.yaml --listen 0.0.0.0 --port 9000\n";

static bool is_loopback(const char *addr)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, addr, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* 128 random bits as hex, from the kernel. */
static int make_token(char *out, size_t cap)
{
    unsigned char b[16];
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, b, sizeof b);
    close(fd);
    if (n != (ssize_t)sizeof b || cap < 2 * sizeof b + 1)
        return -1;
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 0;
}

static int serve(char **paths, size_t n_paths, const char *listen, unsigned port,
                 const struct ccs__session_opts *so, bool paused)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    /* the library before anything else: without it there is nothing to serve */
    const char *no_lib = ccs__http_load();
    if (no_lib != NULL) {
        fprintf(stderr, "ccsim serve: error: %s\n", no_lib);
        return CCS_EXIT_FAIL;
    }
    struct ccs__catalog *cat = NULL;
    if (ccs__catalog_new(paths, n_paths, &cat, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return CCS_EXIT_USAGE;
    }
    if (ccs__catalog_count(cat) == 0) {
        fprintf(stderr, "ccsim serve: error: no scenario to play\n");
        ccs__catalog_free(cat);
        return CCS_EXIT_USAGE;
    }
    /* the first scenario given, else the built-in default day */
    long first = n_paths > 0 ? 0 : ccs__catalog_find(cat, "built-in/default.yaml");
    if (first < 0)
        first = 0;
    char token[64];
    bool need_token = !is_loopback(listen);
    if (need_token && make_token(token, sizeof token) != 0) {
        fprintf(stderr, "ccsim serve: error: cannot draw a token from /dev/urandom\n");
        ccs__catalog_free(cat);
        return CCS_EXIT_FAIL;
    }

    /* signals are taken by this thread only (sigwait), never by the server's */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    signal(SIGPIPE, SIG_IGN);

    struct ccs__session *s = NULL;
    struct ccs__http *h = NULL;
    int rc = CCS_EXIT_OK;
    struct ccs__session_opts o = *so;
    if (ccs__session_new(cat, (size_t)first, &o, &s, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_USAGE;
        goto done;
    }
    if (paused) {
        struct ccs__kv kv = {"op", "pause", true};
        ccs__session_command(s, &kv, 1, &d);
    }
    struct ccs__http_opts ho = {listen, port, need_token ? token : NULL};
    if (ccs__http_start(s, cat, &ho, &h, &d) != 0) {
        fprintf(stderr, "ccsim serve: error: %s\n", d.msg);
        rc = CCS_EXIT_FAIL;
        goto done;
    }
    bool v6 = strchr(listen, ':') != NULL;
    const char *shown = strcmp(listen, "0.0.0.0") == 0 ? "127.0.0.1"
                        : strcmp(listen, "::") == 0    ? "::1"
                                                       : listen;
    printf("ccsim serve: playing %s on http://%s%s%s:%u/%s%s\n", ccs__catalog_name(cat, (size_t)first),
           v6 ? "[" : "", shown, v6 ? "]" : "", ccs__http_port(h), need_token ? "?token=" : "",
           need_token ? token : "");
    if (need_token)
        printf("ccsim serve: listening on %s: every request needs the token above\n", listen);
    printf("ccsim serve: Ctrl-C stops\n");
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "ccsim serve: stopping\n");
done:
    if (s != NULL)
        ccs__session_halt(s);
    ccs__http_stop(h);
    ccs__session_free(s);
    ccs__catalog_free(cat);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* --listen: a numeric IPv4 or IPv6 address, kept as given. */
static int parse_listen(void *dest, const char *arg, char *why, size_t cap)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, arg, &a4) != 1 && inet_pton(AF_INET6, arg, &a6) != 1) {
        snprintf(why, cap, "expected a numeric IPv4 or IPv6 address such as 127.0.0.1");
        return 1;
    }
    *(const char **)dest = arg;
    return 0;
}

static int cmd_main(int argc, char **argv)
{
    const char *listen = "127.0.0.1";
    long long port = DEFAULT_PORT;
    struct ccs__session_opts so = {DEFAULT_SPEED, false, 0, FRAME_S};
    bool paused = false;
    const struct ccs_cli_opt opts[] = {
        {"port", 'p', CCS_CLI_INT, &port, NULL, 0, 65535, 0, "a port number from 0 to 65535",
         NULL, NULL},
        {"listen", 'l', CCS_CLI_CUSTOM, &listen, NULL, 0, 0, 0, NULL, NULL, parse_listen},
        {"speed", 'x', CCS_CLI_NUMBER, &so.speed, NULL, 1.0 / 64, 1e6, 0,
         "a number of simulated seconds per real second, from 1/64 to 1000000", NULL, NULL},
        {"paused", 'P', CCS_CLI_FLAG, &paused, NULL, 0, 0, 0, NULL, NULL, NULL},
        {NULL, 0, CCS_CLI_FLAG, NULL, NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED, opts, "SCENARIO", 0, SIZE_MAX};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, "serve", &spec, argc, argv);
    if (rc == 0) {
        so.has_seed = cli.has_seed;
        so.seed = cli.seed;
        rc = serve(cli.operands, cli.n_operands, listen, (unsigned)port, &so, paused);
    }
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_serve = {
    "serve", "a live playground in the browser: change the day while it runs", help, cmd_main};
