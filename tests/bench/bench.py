#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench.py - ccsim against the hand-written reference loops, side by side.

Runs workloads W1 (scenarios/erlang-a.yaml) and W2 (scenarios/multiskill.yaml) with
ccsim and with the reference C programs, alternating, several rounds, and
reports median calls/s, the ratio ccsim/reference, and ccsim's peak RSS.
The reference sources are built in a scratch folder and never committed.

Time is CPU time (user + system of the whole process, from wait4) by
default, so that other processes on a shared machine change it little;
--clock wall gives elapsed time instead. Each round runs the reference and
ccsim back to back and gives one ratio; the ratio printed is the median of
the rounds' ratios (paired), the calls/s the medians of each side.
With --scale, the scale scenarios of tests/bench/gen-scale.py are timed
in rounds paired with W1, and their CPU cost per call is printed relative
to W1's; beside them, when it builds, the hand-written loop of the same
model (tests/bench/scale_ref.c) in the same rounds: its own marginal cost
over the reference's W1 cost, and ccsim's marginal cost over its own.
With --counts besides, the same rows in valgrind cachegrind's counts
(instructions and simulated second-level misses per call): one run each,
the same on any load of the machine.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, time

CLOCK = "cpu"

WORKLOADS = [
    # name, scenario, reference binary, calls per minute
    ("W1 Erlang-A", "erlang-a.yaml", "erlang_a", 95.0),
    ("W2 multi-skill", "multiskill.yaml", "multiskill", 95.0),
]


def timed(cmd):
    """Run cmd; return (stdout, seconds): user+sys CPU time of the process
    (CLOCK "cpu") or its elapsed time (CLOCK "wall")."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    # communicate() has reaped the child; its rusage is in RUSAGE_CHILDREN
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode, err))
    return out, wall


def child_cpu():
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(cmd):
    c0 = child_cpu()
    out, wall = timed(cmd)
    cpu = child_cpu() - c0
    return out, (cpu if CLOCK == "cpu" else wall)


def run_ref(binary, calls):
    """Calls per second of the reference (the whole process under --clock
    cpu; its own inner-loop figure under --clock wall)."""
    out, secs = measure([binary, "-n", str(calls)])
    key = "calls=" if CLOCK == "cpu" else "calls_per_s="
    for tok in out.split():
        if tok.startswith(key):
            v = float(tok.split("=")[1])
            return v / secs if CLOCK == "cpu" else v
    raise RuntimeError("no %s in reference output:\n%s" % (key, out))


def run_ccsim(ccsim, scenario, calls, per_min):
    horizon_min = calls / per_min
    cmd = [ccsim, "run", scenario, "--json", "--replications", "1",
           "--set", "horizon=%.6fm" % horizon_min]
    out, secs = measure(cmd)
    offered = json.loads(out)["overall"]["offered"]["mean"]
    return offered / secs


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
    global RSS_TOOL, CLOCK, SCALE_SHORT, SCALE_LONG
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
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="cpu: user+sys time of each process (default); wall: elapsed")
    ap.add_argument("--scale", action="store_true",
                    help="also time the scale scenarios against W1 (cost per call)")
    ap.add_argument("--scale-minutes", default="%d,%d" % (SCALE_SHORT, SCALE_LONG),
                    help="SHORT,LONG: the horizons, in minutes, whose difference gives the "
                    "marginal cost (default %(default)s; longer runs, less noise)")
    ap.add_argument("--scale-ref", help="the scale reference binary (tests/bench/scale_ref.c; "
                    "default: compiled with cc into the scratch folder, skipped if that fails)")
    ap.add_argument("--scale-only", action="store_true",
                    help="only the scale rows (no W1/W2 table, no RSS columns)")
    ap.add_argument("--skip-rss", action="store_true", help="no peak-RSS columns")
    ap.add_argument("--counts", action="store_true",
                    help="with --scale: also the scale rows in instructions and simulated "
                    "cache misses (valgrind's cachegrind, one run each: deterministic, "
                    "unlike CPU time where other tenants share the caches)")
    a = ap.parse_args()
    try:
        SCALE_SHORT, SCALE_LONG = (int(m) for m in a.scale_minutes.split(","))
    except ValueError:
        sys.exit("bench: --scale-minutes wants SHORT,LONG in minutes, e.g. 60,600")
    if not 0 < SCALE_SHORT < SCALE_LONG:
        sys.exit("bench: --scale-minutes wants 0 < SHORT < LONG")
    RSS_TOOL = a.rss_tool
    CLOCK = a.clock

    if not os.path.isdir(a.cref):
        sys.exit("bench: reference programs not found at %s" % a.cref)
    ref_dir = os.path.join(a.work, "cref")
    shutil.rmtree(ref_dir, ignore_errors=True)
    shutil.copytree(a.cref, ref_dir)
    subprocess.run(["make", "-s", "-C", ref_dir], check=True)
    a.ref_dir = ref_dir
    if a.scale_only:
        scale_rows(a)
        if a.counts:
            count_rows(a)
        return

    print("ccsim vs hand-written reference, %d calls, %d rounds, alternating, %s time; "
          "ratio = median of the rounds' ratios" % (a.calls, a.rounds,
                                                    "CPU (user+sys)" if CLOCK == "cpu" else "wall"))
    print("%-16s %14s %14s %7s %12s %12s" % ("workload", "ccsim calls/s", "ref calls/s",
                                             "ratio", "RSS 1M (KiB)", "RSS 10x (KiB)"))
    base_lines = []
    for name, scen, binary, per_min in WORKLOADS:
        scenario = os.path.join(a.scenarios, scen)
        ref = os.path.join(ref_dir, binary)
        ours, theirs, base, ratios = [], [], [], []
        for _ in range(a.rounds):
            theirs.append(run_ref(ref, a.calls))
            ours.append(run_ccsim(a.ccsim, scenario, a.calls, per_min))
            ratios.append(ours[-1] / theirs[-1])
            if a.baseline:
                base.append(run_ccsim(a.baseline, scenario, a.calls, per_min))
        if base:
            mb = statistics.median(base)
            base_lines.append("%-16s baseline %.0f calls/s, this build %.0f: %+.1f%%"
                              % (name, mb, statistics.median(ours),
                                 100 * (statistics.median(ours) / mb - 1)))
        mo, mt = statistics.median(ours), statistics.median(theirs)
        ratio = statistics.median(ratios)
        best = max(ours) / max(theirs)  # the fastest round of each side
        if a.skip_rss:
            print("%-16s %14.0f %14.0f %6.2fx   (fastest rounds %.2fx; rounds: %s)" % (
                name, mo, mt, ratio, best, " ".join("%.3f" % r for r in ratios)))
            sys.stdout.flush()
            continue
        # Memory does not grow with calls: peak RSS at N/10 and N calls with the
        # same number of reporting intervals (the per-interval report is O(intervals)).
        rss = []
        for calls in (a.calls // 10, a.calls):
            h = calls / per_min
            rss.append(peak_rss_kib([a.ccsim, "run", scenario, "--json", "-r", "1",
                                     "--set", "horizon=%.6fm" % h,
                                     "--set", "interval=%.6fm" % (h / 24)]))
        print("%-16s %14.0f %14.0f %6.2fx %12d %12d" % (name, mo, mt, ratio, rss[0], rss[1]))
        print("%-16s fastest rounds %.2fx; rounds' ratios: %s" % (
            "", best, " ".join("%.3f" % r for r in ratios)))
        sys.stdout.flush()
    for line in base_lines:
        print(line)
    if a.scale:
        scale_rows(a)
        if a.counts:
            count_rows(a)
    if a.skip_rss:
        return
    print("RSS columns: peak resident memory of ccsim at %d and %d calls (24 reporting "
          "intervals each)." % (a.calls // 10, a.calls))
    as_shipped = peak_rss_kib([a.ccsim, "run", os.path.join(a.scenarios, "multiskill.yaml"),
                               "--json", "-r", "1"])
    print("W2 as shipped (73 days, 1752 hourly intervals): peak RSS %d KiB" % as_shipped)


SCALE = [
    # label, gen-scale.py arguments (queues groups agents groups-per-queue)
    ("10,000 agents / 200 groups / 200 queues", (200, 200, 10000, 150)),
    ("1,000 queues / 1,000 groups", (1000, 1000, 10000, 5)),
]
SCALE_SHORT, SCALE_LONG = 30, 150  # minutes: both past the warm-up of an empty start
# The reference's runs take some 10-60 ms of CPU: each is repeated (seeds
# 1..SCALE_REF_REPS, the same for both horizons) and the times summed, so
# that the difference is well above the clock's and the start-up's noise.
SCALE_REF_REPS = 5


def scale_ref_binary(a):
    """The scale reference: --scale-ref, else compiled from scale_ref.c
    beside this script into the scratch folder; None if it does not build."""
    if a.scale_ref:
        return a.scale_ref if os.access(a.scale_ref, os.X_OK) else None
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scale_ref.c")
    out = os.path.join(a.work, "scale_ref")
    cc = os.environ.get("CC", "cc")
    r = subprocess.run([cc, "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-O2", "-o", out, src,
                        "-lm"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print("scale reference not built (%s): %s" % (cc, r.stderr.strip()[:200]))
        return None
    return out


def run_scale_ref(binary, args, minutes):
    """Calls and CPU seconds (summed over SCALE_REF_REPS seeds) of the scale
    reference on gen-scale.py's model with args, for minutes."""
    calls, secs = 0, 0.0
    for seed in range(1, SCALE_REF_REPS + 1):
        out, s = measure([binary, "-q", str(args[0]), "-g", str(args[1]), "-a", str(args[2]),
                          "-p", str(args[3]), "-m", str(minutes), "-s", str(seed)])
        calls += int(next(t for t in out.split() if t.startswith("calls=")).split("=")[1])
        secs += s
    return calls, secs


def scale_rows(a):
    """CPU cost per call of the scale scenarios over W1's, paired rounds.
    Two figures: the whole process over its calls (loading and set-up
    included: at tens of thousands of calls they dominate), and the
    marginal cost, the difference between a long and a short horizon over
    the difference in calls (what each further call costs). With the scale
    reference, two more in the same rounds: its marginal cost over its own
    W1 cost (erlang_a at the calls of W1 here, whole process), what a
    hand-written loop pays at that scale; and ccsim's marginal cost over
    the reference's."""
    gen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen-scale.py")
    w1 = os.path.join(a.scenarios, "erlang-a.yaml")
    w1_calls = max(a.calls // 10, 100000)
    ref = scale_ref_binary(a)
    erlang_a = os.path.join(a.ref_dir, "erlang_a")
    print("cost per call vs W1 (%s time, W1 at %d calls, %d paired rounds): "
          "whole process, and marginal (%d-minute run minus %d-minute run)"
          % ("CPU" if CLOCK == "cpu" else "wall", w1_calls, a.rounds, SCALE_LONG, SCALE_SHORT))
    if ref:
        print("  ref: the hand-written loop of the same model (scale_ref.c, %d seeds a run), "
              "its marginal cost over erlang_a's on W1 (%d calls); ccsim/ref: ccsim's "
              "marginal cost over the loop's, and at W1 ccsim's cost over erlang_a's"
              % (SCALE_REF_REPS, w1_calls))

    def run(path, minutes):
        out, secs = measure([a.ccsim, "run", path, "--json", "-r", "1",
                             "--set", "horizon=%dm" % minutes, "--set", "interval=%dm" % SCALE_LONG])
        return json.loads(out)["overall"]["offered"]["mean"], secs

    for label, args in SCALE:
        path = os.path.join(a.work, "scale-%d-%d-%d-%d.yaml" % args)
        with open(path, "w") as f:
            subprocess.run([sys.executable, gen, *map(str, args)], check=True, stdout=f)
        whole, marginal, ref_own, vs_ref, vs_ref_w1 = [], [], [], [], []
        w1_costs, longs, shorts = [], [], []
        for _ in range(a.rounds):
            w1_cost = 1.0 / run_ccsim(a.ccsim, w1, w1_calls, 95.0)
            c_long, s_long = run(path, SCALE_LONG)
            c_short, s_short = run(path, SCALE_SHORT)
            w1_costs.append(w1_cost)
            longs.append(s_long)
            shorts.append(s_short)
            whole.append(s_long / c_long / w1_cost)
            ours = (s_long - s_short) / (c_long - c_short)
            marginal.append(ours / w1_cost)
            if ref:
                ref_w1_cost = 1.0 / run_ref(erlang_a, w1_calls)
                r_long, rs_long = run_scale_ref(ref, args, SCALE_LONG)
                r_short, rs_short = run_scale_ref(ref, args, SCALE_SHORT)
                theirs = (rs_long - rs_short) / (r_long - r_short)
                ref_own.append(theirs / ref_w1_cost)
                vs_ref.append(ours / theirs)
                vs_ref_w1.append(w1_cost / ref_w1_cost)
        # The same marginal from the fastest run of each kind (the same calls
        # every round: the runs are deterministic): the cost with the least
        # interference from the rest of the machine, steadier than the
        # median of ratios where other tenants share the caches.
        fastest = (min(longs) - min(shorts)) / (c_long - c_short) / min(w1_costs)
        print("%-42s whole %7.2fx  marginal %6.2fx  fastest runs %5.2fx  (%d calls; "
              "marginal rounds: %s)" % (
                  label, statistics.median(whole), statistics.median(marginal), fastest,
                  c_long, " ".join("%.2f" % r for r in marginal)))
        if ref:
            print("%-42s ref    %6.2fx  ccsim/ref %5.2fx, at W1 %.2fx  (ref rounds: %s; "
                  "ccsim/ref rounds: %s)" % (
                      "", statistics.median(ref_own), statistics.median(vs_ref),
                      statistics.median(vs_ref_w1), " ".join("%.2f" % r for r in ref_own),
                      " ".join("%.2f" % r for r in vs_ref)))
        sys.stdout.flush()


# cachegrind's model: this machine's first level, a second level of 512 KB
# (the L2 of the machines the targets were set on), the third ignored.
CG = ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--D1=32768,8,64",
      "--LL=524288,8,64"]


def counts(cmd, work):
    """(instructions, second-level data misses) of cmd under cachegrind, and
    its standard output."""
    out_file = os.path.join(work, "cachegrind.out")
    r = subprocess.run(CG + ["--cachegrind-out-file=" + out_file] + cmd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    got = {}
    for line in r.stderr.splitlines():
        m = re.search(r"(I\s+refs|LLd misses):\s+([\d,]+)", line)
        if m:
            got[m.group(1).split()[0]] = int(m.group(2).replace(",", ""))
    return got["I"], got["LLd"], r.stdout


def count_rows(a):
    """The scale rows again in cachegrind's counts: instructions and
    second-level misses per call, marginal (long run minus short) over W1's
    per call (whole process, W1 at its calls), for ccsim and for the
    hand-written loop (one seed a run). One run each: the counts do not
    depend on the machine's load."""
    if shutil.which("valgrind") is None:
        print("counts: valgrind not found, skipped")
        return
    w1 = os.path.join(a.scenarios, "erlang-a.yaml")
    w1_calls = max(a.calls // 10, 100000)
    ref = scale_ref_binary(a)
    erlang_a = os.path.join(a.ref_dir, "erlang_a")

    def ccsim(path, extra):
        i, m, out = counts([a.ccsim, "run", path, "--json", "-r", "1"] + extra, a.work)
        return json.loads(out)["overall"]["offered"]["mean"], i, m

    c, i, m = ccsim(w1, ["--set", "horizon=%.6fm" % (w1_calls / 95.0)])
    w1_i, w1_m = i / c, m / c
    print("cachegrind counts (32 KB first level, 512 KB second; one run each), per call: "
          "marginal (%d-minute run minus %d-minute run) over W1's (%d calls, whole process)"
          % (SCALE_LONG, SCALE_SHORT, w1_calls))
    print("%-42s instructions %.0f, second-level misses %.2f" % ("W1 ccsim", w1_i, w1_m))
    if ref:
        i, m, out = counts([erlang_a, "-n", str(w1_calls)], a.work)
        rc = float(next(t for t in out.split() if t.startswith("calls=")).split("=")[1])
        ref_i, ref_m = i / rc, m / rc
        print("%-42s instructions %.0f, second-level misses %.2f" % ("W1 reference", ref_i, ref_m))
    for label, args in SCALE:
        path = os.path.join(a.work, "scale-%d-%d-%d-%d.yaml" % args)
        got = [ccsim(path, ["--set", "horizon=%dm" % mins, "--set", "interval=%dm" % SCALE_LONG])
               for mins in (SCALE_SHORT, SCALE_LONG)]
        dc = got[1][0] - got[0][0]
        di, dm = (got[1][1] - got[0][1]) / dc, (got[1][2] - got[0][2]) / dc
        line = "%-42s instructions %.0f (%.2fx W1), misses %.2f" % (label, di, di / w1_i, dm)
        if ref:
            r = []
            for mins in (SCALE_SHORT, SCALE_LONG):
                i, m, out = counts([ref, "-q", str(args[0]), "-g", str(args[1]), "-a",
                                    str(args[2]), "-p", str(args[3]), "-m", str(mins), "-s", "1"],
                                   a.work)
                r.append((int(next(t for t in out.split() if t.startswith("calls=")).split("=")[1]),
                          i, m))
            rdc = r[1][0] - r[0][0]
            ri, rm = (r[1][1] - r[0][1]) / rdc, (r[1][2] - r[0][2]) / rdc
            line += ";  ref instructions %.0f (%.2fx its W1), misses %.2f" % (ri, ri / ref_i, rm)
        print(line)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
