# SPDX-License-Identifier: GPL-3.0-or-later
# test_channels_out.sh - service level and ASA per channel in compare's and
# sweep's outputs (issue 19): compare.csv / compare.json channel rows
# (offered, service level, ASA), equal to each variant's own summary.csv
# channel rows and paired with the baseline's; the sweep's text table with
# a line per channel when the scenario has several, and unchanged with one.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/omnichannel.yaml"

# compare: three rows per channel (offered, service level, ASA), after the keyed rows
expect 0 "$CCSIM" compare "$S" --variant "more:groups.digital.agents=8" -r 3 --out "$TMP/c"
python3 - "$TMP/c" <<'PY' || fail "compare channel rows"
import csv, json, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/compare.csv")))
ch = [r for r in rows if r["scope"] == "channel"]
assert rows[-len(ch):] == ch, "channel rows come last"
assert [(r["variant"], r["queue"], r["metric"]) for r in ch[:4]] == [
    ("baseline", "voice", "offered"), ("more", "voice", "offered"),
    ("baseline", "voice", "service_level"), ("more", "voice", "service_level")]
chans = []
for r in ch:
    if r["queue"] not in chans:
        chans.append(r["queue"])
assert chans == ["voice", "chat", "email", "outbound"], chans
# each variant's channel rows are its own run's (summary.csv, same replications)
for v in ("baseline", "more"):
    s = {(r["queue"], r["metric"]): r for r in csv.DictReader(open(f"{d}/{v}/summary.csv"))
         if r["scope"] == "channel"}
    for r in ch:
        if r["variant"] == v:
            o = s[(r["queue"], r["metric"])]
            for k in ("n", "mean", "halfwidth"):
                assert r[k] == o[k], (v, r["queue"], r["metric"], k, r[k], o[k])
by = {(r["variant"], r["queue"], r["metric"]): r for r in ch}
for c in chans:
    b, m = by[("baseline", c, "service_level")], by[("more", c, "service_level")]
    assert b["verdict"] == "baseline" and float(b["diff"]) == 0
    assert abs(float(m["diff"]) - (float(m["mean"]) - float(b["mean"]))) < 1e-9
    assert m["unit"] == "fraction" and m["interval"] == "" and m["day"] == ""
# two more digital agents: chat answers sooner, e-mail stays within its promise
assert by[("more", "chat", "service_level")]["verdict"] == "better"
assert by[("more", "chat", "asa")]["verdict"] == "better"
assert by[("more", "chat", "asa")]["unit"] == "seconds"
assert by[("more", "chat", "offered")]["verdict"] == "n/a"
j = json.load(open(d + "/compare.json"))
jk = [k for k in j["keys"] if k["scope"] == "channel"]
assert len(jk) == 3 * len(chans) and j["keys"][-len(jk):] == jk
assert [k["metric"] for k in jk[:3]] == ["offered", "service_level", "asa"]
k = jk[4]
assert (k["queue"], k["metric"], k["interval"], k["better"]) == ("chat", "service_level", None, 1)
assert [v["variant"] for v in k["variants"]] == ["baseline", "more"]
r = by[("more", "chat", "service_level")]
assert abs(k["variants"][1]["diff"] - float(r["diff"])) < 1e-9
assert k["variants"][1]["verdict"] == "better"
PY

# sweep: a line per channel under each point, its service level as
# sweep.csv's channel row, its difference and verdict against the baseline's
expect 0 "$CCSIM" sweep "$S" --grid groups.digital.agents=6,8 -r 3 --baseline 0 --out "$TMP/s"
cp "$TMP/out" "$TMP/stable"
python3 - "$TMP/stable" "$TMP/s/sweep.csv" <<'PY' || fail "sweep table per channel"
import csv, re, sys
lines = open(sys.argv[1]).read().split("\n")
allrows = list(csv.DictReader(open(sys.argv[2])))
rows = [r for r in allrows if r["scope"] == "channel" and r["metric"] == "service_level"]
asa = {(r["point"], r["queue"]): r for r in allrows
       if r["scope"] == "channel" and r["metric"] == "asa"}
def pct(x):
    return "%.2f%%" % (100 * float(x))
def sec(x):
    return "%.2fs" % float(x)
i = next(k for k, l in enumerate(lines) if l.startswith("  g0 "))
for p, start in (("0", i), ("1", i + 5)):
    assert lines[start].startswith("  g" + p + " "), lines[start]
    mine = [r for r in rows if r["point"] == p]
    assert [r["queue"] for r in mine] == ["voice", "chat", "email", "outbound"]
    for k, r in enumerate(mine):
        l = lines[start + 1 + k]
        assert l.startswith("    " + r["queue"] + " "), l
        assert l == l.rstrip(), "trailing blanks: %r" % l
        assert pct(r["mean"]) + " ± " + pct(r["halfwidth"]) in l, (l, r["mean"])
        a = asa[(p, r["queue"])]
        if float(a["mean"]) < 600:
            assert sec(a["mean"]) + " ± " + sec(a["halfwidth"]) in l, (l, a["mean"])
        assert l.endswith(r["verdict"]), (l, r["verdict"])
        if p == "1":
            assert re.search(r"[+-]?%s ± %s" % (re.escape(pct(abs(float(r["diff"])))),
                                                re.escape(pct(r["diff_halfwidth"]))), l), l
chat = [l for l in lines if l.startswith("    chat ")][1]
assert chat.endswith("better"), chat
assert "Indented: each channel's own service level" in "\n".join(lines)
PY
# one channel: no channel lines (the table as it was)
expect 0 "$CCSIM" sweep "$SRC/scenarios/default.yaml" --grid groups.sales_team.agents=15,16 -r 2 \
  --out "$TMP/d"
grep -q "^    voice" "$TMP/out" && fail "a single-channel sweep has channel lines"
grep -q "Indented:" "$TMP/out" && fail "a single-channel sweep has the channel note"
# ... where the channel's service level and ASA are the overall ones
python3 - "$TMP/d/sweep.csv" <<'PY' || fail "one channel: its rows are the overall ones"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for p in ("0", "1"):
    for m in ("service_level", "asa"):
        o = [r for r in rows if r["point"] == p and r["scope"] == "overall" and r["metric"] == m]
        c = [r for r in rows if r["point"] == p and r["scope"] == "channel" and r["metric"] == m]
        assert len(o) == 1 and len(c) == 1 and c[0]["queue"] == "voice", (p, m)
        assert abs(float(o[0]["mean"]) - float(c[0]["mean"])) <= 1e-9 * abs(float(o[0]["mean"])), (p, m)
PY

finish
