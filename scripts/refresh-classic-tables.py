#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""refresh-classic-tables.py - rewrite the KPI tables of docs/classic.md from
the summary.csv files of `ccsim run scenarios/classic/NAME.yaml --out DIR/NAME`
(DIR given as the argument). Each table's header names its columns (overall,
a queue id or a group id); each row's first cell names the KPI. The prose
around the tables is not touched: read it again after a refresh.

  for m in telethon bank bilingual teamwork; do
    build/ccsim run scenarios/classic/$m.yaml --out /tmp/cls/$m; done
  scripts/refresh-classic-tables.py /tmp/cls
"""
import csv, os, re, sys

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
    open(doc, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
