# SPDX-License-Identifier: GPL-3.0-or-later
# test_whole_run.sh - `ccsim run` keeps per-interval results only for the
# outputs that print them (issue 16: memory). Without --out, --by interval
# or --dates it runs whole-run results only; the table and --json it prints
# must be the same bytes as when intervals are kept (--out), for scenarios
# with segments, outbound campaigns, channels, callbacks, a warm-up and a
# replayed log; and a long run at short intervals needs less memory.
source "$(dirname "$0")/lib.sh" "$@"

for s in default blended-email omnichannel vip-surge bank-replay classic/telethon \
         teaching/callback-peak; do
  for fmt in table json; do
    args=("$SRC/scenarios/$s.yaml" -r 2 --set horizon=2h)
    [ "$fmt" = json ] && args+=(--json)
    expect 0 "$CCSIM" run "${args[@]}"
    cp "$TMP/out" "$TMP/whole"
    expect 0 "$CCSIM" run "${args[@]}" --out "$TMP/o.$fmt.${s//\//_}"
    cmp -s "$TMP/whole" "$TMP/out" || fail "$s $fmt: whole-run-only output differs"
  done
done

# --by interval still prints intervals (kept for it)
expect 0 "$CCSIM" run "$SRC/scenarios/default.yaml" -r 2 --by interval
stdout_has "per interval"
grep -q "nan\|NaN" "$TMP/out" && fail "--by interval printed NaN"

# memory: a year of W2 at 15-minute intervals (35,040 intervals) held
# 159 MiB with its intervals, 43 MiB with whole-run results only
# (ru_maxrss from python's wait4: no /usr/bin/time needed)
if command -v python3 >/dev/null; then
  kib() {
    python3 - "$@" <<'PY'
import os, subprocess, sys
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, st, ru = os.wait4(p.pid, 0)
print(ru.ru_maxrss if st == 0 else -1)
PY
  }
  # a day at 10 s intervals: 8,640 intervals (about 50 MB of them) in a
  # short run
  W2=("$SRC/scenarios/multiskill.yaml" -r 1 --set horizon=1d --set interval=10s)
  whole=$(kib "$CCSIM" run "${W2[@]}" --json)
  kept=$(kib "$CCSIM" run "${W2[@]}" --out "$TMP/w2")
  [ "$whole" -gt 0 ] && [ "$kept" -gt 0 ] || fail "W2 runs failed ($whole, $kept)"
  echo "whole-run only: $whole KiB, with intervals: $kept KiB"
  [ $((whole * 2)) -lt "$kept" ] || fail "whole-run only: $whole KiB, with intervals $kept KiB"
fi
finish
