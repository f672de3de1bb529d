# SPDX-License-Identifier: GPL-3.0-or-later
# test_omnichannel.sh - the shipped omnichannel scenario end to end: it runs,
# --verbose prints a contact balance that holds, the table shows each
# channel-specific row only for the queues that use its mechanism, the
# counts add up in the JSON, and identical runs give identical bytes.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/omnichannel.yaml"

expect 0 "$CCSIM" run "$S" --verbose
cp "$TMP/out" "$TMP/out1"
cp "$TMP/err" "$TMP/err1"
stdout_has "Queue voice (voice, target 80% within 20s)"
stdout_has "Queue renewals (outbound, target 50% within 8h)"
stderr_has "contact balance over 20 replications"
stderr_has "balanced: every contact ended exactly once"
grep -q "NOT BALANCED" "$TMP/err" && fail "balance line says NOT BALANCED"
# the two sides of the balance are equal numbers
python3 - "$TMP/err" <<'PY' || fail "balance line does not add up"
import re, sys
t = open(sys.argv[1]).read()
e = re.search(r"entered (\d+) = arrivals (\d+) \+ redials (\d+) \+ repeat contacts (\d+) \+ transfers (\d+) \+ campaign records (\d+)", t)
x = re.search(r"ended +(\d+) = answered (\d+) \+ abandoned (\d+) \+ blocked (\d+) \+ not reached (\d+) \+ still waiting at the end (\d+)", t)
assert e and x, t
ein, xout = [int(v) for v in e.groups()], [int(v) for v in x.groups()]
assert ein[0] == sum(ein[1:]) == xout[0] == sum(xout[1:]), (ein, xout)
assert ein[5] == 20 * 400          # 400 records in each of 20 replications
assert all(v > 0 for v in ein[1:]) # every way in is used
assert xout[5] == 0                # drained: nothing left
PY

# block ROW TITLE: the table block of a queue or group (title line to blank line)
block() { awk -v t="$1" 'index($0, t) == 1 {on = 1; next} on && /^$/ {exit} on' "$TMP/out1"; }
has() { block "$1" | grep -qF -- "  $2 " || fail "'$1' lacks row '$2'"; }
lacks() { block "$1" | grep -qF -- "  $2 " && fail "'$1' shows row '$2'"; true; }

# voice: callbacks, redials, transfers out, resolution, repeats in (from chat)
for r in "Callbacks offered" "Callbacks accepted" "Callbacks reached" "Time to callback" \
         "Redials" "Transfers out" "Transfer %" "First-contact res." "Repeat %" \
         "Repeat contacts" "Customers" "Dials" "Not reached"; do
  has "Queue voice " "$r"
done
for r in "Connects" "Right-party contacts" "Agent time" "Cost"; do lacks "Queue voice " "$r"; done
# billing: only transfers come in
has "Queue billing " "Customers"
for r in "Redials" "Transfers out" "First-contact res." "Repeat contacts" "Callbacks offered" \
         "Dials" "Connects" "Not reached"; do
  lacks "Queue billing " "$r"
done
# chat: resolution only
has "Queue chat " "First-contact res."
has "Queue chat " "Repeat %"
for r in "Customers" "Redials" "Transfers out" "Repeat contacts" "Callbacks offered" "Dials"; do
  lacks "Queue chat " "$r"
done
# email: repeat contacts come in (from voice)
has "Queue email " "Repeat contacts"
has "Queue email " "Customers"
for r in "First-contact res." "Redials" "Transfers out" "Callbacks offered" "Dials"; do
  lacks "Queue email " "$r"
done
# renewals: the campaign's rows
for r in "Dials" "Connects" "Right-party contacts" "Not reached" "Agent time" "Customers"; do
  has "Queue renewals " "$r"
done
for r in "Callbacks offered" "Redials" "Transfers out" "First-contact res." "Repeat contacts"; do
  lacks "Queue renewals " "$r"
done
# costs: per group, and per contact overall
has "Group phone " "Cost"
has "Overall" "Cost per contact"
has "Overall" "Cost per resolved issue"

# identical runs: identical bytes (table, balance, every output file)
expect 0 "$CCSIM" run "$S" --verbose
cmp -s "$TMP/out" "$TMP/out1" || fail "stdout differs between identical runs"
cmp -s "$TMP/err" "$TMP/err1" || fail "balance differs between identical runs"
expect 0 "$CCSIM" run "$S" --out "$TMP/a"
expect 0 "$CCSIM" run "$S" --out "$TMP/b"
for f in summary.csv intervals.csv replications.csv waits.csv summary.json; do
  [ -s "$TMP/a/$f" ] || fail "missing $f"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || fail "$f differs between identical runs"
done

# counts add up per queue and overall, and the backlog is reported per interval
expect 0 "$CCSIM" run "$S" -r 3 --json
python3 - "$TMP/out" "$TMP/a/intervals.csv" <<'PY' || fail "JSON counts do not add up"
import csv, json, sys
d = json.load(open(sys.argv[1]))
def parts(k):
    return [k[x]["mean"] for x in ("answered", "abandoned", "blocked", "failed", "unfinished")]
scopes = [("overall", d["overall"])] + [(q["id"], q["kpis"]) for q in d["queues"]]
for name, k in scopes:
    assert abs(k["offered"]["mean"] - sum(parts(k))) < 1e-6, (name, k["offered"], parts(k))
    assert k["unfinished"]["mean"] == 0, name          # drained
inbound = [q["kpis"] for q in d["queues"] if q["id"] != "renewals"]
for m in ("offered", "answered", "abandoned", "failed"):
    assert abs(d["overall"][m]["mean"] - sum(k[m]["mean"] for k in inbound)) < 1e-6, m
rows = list(csv.DictReader(open(sys.argv[2])))
email = [r for r in rows if r.get("queue") == "email" and r.get("metric") in ("backlog", "backlog_age")]
assert len(email) == 2 * 20, len(email)                # 20 half-hour intervals
PY
finish
