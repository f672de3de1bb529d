#!/usr/bin/env bash
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

finish
