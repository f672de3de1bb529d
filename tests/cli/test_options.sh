# SPDX-License-Identifier: GPL-3.0-or-later
# test_options.sh - every command parses its options with the one helper of
# sim/app/cli.c, so they all answer alike: `ccsim help CMD` and `CMD --help`
# print the same text; an unknown option, a missing value, a bad number and a
# stray argument each give one exact message "ccsim CMD: error: ..." with
# "Try 'ccsim help CMD'." and exit status 2, nothing on stdout.
source "$(dirname "$0")/lib.sh" "$@"
S="$SRC/scenarios/default.yaml"

# usage_is WANT CMD ARGS...: exit 2, exactly "ccsim CMD: error: WANT" + the hint
usage_is() {
  local want=$1 cmd=$2
  shift 2
  expect 2 "$CCSIM" "$cmd" "$@"
  stderr_is "ccsim $cmd: error: $want
Try 'ccsim help $cmd'."
  [ -s "$TMP/out" ] && fail "$cmd $*: wrote to stdout"
  true
}

for cmd in run compare watch erlang plot staff policies sweep; do
  expect 0 "$CCSIM" help "$cmd"
  cp "$TMP/out" "$TMP/help"
  grep -q "^usage: ccsim $cmd" "$TMP/help" || fail "help $cmd: no usage line"
  expect 0 "$CCSIM" "$cmd" --help
  cmp -s "$TMP/out" "$TMP/help" || fail "$cmd --help differs from 'ccsim help $cmd'"
  expect 0 "$CCSIM" "$cmd" -h
  cmp -s "$TMP/out" "$TMP/help" || fail "$cmd -h differs from 'ccsim help $cmd'"
  usage_is "unknown option '--frobnicate'" "$cmd" --frobnicate
  usage_is "unknown option '-Z'" "$cmd" -Z
done

# a missing value, for each command that takes one
usage_is "option '--seed' needs a value" run "$S" --seed
usage_is "option '--variant' needs a value" compare "$S" --variant
usage_is "option '--speed' needs a value" watch "$S" --speed
usage_is "option '--rate' needs a value" erlang --rate
usage_is "option '--interval' needs a value" plot "$TMP" --interval
usage_is "option '--shrinkage' needs a value" staff "$S" --shrinkage
usage_is "option '--grid' needs a value" sweep "$S" --grid
usage_is "option '-r' needs a value" run "$S" -r
usage_is "unknown option '--json=yes'" run "$S" --json=yes

# the common options read and check their values the same way in every command
for cmd in run compare staff sweep; do
  usage_is "invalid --seed '-1': expected a whole number from 0 to 2^64-1" "$cmd" "$S" --seed -1
  usage_is "invalid --seed '18446744073709551616': expected a whole number from 0 to 2^64-1" \
    "$cmd" "$S" --seed 18446744073709551616
  usage_is "invalid --replications '0': expected a whole number from 1 to 1000000" "$cmd" "$S" -r 0
  usage_is "invalid --replications '2.5': expected a whole number from 1 to 1000000" \
    "$cmd" "$S" --replications 2.5
done
usage_is "invalid --seed 'x': expected a whole number from 0 to 2^64-1" watch "$S" --seed x
usage_is "invalid --jobs '0': expected a whole number from 1 to 4096" sweep "$S" -j 0
# units through the public parsers: their own explanation
usage_is "invalid --sample '5': missing unit: write e.g. 20s, 4m, 1.5h or 2d" run "$S" --sample 5
usage_is "invalid --every '1x': unknown time unit (use ms, s, m, h, d or w)" watch "$S" --every 1x
usage_is "invalid --rate '95/mn': unknown rate unit (use /s, /min, /h or /d)" erlang --rate 95/mn
usage_is "invalid --margin '150%': must lie between 0% and 100%" staff "$S" --margin 150%
usage_is "invalid --by 'day': expected 'interval'" run "$S" --by day

# operands
usage_is "missing SCENARIO" run
usage_is "missing SCENARIO" compare
usage_is "missing SCENARIO" watch
usage_is "missing SCENARIO" staff
usage_is "missing DIR" plot
usage_is "missing SWEEP.yaml or SCENARIO" sweep
usage_is "unexpected argument 'extra'" run "$S" extra
usage_is "unexpected argument 'extra'" erlang --rate 95/min --aht 1m --agents 100 extra
usage_is "unexpected argument 'b'" policies a b
# options may follow the operands, and "--" ends them
expect 0 "$CCSIM" run "$S" -r 2 --seed 3
cp "$TMP/out" "$TMP/a"
expect 0 "$CCSIM" run -r 2 --seed 3 -- "$S"
cmp -s "$TMP/out" "$TMP/a" || fail "options after the operand, or after --, read differently"
# the last of a repeated option wins; --set accumulates in order
expect 0 "$CCSIM" run "$S" -r 2 --seed 9 --seed 3
cmp -s "$TMP/out" "$TMP/a" || fail "the last --seed does not win"
expect 0 "$CCSIM" run "$S" -r 2 --seed 3 --set groups.sales_team.agents=30 --set groups.sales_team.agents=17
cmp -s "$TMP/out" "$TMP/a" || fail "--set is not applied in order"
# unambiguous abbreviations of long options work, as they did with getopt_long
expect 0 "$CCSIM" run "$S" --rep 2 --see 3
cmp -s "$TMP/out" "$TMP/a" || fail "abbreviated options"
finish
