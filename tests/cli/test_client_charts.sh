# SPDX-License-Identifier: GPL-3.0-or-later
# test_client_charts.sh - outputs a client reads (issue 19): clock times on
# the charts' time axes and in the per-interval CSV files (dates and
# weekdays past midnight), channels apart (a waiting chart per channel, a
# service level per channel in text, JSON and CSV), durations as h:mm:ss
# in text and HTML with their half-widths spelled alike, target lines on
# the comparison's service-level chart.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
O="$SRC/scenarios/omnichannel.yaml"
command -v gnuplot >/dev/null || { echo "gnuplot is needed (scripts/bootstrap.sh installs it)" >&2; exit 1; }

# one day from 08:00: clock labels, no "time since start"
expect 0 "$CCSIM" run "$S" -r 2 --set start_time=08:00 --out "$TMP/a" --plots
head -1 "$TMP/a/intervals.csv" | grep -q ',ci_low,ci_high,day,clock$' || fail "intervals.csv: day,clock appended"
grep -q '^0,0,1800,overall,.*,1,08:00:00$' "$TMP/a/intervals.csv" || fail "intervals.csv: first clock"
grep -q '^15,27000,28800,.*,1,15:30:00$' "$TMP/a/intervals.csv" || fail "intervals.csv: last clock"
grep -q '^600,queue,sales,,waiting,.*,1,08:10:00$' "$TMP/a/timeseries.csv" || fail "timeseries.csv: clock"
for c in service_level waiting agents occupancy; do
  grep -q '>Time of day<' "$TMP/a/charts/$c.svg" || fail "$c: axis title"
  grep -q '>08:00<' "$TMP/a/charts/$c.svg" || fail "$c: a tick at 08:00"
  grep -q '>16:00<' "$TMP/a/charts/$c.svg" || fail "$c: a tick at 16:00"
  grep -q 'Time since start' "$TMP/a/charts/$c.svg" && fail "$c: time since start"
done
python3 - "$TMP/a/summary.json" <<'PY' || fail "summary.json: start and channels"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"]["start_time_s"] == 28800 and d["scenario"]["start_day"] == "Mon", d["scenario"]
assert [q["channel"] for q in d["queues"]] == ["voice", "voice"]
ch = d["channels"]
assert [c["id"] for c in ch] == ["voice"] and ch[0]["queues"] == ["sales", "support"], ch
# one channel under the 'offered' definition: its service level is the overall one
assert abs(ch[0]["kpis"]["service_level"]["mean"] - d["overall"]["service_level"]["mean"]) < 1e-9
PY

# several days from a Tuesday 22:00: weekday and time, days in the CSV
expect 0 "$CCSIM" run "$S" -r 2 --set start_time=22:00 --set start_day=tue --set horizon=2d \
  --out "$TMP/m" --plots
grep -q '>Day and time<' "$TMP/m/charts/service_level.svg" || fail "multi-day axis title"
grep -q '>Wed 00:00<' "$TMP/m/charts/service_level.svg" || fail "multi-day: Wed 00:00"
grep -q '>Thu 00:00<' "$TMP/m/charts/service_level.svg" || fail "multi-day: Thu 00:00"
grep -q '^4,7200,9000,overall,.*,2,00:00:00$' "$TMP/m/intervals.csv" || fail "intervals.csv: day 2 at midnight"
grep -q '^95,171000,172800,.*,3,21:30:00$' "$TMP/m/intervals.csv" || fail "intervals.csv: day 3"

# channels apart: voice 20 s and e-mail 4 h never on one axis
expect 0 "$CCSIM" run "$O" -r 2 --set start_time=08:00 --out "$TMP/o" --plots
[ -s "$TMP/err" ] && fail "unexpected messages: $(head -3 "$TMP/err")"
for ch in voice chat email outbound; do
  for c in wait_cdf waiting; do
    [ -s "$TMP/o/charts/${c}_$ch.svg" ] || fail "no chart ${c}_$ch"
  done
done
[ -e "$TMP/o/charts/wait_cdf.svg" ] && fail "one wait chart mixing the channels"
[ -e "$TMP/o/charts/waiting.svg" ] && fail "one waiting chart mixing the channels"
grep -q '>Wait x (h)<' "$TMP/o/charts/wait_cdf_email.svg" || fail "e-mail waits in hours"
grep -q 'email (threshold 4h, dashed)' "$TMP/o/charts/wait_cdf_email.svg" || fail "e-mail threshold label"
grep -q '>Wait x (s)<' "$TMP/o/charts/wait_cdf_voice.svg" || fail "voice waits in seconds"
grep -q 'billing' "$TMP/o/charts/wait_cdf_voice.svg" || fail "billing is a voice queue"
grep -q 'renewals' "$TMP/o/charts/wait_cdf_voice.svg" && fail "renewals is no voice queue"
python3 - "$TMP/o" <<'PY' || fail "per-channel service level"
import csv, json, sys
d = json.load(open(sys.argv[1] + "/summary.json"))
ch = {c["id"]: c for c in d["channels"]}
assert list(ch) == ["voice", "chat", "email", "outbound"], list(ch)
assert ch["voice"]["queues"] == ["voice", "billing"]
# e-mail's 4 h promise and chat's 60 s one: each is its queue's own
q = {x["id"]: x for x in d["queues"]}
for c, qid in (("chat", "chat"), ("email", "email"), ("outbound", "renewals")):
    assert abs(ch[c]["kpis"]["service_level"]["mean"] - q[qid]["kpis"]["sl_offered"]["mean"]) < 1e-9, c
# voice: answered within its own threshold / offered, pooled over voice and billing per replication
rows = list(csv.DictReader(open(sys.argv[1] + "/replications.csv")))
def val(r, qid, m):
    return next(float(x["value"]) for x in rows
                if x["replication"] == r and x["scope"] == "queue" and x["queue"] == qid and x["metric"] == m)
sls = []
for r in ("0", "1"):
    o = [val(r, k, "offered") for k in ("voice", "billing")]
    w = [round(val(r, k, "sl_offered") * n) for k, n in zip(("voice", "billing"), o)]
    sls.append(sum(w) / sum(o))
want = sum(sls) / 2
got = ch["voice"]["kpis"]["service_level"]
assert abs(got["mean"] - want) < 1e-9 and got["n"] == 2, (got, want)
s = [x for x in csv.DictReader(open(sys.argv[1] + "/summary.csv")) if x["scope"] == "channel"]
assert [(x["queue"], x["metric"]) for x in s[:2]] == [("voice", "offered"), ("voice", "service_level")], s[:2]
assert abs(float(s[1]["mean"]) - want) < 1e-9
PY
grep -q '<h3>Channel email' "$TMP/o/report.html" || fail "report: channel block"
grep -qE '<code>agent_time</code></td><td class="n">[0-9]+:[0-5][0-9]:[0-5][0-9]</td><td class="n">&plusmn;&nbsp;[0-9]+:[0-5][0-9]:[0-5][0-9]</td>' \
  "$TMP/o/report.html" || fail "report: agent time as h:mm:ss"

# the text report: per channel, durations as h:mm:ss
expect 0 "$CCSIM" run "$O" -r 2
stdout_has "Service level by channel (answered within their queue's threshold / offered)"
grep -qE '^  voice \(2 queues\) +[0-9.]+%  ± [0-9.]+%$' "$TMP/out" || fail "text: voice channel row"
grep -qE '^  Agent time +[0-9]+:[0-5][0-9]:[0-5][0-9]  ± [0-9]+:[0-5][0-9]:[0-5][0-9]$' "$TMP/out" \
  || fail "text: agent time as h:mm:ss"
grep -qE '[0-9]{6,}\.[0-9]+s' "$TMP/out" && fail "text: a duration in six-digit seconds"
# one channel: no per-channel block in the text
expect 0 "$CCSIM" run "$S" -r 2
grep -q "Service level by channel" "$TMP/out" && fail "text: channel block for a single channel"

# a sweep's points carry the channel rows of run's summary.csv (the same numbers
# for the same scenario and seed), paired against the baseline's
expect 0 "$CCSIM" sweep "$O" --grid groups.phone.agents=22,25 --baseline 0 -r 3 --set horizon=4h \
  --out "$TMP/sw" -q
expect 0 "$CCSIM" run "$O" --set groups.phone.agents=25 --set horizon=4h -r 3 --out "$TMP/sw1"
python3 - "$TMP" <<'PY' || fail "sweep: channel rows"
import csv, json, sys
d = sys.argv[1]
sw = [r for r in csv.DictReader(open(d + "/sw/sweep.csv")) if r["scope"] == "channel"]
assert [(r["queue"], r["metric"], r["unit"]) for r in sw[:6]] == [
    ("voice", "offered", "count"), ("voice", "service_level", "fraction"), ("voice", "asa", "seconds"),
    ("chat", "offered", "count"), ("chat", "service_level", "fraction"), ("chat", "asa", "seconds")], sw[:6]
assert [r["queue"] for r in sw if r["point"] == "1"][::3] == ["voice", "chat", "email", "outbound"]
assert {r["verdict"] for r in sw if r["point"] == "0"} == {"baseline"}
v = next(r for r in sw if r["point"] == "1" and r["queue"] == "voice" and r["metric"] == "service_level")
assert v["verdict"] in ("better", "no significant difference") and float(v["diff"]) > 0, v
# common random numbers with a baseline: point 1 is `ccsim run` of its scenario and seed
run = {(r["queue"], r["metric"]): r for r in csv.DictReader(open(d + "/sw1/summary.csv")) if r["scope"] == "channel"}
for r in sw:
    if r["point"] == "1":
        want = run[(r["queue"], r["metric"])]
        assert abs(float(r["mean"]) - float(want["mean"])) <= 1e-9 * max(1, abs(float(want["mean"]))), (r, want)
        assert abs(float(r["halfwidth"]) - float(want["halfwidth"])) <= 1e-8 * max(1, float(want["halfwidth"])), (r, want)
j = json.load(open(d + "/sw/sweep.json"))
ch = [k for k in j["points"][1]["kpis"] if k["scope"] == "channel"]
assert len(ch) == 12 and ch[1]["queue"] == "voice" and ch[1]["metric"] == "service_level", ch[:2]
assert abs(ch[1]["mean"] - float(v["mean"])) < 1e-9 and ch[1]["verdict"] == v["verdict"]
PY

# comparison: target lines on the service-level chart, clock times on the interval charts
expect 0 "$CCSIM" compare "$O" --variant "more:groups.phone.agents=25" -r 2 --set start_time=08:00 \
  --out "$TMP/c" --plots
grep -q '>target<' "$TMP/c/charts/compare_service_level.svg" || fail "compare: target in the key"
grep -q '>Agent time (h)<' "$TMP/c/charts/compare_agent_time.svg" || fail "compare: agent time in hours"
grep -q '>Time of day<' "$TMP/c/charts/compare_intervals_service_level.svg" || fail "compare intervals: clock axis"
grep -q '>12:00<' "$TMP/c/charts/compare_intervals_service_level.svg" || fail "compare intervals: 12:00"
# ASA promises (sla.asa): a target line on compare_asa for the queues that declare one
grep -q '>target<' "$TMP/c/charts/compare_asa.svg" && fail "compare_asa: a target nobody declared"
expect 0 "$CCSIM" compare "$S" --set queues.sales.sla.asa=30s --variant "more:groups.sales_team.agents=18" \
  -r 2 --out "$TMP/ca" --plots
grep -q '>target<' "$TMP/ca/charts/compare_asa.svg" || fail "compare_asa: no target line"
grep -q '"asa_s": 30' "$TMP/ca/baseline/summary.json" || fail "summary.json: sla.asa_s"
grep -q '"asa_s"' "$TMP/c/baseline/summary.json" && fail "summary.json: asa_s undeclared"
# a duration and its half-width spelled alike: both h:mm:ss when either is an hour or more
grep -qE '[0-9.]+ s &plusmn;&nbsp;[0-9]+:[0-5][0-9]:' "$TMP/c/report.html" && fail "compare html: seconds ± h:mm:ss"
grep -qE '[0-9]+:[0-5][0-9]:[0-5][0-9] &plusmn;&nbsp;[0-9.]+ s' "$TMP/c/report.html" && fail "compare html: h:mm:ss ± seconds"
grep -qE 'mean_wait</code></td><td class="n">[0-9]+:[0-5][0-9]:[0-5][0-9] &plusmn;&nbsp;[0-9]+:[0-5][0-9]:[0-5][0-9]<' \
  "$TMP/c/report.html" || fail "compare html: e-mail waits as h:mm:ss ± h:mm:ss"
grep -qE '[0-9]s ± [0-9]+:[0-5][0-9]:|[0-9]:[0-5][0-9] ± [0-9.]+s' "$TMP/out" && fail "compare text: mixed spellings"
finish
