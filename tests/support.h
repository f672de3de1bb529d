/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * support.h - helpers shared by the test programs: scenarios from YAML
 * text, temporary files. Header-only: each test is its own executable.
 */
#ifndef CCS_TESTS_SUPPORT_H
#define CCS_TESTS_SUPPORT_H

#include "ccs/ccs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write text to a new temporary file; returns its malloc'd path. */
static inline char *write_temp(const char *text, const char *suffix)
{
    char tmpl[] = "/tmp/ccs-test-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return NULL;
    size_t n = strlen(text);
    if (write(fd, text, n) != (ssize_t)n) {
        close(fd);
        return NULL;
    }
    close(fd);
    size_t len = strlen(tmpl) + strlen(suffix) + 1;
    char *path = malloc(len);
    snprintf(path, len, "%s%s", tmpl, suffix);
    if (rename(tmpl, path) != 0) {
        unlink(tmpl);
        free(path);
        return NULL;
    }
    return path;
}

/* Remove a scratch folder holding the files t.csv and s.yaml, and the folder. */
static inline void remove_scratch(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    unlink(path);
    rmdir(dir);
}

/* Load a scenario from YAML text; prints the error and returns NULL on failure. */
static inline struct ccs_scenario *load_yaml_string(const char *yaml)
{
    char *path = write_temp(yaml, ".yaml");
    if (path == NULL)
        return NULL;
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) != 0)
        fprintf(stderr, "%s\n", d.msg);
    unlink(path);
    free(path);
    return sc;
}

/* Load YAML text expecting failure; returns the message (static buffer). */
static inline const char *load_error(const char *yaml)
{
    static char msg[1024];
    char *path = write_temp(yaml, ".yaml");
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    msg[0] = '\0';
    if (path == NULL)
        return "cannot write temp file";
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) == 0) {
        ccs_scenario_free(sc);
        snprintf(msg, sizeof msg, "(loaded without error)");
    } else {
        /* strip the temporary path: "PATH:L:C: error: M" -> "L:C: error: M" */
        const char *p = strncmp(d.msg, path, strlen(path)) == 0 ? d.msg + strlen(path) + 1 : d.msg;
        snprintf(msg, sizeof msg, "%s", p);
    }
    unlink(path);
    free(path);
    return msg;
}

#endif
