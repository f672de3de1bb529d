# SPDX-License-Identifier: GPL-3.0-or-later
# service_level.gp - service level by interval, one line per queue, each
# against its target (dashed, same colour). Error bars: 95% confidence
# intervals over replications. Reads intervals.csv of `ccsim run --out DIR`.
#
#   gnuplot -e "in='DIR/intervals.csv'; out='service_level.png'" plots/service_level.gp
#   gnuplot -e "in='DIR/intervals.csv'; out='sl.svg'; targets='0.8 0.8'" plots/service_level.gp
#
# Variables (set with -e before the script name):
#   in       intervals.csv (required)
#   out      the chart to write, ending in .png or .svg (required)
#   queues   queue ids to draw, space-separated (default: all in the file)
#   targets  each queue's target as a fraction, same order (default: no line)
#   t0       clock times on the time axis: t = 0 is t0 seconds after 1970-01-01
#            00:00 (28800: 08:00); tfmt the labels (default '%H:%M'), tstep
#            and tfirst the ticks (s), tmax the right end (s after 1970)
#   tunit    without t0: seconds per unit of the time axis (default 3600), tname
#            its name ('h'); tmax the right end in tunits (default: automatic)
#   title    chart title (default 'Service level by interval'), ylabel the y axis'
if (!exists("in") || !exists("out")) { exit error "set in='intervals.csv' and out='x.png|x.svg' with -e" }
reset
if (out[strlen(out)-3:] eq '.svg') {
    set terminal svg size 960,540 font 'Arial,13' noenhanced background '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 960,540 font 'DejaVu Sans,11' noenhanced
    } else {
        set terminal png size 960,540 font 'DejaVuSans,11' noenhanced
    }
}
set output out
set datafile separator comma
set datafile missing NaN   # filtered-out rows are skipped, lines stay joined
# The time axis: clock times when t0 is set (ccsim sets it from the
# scenario's start_time), else time since the start in tunits.
clock = exists("t0")
if (clock) {
    xt(t) = t0 + t
} else {
    if (!exists("tunit")) { tunit = 3600; tname = 'h' }
    if (!exists("tname")) { tname = sprintf('%g s', tunit) }
    xt(t) = t / tunit
}
if (!exists("title")) { title = 'Service level by interval' }
if (!exists("ylabel")) { ylabel = 'Service level (%)' }

# intervals.csv: 1 interval, 2 start_s, 3 end_s, 4 scope, 5 queue, 8 metric,
# 11 mean, 14 ci_low, 15 ci_high
if (!exists("queues")) {
    queues = ''
    stats in skip 1 using (q = strcol(5), \
        (strcol(4) eq 'queue' && strstrt(' '.queues.' ', ' '.q.' ') == 0) ? \
        (queues = queues.(queues eq '' ? '' : ' ').q, 0) : 0) nooutput
}
nq = words(queues)
if (!exists("targets")) { targets = '' }
nt = words(targets) < nq ? words(targets) : nq
same = nt > 0     # one target line for all when every queue has the same target
do for [i=2:nt] { if (word(targets, i) + 0 != word(targets, 1) + 0) { same = 0 } }
is(i) = strcol(4) eq 'queue' && strcol(8) eq 'service_level' && strcol(5) eq word(queues, i)
lo(c) = valid(c) ? 100 * column(c) : 100 * $11

if (clock) {   # after every stats command: stats refuses time data
    set xdata time
    set format x (exists("tfmt") ? tfmt : '%H:%M') timedate
    if (exists("tstep")) { if (exists("tfirst")) { set xtics tfirst, tstep } else { set xtics tstep } }
    if (exists("tmax")) { set xrange [t0:tmax] } else { set xrange [t0:*] }
    set xlabel (exists("tname") ? tname : 'Time of day')
} else {
    if (exists("tmax")) { set xrange [0:tmax] } else { set xrange [0:*] }
    set xlabel sprintf('Time since start (%s)', tname)
}
set title title font ',15'
set ylabel ylabel
set yrange [0:105]
set ytics 0, 10, 100 format '%g%%'
set grid ytics xtics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal
set border 3
set tics nomirror

# target lines: one black line when all queues share their target, else one per queue
tl = ''
if (nt > 0 && same) {
    tl = ", 100 * (word(targets, 1) + 0) with lines lc 'black' lw 1.5 dt 2 title sprintf('target %g%%', 100 * (word(targets, 1) + 0))"
}
if (nt > 0 && !same) {
    tl = ", for [i=1:nt] 100 * (word(targets, i) + 0) with lines lc i lw 1.5 dt 2 title sprintf('%s target %g%%', word(queues, i), 100 * (word(targets, i) + 0))"
}
plot for [i=1:nq] in skip 1 using (xt((column(2) + column(3)) / 2)):(is(i) ? 100 * $11 : NaN):(lo(14)):(lo(15)) \
         with yerrorlines lc i lw 2 pt 7 ps 0.6 title word(queues, i) @tl
