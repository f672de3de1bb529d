# SPDX-License-Identifier: GPL-3.0-or-later
# test_trace.sh - `ccsim run --trace FILE` and `--explain N`: the CSV's
# header and event kinds, each contact's lifecycle in order, determinism,
# results unchanged by tracing, the narrative of a tiny scenario word for
# word, bad input; and every teaching scenario runs (and compares).
source "$(dirname "$0")/lib.sh" "$@"

S="$SRC/scenarios/teaching/two-agents.yaml"   # the narrated scenario of docs/teaching.md

# the CSV: header, kinds, names
expect 0 "$CCSIM" run "$S" --trace "$TMP/t.csv"
head -1 "$TMP/t.csv" | grep -qx "replication,t_s,event,contact,queue,segment,agent,group,wait_s,reason" \
  || fail "trace header: $(head -1 "$TMP/t.csv")"
grep -q "^0,0,agent,,,,team/1,team,,login$" "$TMP/t.csv" || fail "agent login row"
grep -q ",assign,1,sales,,team/1,team,,longest-idle eligible agent$" "$TMP/t.csv" || fail "assign row with reason"
grep -q ",queue,[0-9]*,sales,,,,,no eligible agent idle$" "$TMP/t.csv" || fail "queue row with reason"
grep -q ",abandon," "$TMP/t.csv" || fail "no abandon row"
[ "$(cut -d, -f1 "$TMP/t.csv" | sort -u | tr '\n' ' ')" = "0 replication " ] \
  || fail "without --trace-all only replication 0 is traced"
python3 - "$TMP/t.csv" <<'PY' || fail "trace lifecycle"
import csv, sys
kinds = {"arrive", "assign", "queue", "block", "start", "abandon", "talk_end", "wrap_end",
         "agent", "callback", "dial_fail", "transfer", "return", "give_up", "redial", "repeat"}
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "empty trace"
life, last_t = {}, 0.0
for r in rows:
    assert r["event"] in kinds, r
    t = float(r["t_s"]); assert t >= last_t, r; last_t = t
    if r["contact"]:
        life.setdefault(r["contact"], []).append(r["event"])
    if r["event"] in ("start", "abandon"):
        assert float(r["wait_s"]) >= 0, r
for c, ev in life.items():
    assert ev[0] == "arrive", (c, ev)
    if "start" in ev:
        # answered: arrive -> (queue) -> assign -> start -> talk_end
        assert ev.index("assign") == ev.index("start") - 1, (c, ev)
        assert "abandon" not in ev, (c, ev)
        if ev[-1] != "start":   # the run may stop mid-talk at the horizon
            assert ev[ev.index("start") + 1] == "talk_end", (c, ev)
    if "abandon" in ev:
        assert ev == ["arrive", "queue", "abandon"], (c, ev)
PY

# --trace-all: every replication, in order
expect 0 "$CCSIM" run "$S" --trace "$TMP/all.csv" --trace-all
[ "$(cut -d, -f1 "$TMP/all.csv" | sed 1d | uniq | tr '\n' ' ')" = "0 1 " ] || fail "--trace-all replications"

# determinism, and tracing changes no result
expect 0 "$CCSIM" run "$S" --out "$TMP/plain"; cp "$TMP/out" "$TMP/plain.txt"
expect 0 "$CCSIM" run "$S" --out "$TMP/traced" --trace "$TMP/t2.csv" --trace-all; cp "$TMP/out" "$TMP/traced.txt"
expect 0 "$CCSIM" run "$S" --trace "$TMP/t3.csv" --trace-all
cmp -s "$TMP/all.csv" "$TMP/t2.csv" && cmp -s "$TMP/t2.csv" "$TMP/t3.csv" || fail "same seed, different trace"
cmp -s "$TMP/plain.txt" "$TMP/traced.txt" || fail "--trace changed the table"
for f in summary.csv replications.csv intervals.csv; do
  cmp -s "$TMP/plain/$f" "$TMP/traced/$f" || fail "--trace changed $f"
done
expect 0 "$CCSIM" run "$S" --seed 8 --trace "$TMP/t4.csv"
cmp -s "$TMP/t.csv" "$TMP/t4.csv" && fail "another seed, same trace"

# --explain: the narrative of the tiny scenario, word for word, before the table
expect 0 "$CCSIM" run "$S" --explain 8
cat >"$TMP/want.txt" <<'TXT'
The first 8 events of replication 0 (seed 7):

08:00:00.0  2 agents of team log in.
08:00:06.1  customer #1 calls sales (nobody waiting); agent team/1 answers at once (longest-idle eligible agent).
08:00:18.5  customer #2 calls sales (nobody waiting); agent team/2 answers at once (longest-idle eligible agent).
08:00:28.8  agent team/1 finishes with customer #1.
08:00:45.8  agent team/2 finishes with customer #2.
08:01:06.4  customer #3 calls sales (nobody waiting); agent team/1 answers at once (longest-idle eligible agent).
08:01:20.3  agent team/1 finishes with customer #3.
08:01:32.4  customer #4 calls sales (nobody waiting); agent team/2 answers at once (longest-idle eligible agent).

TXT
head -11 "$TMP/out" | diff - "$TMP/want.txt" >&2 || fail "--explain narrative"
sed -n 12p "$TMP/out" | grep -q "^ccsim .*: Two agents" || fail "the table follows the narrative"
# (replication 0 has 39 events in all: N stays below that)
expect 0 "$CCSIM" run "$S" --explain=30
stdout_has "hangs up after"
stdout_has "waits: no eligible agent idle."
stdout_has "(1 waiting ahead)"
[ "$(grep -c '^08:' "$TMP/out")" = 30 ] || fail "--explain=30 prints 30 lines"
expect 0 "$CCSIM" run --explain "$S"
[ "$(grep -c '^08:' "$TMP/out")" = 20 ] || fail "--explain alone prints 20 lines"
grep -q "That is all" "$TMP/out" && fail "--explain 20 of more: no 'That is all'"
# more asked than there are: the heading's promise is corrected after the story
expect 0 "$CCSIM" run "$S" --explain 100000
n=$(grep -c '^08:' "$TMP/out")
stdout_has "(That is all: replication 0 gave $n lines.)"

# bad input
expect 2 "$CCSIM" run "$S" --explain=0
stderr_is "ccsim run: error: invalid --explain '0': expected a number of events from 1 to 100000
Try 'ccsim help run'."
expect 2 "$CCSIM" run "$S" --explain=many
stderr_is "ccsim run: error: invalid --explain 'many': expected a number of events from 1 to 100000
Try 'ccsim help run'."
expect 2 "$CCSIM" run "$S" --explain 5 --json
stderr_has "cannot be combined with --json"
expect 2 "$CCSIM" run "$S" --trace-all
stderr_has "--trace-all needs --trace FILE"
expect 2 "$CCSIM" run "$S" --trace
stderr_has "option '--trace' needs a value"
touch "$TMP/afile"
expect 1 "$CCSIM" run "$S" --trace "$TMP/afile/t.csv"
stderr_is "$TMP/afile/t.csv: error: cannot write the trace: not in a directory"
expect 1 "$CCSIM" run "$S" --trace "$TMP/missing/t.csv"
stderr_has "cannot write the trace: No such file or directory"
[ ! -e "$TMP/missing" ] || fail "--trace created a directory"
mkdir "$TMP/d"
expect 1 "$CCSIM" run "$S" --trace "$TMP/d"
stderr_has "cannot write the trace: is a directory"
if [ "$(id -u)" != 0 ]; then
  mkdir "$TMP/ro"; chmod 555 "$TMP/ro"
  expect 1 "$CCSIM" run "$S" --trace "$TMP/ro/t.csv"
  stderr_has "not writable"
  chmod 755 "$TMP/ro"
fi
# a failed run leaves no trace file, not half of one
expect 2 "$CCSIM" run "$S" --set routing.policy=nope --trace "$TMP/bad.csv"
[ ! -e "$TMP/bad.csv" ] || fail "a failed run left a trace file"
[ -z "$(ls -A "$TMP" | grep '^\.' || true)" ] || fail "temporaries left: $(ls -A "$TMP")"

# --explain-from: the state at that clock time, then the events from it on
expect 0 "$CCSIM" run "$S" --explain 3 --explain-from 08:05
sed -n 1,6p "$TMP/out" >"$TMP/from.txt"
head -1 "$TMP/from.txt" | grep -qx "The first 3 events from 08:05:00 of replication 0 (seed 7):" ||
  fail "--explain-from header: $(head -1 "$TMP/from.txt")"
sed -n 3p "$TMP/from.txt" | grep -qE "^08:05:00.0  the story picks up: sales [0-9]+ waiting; team [0-2] of 2 busy\.$" ||
  fail "--explain-from state: $(sed -n 3p "$TMP/from.txt")"
[ "$(sed -n '4,6p' "$TMP/from.txt" | grep -c '^08:0[5-9]')" = 3 ] || fail "--explain-from events: $(cat "$TMP/from.txt")"
expect 2 "$CCSIM" run "$S" --explain-from 07:59
stderr_has "--explain-from must be a clock time within the run, from 08:00:00 to before 08:10:00"
expect 2 "$CCSIM" run "$S" --explain-from 5m
stderr_has "invalid --explain-from '5m': expected a clock time such as 10:30 (34:30 is 10:30 on day 2)"

# every teaching scenario runs, explains and compares
for f in "$SRC"/scenarios/teaching/*.yaml; do
  n=$(basename "$f")
  short=()   # the cliff runs a year: a trace of three weeks says as much here
  [ "$n" != occupancy-cliff.yaml ] || short=(--set horizon=21d)
  expect 0 "$CCSIM" run "$f" --replications 2 --explain 10 --trace "$TMP/$n.csv" "${short[@]}"
  stdout_has "The first 10 events of replication 0"
  [ "$(wc -l <"$TMP/$n.csv")" -gt 10 ] || fail "$n: short trace"
  grep -q "^#" "$f" || fail "$n: no comment block"
  grep -qi "theory" "$f" || fail "$n: the comment does not state the theory"
  if grep -q "^variants:" "$f"; then
    expect 0 "$CCSIM" compare "$f" --replications 3
    stdout_has "the first is the baseline"
  fi
done

finish
