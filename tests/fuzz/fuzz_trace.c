/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_trace.c - libFuzzer harness: any bytes as the CSV trace file of a
 * fixed scenario's `trace:` block, so it exercises whichever trace reader
 * the loader uses (sim/load/trace_load.c). The first byte chooses the
 * block's options (on_error skip or fail, which columns are mapped, a start
 * clock time), the rest is the file.
 */
#include "ccs/ccs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    char tpath[128], spath[128], yaml[2048];
    fuzz_write("t.csv", data + 1, size - 1, tpath, sizeof tpath);
    snprintf(yaml, sizeof yaml,
             "name: fuzz trace\n"
             "horizon: 8h\n"
             "interval: 1h\n"
             "start_time: 08:00\n"
             "replications: 1\n"
             "trace:\n"
             "  file: t.csv\n"
             "  columns: {time: time%s%s%s%s%s}\n"
             "  queues: {S: sales, T: support}\n"
             "%s%s"
             "queues:\n"
             "  - {id: sales, arrivals: trace, handle_time: {dist: exponential, mean: 3m},\n"
             "     patience: {dist: exponential, mean: 2m},\n"
             "     segments: [{id: vip, credit: 30s}, {id: normal}]}\n"
             "  - {id: support, arrivals: trace, handle_time: {dist: exponential, mean: 5m}}\n"
             "groups:\n"
             "  - {id: team, agents: 8, skills: [sales, support]}\n",
             opt & 1 ? ", queue: queue" : "", opt & 2 ? ", handle: handle" : "",
             opt & 4 ? ", wait: wait" : "", opt & 8 ? ", outcome: outcome" : "",
             opt & 16 ? ", segment: segment" : "", opt & 32 ? "  on_error: skip\n" : "",
             opt & 64 ? "  start: 07:30\n" : "");
    fuzz_write("s.yaml", yaml, strlen(yaml), spath, sizeof spath);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(spath, NULL, 0, &sc, &d) == 0)
        ccs_scenario_free(sc);
    return 0;
}
