#!/usr/bin/env bash
# test_robust.sh - what a user or a file can throw at ccsim and still get a
# run that ends, data read whole, and outputs that never go through or over
# special files (issue 17). The refusals themselves, with their exact
# messages, are cases of the bad-input catalogue (bad_inputs/).
source "$(dirname "$0")/lib.sh" "$@"
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

finish
