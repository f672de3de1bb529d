/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_sweep.c - libFuzzer harness: any bytes as a sweep file (docs/sweep.md)
 * whose `scenario:` may name base.yaml, a small scenario beside it; the plan
 * is read and prepared (grid expanded, every point derived and validated).
 */
#include "ccs/ccs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    char path[128];
    if (!ready) {
        fuzz_write("base.yaml", fuzz_base_scenario, strlen(fuzz_base_scenario), path,
                   sizeof path);
        ready = 1;
    }
    fuzz_write("sweep.yaml", data, size, path, sizeof path);
    struct ccs_sweep_plan *p = ccs_sweep_plan_new();
    if (p == NULL)
        return 0;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_sweep_plan_load_file(p, path, &d) == 0 && ccs_sweep_plan_prepare(p, &d) == 0)
        (void)ccs_sweep_plan_design(p);
    ccs_sweep_plan_free(p);
    return 0;
}
