#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""scale_check.py - does the hand-written loop of the scale scenarios
(tests/bench/scale_ref.c) simulate the model ccsim simulates? Runs each
scale scenario of bench.py (and the 200-queue one at load 1.0, where
contacts wait, so that the freed agent's choice matters) with ccsim
(-r REPS, 150 minutes) and with the loop (SEEDS seeds), and prints offered
calls, abandonment fraction, mean wait (answered and abandoned, seconds),
fraction that waited and unfinished contacts, each as mean and 95%
half-width, and whether the difference is within the two half-widths
combined (root of the sum of squares).
Not a ctest test: a check to run when either side changes.

  scale_check.py CCSIM SCALE_REF [REPS [SEEDS]]
"""
import json, math, os, statistics, subprocess, sys, tempfile

# label, gen-scale.py arguments, load (the generator's is 0.9)
CASES = [
    ("200 queues / 200 groups / 10,000 agents, 150 groups a queue", (200, 200, 10000, 150), 0.9),
    ("same at load 1.0", (200, 200, 10000, 150), 1.0),
    ("1,000 queues / 1,000 groups / 10,000 agents, 5 groups a queue", (1000, 1000, 10000, 5), 0.9),
]
MINUTES = 150
# 97.5% quantiles of Student's t, by degrees of freedom
T975 = {4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201,
        12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101,
        19: 2.093, 20: 2.086, 24: 2.064, 29: 2.045, 39: 2.023}
KPIS = [("offered", "calls"), ("abandon_rate", "p_ab"), ("mean_wait", "mean_wait_s"),
        ("p_wait", "p_wait"), ("unfinished", "unfinished")]


def t975(df):
    """the quantile for df (for a df not listed, the next lower one's: wider)"""
    if df < 4:
        return 3.182
    return T975[max(k for k in T975 if k <= df)]


def scenario(args, load, folder):
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-scale.py")
    text = subprocess.run([sys.executable, gen, *map(str, args)], check=True,
                          capture_output=True, text=True).stdout
    rate = 0.9 * max(1, args[2] // args[1]) * args[1] / 5.0 / args[0]
    text = text.replace("rate: %.6f/min" % rate, "rate: %.6f/min" % (rate * load / 0.9))
    path = os.path.join(folder, "scale-%d-%d-%d-%d-%g.yaml" % (*args, load))
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ccsim, ref = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    seeds = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    with tempfile.TemporaryDirectory() as folder:
        for label, args, load in CASES:
            out = subprocess.run([ccsim, "run", scenario(args, load, folder), "--json", "-r",
                                  str(reps), "--set", "horizon=%dm" % MINUTES],
                                 check=True, capture_output=True, text=True).stdout
            overall = json.loads(out)["overall"]
            rows = []
            for seed in range(1, seeds + 1):
                out = subprocess.run([ref, "-q", str(args[0]), "-g", str(args[1]), "-a",
                                      str(args[2]), "-p", str(args[3]), "-l", str(load),
                                      "-m", str(MINUTES), "-s", str(seed)],
                                     check=True, capture_output=True, text=True).stdout
                rows.append(dict(t.split("=", 1) for t in out.split() if "=" in t))
            print("%s (ccsim -r %d, loop %d seeds)" % (label, reps, seeds))
            for name, key in KPIS:
                xs = [float(r[key]) for r in rows]
                m = statistics.mean(xs)
                hw = t975(len(xs) - 1) * statistics.stdev(xs) / math.sqrt(len(xs))
                c = overall[name]
                d = m - c["mean"]
                both = math.hypot(hw, c["halfwidth"])
                print("  %-13s ccsim %11.5g +- %-9.3g loop %11.5g +- %-9.3g diff %+.3g (%s)" % (
                    name, c["mean"], c["halfwidth"], m, hw, d,
                    "within" if abs(d) <= both else "OUTSIDE"))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
