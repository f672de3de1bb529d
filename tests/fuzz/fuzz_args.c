/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_args.c - libFuzzer harness: the command-line value parsers. The first
 * byte chooses the parser, the rest (up to a NUL) is the argument:
 *   0 --set KEY.PATH=VALUE (parsed, then applied to a small scenario)
 *   1 --grid KEY.PATH=V1,V2 and 2 --point NAME:K=V,... (a sweep of that
 *     scenario, prepared), 3 --variant NAME:K=V,...,
 *   4 --precision [SCOPE:]KPI=HALFWIDTH, 5 durations, rates, fractions,
 *     numbers, whole numbers and booleans as scenario values are read.
 */
#include "ccs/ccs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *base_path(void)
{
    static char path[128];
    if (path[0] == '\0')
        fuzz_write("base.yaml", fuzz_base_scenario, strlen(fuzz_base_scenario), path,
                   sizeof path);
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    struct ccs_diag d;
    ccs_diag_clear(&d);
    switch (data[0] % 6) {
    case 0: {
        size_t cap = strlen(text) + 1;
        char *buf = malloc(cap);
        struct ccs_override ov;
        if (ccs_override_parse(text, "--set", buf, cap, &ov, &d) == 0) {
            struct ccs_scenario *sc = NULL;
            if (ccs_scenario_load(base_path(), &ov, 1, &sc, &d) == 0)
                ccs_scenario_free(sc);
        }
        free(buf);
        break;
    }
    case 1:
    case 2: {
        struct ccs_sweep_plan *p = ccs_sweep_plan_new();
        if (p != NULL && ccs_sweep_plan_set_scenario(p, base_path(), &d) == 0 &&
            (data[0] % 6 == 1 ? ccs_sweep_plan_add_grid(p, text, "--grid", &d)
                              : ccs_sweep_plan_add_point(p, text, "--point", &d)) == 0)
            (void)ccs_sweep_plan_prepare(p, &d);
        ccs_sweep_plan_free(p);
        break;
    }
    case 3: {
        struct ccs_variant_spec v;
        if (ccs_variant_spec_parse(text, "--variant", &v, &d) == 0)
            ccs_variant_spec_release(&v);
        break;
    }
    case 4: {
        struct ccs_precision pr;
        (void)ccs_precision_parse(text, "--precision", &pr, &d);
        break;
    }
    default: {
        double x;
        long long k;
        bool b;
        const char *why;
        (void)ccs_parse_duration(text, &x, &why);
        (void)ccs_parse_rate(text, &x, &why);
        (void)ccs_parse_fraction(text, &x, &why);
        (void)ccs_parse_number(text, &x, &why);
        (void)ccs_parse_int(text, &k, &why);
        (void)ccs_parse_bool(text, &b, &why);
        break;
    }
    }
    free(text);
    return 0;
}
