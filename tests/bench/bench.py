#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench.py - ccsim against the hand-written reference loops, side by side.

Runs workloads W1 (scenarios/erlang-a.yaml) and W2 (scenarios/multiskill.yaml) with
ccsim and with the reference C programs, alternating, several rounds, and
reports median calls/s, the ratio ccsim/reference, and ccsim's peak RSS.
The reference sources are built in a scratch folder and never committed.

ccsim's time is the whole process (parse, simulate, report); the reference
times only its inner loop, so the ratio slightly favours the reference.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

WORKLOADS = [
    # name, scenario, reference binary, calls per minute
    ("W1 Erlang-A", "erlang-a.yaml", "erlang_a", 95.0),
    ("W2 multi-skill", "multiskill.yaml", "multiskill", 95.0),
]


def run_ref(binary, calls):
    out = subprocess.run([binary, "-n", str(calls)], check=True, capture_output=True, text=True).stdout
    for tok in out.split():
        if tok.startswith("calls_per_s="):
            return float(tok.split("=")[1])
    raise RuntimeError("no calls_per_s in reference output:\n" + out)


def run_ccsim(ccsim, scenario, calls, per_min):
    horizon_min = calls / per_min
    cmd = [ccsim, "run", scenario, "--json", "--replications", "1",
           "--set", "horizon=%.6fm" % horizon_min]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    offered = json.loads(p.stdout)["overall"]["offered"]["mean"]
    return offered / wall


RSS_TOOL = None


def peak_rss_kib(cmd):
    """Peak RSS of one command, via the small C wrapper ccs_rss (wait4)."""
    err = subprocess.run([RSS_TOOL, *cmd], check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    for line in err.splitlines():
        if line.startswith("peak_rss_kib="):
            return int(line.split("=")[1])
    raise RuntimeError("no peak_rss_kib from ccs_rss: " + err)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ccsim", required=True)
    ap.add_argument("--scenarios", required=True)
    ap.add_argument("--cref", required=True, help="folder of the reference programs (CCS_BENCH_REF)")
    ap.add_argument("--work", required=True, help="scratch folder")
    ap.add_argument("--calls", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rss-tool", required=True, help="the ccs_rss wrapper")
    ap.add_argument("--baseline", help="another ccsim build (e.g. an earlier commit) timed in "
                    "the same rounds: prints its calls/s and ccsim's speed relative to it")
    a = ap.parse_args()
    global RSS_TOOL
    RSS_TOOL = a.rss_tool

    if not os.path.isdir(a.cref):
        sys.exit("bench: reference programs not found at %s" % a.cref)
    ref_dir = os.path.join(a.work, "cref")
    shutil.rmtree(ref_dir, ignore_errors=True)
    shutil.copytree(a.cref, ref_dir)
    subprocess.run(["make", "-s", "-C", ref_dir], check=True)

    print("ccsim vs hand-written reference, %d calls, %d rounds, alternating (medians)"
          % (a.calls, a.rounds))
    print("%-16s %14s %14s %7s %12s %12s" % ("workload", "ccsim calls/s", "ref calls/s",
                                             "ratio", "RSS 1M (KiB)", "RSS 10x (KiB)"))
    base_lines = []
    for name, scen, binary, per_min in WORKLOADS:
        scenario = os.path.join(a.scenarios, scen)
        ref = os.path.join(ref_dir, binary)
        ours, theirs, base = [], [], []
        for _ in range(a.rounds):
            theirs.append(run_ref(ref, a.calls))
            ours.append(run_ccsim(a.ccsim, scenario, a.calls, per_min))
            if a.baseline:
                base.append(run_ccsim(a.baseline, scenario, a.calls, per_min))
        if base:
            mb = statistics.median(base)
            base_lines.append("%-16s baseline %.0f calls/s, this build %.0f: %+.1f%%"
                              % (name, mb, statistics.median(ours),
                                 100 * (statistics.median(ours) / mb - 1)))
        mo, mt = statistics.median(ours), statistics.median(theirs)
        # Memory does not grow with calls: peak RSS at N/10 and N calls with the
        # same number of reporting intervals (the per-interval report is O(intervals)).
        rss = []
        for calls in (a.calls // 10, a.calls):
            h = calls / per_min
            rss.append(peak_rss_kib([a.ccsim, "run", scenario, "--json", "-r", "1",
                                     "--set", "horizon=%.6fm" % h,
                                     "--set", "interval=%.6fm" % (h / 24)]))
        print("%-16s %14.0f %14.0f %6.2fx %12d %12d" % (name, mo, mt, mo / mt, rss[0], rss[1]))
        sys.stdout.flush()
    for line in base_lines:
        print(line)
    print("RSS columns: peak resident memory of ccsim at %d and %d calls (24 reporting "
          "intervals each)." % (a.calls // 10, a.calls))
    as_shipped = peak_rss_kib([a.ccsim, "run", os.path.join(a.scenarios, "multiskill.yaml"),
                               "--json", "-r", "1"])
    print("W2 as shipped (73 days, 1752 hourly intervals): peak RSS %d KiB" % as_shipped)


if __name__ == "__main__":
    main()
