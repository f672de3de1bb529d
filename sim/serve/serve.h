/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * serve.h - the parts of `ccsim serve` (docs/serve.md): the scenario
 * catalogue (catalog.c), the playground session that runs the day on its
 * own thread (session.c), small JSON bodies (json.c) and the HTTP server
 * on libmicrohttpd (http.c). cmd_serve.c is the command.
 */
#ifndef CCS_SERVE_SERVE_H
#define CCS_SERVE_SERVE_H

#include "ccs/ccs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCS_SRV_CMD_MAX 4096       /* bytes of a command body */
#define CCS_SRV_YAML_MAX 262144    /* bytes of an edited scenario */
#define CCS_SRV_FILE_MAX 1048576   /* bytes of a scenario file shown for editing */

/* --- catalog.c: which scenarios may be opened and shown ---------------------- */

struct ccs__catalog;

/*
 * The built-in teaching scenarios, then every *.yaml of the files and
 * folders given (folders: two levels deep). Paths are canonicalised; a
 * file whose real path leaves its folder is left out. Returns 0, or
 * CCS_ENOTFOUND with a message in d for an argument that is neither.
 */
int ccs__catalog_new(char **paths, size_t n, struct ccs__catalog **out, struct ccs_diag *d);
void ccs__catalog_free(struct ccs__catalog *c);
size_t ccs__catalog_count(const struct ccs__catalog *c);
const char *ccs__catalog_name(const struct ccs__catalog *c, size_t i);
/* Index of the entry named name, or -1: names are the only way in. */
long ccs__catalog_find(const struct ccs__catalog *c, const char *name);
/* The text of entry i (malloc'd, NUL-terminated), or NULL (d says why). */
char *ccs__catalog_text(const struct ccs__catalog *c, size_t i, size_t *len, struct ccs_diag *d);
/* Load entry i (seed/overrides as the scenario says). Errors located in d. */
int ccs__catalog_load(const struct ccs__catalog *c, size_t i, struct ccs_scenario **out,
                      struct ccs_diag *d);
/* Load YAML text posted from the page, as the file "edited.yaml". */
int ccs__scenario_from_text(const char *text, size_t len, struct ccs_scenario **out,
                            struct ccs_diag *d);

/* --- json.c: flat command objects, and writing --------------------------------- */

#define CCS_SRV_KV_MAX 8

struct ccs__kv {
    char key[32];
    char val[256];  /* strings unescaped; numbers and true/false as written */
    bool is_str;
};

/* Parse {"k": "v" | number | true | false, ...} (no nesting, at most
   CCS_SRV_KV_MAX keys). Returns 0 or CCS_EPARSE with a message in d. */
int ccs__kv_parse(const char *body, size_t len, struct ccs__kv *kv, size_t *n,
                  struct ccs_diag *d);
const char *ccs__kv_get(const struct ccs__kv *kv, size_t n, const char *key);

/* --- session.c: the day being played ------------------------------------------- */

struct ccs__session;

struct ccs__session_opts {
    double speed;        /* simulated seconds per real second */
    bool has_seed;
    uint64_t seed;
    double frame_s;      /* real seconds between frames */
};

/* A session playing catalogue entry `first` (the catalogue must outlive it),
   its thread started. Errors (a bad scenario) in d. */
int ccs__session_new(const struct ccs__catalog *cat, size_t first,
                     const struct ccs__session_opts *o, struct ccs__session **out,
                     struct ccs_diag *d);
/* Stop playing: waiting readers of frames return at once (before the HTTP
   server stops, so that its streams end). */
void ccs__session_halt(struct ccs__session *s);
/* Stop the thread and free (NULL-safe). */
void ccs__session_free(struct ccs__session *s);

/*
 * Apply a command ({"op": ...}, docs/serve.md). Returns 0, or a negative
 * code with a message in d (CCS_EINVAL: a bad command; CCS_ESTATE: the day
 * is over; scenario errors located).
 */
int ccs__session_command(struct ccs__session *s, const struct ccs__kv *kv, size_t n,
                         struct ccs_diag *d);
/* Play an edited scenario (YAML text). Errors located in d. */
int ccs__session_load_text(struct ccs__session *s, const char *text, size_t len,
                           struct ccs_diag *d);

/*
 * The latest frame: a copy (malloc'd) of the full state when full, or of
 * the changes since frame `after` when that is the frame before it (then
 * *is_full is false). Waits up to wait_s seconds for a frame newer than
 * `after`; returns NULL if none came (or the session stops). *seq is the
 * frame's number.
 */
char *ccs__session_frame(struct ccs__session *s, uint64_t after, double wait_s, uint64_t *seq,
                         bool *is_full, size_t *len);
/* The catalogue's names and the one playing, as JSON (malloc'd). */
char *ccs__session_catalog_json(struct ccs__session *s, size_t *len);
bool ccs__session_stopping(struct ccs__session *s);

/* --- http.c -------------------------------------------------------------------- */

struct ccs__http;

struct ccs__http_opts {
    const char *listen;   /* numeric IPv4 or IPv6 address */
    unsigned port;        /* 0: any free port */
    const char *token;    /* required on every request, or NULL */
};

/* Open libmicrohttpd (once; thread-safe): NULL, or why it cannot be
   loaded (core/dl.h; the environment variable CCS_NO_MHD=1 makes it fail). */
const char *ccs__http_load(void);
/* Listen (opening the library first); 0, or CCS_EINVAL, CCS_ENOMEM, CCS_EIO,
   CCS_EUNSUPPORTED (no library) with d. */
int ccs__http_start(struct ccs__session *s, const struct ccs__catalog *cat,
                    const struct ccs__http_opts *o, struct ccs__http **out, struct ccs_diag *d);
unsigned ccs__http_port(const struct ccs__http *h);
void ccs__http_stop(struct ccs__http *h);

#endif
