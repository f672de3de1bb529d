# SPDX-License-Identifier: GPL-3.0-or-later
# test_watch.sh - `ccsim watch`: plain snapshots when piped (labels, time
# advancing, byte-identical for a seed), bad input (exit 2), and the live
# wallboard under a pseudo-terminal in tmux: it renders, its clock runs,
# space pauses it, s steps, + speeds up, q quits and restores the terminal;
# without ncurses (CCS_NO_CURSES=1) the terminal gets plain snapshots.
# Without tmux the plain and bad-input checks still run, and the test then
# exits 77 (skipped). TERM=screen in the pane: what tmux emulates, and
# ncurses-base always has it.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"

# --- plain mode (stdout is a file here) ------------------------------------------
expect 0 "$CCSIM" watch "$S" --every 1h
for want in "ccsim watch: Two-queue day   policy acd   seed 2026" \
            "Queue " "Waiting" "Oldest" "Offered" "Answered" "Abandoned" "SL so far" \
            "80% in 20s" "Waiting, last 30 min" "Group " "Staffed" "Idle" "Talk" \
            "Wrap-up" "Break" "sales_team" "support_team" "Clock 01:00:00   speed max   running" \
            "Clock 08:00:00" "END OF DAY"; do
  stdout_has "$want"
done
grep -q "^sales " "$TMP/out" || fail "no sales row"
grep -q "^support " "$TMP/out" || fail "no support row"
grep -q "keys:" "$TMP/out" && fail "key help in plain mode"
# snapshots every hour, in order, the last one at the end of the drained day
clocks=$(grep -o '^Clock [0-9:]*' "$TMP/out" | cut -d' ' -f2 | tr '\n' ' ')
[ "$clocks" = "01:00:00 02:00:00 03:00:00 04:00:00 05:00:00 06:00:00 07:00:00 08:00:00 08:29:51 " ] \
  || fail "snapshot clocks: $clocks"
[ "$(grep -c '^Clock' "$TMP/out")" -eq "$(grep -c '^ccsim watch:' "$TMP/out")" ] || fail "snapshot count"
# offered grows from snapshot to snapshot
python3 - "$TMP/out" <<'PY' || fail "offered does not grow"
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith("sales ") and "|" not in l]
offered = [int(r[3]) for r in rows]
assert len(offered) == 9 and all(a < b for a, b in zip(offered, offered[1:-1])), offered
assert offered[-1] == offered[-2] == 1225, offered
PY
cp "$TMP/out" "$TMP/plain1"
expect 0 "$CCSIM" watch "$S" --every 1h
cmp -s "$TMP/out" "$TMP/plain1" || fail "plain output differs between identical runs"
expect 0 "$CCSIM" watch "$S" --every 1h --seed 7
cmp -s "$TMP/out" "$TMP/plain1" && fail "--seed ignored"
stdout_has "seed 7"
# through a pipe too, and --plain; the default: every 30 minutes
"$CCSIM" watch "$S" --plain | cat >"$TMP/piped" || fail "piped run failed"
# 00:30 .. 08:00 and the end at 08:29:51
[ "$(grep -c '^Clock' "$TMP/piped")" -eq 17 ] || fail "default --every is not 30m"
# --policy is --set routing.policy; --set applies
expect 0 "$CCSIM" watch "$S" --every 8h --policy skills --set groups.sales_team.agents=20
stdout_has "policy skills"
grep -q "^sales_team  *20 " "$TMP/out" || fail "--set agents not applied"
# an explicit --speed paces plain mode: 1h snapshots at x7200 take >= 0.5 s each
start=$(date +%s%N)
expect 0 "$CCSIM" watch "$S" --every 1h --speed 7200 --set horizon=1h --set drain=false
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -ge 450 ] || fail "--speed 7200 ran 1h in ${elapsed} ms (want about 500)"
stdout_has "speed x7200"

# --- bad input: one clear message, exit 2 ---------------------------------------
expect 2 "$CCSIM" watch
stderr_has "ccsim watch: error: missing SCENARIO"
expect 2 "$CCSIM" watch "$TMP/nope.yaml"
stderr_has "$TMP/nope.yaml:1:1: error: cannot open"
for bad in 0 -2 fast 1e9 nan ""; do
  expect 2 "$CCSIM" watch "$S" --speed "$bad"
  stderr_is "ccsim watch: error: invalid --speed '$bad': expected a number of simulated seconds per real second, above 0 and at most 1000000
Try 'ccsim help watch'."
done
expect 2 "$CCSIM" watch "$S" --speed
stderr_has "option '--speed' needs a value"
expect 2 "$CCSIM" watch "$S" --policy nosuch
stderr_has "ccsim watch: error: invalid --policy 'nosuch': unknown routing policy (known: acd,"
expect 2 "$CCSIM" watch "$S" --every 0s
stderr_has "ccsim watch: error: invalid --every '0s': expected a duration of at least 1s"
expect 2 "$CCSIM" watch "$S" --seed -1
stderr_is "ccsim watch: error: invalid --seed '-1': expected a whole number from 0 to 2^64-1
Try 'ccsim help watch'."
expect 2 "$CCSIM" watch "$S" --set groups.sales_team.agents=-3
stderr_has "'agents' must be a positive whole number"
expect 2 "$CCSIM" watch "$S" --frobnicate
stderr_has "unknown option '--frobnicate'"
expect 0 "$CCSIM" help watch
stdout_has "usage: ccsim watch SCENARIO"
expect 0 "$CCSIM" --help
stdout_has "watch "

# a queue that cuts its callers off at closing: how many, under the table (the
# serve page's test uses the same day)
closing="$SRC/tests/data/closing-support.yaml"
expect 0 "$CCSIM" run "$closing" -r 1 --json
want=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["queues"][0]["kpis"]["disconnected"]["mean"]))' "$TMP/out")
[ "$want" -gt 0 ] || fail "the closing day cuts nobody off: $want"
expect 0 "$CCSIM" watch "$closing" --every 1h
[ "$(grep '^Cut off at closing:' "$TMP/out" | head -1)" = "Cut off at closing: support 0" ] \
  || fail "before closing: $(grep '^Cut off' "$TMP/out" | head -1)"
[ "$(grep '^Cut off at closing:' "$TMP/out" | tail -1)" = "Cut off at closing: support $want" ] \
  || fail "at the end: $(grep '^Cut off' "$TMP/out" | tail -1), want $want"
expect 0 "$CCSIM" watch "$S" --every 4h
grep -q "^Cut off" "$TMP/out" && fail "a cut-off line where no queue closes"

# --- live mode in a pseudo-terminal ------------------------------------------------
if ! command -v tmux >/dev/null 2>&1; then
  echo "tmux not found: live-mode checks skipped" >&2
  [ "$FAILS" -eq 0 ] || finish
  exit 77
fi
# A private server whose socket lives in $TMP: nothing is left behind. One
# server for the whole test, kept up by a session that only holds it: a tmux
# server exits when its last session ends, and a client that connects while
# it is exiting fails with "server exited unexpectedly" (killing the server,
# or a phase's only session, and at once starting another raced on a loaded
# machine). So phases end with kill-session, never with the server's end.
SOCK="$TMP/tmux-$$"
T() { tmux -S "$SOCK" "$@"; }
trap 'tmux -S "$SOCK" kill-server >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
# a chroot or container without /dev/pts has no pseudo-terminals to give:
# that is the machine, not ccsim (tmux says "fork failed: No such device")
if ! T new-session -d -s hold "sleep 600" 2>"$TMP/probe.err"; then
  echo "tmux cannot open a pseudo-terminal here ($(head -1 "$TMP/probe.err")):" \
       "live-mode checks skipped" >&2
  [ "$FAILS" -eq 0 ] || finish
  exit 77
fi
screen() { T capture-pane -p -t w 2>/dev/null || true; }
clock() { screen | sed -n 's/^Clock \([0-9:]*\).*/\1/p' | head -1; }
# wait_for TEXT [SECONDS]: poll the screen until it shows TEXT
wait_for() {
  local i
  for ((i = 0; i < ${2:-15} * 10; i++)); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  fail "screen never showed '$1'"; screen | sed 's/^/    | /' >&2
  return 1
}
# wait_clock_change FROM: poll until the clock differs from FROM
wait_clock_change() {
  local i
  for ((i = 0; i < 150; i++)); do
    [ "$(clock)" != "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

# the pane's shell reports the exit status in a file, then stays for capture
T new-session -d -s w -x 120 -y 40 \
  "TERM=screen '$CCSIM' watch '$S' --speed 30; echo \$? >'$TMP/rc'; sleep 60"
wait_for "ccsim watch: Two-queue day" || true
for want in "Queue " "Waiting" "Oldest" "SL so far" "sales " "support " "Group " "Staffed" \
            "sales_team" "support_team" "Idle" "Talk" "Wrap-up" "speed x30" "running" "keys:"; do
  screen | grep -qF -- "$want" || fail "live screen lacks '$want'"
done
c1=$(clock)
[ -n "$c1" ] || fail "no clock on screen"
wait_clock_change "$c1" || fail "clock does not advance (stuck at $c1)"

# space pauses: the clock holds over a full second
T send-keys -t w Space
wait_for "PAUSED" || true
p1=$(clock); sleep 1.2; p2=$(clock)
[ "$p1" = "$p2" ] || fail "paused clock moved: $p1 -> $p2"
# s steps one event, shows what it did, and stays paused
T send-keys -t w s
wait_for "PAUSED, 1 step " || true
wait_for "Last step, at " || true
T send-keys -t w n
wait_for "PAUSED, 2 steps" || true
# steps move the clock to their events (a few may share a second)
steps=2
for ((i = 0; i < 20; i++)); do
  [ "$(clock)" != "$p2" ] && break
  T send-keys -t w s; steps=$((steps + 1))
  wait_for "PAUSED, $steps steps" || true
done
[ "$(clock)" != "$p2" ] || fail "steps did not advance the clock"
# every step sent has been taken (none still queued), so nothing moves now
wait_for "PAUSED, $steps steps" || true
s1=$(clock); sleep 1
[ "$(clock)" = "$s1" ] || fail "clock runs after a step"
# + doubles the speed shown; - halves it
T send-keys -t w +
wait_for "speed x60" || true
T send-keys -t w - -
wait_for "speed x15" || true
# live changes (paused): a adds an agent to the marked group, r removes one,
# g moves the mark, o switches the policy; the board shows each at once
staffed() { screen | awk -v g="$1" '$1 == g {print $2}' | head -1; }
screen | grep -q "^sales_team .*< a/r" || fail "the first group is not marked for a/r"
n0=$(staffed sales_team)
T send-keys -t w a
wait_for "sales_team: $((n0 + 1)) agents" || true
[ "$(staffed sales_team)" = "$((n0 + 1))" ] || fail "a: sales_team staffed $(staffed sales_team), want $((n0 + 1))"
T send-keys -t w g
wait_for "group support_team" || true
screen | grep -q "^support_team .*< a/r" || fail "g did not move the mark to support_team"
n1=$(staffed support_team)
T send-keys -t w r
wait_for "support_team: $((n1 - 1)) agents" || true
T send-keys -t w o
wait_for "policy skills" || true
screen | grep -qF "ccsim watch: Two-queue day   policy skills" || fail "o: the title does not show the new policy"
# space resumes
T send-keys -t w Space
wait_for "running" || true
wait_clock_change "$s1" || fail "clock does not run after resuming"
# resizing redraws: a short terminal cuts the board but keeps the keys in sight
T resize-window -t w -x 60 -y 12 2>/dev/null || T resize-pane -t w -x 60 -y 12
wait_for "(more below: enlarge the terminal)" || true
screen | tail -n 3 | grep -q "keys:" || fail "key help not at the bottom of a short terminal"
T resize-window -t w -x 120 -y 40 2>/dev/null || T resize-pane -t w -x 120 -y 40
wait_for "support_team" || true
# q quits with status 0 and leaves the normal screen
T send-keys -t w q
for ((i = 0; i < 100; i++)); do [ -s "$TMP/rc" ] && break; sleep 0.1; done
[ "$(cat "$TMP/rc" 2>/dev/null)" = "0" ] || fail "q: exit status '$(cat "$TMP/rc" 2>/dev/null)'"
screen | grep -q "keys:" && fail "wallboard still on screen after q"
T kill-session -t w 2>/dev/null || true

# a small terminal degrades to a message; Ctrl-C restores the terminal, exit 130
rm -f "$TMP/rc"
T new-session -d -s w -x 30 -y 6 \
  "TERM=screen '$CCSIM' watch '$S'; echo \$? >'$TMP/rc'; sleep 60"
wait_for "terminal too small" || true
T send-keys -t w C-c
for ((i = 0; i < 100; i++)); do [ -s "$TMP/rc" ] && break; sleep 0.1; done
[ "$(cat "$TMP/rc" 2>/dev/null)" = "130" ] || fail "Ctrl-C: exit status '$(cat "$TMP/rc" 2>/dev/null)'"
T kill-session -t w 2>/dev/null || true

# the end of the day says so and waits for q
rm -f "$TMP/rc"
T new-session -d -s w -x 100 -y 40 \
  "TERM=screen '$CCSIM' watch '$S' --set horizon=10m --speed 100000; echo \$? >'$TMP/rc'; sleep 60"
wait_for "END OF DAY" || true
wait_for "end of day - press q" || true
sleep 0.3
[ -s "$TMP/rc" ] && fail "exited at the end of the day without q"
T send-keys -t w q
for ((i = 0; i < 100; i++)); do [ -s "$TMP/rc" ] && break; sleep 0.1; done
[ "$(cat "$TMP/rc" 2>/dev/null)" = "0" ] || fail "q at end of day: exit status '$(cat "$TMP/rc" 2>/dev/null)'"

T kill-session -t w 2>/dev/null || true

# ncurses is opened when the live board starts: where it cannot be (CCS_NO_CURSES=1,
# as on a machine without it) the terminal gets plain snapshots and a warning saying why
rm -f "$TMP/rc"
T new-session -d -s w -x 120 -y 40 \
  "CCS_NO_CURSES=1 TERM=screen '$CCSIM' watch '$S' --set horizon=1h --every 30m 2>'$TMP/nc.err'; echo \$? >'$TMP/rc'; sleep 60"
for ((i = 0; i < 100; i++)); do [ -s "$TMP/rc" ] && break; sleep 0.1; done
[ "$(cat "$TMP/rc" 2>/dev/null)" = "0" ] || fail "no ncurses: exit status '$(cat "$TMP/rc" 2>/dev/null)'"
grep -qE '^ccsim watch: warning: cannot load ncurses \(Debian libncursesw?6\): libncursesw?\.so\.6: not loaded, CCS_NO_CURSES is set; printing plain snapshots$' "$TMP/nc.err" ||
  fail "no ncurses: stderr is '$(cat "$TMP/nc.err")'"
screen | grep -q "^Clock [0-9]" || fail "no ncurses: no plain snapshot on the terminal"
readelf -d "$CCSIM" | grep -qE 'NEEDED.*lib(ncurses|tinfo)' && fail "ccsim links ncurses"

finish
