# SPDX-License-Identifier: GPL-3.0-or-later
# waiting.gp - contacts waiting over the day, one line per queue, with the
# 95% confidence band over replications. Reads timeseries.csv, written by
# `ccsim run --out DIR --sample 5m` (and by --plots, which samples itself).
#
#   gnuplot -e "in='DIR/timeseries.csv'; out='waiting.png'" plots/waiting.gp
#
# Variables (set with -e before the script name):
#   in       timeseries.csv (required)
#   out      the chart to write, ending in .png or .svg (required)
#   queues   queue ids to draw, space-separated (default: all in the file)
#   t0       clock times on the time axis: t = 0 is t0 seconds after 1970-01-01
#            00:00 (28800: 08:00); tfmt the labels (default '%H:%M'), tstep
#            and tfirst the ticks (s), tmax the right end (s after 1970)
#   tunit    without t0: seconds per unit of the time axis (default 3600), tname
#            its name ('h'); tmax the right end in tunits (default: automatic)
#   title    chart title (default 'Contacts waiting')
if (!exists("in") || !exists("out")) { exit error "set in='timeseries.csv' and out='x.png|x.svg' with -e" }
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
if (!exists("title")) { title = 'Contacts waiting' }

# timeseries.csv: 1 t_s, 2 scope, 3 queue, 4 group, 5 metric, 6 mean,
# 7 halfwidth, 8 ci_low, 9 ci_high
if (!exists("queues")) {
    queues = ''
    stats in skip 1 using (q = strcol(3), \
        (strcol(2) eq 'queue' && strstrt(' '.queues.' ', ' '.q.' ') == 0) ? \
        (queues = queues.(queues eq '' ? '' : ' ').q, 0) : 0) nooutput
}
nq = words(queues)
is(i) = strcol(2) eq 'queue' && strcol(5) eq 'waiting' && strcol(3) eq word(queues, i)
lo(c) = valid(c) ? (column(c) < 0 ? 0 : column(c)) : $6

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
set ylabel 'Contacts waiting (mean over replications)'
set yrange [0:*]
set grid ytics xtics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal
set border 3
set tics nomirror
set style fill transparent solid 0.18 noborder

plot for [i=1:nq] in skip 1 using (xt(column(1))):(is(i) ? lo(8) : NaN):(lo(9)) \
         with filledcurves lc i notitle, \
     for [i=1:nq] in skip 1 using (xt(column(1))):(is(i) ? $6 : NaN) \
         with lines lc i lw 2 title word(queues, i)
