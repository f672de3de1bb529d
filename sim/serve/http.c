/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * http.c - the HTTP side of `ccsim serve` on libmicrohttpd: the page and
 * its files (compiled in), the state as server-sent events, commands as
 * small JSON posts, an edited scenario as a YAML post. One thread per
 * connection, a connection limit and an idle timeout (slow clients are
 * dropped), strict body limits, no path ever mapped to a file, a token on
 * every request when listening beyond loopback, and on loopback a Host
 * check against DNS rebinding and a custom header against cross-site posts.
 * The library is opened when `serve` starts (core/dl.h), not linked: its
 * header is a build dependency, the functions used go through one table.
 */
#include "serve/assets.h"
#include "serve/serve.h"
#include "ccs/mem.h"

#include "core/dl.h"
#include "core/grow.h"
#include "core/memstream.h"
#include "fmt/textout.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define ASSET_PREFIX "sim/serve/assets/"
#define MAX_CONNECTIONS 64
#define IDLE_TIMEOUT_S 15
#define HEADER_MEMORY (64 * 1024)
#define POST_HEADER "X-Requested-With"
#define POST_HEADER_VALUE "ccsim"

struct ccs__http {
    struct MHD_Daemon *daemon;
    struct ccs__session *session;
    const struct ccs__catalog *cat;
    const char *token; /* NULL: loopback, no token */
    char listen[64];
    unsigned port;
};

#ifndef CCS_MHD_SONAME
#define CCS_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* The functions used, typed from the header; one table for the process. */
#define MHD_FUNCTIONS(X)                                                                         \
    X(MHD_start_daemon) X(MHD_stop_daemon) X(MHD_get_daemon_info) X(MHD_queue_response)          \
    X(MHD_create_response_from_buffer) X(MHD_create_response_from_callback)                      \
    X(MHD_add_response_header) X(MHD_destroy_response) X(MHD_lookup_connection_value)

#define MHD_FIELD(f) __typeof__(&f) f;
static struct {
    MHD_FUNCTIONS(MHD_FIELD)
} mhd;
#undef MHD_FIELD

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static bool mhd_loaded;
static char mhd_why[256];

static void mhd_load(void)
{
    char why[200];
    void *lib = ccs__dl_open(CCS_MHD_SONAME, "CCS_NO_MHD", why, sizeof why);
    bool ok = lib != NULL;
#define MHD_RESOLVE(f) ok = ok && ccs__dl_sym(lib, #f, &mhd.f, sizeof mhd.f, why, sizeof why);
    MHD_FUNCTIONS(MHD_RESOLVE)
#undef MHD_RESOLVE
    if (!ok)
        snprintf(mhd_why, sizeof mhd_why, "cannot load libmicrohttpd (Debian libmicrohttpd12): %s",
                 why);
    mhd_loaded = ok;
}

const char *ccs__http_load(void)
{
    pthread_once(&mhd_once, mhd_load);
    return mhd_loaded ? NULL : mhd_why;
}

enum req_kind { REQ_GET, REQ_CMD, REQ_LOAD, REQ_DONE };

struct req {
    enum req_kind kind;
    char *body;
    size_t len, cap, limit;
    bool too_large;
};

/* --- responses ----------------------------------------------------------------------- */

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                const char *body, size_t len, enum MHD_ResponseMemoryMode mode,
                                const char *cookie)
{
    struct MHD_Response *r = mhd.MHD_create_response_from_buffer(len, (void *)body, mode);
    if (r == NULL)
        return MHD_NO;
    mhd.MHD_add_response_header(r, "Content-Type", type);
    mhd.MHD_add_response_header(r, "Cache-Control", "no-store");
    mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    mhd.MHD_add_response_header(r, "X-Frame-Options", "DENY");
    mhd.MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    mhd.MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    if (cookie != NULL)
        mhd.MHD_add_response_header(r, "Set-Cookie", cookie);
    enum MHD_Result ok = mhd.MHD_queue_response(c, status, r);
    mhd.MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return send_buf(c, status, "text/plain; charset=utf-8", msg, strlen(msg),
                    MHD_RESPMEM_MUST_COPY, NULL);
}

/* {"ok":false,"error":MSG} */
static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = ccs__memstream(&buf, &len);
    if (f == NULL)
        return MHD_NO;
    fputs("{\"ok\":false,\"error\":", f);
    ccs__out_json_str(f, msg); /* a message may quote bytes of a bad request */
    fputs("}", f);
    if (fclose(f) != 0) {
        free(buf);
        return MHD_NO;
    }
    return send_buf(c, status, "application/json", buf, len, MHD_RESPMEM_MUST_FREE, NULL);
}

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".yaml") == 0)
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

/* --- who may ask ----------------------------------------------------------------------- */

static bool same_secret(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        diff |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return diff == 0;
}

/* The token from the query, a header, or the cookie set with the page. */
static const char *given_token(struct MHD_Connection *c)
{
    const char *t = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token");
    if (t == NULL)
        t = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Ccsim-Token");
    if (t == NULL)
        t = mhd.MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "ccsim_token");
    return t;
}

static bool loopback_host(const struct ccs__http *h, const char *host)
{
    if (host == NULL)
        return true; /* HTTP/1.0: no browser, no rebinding */
    char name[256];
    snprintf(name, sizeof name, "%s", host);
    /* drop the port */
    char *end = name[0] == '[' ? strchr(name, ']') : strrchr(name, ':');
    if (name[0] == '[') {
        if (end == NULL)
            return false;
        end[1] = '\0';
    } else if (end != NULL) {
        *end = '\0';
    }
    if (strcmp(name, "localhost") == 0 || strcmp(name, "[::1]") == 0 ||
        strcmp(name, h->listen) == 0)
        return true;
    struct in_addr a4;
    return inet_pton(AF_INET, name, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

/* --- the stream -------------------------------------------------------------------------- */

struct stream {
    struct ccs__session *s;
    uint64_t seq;
    char *pend;
    size_t len, off;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *st = cls;
    if (st->off == st->len) {
        free(st->pend);
        st->pend = NULL;
        st->len = st->off = 0;
        if (ccs__session_stopping(st->s))
            return MHD_CONTENT_READER_END_OF_STREAM;
        bool full = true;
        size_t n = 0;
        uint64_t seq = st->seq;
        char *frame = ccs__session_frame(st->s, st->seq, 1.0, &seq, &full, &n);
        if (frame != NULL) {
            size_t cap = n + 64;
            st->pend = ccs_malloc(cap);
            if (st->pend != NULL)
                st->len = (size_t)snprintf(st->pend, cap, "event: %s\ndata: %s\n\n",
                                           full ? "full" : "delta", frame);
            st->seq = seq;
            free(frame);
        } else {
            /* nothing new within a second: a comment keeps the line alive */
            st->pend = ccs_strdup(": keepalive\n\n");
            st->len = st->pend ? strlen(st->pend) : 0;
        }
        if (st->pend == NULL)
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t k = st->len - st->off < max ? st->len - st->off : max;
    memcpy(buf, st->pend + st->off, k);
    st->off += k;
    return (ssize_t)k;
}

static void stream_free(void *cls)
{
    struct stream *st = cls;
    free(st->pend);
    free(st);
}

static enum MHD_Result send_stream(struct ccs__http *h, struct MHD_Connection *c)
{
    struct stream *st = ccs_calloc(1, sizeof *st);
    if (st == NULL)
        return MHD_NO;
    st->s = h->session;
    st->pend = ccs_strdup("retry: 1000\n\n");
    st->len = st->pend ? strlen(st->pend) : 0;
    struct MHD_Response *r =
        mhd.MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, stream_read, st,
                                              stream_free);
    if (r == NULL) {
        stream_free(st);
        return MHD_NO;
    }
    mhd.MHD_add_response_header(r, "Content-Type", "text/event-stream");
    mhd.MHD_add_response_header(r, "Cache-Control", "no-store");
    mhd.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = mhd.MHD_queue_response(c, MHD_HTTP_OK, r);
    mhd.MHD_destroy_response(r);
    return ok;
}

/* --- routes ------------------------------------------------------------------------------- */

static enum MHD_Result get(struct ccs__http *h, struct MHD_Connection *c, const char *url)
{
    if (strcmp(url, "/") == 0 || strcmp(url, "/index.html") == 0) {
        const struct ccs__asset *a = ccs__asset_find(ASSET_PREFIX "index.html");
        if (a == NULL)
            return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
        char cookie[256], *ck = NULL;
        if (h->token != NULL) {
            snprintf(cookie, sizeof cookie,
                     "ccsim_token=%s; Path=/; HttpOnly; SameSite=Strict", h->token);
            ck = cookie;
        }
        return send_buf(c, MHD_HTTP_OK, content_type(a->name), a->text, a->len,
                        MHD_RESPMEM_PERSISTENT, ck);
    }
    if (strcmp(url, "/api/stream") == 0)
        return send_stream(h, c);
    if (strcmp(url, "/api/state") == 0) {
        bool full;
        size_t n = 0;
        uint64_t seq;
        char *frame = ccs__session_frame(h->session, 0, 1.0, &seq, &full, &n);
        if (frame == NULL)
            return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no state yet");
        return send_buf(c, MHD_HTTP_OK, "application/json", frame, n, MHD_RESPMEM_MUST_FREE,
                        NULL);
    }
    if (strcmp(url, "/api/scenarios") == 0) {
        size_t n = 0;
        char *j = ccs__session_catalog_json(h->session, &n);
        if (j == NULL)
            return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return send_buf(c, MHD_HTTP_OK, "application/json", j, n, MHD_RESPMEM_MUST_FREE, NULL);
    }
    if (strcmp(url, "/api/scenario") == 0) {
        const char *name = mhd.MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "name");
        long i = name ? ccs__catalog_find(h->cat, name) : -1;
        if (i < 0)
            return send_error(c, MHD_HTTP_NOT_FOUND, "no such scenario");
        struct ccs_diag d;
        ccs_diag_clear(&d);
        size_t n = 0;
        char *text = ccs__catalog_text(h->cat, (size_t)i, &n, &d);
        if (text == NULL)
            return send_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, d.msg);
        return send_buf(c, MHD_HTTP_OK, "text/plain; charset=utf-8", text, n,
                        MHD_RESPMEM_MUST_FREE, NULL);
    }
    /* the page's own files, by exact name: a path is never interpreted */
    if (url[0] == '/' && strchr(url + 1, '/') == NULL && strlen(url) < 64) {
        char name[128];
        snprintf(name, sizeof name, ASSET_PREFIX "%s", url + 1);
        const struct ccs__asset *a = ccs__asset_find(name);
        if (a != NULL)
            return send_buf(c, MHD_HTTP_OK, content_type(a->name), a->text, a->len,
                            MHD_RESPMEM_PERSISTENT, NULL);
    }
    return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
}

static enum MHD_Result post(struct ccs__http *h, struct MHD_Connection *c, struct req *rq)
{
    if (rq->too_large)
        return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc;
    if (rq->kind == REQ_CMD) {
        struct ccs__kv kv[CCS_SRV_KV_MAX];
        size_t n = 0;
        rc = ccs__kv_parse(rq->body ? rq->body : "", rq->len, kv, &n, &d);
        if (rc != 0) /* not what the page sends: a bad request */
            return send_error(c, MHD_HTTP_BAD_REQUEST, d.msg);
        rc = ccs__session_command(h->session, kv, n, &d);
    } else {
        rc = ccs__session_load_text(h->session, rq->body ? rq->body : "", rq->len, &d);
    }
    /* a refused change or a bad scenario is an answer, not a failed request:
       the page shows the message (and the browser logs no error) */
    if (rc != 0)
        return send_error(c, rc == CCS_ENOMEM ? MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_OK,
                          d.msg[0] ? d.msg : ccs_strerror(rc));
    static const char ok[] = "{\"ok\":true}";
    return send_buf(c, MHD_HTTP_OK, "application/json", ok, sizeof ok - 1,
                    MHD_RESPMEM_PERSISTENT, NULL);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    struct ccs__http *h = cls;
    struct req *rq = *con_cls;
    if (rq == NULL) {
        /* the first call: the headers are in, the body (if any) is not */
        rq = ccs_calloc(1, sizeof *rq);
        if (rq == NULL)
            return MHD_NO;
        *con_cls = rq;
        if (h->token != NULL) {
            const char *t = given_token(c);
            if (t == NULL || !same_secret(t, h->token)) {
                rq->kind = REQ_DONE;
                return send_text(c, MHD_HTTP_FORBIDDEN,
                                 "a token is required: open the address ccsim serve printed\n");
            }
        } else if (!loopback_host(h, mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host"))) {
            rq->kind = REQ_DONE;
            return send_text(c, MHD_HTTP_FORBIDDEN, "unknown host\n");
        }
        bool is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        if (is_get) {
            rq->kind = REQ_DONE;
            return get(h, c, url);
        }
        if (strcmp(method, "POST") != 0) {
            rq->kind = REQ_DONE;
            return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
        }
        if (strcmp(url, "/api/cmd") == 0) {
            rq->kind = REQ_CMD;
            rq->limit = CCS_SRV_CMD_MAX;
        } else if (strcmp(url, "/api/load") == 0) {
            rq->kind = REQ_LOAD;
            rq->limit = CCS_SRV_YAML_MAX;
        } else {
            rq->kind = REQ_DONE;
            return send_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
        }
        /* a page of another site cannot set this header without asking */
        const char *xr = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, POST_HEADER);
        if (xr == NULL || strcmp(xr, POST_HEADER_VALUE) != 0) {
            rq->kind = REQ_DONE;
            return send_error(c, MHD_HTTP_FORBIDDEN, "posts need the header "
                                                     POST_HEADER ": " POST_HEADER_VALUE);
        }
        const char *cl = mhd.MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl != NULL && strtoull(cl, NULL, 10) > rq->limit) {
            rq->kind = REQ_DONE;
            return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large");
        }
        return MHD_YES;
    }
    if (rq->kind == REQ_DONE)
        return MHD_YES; /* answered already; MHD drops the rest */
    if (*upload_size > 0) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (rq->too_large || rq->len + n > rq->limit) {
            /* a chunked body past the limit: stop reading, the connection closes */
            rq->too_large = true;
            return MHD_NO;
        }
        if (ccs__grow(&rq->body, &rq->cap, rq->len + n + 1, 1) != 0)
            return MHD_NO;
        memcpy(rq->body + rq->len, upload, n);
        rq->len += n;
        rq->body[rq->len] = '\0';
        return MHD_YES;
    }
    enum MHD_Result ok = post(h, c, rq);
    rq->kind = REQ_DONE;
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)c;
    (void)why;
    struct req *rq = *con_cls;
    if (rq != NULL) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

/* --- the server ----------------------------------------------------------------------------- */

int ccs__http_start(struct ccs__session *s, const struct ccs__catalog *cat,
                    const struct ccs__http_opts *o, struct ccs__http **out, struct ccs_diag *d)
{
    *out = NULL;
    const char *no_lib = ccs__http_load();
    if (no_lib != NULL)
        return ccs_diag_at(d, CCS_EUNSUPPORTED, NULL, 0, 0, "%s", no_lib);
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD;
    if (inet_pton(AF_INET, o->listen, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((uint16_t)o->port);
        sa = (const struct sockaddr *)&a4;
    } else if (inet_pton(AF_INET6, o->listen, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((uint16_t)o->port);
        sa = (const struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
    } else {
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "--listen needs a numeric IPv4 or IPv6 address, got '%s'", o->listen);
    }
    struct ccs__http *h = ccs_calloc(1, sizeof *h);
    if (h == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    h->session = s;
    h->cat = cat;
    h->token = o->token;
    snprintf(h->listen, sizeof h->listen, "%s", o->listen);
    h->daemon = mhd.MHD_start_daemon(
        flags, (uint16_t)o->port, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    if (h->daemon == NULL) {
        free(h);
        return ccs_diag_at(d, CCS_EIO, NULL, 0, 0,
                           "cannot listen on %s port %u (in use, or not an address of this "
                           "machine)",
                           o->listen, o->port);
    }
    const union MHD_DaemonInfo *info =
        mhd.MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_BIND_PORT);
    h->port = info != NULL ? info->port : o->port;
    *out = h;
    return 0;
}

unsigned ccs__http_port(const struct ccs__http *h)
{
    return h->port;
}

void ccs__http_stop(struct ccs__http *h)
{
    if (h == NULL)
        return;
    mhd.MHD_stop_daemon(h->daemon);
    free(h);
}
