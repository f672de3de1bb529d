# SPDX-License-Identifier: GPL-3.0-or-later
# test_compare_wide.sh - `ccsim compare` with many variants stays readable:
# with 5 variants the interval view wraps into panels of 3 whose lines fit in
# 100 columns, every variant's paired difference and CI still shown; the
# HTML report turns its table to one row per KPI x variant (five columns).
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"
V=(--variant s16:groups.sales_team.agents=16 --variant s18:groups.sales_team.agents=18
   --variant s19:groups.sales_team.agents=19 --variant sup24:groups.support_team.agents=24
   --variant sup28_long_name:groups.support_team.agents=28)
P=(); command -v gnuplot >/dev/null && P=(--plots)
expect 0 "$CCSIM" compare "$S" --set horizon=2h -r 5 "${V[@]}" --out "$TMP/c" "${P[@]}"
stdout_has "(5 variants besides the baseline, in panels of 3)"
python3 - "$TMP/out" <<'PY' || fail "the interval view with 5 variants"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
view = text[text.index("Service level by interval (overall)"):]
lines = [l for l in view.splitlines()[2:] if l]
heads = [l.split() for l in lines if l.startswith("  interval")]
assert heads == [["interval", "baseline", "s16", "s18", "s19"],
                 ["interval", "baseline", "sup24", "sup28_long_name"]], heads
for l in lines:
    assert len(l) <= 100, (len(l), l)
rows = [l for l in lines if re.match(r"  \d\d:\d\d-\d\d:\d\d ", l)]
assert len(rows) == 8, rows                      # 4 intervals x 2 panels
for l in rows[:4]:
    assert len(re.findall(r"[+-]\d+\.\d\d% ± \d+\.\d\d%", l)) == 3, l
for l in rows[4:]:
    assert len(re.findall(r"[+-]\d+\.\d\d% ± \d+\.\d\d%", l)) == 2, l
# the KPI blocks: one line per variant, each with its difference and verdict
sl = re.findall(r"^  (?:Service level)? +(\S+) +[\d.]+% ± [\d.]+% +([+-][\d.]+% ± [\d.]+%)  (better|worse|no significant difference)$",
                text, re.M)
assert {v for v, _, _ in sl} >= {"s16", "s18", "s19", "sup24", "sup28_long_name"}, sl
PY
# the same compare with 3 variants keeps the one-panel layout
expect 0 "$CCSIM" compare "$S" --set horizon=2h -r 5 "${V[@]:0:4}"
grep -q "in panels of" "$TMP/out" && fail "3 variants were wrapped"
grep -qE '^  interval +baseline  s16 +s18$' "$TMP/out" || fail "3 variants: interval header"
if [ ${#P[@]} -gt 0 ]; then
  python3 - "$TMP/c/report.html" <<'PY' || fail "report.html's table with 5 variants"
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
assert "<th>KPI</th><th>Variant</th><th>Mean &plusmn; CI</th><th>&Delta; vs baseline &plusmn; CI</th><th>Verdict</th>" in h
assert "colspan" not in h.split('id="kpis"')[1].split('id="scenario"')[0]
first = h.index('<tr class="first"><td>Service level <code>service_level</code>')
block = h[first:].split("</tr>")[:6]
names = [re.search(r"</td><td>([^<]+)</td>", r).group(1) for r in block]
assert names == ["baseline", "s16", "s18", "s19", "sup24", "sup28_long_name"], names
assert all("pp &plusmn;" in r for r in block[1:]), block
PY
fi
finish
