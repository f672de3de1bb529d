#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""refresh-classic-tables.py - rewrite the KPI tables of docs/classic.md from
the summary.csv files of `ccsim run scenarios/classic/NAME.yaml --out DIR/NAME`
(DIR given as the argument). Each table's header names its columns (overall,
a queue id or a group id); each row's first cell names the KPI. The prose
around the tables is not touched: read it again after a refresh.

It also rewrites the tables between <!-- compare:NAME --> and
<!-- /compare:NAME --> (section "Against the published results"): the
ContactCenters library's published results (REFERENCE below, quoted from
umontreal-simul/contactcenters, doc/examples/*.res, 1000 replications, 95%
Student-t intervals; "func. of averages" rows by the delta method) beside
the same statistics computed from ccsim's replications.csv, converted to
the same definition (CONVERSIONS says how).

  for m in telethon bank bilingual teamwork teamwork_original; do
    build/ccsim run scenarios/classic/$m.yaml -j2 --out /tmp/cls/$m; done
  scripts/refresh-classic-tables.py /tmp/cls
"""
import csv, math, os, re, sys

SECTIONS = {"telethon.yaml": "telethon", "bank.yaml": "bank",
            "bilingual.yaml": "bilingual", "teamwork.yaml": "teamwork"}


def load(path):
    rows = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["scope"] == "overall":
                key = ("overall", r["metric"])
            elif r["scope"] == "queue" and not r["segment"]:
                key = (r["queue"], r["metric"])
            elif r["scope"] == "group":
                key = (r["group"], r["metric"])
            else:
                continue
            if r["mean"] != "":  # a KPI with no value in this run
                rows[key] = (float(r["mean"]), float(r["halfwidth"] or 0), r["unit"])
    return rows


def cell(v):
    mean, hw, unit = v
    if unit == "fraction":
        return "%.2f%% ± %.2f%%" % (100 * mean, 100 * hw)
    if unit == "seconds":
        return "%.1f s ± %.1f s" % (mean, hw)
    return "%.2f ± %.2f" % (mean, hw)




# --- comparison with the published ContactCenters results -------------------

T975 = 1.9623  # Student t, 999 degrees of freedom, 95% two-sided


def load_reps(path):
    """replication -> {(queue or group or "overall", metric): value}"""
    reps = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["segment"] or r["scope"] not in ("overall", "queue", "group"):
                continue
            who = r["queue"] or r["group"] or "overall"
            reps.setdefault(int(r["replication"]), {})[(who, r["metric"])] = float(r["value"] or "nan")
    return [reps[k] for k in sorted(reps)]


def mean_hw(xs):
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1)
    return m, T975 * math.sqrt(var / n)


def ratio_hw(num, den):
    """sum(num) / sum(den) with its delta-method half-width"""
    n = len(num)
    r = sum(num) / sum(den)
    res = [a - r * b for a, b in zip(num, den)]
    _, hw = mean_hw(res)
    return r, hw / (sum(den) / n)


def v(rep, who, metric):
    return rep[(who, metric)]


def in_target(rep, q):
    return v(rep, q, "sl_offered") * v(rep, q, "offered")


# Published values: (label, mean, ci_low, ci_high) or (label, mean, None, sd)
# for the "all types"/"all groups" rows that the .res prints without an
# interval (half-width then from sd: t * sd / sqrt(1000)).
REFERENCE = {
    "telethon": {"source": "Telethon.res", "per": 1, "rows": [
        ("arrived", 1000.169, 998.111, 1002.227),
        ("served", 963.109, 961.372, 964.846),
        ("blocked", 0.0, 0.0, 0.0),
        ("abandoned", 31.820, 31.172, 32.468),
        ("messages", 4.960, 4.776, 5.144),
        ("disconnected at closing", 0.280, 0.235, 0.325),
        ("in target (wait < 1 min)", 950.265, 948.579, 951.951),
        ("service level, % (in target / 1000)", 95.026, 94.858, 95.195),
        ("speed of answer, s", 0.036 * 60, 0.036 * 60, 0.037 * 60),
        ("occupancy, %", 66.772, 66.607, 66.936),
    ]},
    "bank": {"source": "Bank.res", "per": 5, "rows": [
        ("arrived, savings", 99.819, 99.196, 100.442),
        ("arrived, checking", 1000.146, 998.212, 1002.080),
        ("arrived, balance", 2502.340, 2499.236, 2505.444),
        ("arrived, all", 3602.305, None, 58.647),
        ("blocked, savings", 0.069, 0.052, 0.086),
        ("blocked, checking", 0.756, 0.683, 0.829),
        ("blocked, balance", 1.826, 1.687, 1.965),
        ("blocked, all", 2.651, None, 3.125),
        ("abandoned, savings", 0.017, 0.009, 0.025),
        ("abandoned, checking", 0.161, 0.130, 0.192),
        ("abandoned, balance", 5.357, 5.038, 5.676),
        ("abandoned, all", 5.535, None, 5.334),
        ("disconnected at closing, all", 0.023, None, 0.175),
        ("service level, %, savings", 99.234, 99.172, 99.295),
        ("service level, %, checking", 99.461, 99.431, 99.491),
        ("service level, %, balance", 97.301, 97.237, 97.365),
        ("service level, %, all", 97.954, None, 0.813),
        ("service time, min, savings", 3.781, 3.758, 3.805),
        ("service time, min, checking", 3.852, 3.844, 3.860),
        ("service time, min, balance", 0.999, 0.998, 1.001),
        ("waiting time, s, savings", 0.024 * 60, 0.023 * 60, 0.026 * 60),
        ("waiting time, s, checking", 0.028 * 60, 0.027 * 60, 0.029 * 60),
        ("waiting time, s, balance", 0.036 * 60, 0.035 * 60, 0.037 * 60),
        ("occupancy, %, savings specialists", 25.353, 25.281, 25.425),
        ("occupancy, %, checking specialists", 43.093, 43.014, 43.172),
        ("occupancy, %, all groups", 35.496, None, 1.044),
    ]},
    "bilingual": {"source": "Bilingual.res", "per": 5, "rows": [
        ("arrived, English", 2555.811, 2552.285, 2559.337),
        ("arrived, Spanish", 2554.350, 2550.813, 2557.887),
        ("arrived, all", 5110.161, 5105.009, 5115.313),
        ("retrials, English", 54.073, 53.236, 54.910),
        ("retrials, Spanish", 53.095, 52.273, 53.917),
        ("retrials, all", 107.168, 105.841, 108.495),
        ("served, English", 2483.933, 2480.916, 2486.950),
        ("served, Spanish", 2483.302, 2480.233, 2486.371),
        ("served, all", 4967.235, 4962.946, 4971.524),
        ("abandoned, English", 71.848, 70.815, 72.881),
        ("abandoned, Spanish", 71.020, 69.999, 72.041),
        ("abandoned, all", 142.868, 141.209, 144.527),
        ("disconnected at closing, all", 0.058, 0.040, 0.076),
        ("in target, English", 2448.662, 2445.778, 2451.546),
        ("in target, Spanish", 2448.223, 2445.251, 2451.195),
        ("in target, all", 4896.885, 4892.789, 4900.981),
        ("service level, %, English", 97.946, 97.831, 98.062),
        ("service level, %, Spanish", 97.929, 97.810, 98.048),
        ("service level, %, all", 97.938, 97.856, 98.020),
        ("occupancy, %, English-only", 47.624, 47.563, 47.684),
        ("occupancy, %, Spanish-only", 47.639, 47.580, 47.699),
        ("occupancy, %, bilingual", 63.254, 63.197, 63.310),
        ("occupancy, %, all groups", 51.103, 51.059, 51.148),
    ]},
    "teamwork": {"source": "Teamwork.res", "per": 7, "rows": [
        ("arrived", 7003.654, 6998.267, 7009.041),
        ("blocked (no line)", 0.026, 0.0099, 0.042),
        ("served (by tech support or the manager)", 866.968, 866.148, 867.788),
        ("disconnected (tech support busy, or closing)", 1339.118, 1337.646, 1340.590),
        ("abandoned (reception or manager queue)", 4797.542, 4792.064, 4803.020),
        # not in the .res: the sum of the two rows above, with the sum of
        # their half-widths (conservative: the two counts are correlated)
        ("abandoned + disconnected", 6136.660, 6136.660 - 6.950, 6136.660 + 6.950),
        ("occupancy, %, reception", 98.258, 98.243, 98.273),
        ("occupancy, %, accounting", 10.995, 10.963, 11.027),
        ("occupancy, %, tech support", 94.657, 94.631, 94.682),
        ("occupancy, %, development", 5.663, 5.632, 5.693),
        ("occupancy, %, manager", 27.244, 27.092, 27.397),
        ("occupancy, %, all groups", 71.370, 71.350, 71.390),
    ]},
}

PCT = 100.0
BK = ["savings", "checking", "balance"]
BL = ["english", "spanish"]


def _bank_occ(reps, g):
    return [PCT * v(r, g, "work_occupancy") for r in reps]


def _tw_occ(rep, g):
    # every group is staffed 9 h (8 AM-5 PM), as in the program
    return PCT * v(rep, g, "work_occupancy")


def _tw_cut(rep):
    # disconnected: tech support busy (blocked there) or closed, and the
    # callers still queued at 5 PM (reception, manager)
    return v(rep, "tech", "blocked") + v(rep, "overall", "disconnected")


TW_GROUPS = [("reception", 2), ("accounting", 1), ("tech_support", 5),
             ("development", 1), ("manager", 1)]

# How each published statistic is computed from ccsim's replications: a
# function of the list of replications returning (mean, half-width), or None
# where ccsim has no counterpart.
CONVERSIONS = {
    "telethon": {"run": "telethon", "rows": [
        lambda R: mean_hw([v(r, "overall", "offered") for r in R]),
        lambda R: mean_hw([v(r, "overall", "answered") for r in R]),
        lambda R: mean_hw([v(r, "overall", "blocked") for r in R]),
        lambda R: mean_hw([v(r, "overall", "abandoned") for r in R]),
        lambda R: mean_hw([v(r, "overall", "messages") for r in R]),
        lambda R: mean_hw([v(r, "overall", "disconnected") for r in R]),
        lambda R: mean_hw([in_target(r, "overall") for r in R]),
        lambda R: mean_hw([PCT * in_target(r, "overall") / 1000 for r in R]),
        lambda R: ratio_hw([v(r, "overall", "asa") * v(r, "overall", "answered") for r in R],
                           [v(r, "overall", "answered") for r in R]),
        lambda R: mean_hw([PCT * v(r, "volunteers", "work_occupancy") for r in R]),
    ]},
    "bank": {"run": "bank", "rows":
        [(lambda q: lambda R: mean_hw([v(r, q, "offered") for r in R]))(q) for q in BK + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "blocked") for r in R]))(q) for q in BK + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "abandoned") for r in R]))(q) for q in BK + ["overall"]] +
        [lambda R: mean_hw([v(r, "overall", "disconnected") for r in R])] +
        [(lambda q: lambda R: tuple(PCT * x for x in ratio_hw(
            [in_target(r, q) for r in R], [v(r, q, "offered") for r in R])))(q) for q in BK + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "aht") / 60 for r in R]))(q) for q in BK] +
        [(lambda q: lambda R: mean_hw([v(r, q, "asa") * v(r, q, "answered") / v(r, q, "offered")
                                       for r in R]))(q) for q in BK] +
        [lambda R: mean_hw(_bank_occ(R, "savings_specialists")),
         lambda R: mean_hw(_bank_occ(R, "checking_specialists")),
         lambda R: mean_hw([PCT * v(r, "overall", "work_occupancy") for r in R])]},
    "bilingual": {"run": "bilingual", "rows":
        [(lambda q: lambda R: mean_hw([v(r, q, "offered") for r in R]))(q) for q in BL + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "redials") for r in R]))(q) for q in BL + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "answered") for r in R]))(q) for q in BL + ["overall"]] +
        [(lambda q: lambda R: mean_hw([v(r, q, "abandoned") for r in R]))(q) for q in BL + ["overall"]] +
        [lambda R: mean_hw([v(r, "overall", "disconnected") for r in R])] +
        [(lambda q: lambda R: mean_hw([in_target(r, q) for r in R]))(q) for q in BL + ["overall"]] +
        [(lambda q, e: lambda R: mean_hw([PCT * in_target(r, q) / e for r in R]))(q, e)
         for q, e in (("english", 500), ("spanish", 500), ("overall", 1000))] +
        [(lambda g: lambda R: mean_hw([PCT * v(r, g, "work_occupancy") for r in R]))(g)
         for g in ("english_only", "spanish_only", "bilingual", "overall")]},
    "teamwork": {"run": "teamwork_original", "rows": [
        lambda R: mean_hw([v(r, "reception", "offered") for r in R]),
        lambda R: mean_hw([v(r, "reception", "blocked") for r in R]),
        lambda R: mean_hw([v(r, "tech", "answered") + v(r, "manager", "answered") for r in R]),
        lambda R: mean_hw([_tw_cut(r) for r in R]),
        lambda R: mean_hw([v(r, "reception", "abandoned") + v(r, "manager", "abandoned")
                           for r in R]),
        lambda R: mean_hw([v(r, "reception", "abandoned") + v(r, "manager", "abandoned") +
                           _tw_cut(r) for r in R]),
    ] + [(lambda g: lambda R: mean_hw([_tw_occ(r, g) for r in R]))(g) for g, _ in TW_GROUPS] + [
        lambda R: mean_hw([sum(n * _tw_occ(r, g) for g, n in TW_GROUPS) / 10 for r in R]),
    ]},
}
COMPARE = CONVERSIONS


def fmt(x):
    a = abs(x)
    return "%.0f" % x if a >= 1000 else "%.1f" % x if a >= 100 else "%.2f" % x if a >= 1 else "%.3f" % x


def compare_table(name, reps):
    ref, conv = REFERENCE[name], CONVERSIONS[name]
    assert len(ref["rows"]) == len(conv["rows"]), name
    per = ref["per"]
    out = ["| statistic | ContactCenters | ccsim | difference / combined half-width |",
           "|---|---|---|---|"]
    for (label, m, lo, hi), f in zip(ref["rows"], conv["rows"]):
        if lo is None:  # the .res gives sd only
            hw = T975 * hi / math.sqrt(1000)
        else:
            hw = (hi - lo) / 2
        ratio = label.startswith(("service level", "service time", "waiting time",
                                  "speed of answer", "occupancy"))
        if not ratio:  # counts: the .res counts are per week, ccsim's per day
            m, hw = m / per, hw / per
        cc = "%s ± %s" % (fmt(m), fmt(hw))
        if f is None:
            out.append("| %s | %s | (not modelled) | |" % (label, cc))
            continue
        cm, chw = f(reps)
        comb = math.sqrt(hw * hw + chw * chw)
        z = abs(cm - m) / comb if comb > 0 else (0.0 if cm == m else float("inf"))
        out.append("| %s | %s | %s ± %s | %.1f%s |" % (label, cc, fmt(cm), fmt(chw), z,
                                                   "" if z <= 1 else " **(outside)**"))
    return "\n".join(out) + "\n"


def main():
    out_dir = sys.argv[1]
    doc = "docs/classic.md"
    lines = open(doc).read().split("\n")
    data, cols = None, None
    for i, line in enumerate(lines):
        m = re.match(r"### .*\(`(\w+\.yaml)`\)", line)
        if m:
            data = load(os.path.join(out_dir, SECTIONS[m.group(1)], "summary.csv"))
            continue
        if data is None or not line.startswith("| "):
            if not line.startswith("|"):
                cols = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "KPI":
            cols = cells[1:]
            continue
        if cols is None or not cells[0].startswith("`"):
            continue
        kpi = cells[0].strip("`")
        new = [cells[0]] + [cell(data[(c, kpi)]) for c in cols]
        lines[i] = "| " + " | ".join(new) + " |"
    text = "\n".join(lines)
    for name in COMPARE:
        path = os.path.join(out_dir, COMPARE[name]["run"], "replications.csv")
        if not os.path.exists(path):
            continue
        table = compare_table(name, load_reps(path))
        text = re.sub(r"(<!-- compare:%s -->\n).*?(<!-- /compare:%s -->)" % (name, name),
                      lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    open(doc, "w").write(text)


if __name__ == "__main__":
    main()
