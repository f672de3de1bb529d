#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-scale.py - writes a scale scenario for the benchmark (issue "Speed"):
QUEUES queues, GROUPS groups of equal size holding AGENTS agents in all,
each queue served by PER_QUEUE groups spread evenly (so each group has
QUEUES * PER_QUEUE / GROUPS skills), offered load 0.9, exponential handle
time (5 min) and patience (3 min), ACD routing.

  tests/bench/gen-scale.py QUEUES GROUPS AGENTS PER_QUEUE > scale.yaml

e.g. 200 200 10000 150 (the 10,000-agent center with 150 groups per queue)
or 1000 1000 10000 5 (1,000 queues and 1,000 groups)."""
import sys


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    nq, ng, na, per_q = (int(x) for x in sys.argv[1:])
    per_group = max(1, na // ng)
    rate = 0.9 * per_group * ng / 5.0 / nq  # calls per minute per queue
    skills = [[] for _ in range(ng)]
    for q in range(nq):
        first = q * ng // nq
        for j in range(per_q):
            skills[(first + j * ng // per_q) % ng].append(q)
    out = ["# SPDX-License-Identifier: GPL-3.0-or-later",
           "# generated: tests/bench/gen-scale.py %d %d %d %d" % (nq, ng, na, per_q),
           "name: scale %d queues %d groups %d agents" % (nq, ng, na),
           "seed: 12345", "replications: 1", "horizon: 1h", "interval: 1h", "", "queues:"]
    for q in range(nq):
        out += ["  - id: q%d" % q,
                "    arrivals: {rate: %.6f/min}" % rate,
                "    handle_time: {dist: exponential, mean: 5m}",
                "    patience: {dist: exponential, mean: 3m}"]
    out += ["", "groups:"]
    for g in range(ng):
        if not skills[g]:
            skills[g] = [g % nq]
        out += ["  - id: g%d" % g, "    agents: %d" % per_group,
                "    skills: [%s]" % ", ".join("q%d" % q for q in skills[g])]
    out += ["", "routing:", "  policy: acd"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
