#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_teaching_cliff.sh - the occupancy-cliff lesson as run in class
# (docs/teaching.md: `ccsim compare scenarios/teaching/occupancy-cliff.yaml`):
# every variant's 95% interval of service level and ASA contains Erlang C's
# exact value (from `ccsim erlang --json`), and the table in docs/teaching.md
# shows what the command prints. Usage: test_teaching_cliff.sh CCSIM SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
cd "$SRC"
expect 0 "$CCSIM" compare scenarios/teaching/occupancy-cliff.yaml --out "$TMP/cliff"
for r in 140 160 170 180 190 196; do
  "$CCSIM" erlang --rate $r/h --aht 3m --agents 10 --within 20s --json >"$TMP/erlang-$r.json" ||
    fail "ccsim erlang --rate $r/h"
done
python3 - "$TMP" docs/teaching.md <<'PY' || fail "the class run disagrees with Erlang C or with docs/teaching.md"
import json, re, sys
tmp, doc = sys.argv[1], sys.argv[2]
cmp = json.load(open(f"{tmp}/cliff/compare.json"))
rate = {"baseline": 140, "occ80": 160, "occ85": 170, "occ90": 180, "occ95": 190, "occ98": 196}
sim = {}
for k in cmp["keys"]:
    if k["scope"] == "overall" and k["metric"] in ("asa", "service_level"):
        for v in k["variants"]:
            sim[(k["metric"], rate[v["variant"]])] = v
bad = 0
rows = {}
for r in rate.values():
    th = json.load(open(f"{tmp}/erlang-{r}.json"))["results"][0]
    for m, scale, unit in (("service_level", 100, "%"), ("asa", 1, " s")):
        v = sim[(m, r)]
        ok = v["ci_low"] <= th[m] <= v["ci_high"]
        print(f"{r}/h {m}: theory {th[m] * scale:.2f}, simulated {v['mean'] * scale:.2f} "
              f"± {v['halfwidth'] * scale:.2f} {'ok' if ok else 'MISSES'}")
        bad += not ok
        rows.setdefault(r, []).append(f"{v['mean'] * scale:.2f} ± {v['halfwidth'] * scale:.2f}{unit}")
text = open(doc, encoding="utf-8").read()
table = text[text.index("<!-- teaching: occupancy cliff -->"):]
for r, (sl, asa) in rows.items():
    m = re.search(rf"^\| {r} \|.*$", table, re.M)
    cells = [c.strip() for c in m.group(0).strip("|").split("|")] if m else []
    if len(cells) != 7 or cells[4] != sl or cells[6] != asa:
        print(f"docs/teaching.md row {r}: shows {cells[4:5]} {cells[6:7]}, the run prints {sl}, {asa}")
        bad += 1
sys.exit(1 if bad else 0)
PY
finish
