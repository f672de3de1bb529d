# SPDX-License-Identifier: GPL-3.0-or-later
# test_output_text.sh - every CSV and JSON file ccsim writes stays valid
# whatever text a scenario carries: a name with quotes, backslash, tab,
# DEL, C1 controls and U+2028, in a file whose path holds a comma and a
# quote; sweep values with commas, quotes and edge blanks. Each JSON file
# parses and gives the text back; each CSV file parses (RFC 4180) with
# the header's number of fields on every row; results read back (ccsim
# plot --no-charts reads summary.json through the YAML reader).
source "$(dirname "$0")/lib.sh" "$@"

D="$TMP/a,b \"c\""
mkdir -p "$D"
S="$D/we,ird \"q\".yaml"
# the name as YAML escapes: tab, quote, backslash, DEL, NEL (C1), U+2028, e acute
cat >"$S" <<'YAML'
name: "Tab\there, \"quoted\" back\\slash \x7f \x85 \u2028 caf\u00e9 "
seed: 11
replications: 2
horizon: 26h
interval: 6h
queues:
  - id: sales
    arrivals: {rate: 30/h}
    handle_time: {dist: exponential, mean: 3m}
    patience: {dist: exponential, mean: 2m}
groups:
  - id: team
    agents: 2
    skills: [sales]
YAML
NAME=$(printf 'Tab\there, "quoted" back\\slash \x7f \xc2\x85 \xe2\x80\xa8 caf\xc3\xa9 ')

check_files() { # check_files DIR...: every *.json and *.csv under them
  python3 - "$NAME" "$@" <<'PY' || fail "files under $*"
import csv, json, os, sys
name = sys.argv[1].encode("utf-8", "surrogateescape").decode("utf-8")
bad = 0
for top in sys.argv[2:]:
    for root, _, files in os.walk(top):
        for fn in sorted(files):
            p = os.path.join(root, fn)
            if fn.endswith(".json"):
                raw = open(p, "rb").read()
                d = json.loads(raw.decode("utf-8"))  # strict: bytes must be UTF-8
                if any(b == 0x7f or b < 0x20 and b not in (0x0a,) for b in raw):
                    print(p, "has a raw control byte"); bad += 1
                sc = d.get("scenario") if isinstance(d.get("scenario"), dict) else None
                got = sc["name"] if sc else d.get("scenario")
                if got is not None and got != name:
                    print(p, "name", repr(got)); bad += 1
            elif fn.endswith(".csv"):
                rows = list(csv.reader(open(p, newline="", encoding="utf-8")))
                n = len(rows[0])
                for i, r in enumerate(rows[1:], 2):
                    if len(r) != n:
                        print(p, "line", i, "has", len(r), "fields, header", n); bad += 1
                        break
sys.exit(1 if bad else 0)
PY
}

# run: the files, the JSON on stdout, and the report read back
expect 0 "$CCSIM" run "$S" --out "$TMP/run" --sample 1h --trace "$TMP/run-trace.csv"
expect 0 "$CCSIM" plot "$TMP/run" --no-charts
grep -qF 'we,ird &quot;q&quot;.yaml' "$TMP/run/report.html" || fail "report.html: the file name"
expect 0 "$CCSIM" run "$S" --json
cp "$TMP/out" "$TMP/run/stdout.json"
check_files "$TMP/run"
python3 - "$TMP/run-trace.csv" <<'PY' || fail "trace CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert all(len(r) == len(rows[0]) for r in rows), "ragged trace"
assert any(r[6] == "team/1" for r in rows[1:]), "no agent field"
PY
python3 - "$TMP/run/summary.json" "$S" <<'PY' || fail "summary.json file name"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario"]["file"] == sys.argv[2], d["scenario"]["file"]
PY

# compare and staff
expect 0 "$CCSIM" compare "$S" --variant more:groups.team.agents=3 -r 2 --out "$TMP/cmp"
expect 0 "$CCSIM" compare "$S" --variant more:groups.team.agents=3 -r 2 --json
cp "$TMP/out" "$TMP/cmp/stdout.json"
check_files "$TMP/cmp"
expect 0 "$CCSIM" staff "$S" --no-refine --out "$TMP/staff"
expect 0 "$CCSIM" staff "$S" --no-refine --json
cp "$TMP/out" "$TMP/staff/stdout.json"
check_files "$TMP/staff"
# past the first day the plan's labels say so
grep -q '^4,d2 00:00,' "$TMP/staff/staffing.csv" || fail "staffing.csv: the day-2 label"

# sweep: values that need quoting in CSV and escaping in JSON
expect 0 "$CCSIM" sweep "$S" --grid 'groups.team.skills=[sales]' \
  --grid 'name=" lead","a,b","q\"q","tail "' -r 1 -j 1 -q --out "$TMP/sw"
check_files "$TMP/sw"
python3 - "$TMP/sw" <<'PY' || fail "sweep values"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/sweep.csv", newline="")))
got = sorted({(r["groups.team.skills"], r["set.name"]) for r in rows})
want = sorted({("[sales]", v) for v in (" lead", "a,b", 'q"q', "tail ")})
assert got == want, got
d = json.load(open(sys.argv[1] + "/sweep.json"))
assert sorted(p["values"]["name"] for p in d["points"]) == sorted(v for _, v in want)
PY
finish
