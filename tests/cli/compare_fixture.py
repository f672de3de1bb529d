#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""compare_fixture.py - a compare.csv built from plain `ccsim run --out` results,
for testing the comparison charts before (and independently of) `ccsim compare`.

    compare_fixture.py OUT.csv NAME=RUNDIR [NAME=RUNDIR ...]

The first variant is the baseline (diff 0, verdict "baseline", as ccsim compare
writes it). Differences are mean(variant) - mean(baseline)
with an unpaired half-width sqrt(hw_a^2 + hw_b^2): good enough for a fixture,
not a statistic to trust (`ccsim compare` pairs replications).
"""
import csv
import math
import sys

HEADER = ("variant,scope,queue,segment,group,interval,metric,unit,n,mean,halfwidth,"
          "ci_low,ci_high,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict").split(",")
# direction of "better" for the KPIs whose verdict matters here
BETTER = {"service_level": 1, "asa": -1, "abandon_rate": -1, "mean_wait": -1,
          "wait_p90": -1, "abandoned": -1, "p_wait": -1, "queue_length": -1}


def rows(d):
    for r in csv.DictReader(open(f"{d}/summary.csv")):
        r["interval"] = ""
        yield r
    for r in csv.DictReader(open(f"{d}/intervals.csv")):
        yield r


def key(r):
    return (r["scope"], r["queue"], r["segment"], r["group"], r["interval"], r["metric"])


def num(s):
    return float(s) if s not in ("", None) else math.nan


def fmt(v):
    return "" if math.isnan(v) else "%.10g" % v


def main():
    out, specs = sys.argv[1], [a.split("=", 1) for a in sys.argv[2:]]
    data = [(name, {key(r): r for r in rows(d)}) for name, d in specs]
    base = data[0][1]
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for k, b in base.items():
            for name, rs in data:
                r = rs.get(k)
                if r is None:
                    continue
                m, hw = num(r["mean"]), num(r["halfwidth"])
                d = m - num(b["mean"])
                dhw = math.hypot(hw, num(b["halfwidth"])) if rs is not base else 0.0
                better = BETTER.get(k[5], 0)
                if rs is base:
                    verdict = "baseline"
                elif better == 0 or math.isnan(d) or math.isnan(dhw):
                    verdict = "n/a"
                elif abs(d) <= dhw:
                    verdict = "no significant difference"
                else:
                    verdict = "better" if d * better > 0 else "worse"
                w.writerow([name, *k[:5], k[5], r["unit"], r["n"], fmt(m), fmt(hw),
                            fmt(m - hw), fmt(m + hw), fmt(d), fmt(dhw), fmt(d - dhw),
                            fmt(d + dhw), verdict])


if __name__ == "__main__":
    main()
