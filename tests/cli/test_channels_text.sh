# SPDX-License-Identifier: GPL-3.0-or-later
# test_channels_text.sh - the channel rows where the CSV/JSON had them and
# the terminal did not (issue 19): run's table gives each channel's ASA
# beside its service level; compare's table a block per channel (offered,
# service level, ASA; one line per variant, readable with 4 variants and
# more), equal to compare.csv's channel rows; batch-means compares have
# channel rows too (from each batch's queue values), or say why not.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/omnichannel.yaml"

# run: "ASA by channel" as summary.csv's channel asa rows
expect 0 "$CCSIM" run "$S" -r 3 --out "$TMP/r"
cp "$TMP/out" "$TMP/run.txt"
python3 - "$TMP/run.txt" "$TMP/r/summary.csv" <<'PY' || fail "run: ASA by channel"
import csv, sys
lines = open(sys.argv[1]).read().split("\n")
rows = {(r["queue"], r["metric"]): r for r in csv.DictReader(open(sys.argv[2]))
        if r["scope"] == "channel"}
i = lines.index("ASA by channel (mean wait of the contacts its queues answered)")
assert lines[i - 1] == "" and lines[i - 2].startswith("  outbound (1 queue)"), lines[i - 2]
got = lines[i + 1:i + 5]
for l, ch in zip(got, ["voice", "chat", "email", "outbound"]):
    assert l.startswith("  " + ch + " ("), l
    m = float(rows[(ch, "asa")]["mean"])
    if m < 600:  # shorter durations print in seconds
        assert "%.2fs" % m in l, (l, m)
assert lines[i + 5] == "", lines[i + 5]
PY
# one channel: neither block
expect 0 "$CCSIM" run "$SRC/scenarios/default.yaml" -r 2
grep -q "by channel" "$TMP/out" && fail "a single-channel run has channel blocks"

# compare, 5 variants: a block per channel after Overall, a line per variant
expect 0 "$CCSIM" compare "$S" -r 3 --variant a:groups.phone.agents=14 \
  --variant b:groups.phone.agents=18 --variant c:groups.digital.agents=6 \
  --variant more:groups.digital.agents=8 --out "$TMP/c"
cp "$TMP/out" "$TMP/cmp.txt"
python3 - "$TMP/cmp.txt" "$TMP/c/compare.csv" <<'PY' || fail "compare: channel blocks"
import csv, sys
text = open(sys.argv[1]).read()
lines = text.split("\n")
rows = {(r["variant"], r["queue"], r["metric"]): r for r in csv.DictReader(open(sys.argv[2]))
        if r["scope"] == "channel"}
heads = [k for k, l in enumerate(lines) if l.startswith("Channel ")]
assert [lines[k].split()[1] for k in heads] == ["voice", "chat", "email", "outbound"], heads
assert lines[heads[0]] == ("Channel voice (queues voice, billing; service level within each "
                           "queue's own threshold)"), lines[heads[0]]
assert lines.index("Overall") < heads[0] and lines.index("Queue voice (target 80% within 20s)") > heads[-1]
variants = ["baseline", "a", "b", "c", "more"]
labels = {"offered": "Offered", "service_level": "Service level", "asa": "ASA"}
for k in heads:
    ch = lines[k].split()[1]
    assert lines[k + 1].split()[:2] == ["KPI", "variant"], lines[k + 1]
    body = lines[k + 2:k + 2 + 3 * len(variants)]
    for j, metric in enumerate(["offered", "service_level", "asa"]):
        for vi, v in enumerate(variants):
            l = body[j * len(variants) + vi]
            assert l == l.rstrip() and len(l) <= 110, repr(l)
            want = labels[metric] if vi == 0 else ""
            assert l[2:27].strip() == want and l[27:].split()[0] == v, (l, want, v)
            r = rows[(v, ch, metric)]
            if metric == "service_level":
                assert "%.2f%% ± %.2f%%" % (100 * float(r["mean"]), 100 * float(r["halfwidth"])) in l, l
            if vi == 0:
                assert l.rstrip().endswith("%") or l.rstrip().endswith("s") or l[-1].isdigit(), l
            else:
                assert l.endswith(r["verdict"]), (l, r["verdict"])
    assert lines[k + 2 + 3 * len(variants)] == "", ch
# two more digital agents: chat better, in the chat block
chat = lines[heads[1]:heads[2]]
sl = chat.index(next(l for l in chat if l.startswith("  Service level")))
assert chat[sl + 4].split()[0] == "more" and chat[sl + 4].endswith("better"), chat[sl + 4]
PY
# one channel: no channel block
expect 0 "$CCSIM" compare "$SRC/scenarios/default.yaml" -r 2 --variant a:groups.sales_team.agents=18
grep -q "^Channel " "$TMP/out" && fail "a single-channel compare has channel blocks"

# batch means (a warm-up): channel rows from each batch's queue values. The
# voice and e-mail channels have one queue each: their rows are the queues'.
B="$SRC/scenarios/blended-email.yaml"
expect 0 "$CCSIM" compare "$B" --set warmup=2h --variant a:groups.team.agents=14 \
  --variant r2:routing.reserve=2 --out "$TMP/b" --json
cp "$TMP/out" "$TMP/b.json"
expect 0 "$CCSIM" compare "$B" --set warmup=2h --set service_level_definition=answered \
  --variant a:groups.team.agents=14 --variant r2:routing.reserve=2 --out "$TMP/ba"
stdout_has "Channel voice (queue voice; service level within each queue's own threshold)"
python3 - "$TMP/b/compare.csv" "$TMP/b.json" "$TMP/ba/compare.csv" <<'PY' || fail "batch means: channel rows"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
ch = [r for r in rows if r["scope"] == "channel"]
assert len(ch) == 2 * 3 * 3 and rows[-len(ch):] == ch, len(ch)
q = {(r["variant"], r["queue"], r["metric"]): r for r in rows
     if r["scope"] == "queue" and r["interval"] == ""}
for r in ch:
    o = q[(r["variant"], r["queue"], r["metric"])]  # queue id = channel name here
    assert int(r["n"]) >= 10 and r["n"] == o["n"], (r["n"], o["n"])
    for k in ("mean", "halfwidth", "diff", "diff_halfwidth"):
        assert abs(float(r[k]) - float(o[k])) <= 1e-9 * max(1, abs(float(o[k]))), (r, k, o[k])
    assert r["verdict"] == o["verdict"], (r["verdict"], o["verdict"])
j = json.load(open(sys.argv[2]))
assert j["method"] == "batch-means" and j["batch_means"]["channel_rows"] is True
assert len([k for k in j["keys"] if k["scope"] == "channel"]) == 6
# the 'answered' definition gives back the same counts: the same channel service level
other = {(r["variant"], r["queue"], r["metric"]): r for r in csv.DictReader(open(sys.argv[3]))
         if r["scope"] == "channel"}
for r in ch:
    o = other[(r["variant"], r["queue"], r["metric"])]
    assert abs(float(r["mean"]) - float(o["mean"])) <= 1e-12, (r, o)
PY
# a definition whose counts a batch does not keep: no rows, and the table says why
expect 0 "$CCSIM" compare "$B" --set warmup=2h --set service_level_definition=handled \
  --variant a:groups.team.agents=14 --out "$TMP/bh"
stdout_has "Channels: no service level or ASA per channel in batch-means mode under the 'handled'"
grep -q "^Channel " "$TMP/out" && fail "batch means under 'handled' shows channel blocks"
grep -q ",channel," "$TMP/bh/compare.csv" && fail "batch means under 'handled' has channel rows"
grep -q '"channel_rows": false' "$TMP/bh/compare.json" || fail "compare.json lacks channel_rows: false"
# ... but not for a single-channel scenario, where no channel rows were due
expect 0 "$CCSIM" compare "$SRC/scenarios/default.yaml" --set warmup=1h \
  --set service_level_definition=handled --variant a:groups.sales_team.agents=18
grep -q "^Channels: " "$TMP/out" && fail "a single-channel batch compare has the channel note"

finish
