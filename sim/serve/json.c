/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * json.c - the page's commands are small flat JSON objects
 * ({"op": "agents", "group": "phone", "n": 12}): a strict parser for just
 * that, which refuses nesting, long keys and values, and anything after
 * the object, with the byte where it went wrong.
 */
#include "serve/serve.h"

#include <string.h>

struct rd {
    const char *p, *end, *start;
    struct ccs_diag *d;
};

static int bad(struct rd *r, const char *what)
{
    return ccs_diag_at(r->d, CCS_EPARSE, "ccsim serve", 0, 0, "bad JSON at byte %ld: %s",
                       (long)(r->p - r->start) + 1, what);
}

static void ws(struct rd *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static int hex4(struct rd *r, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++, r->p++) {
        if (r->p >= r->end)
            return bad(r, "unfinished \\u escape");
        char c = *r->p;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return bad(r, "bad \\u escape");
    }
    *out = v;
    return 0;
}

/* A string into out (cap bytes with the NUL), UTF-8. */
static int str(struct rd *r, char *out, size_t cap)
{
    size_t n = 0;
    if (r->p >= r->end || *r->p != '"')
        return bad(r, "expected a string");
    r->p++;
    for (;;) {
        if (r->p >= r->end)
            return bad(r, "unfinished string");
        unsigned char c = (unsigned char)*r->p;
        if (c == '"') {
            r->p++;
            break;
        }
        if (c < 0x20)
            return bad(r, "control character in a string");
        char buf[4];
        size_t k = 1;
        buf[0] = (char)c;
        r->p++;
        if (c == '\\') {
            if (r->p >= r->end)
                return bad(r, "unfinished escape");
            char e = *r->p++;
            switch (e) {
            case '"': case '\\': case '/': buf[0] = e; break;
            case 'b': buf[0] = '\b'; break;
            case 'f': buf[0] = '\f'; break;
            case 'n': buf[0] = '\n'; break;
            case 'r': buf[0] = '\r'; break;
            case 't': buf[0] = '\t'; break;
            case 'u': {
                unsigned u = 0;
                if (hex4(r, &u) != 0)
                    return CCS_EPARSE;
                if (u == 0 || (u >= 0xd800 && u <= 0xdfff))
                    return bad(r, "unsupported \\u escape");
                if (u < 0x80) {
                    buf[0] = (char)u;
                } else if (u < 0x800) {
                    buf[0] = (char)(0xc0 | (u >> 6));
                    buf[1] = (char)(0x80 | (u & 0x3f));
                    k = 2;
                } else {
                    buf[0] = (char)(0xe0 | (u >> 12));
                    buf[1] = (char)(0x80 | ((u >> 6) & 0x3f));
                    buf[2] = (char)(0x80 | (u & 0x3f));
                    k = 3;
                }
                break;
            }
            default:
                return bad(r, "unknown escape");
            }
        }
        if (n + k >= cap)
            return bad(r, "string too long");
        memcpy(out + n, buf, k);
        n += k;
    }
    out[n] = '\0';
    return 0;
}

static int scalar(struct rd *r, char *out, size_t cap)
{
    const char *s = r->p;
    if (r->end - r->p >= 4 && memcmp(r->p, "true", 4) == 0)
        r->p += 4;
    else if (r->end - r->p >= 5 && memcmp(r->p, "false", 5) == 0)
        r->p += 5;
    else if (r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0)
        r->p += 4;
    else {
        if (r->p < r->end && *r->p == '-')
            r->p++;
        const char *digits = r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
        if (r->p == digits)
            return bad(r, "expected a value (string, number, true, false or null)");
        if (r->p < r->end && *r->p == '.') {
            r->p++;
            const char *frac = r->p;
            while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
                r->p++;
            if (r->p == frac)
                return bad(r, "expected digits after '.'");
        }
        if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
            r->p++;
            if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
                r->p++;
            const char *ex = r->p;
            while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
                r->p++;
            if (r->p == ex)
                return bad(r, "expected an exponent");
        }
    }
    size_t n = (size_t)(r->p - s);
    if (n >= cap)
        return bad(r, "number too long");
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

int ccs__kv_parse(const char *body, size_t len, struct ccs__kv *kv, size_t *n,
                  struct ccs_diag *d)
{
    struct rd r = {body, body + len, body, d};
    *n = 0;
    ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return bad(&r, "expected an object '{'");
    r.p++;
    ws(&r);
    if (r.p < r.end && *r.p == '}') {
        r.p++;
    } else {
        for (;;) {
            if (*n == CCS_SRV_KV_MAX)
                return bad(&r, "too many keys");
            struct ccs__kv *x = &kv[*n];
            ws(&r);
            if (str(&r, x->key, sizeof x->key) != 0)
                return CCS_EPARSE;
            for (size_t i = 0; i < *n; i++)
                if (strcmp(kv[i].key, x->key) == 0)
                    return bad(&r, "duplicate key");
            ws(&r);
            if (r.p >= r.end || *r.p != ':')
                return bad(&r, "expected ':'");
            r.p++;
            ws(&r);
            if (r.p < r.end && (*r.p == '{' || *r.p == '['))
                return bad(&r, "nested values are not accepted");
            x->is_str = r.p < r.end && *r.p == '"';
            if ((x->is_str ? str(&r, x->val, sizeof x->val) : scalar(&r, x->val, sizeof x->val)) != 0)
                return CCS_EPARSE;
            (*n)++;
            ws(&r);
            if (r.p < r.end && *r.p == ',') {
                r.p++;
                continue;
            }
            if (r.p < r.end && *r.p == '}') {
                r.p++;
                break;
            }
            return bad(&r, "expected ',' or '}'");
        }
    }
    ws(&r);
    if (r.p != r.end)
        return bad(&r, "text after the object");
    return 0;
}

const char *ccs__kv_get(const struct ccs__kv *kv, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(kv[i].key, key) == 0)
            return kv[i].val;
    return NULL;
}
