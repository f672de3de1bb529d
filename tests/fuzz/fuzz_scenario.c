/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_scenario.c - libFuzzer harness: any bytes as a scenario file, through
 * the whole loader (YAML, schema, distributions, staffing, routing, the
 * layout, transfer loops). A scenario that loads is also derived by its
 * variants, if it lists any. Must never crash, hang or leak.
 */
#include "ccs/ccs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[128];
    fuzz_write("s.yaml", data, size, path, sizeof path);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) == 0) {
        size_t nv = ccs_scenario_variant_count(sc);
        for (size_t i = 0; i < nv && i < 4; i++) {
            struct ccs_scenario *v = NULL;
            ccs_diag_clear(&d);
            if (ccs_scenario_variant_derive(sc, i, &v, &d) == 0)
                ccs_scenario_free(v);
        }
        ccs_scenario_free(sc);
    }
    return 0;
}
