#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bank_log_kpis.py - the service a call-center log shows, for comparing a
replay with reality (docs/replay.md).

usage: scripts/bank_log_kpis.py LOG [--from 07:00] [--within 20]

LOG is an Anonymous Bank file (17 whitespace-separated columns). Counts calls
that reached the queue (not PHANTOM; not hung up in the voice menu) arriving
at or after --from, and prints their abandonment, ASA and service level
(answered within --within seconds / offered), as ccsim defines them.
"""
import argparse


def sec(s):
    h, m, x = map(int, s.split(":"))
    return h * 3600 + m * 60 + x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--from", dest="start", default="07:00:00")
    ap.add_argument("--within", type=float, default=20)
    a = ap.parse_args()
    start = sec(a.start if a.start.count(":") == 2 else a.start + ":00")
    n = ab = within = 0
    wait_ans = 0.0
    for line in list(open(a.log))[1:]:
        r = line.split()
        if len(r) != 17 or r[12] == "PHANTOM":
            continue
        queued = r[9] != "0:00:00"
        if not queued and r[12] == "HANG":
            continue
        if (sec(r[9]) if queued else sec(r[7])) < start:
            continue
        n += 1
        w = int(r[11]) if queued else 0
        if r[12] == "HANG":
            ab += 1
        else:
            wait_ans += w
            within += w <= a.within
    print("offered %d  abandoned %.2f%%  ASA %.1fs  service level %.1f%%"
          % (n, 100 * ab / n, wait_ans / (n - ab), 100 * within / n))


if __name__ == "__main__":
    main()
