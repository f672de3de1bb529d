#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_robust.sh - what a user or a file can throw at ccsim and still get a
# run that ends, data read whole, and outputs that never go through or over
# special files (issue 17). The refusals themselves, with their exact
# messages, are cases of the bad-input catalogue (bad_inputs/).
source "$(dirname "$0")/lib.sh" "$@"
CCSIM=$(cd "$(dirname "$CCSIM")" && pwd)/$(basename "$CCSIM")
cd "$TMP"

# --- transfer loops that can end do end, even draining with zero handle time
cat >loop.yaml <<'YAML'
name: a pair of queues that pass calls back and forth, half the time
horizon: 2h
drain: true
queues:
  - {id: a, arrivals: {rate: 2/min}, handle_time: {dist: deterministic, value: 0s},
     transfers: [{to: b, probability: 100%}]}
  - {id: b, arrivals: none, handle_time: {dist: deterministic, value: 0s},
     transfers: [{to: a, probability: 50%}]}
groups:
  - {id: g, agents: 2, skills: [a, b]}
YAML
expect 0 timeout 20 "$CCSIM" run loop.yaml
stdout_has "Transfers"

# --- an empirical-distribution row longer than 8 KiB is one row, never split
# into extra samples (every value 300 s: the AHT is exactly 300 s)
cat >emp.yaml <<'YAML'
name: empirical handle times with a long note on every row
horizon: 1h
queues:
  - {id: a, arrivals: {rate: 1/min}, handle_time: {dist: empirical, file: aht.csv, column: secs}}
groups:
  - {id: g, agents: 5, skills: [a]}
YAML
python3 -c "
print('secs,note')
for i in range(40): print('300,\"' + 'a note, with commas, ' * 500 + '\"')
" >aht.csv
expect 0 "$CCSIM" run emp.yaml -r 2
grep -q "AHT  *300.00s  ± 0.00s" "$TMP/out" || fail "long rows changed the samples: $(grep AHT "$TMP/out" | head -1)"

# --- ccsim plot is linear on a CSV with one unclosed quote (it took 43 s on
# 40,000 lines), and says which charts it skipped and why
cat >small.yaml <<'YAML'
name: small
horizon: 1h
queues:
  - {id: a, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 3m}}
groups:
  - {id: g, agents: 5, skills: [a]}
YAML
expect 0 "$CCSIM" run small.yaml -r 2 --out res
python3 - <<'PY'
lines = open('res/intervals.csv').read().splitlines()
out = [lines[0], lines[1] + ',"open']
while len(out) < 100000:
    out.append(lines[1 + len(out) % (len(lines) - 1)])
open('res/intervals.csv', 'w').write('\n'.join(out) + '\n')
open('quote_col', 'w').write(str(len(lines[1]) + 2))  # where the quote opens (1-based)
PY
quote_col=$(cat quote_col)
rm res/waits.csv && mkfifo res/waits.csv
expect 0 timeout 60 "$CCSIM" plot res --no-charts
expect 0 timeout 60 "$CCSIM" plot res
if command -v gnuplot >/dev/null; then
  stderr_has "warning: chart 'service_level' skipped: res/intervals.csv:2:$quote_col: error: unclosed quote?"
  stderr_has "warning: chart 'wait_cdf' skipped: res/waits.csv: error: cannot read: not a regular file (a FIFO)"
fi

# --- --out DIR is switched whole: kill -9 at random moments, several times,
# and the directory is always all of one run or all of the other; files
# ccsim did not write are kept; temporaries of dead processes are removed
cat >day.yaml <<'YAML'
name: a day to kill
horizon: 8h
interval: 15min
queues:
  - {id: a, arrivals: {rate: 3/min}, handle_time: {dist: exponential, mean: 3m}}
  - {id: b, arrivals: {rate: 2/min}, handle_time: {dist: exponential, mean: 4m}}
groups:
  - {id: g, agents: 20, skills: [a, b]}
YAML
expect 0 "$CCSIM" run day.yaml -r 30 --seed 1 --out ref1
expect 0 "$CCSIM" run day.yaml -r 30 --seed 2 --out ref2
start=$(date +%s%N)
expect 0 "$CCSIM" run day.yaml -r 30 --seed 2 --out timing
took=$(( ($(date +%s%N) - start) / 1000 ))   # microseconds
files="summary.csv summary.json intervals.csv replications.csv waits.csv"
same_as() { for f in $files; do cmp -s "$1/$f" "$2/$f" || return 1; done; }
RANDOM=17
killed=0 switched=0
for i in $(seq 1 12); do
  rm -rf dir && cp -r ref1 dir && echo mine >dir/notes.txt
  "$CCSIM" run day.yaml -r 30 --seed 2 --out dir >/dev/null 2>&1 &
  pid=$!
  delay=$(( (RANDOM * 32768 + RANDOM) % (took * 5 / 4 + 1) ))   # up to 1.25 runs
  sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
  kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
  wait "$pid" 2>/dev/null || true
  same_as dir ref2 && switched=$((switched + 1))
  if ! same_as dir ref1 && ! same_as dir ref2; then
    fail "kill $i after ${delay} us: dir/ mixes two runs"
  fi
  [ "$(cat dir/notes.txt 2>/dev/null)" = mine ] || fail "kill $i: a file ccsim did not write was lost"
done
echo "kill -9 at random: $killed of 12 killed, $switched switched to the new run"
# what the killed runs left beside and inside dir/ goes with the next run
expect 0 "$CCSIM" run day.yaml -r 30 --seed 2 --out dir
same_as dir ref2 || fail "the run after the kills did not write its outputs"
left=$(ls -A . dir | grep -c 'ccsim-' || true)
[ "$left" = 0 ] || fail "temporaries of killed runs remain: $(ls -A . dir | grep ccsim- | head -3)"
[ "$(cat dir/notes.txt)" = mine ] || fail "notes.txt lost"

finish
