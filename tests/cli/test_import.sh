# SPDX-License-Identifier: GPL-3.0-or-later
# test_import.sh - `ccsim run` on a client's call log, date by date: --dates
# prints the pooled report and one line per date; --json and --out carry
# the dates; --date picks one, the same as the file saying it; the shipped
# bank day replays the same whether read alone or out of the month's log.
source "$(dirname "$0")/lib.sh" "$@"

cat >"$TMP/calls.csv" <<'CSV'
Datum;Uhrzeit;Skill;Ergebnis;Wartezeit;Gespräch;Nacharbeit;Agent
04.03.2024;08:00:05;Verkauf;BEARBEITET;3,5;180;20;Meyer
04.03.2024;08:01:00;Verkauf;ABGEBROCHEN;41,0;;;
04.03.2024;09:30:00;Verkauf;bearbeitet;0;95;12;Schulz
05.03.2024;08:15:00;Verkauf;BEARBEITET;12;240;30;Meyer
05.03.2024;23:59:00;Verkauf;BEARBEITET;0;600;0;Schulz
06.03.2024;10:00:00;Verkauf;BEARBEITET;5;120;15;Meyer
CSV
cat >"$TMP/s.yaml" <<'YAML'
name: three days
seed: 4
replications: 3
horizon: 24h
trace:
  file: calls.csv
  separator: ';'
  decimal: ','
  date_format: dd.mm.yyyy
  time_zone: Europe/Berlin
  dates: all
  columns: {date: Datum, time: Uhrzeit, queue: Skill, outcome: Ergebnis, wait: Wartezeit,
            talk: Gespräch, wrap_up: Nacharbeit, agent: Agent}
  queues: {Verkauf: sales}
  outcomes: {BEARBEITET: served, ABGEBROCHEN: abandoned}
queues:
  - {id: sales, arrivals: trace, handle_time: {dist: exponential, mean: 3m},
     patience: {dist: exponential, mean: 1m}}
groups:
  - {id: team, agents: 1, skills: [sales]}
YAML

expect 0 "$CCSIM" run "$TMP/s.yaml"
stdout_has "policy acd, seed 4, 9 replications"
stdout_has "Per date (overall; 3 dates, 3 replications each; the tables above pool them: means per date)"
grep -q "^  2024-03-04 Mon  *3 ± 0.0 " "$TMP/out" || fail "the line of 2024-03-04"
grep -q "^  2024-03-06 Wed  *1 ± 0.0 " "$TMP/out" || fail "the line of 2024-03-06"
grep -q "^  Offered  *2  ± 0.7$" "$TMP/out" || fail "pooled offered: $(grep Offered "$TMP/out" | head -1)"

expect 0 "$CCSIM" run "$TMP/s.yaml" --json
python3 - "$TMP/out" <<'PY' || fail "dates JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "ccsim-dates-1"
assert [x["date"] for x in d["dates"]] == ["2024-03-04", "2024-03-05", "2024-03-06"]
assert d["dates"][0]["summary"]["overall"]["offered"]["mean"] == 3
assert d["total"]["scenario"]["replications"] == 9
PY

expect 0 "$CCSIM" run "$TMP/s.yaml" --out "$TMP/res"
[ -f "$TMP/res/summary.csv" ] || fail "--out: summary.csv"
head -1 "$TMP/res/dates.csv" | grep -qx "date,scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,ci_low,ci_high" \
  || fail "dates.csv header"
grep -q "^2024-03-05,overall,,,,offered,count,3,2," "$TMP/res/dates.csv" || fail "dates.csv 2024-03-05 offered"
grep -q "^all,overall,,,,offered,count,9," "$TMP/res/dates.csv" || fail "dates.csv pooled offered"

# --date is the file saying it; the 23:59 call of the 5th is kept whole there
expect 0 "$CCSIM" run "$TMP/s.yaml" --date 2024-03-05; cp "$TMP/out" "$TMP/one.txt"
stdout_has "trace calls.csv: 2 contacts replayed; 0 rows of unmapped types, 0 outside the horizon, 4 of other dates"
sed 's/  dates: all/  date: 05.03.2024/' "$TMP/s.yaml" >"$TMP/s5.yaml"
expect 0 "$CCSIM" run "$TMP/s5.yaml"
diff <(tail -n +2 "$TMP/one.txt") <(tail -n +2 "$TMP/out") >&2 || fail "--date and 'date:' differ"
expect 0 "$CCSIM" run "$TMP/s.yaml" --dates 2024-03-05..2024-03-06 --by interval
stdout_has "per interval: means over 6 replications"

# the bank day, alone or out of the month's log
OCT="$SRC/../shared/validation-data/anonymous-bank/october.txt"
[ -f "$OCT" ] || OCT="$SRC/../../shared/validation-data/anonymous-bank/october.txt"
if [ -f "$OCT" ]; then
  sed "s|file: data/bank-1999-10-12.txt|file: $OCT|" "$SRC/scenarios/bank-replay.yaml" >"$TMP/oct.yaml"
  expect 0 "$CCSIM" run "$TMP/oct.yaml" --date 1999-10-12 -r 5; tail -n +4 "$TMP/out" >"$TMP/a.txt"
  expect 0 "$CCSIM" run "$SRC/scenarios/bank-replay.yaml" -r 5; tail -n +4 "$TMP/out" >"$TMP/b.txt"
  cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "the bank day differs when read out of october.txt"
  expect 0 "$CCSIM" run "$TMP/oct.yaml" --dates 1999-10-10..1999-10-14 -r 2
  stdout_has "Per date (overall; 5 dates, 2 replications each"
  grep -q "^  1999-10-12 Tue  *1441 ± 0.0 " "$TMP/out" || fail "the bank day's line"
fi
finish
