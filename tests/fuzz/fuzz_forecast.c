/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_forecast.c - libFuzzer harness: any bytes as the CSV file of a fixed
 * scenario's `forecast:` block (sim/load/forecast_load.c). The first byte
 * chooses the block's options (which day column: none, weekday, date or one
 * datetime; the queue, AHT and patience columns; on_error skip; a German
 * dialect; a 30-minute step), the rest is the file.
 */
#include "ccs/ccs.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned opt = data[0];
    static const char *const day[] = {"interval: start", "weekday: day, interval: start",
                                      "date: date, interval: start", "datetime: at"};
    char fpath[128], spath[128], yaml[2048];
    fuzz_write("f.csv", data + 1, size - 1, fpath, sizeof fpath);
    snprintf(yaml, sizeof yaml,
             "name: fuzz forecast\n"
             "horizon: 4h\n"
             "interval: 1h\n"
             "start_time: 08:00\n"
             "replications: 1\n"
             "forecast:\n"
             "  file: f.csv\n"
             "  columns: {%s, volume: calls%s%s%s}\n"
             "%s%s%s%s"
             "queues:\n"
             "  - {id: sales, arrivals: forecast,\n"
             "     handle_time: {dist: exponential, mean: %s},\n"
             "     patience: {dist: exponential, mean: %s}}\n"
             "  - {id: support, arrivals: forecast, handle_time: {dist: exponential, mean: 5m}}\n"
             "groups:\n"
             "  - {id: team, agents: 8, skills: [sales, support]}\n",
             day[opt & 3], opt & 4 ? ", queue: queue" : "", opt & 8 ? ", aht: aht" : "",
             opt & 16 ? ", patience: patience" : "",
             opt & 4 ? "  queues: {S: sales, T: support}\n" : "",
             opt & 32 ? "  on_error: skip\n" : "",
             opt & 64 ? "  separator: ';'\n  decimal: ','\n  date_format: dd.mm.yyyy\n" : "",
             opt & 128 ? "  interval: 30m\n" : "", opt & 8 ? "forecast" : "3m", opt & 16 ? "forecast" : "2m");
    fuzz_write("s.yaml", yaml, strlen(yaml), spath, sizeof spath);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(spath, NULL, 0, &sc, &d) == 0)
        ccs_scenario_free(sc);
    return 0;
}
