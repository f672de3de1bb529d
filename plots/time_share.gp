# SPDX-License-Identifier: GPL-3.0-or-later
# time_share.gp - how each agent group splits its handling time between
# queues: one cluster of bars per group, one bar per queue, with 95%
# confidence intervals over replications. Reads summary.csv of
# `ccsim run --out DIR` (rows with scope group_queue, metric time_share).
#
#   gnuplot -e "in='DIR/summary.csv'; out='time_share.png'" plots/time_share.gp
#
# Variables (set with -e before the script name):
#   in       summary.csv (required)
#   out      the chart to write, ending in .png or .svg (required)
#   groups   group ids, space-separated (default: all in the file)
#   queues   queue ids, space-separated (default: all in the file)
#   title    chart title (default 'Share of each group's handling time per queue')
if (!exists("in") || !exists("out")) { exit error "set in='summary.csv' and out='x.png|x.svg' with -e" }
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
set datafile missing NaN   # filtered-out rows are skipped
if (!exists("title")) { title = "Share of each group's handling time per queue" }

# summary.csv: 1 scope, 2 queue, 4 group, 5 metric, 8 mean, 11 ci_low, 12 ci_high
sel = "strcol(1) eq 'group_queue' && strcol(5) eq 'time_share'"
if (!exists("groups")) {
    groups = ''
    stats in skip 1 using (g = strcol(4), \
        (@sel && strstrt(' '.groups.' ', ' '.g.' ') == 0) ? \
        (groups = groups.(groups eq '' ? '' : ' ').g, 0) : 0) nooutput
}
if (!exists("queues")) {
    queues = ''
    stats in skip 1 using (q = strcol(2), \
        (@sel && strstrt(' '.queues.' ', ' '.q.' ') == 0) ? \
        (queues = queues.(queues eq '' ? '' : ' ').q, 0) : 0) nooutput
}
ng = words(groups)
nq = words(queues)
# position of word s in list (0 when absent)
pos(list, s) = sum [k=1:words(list)] (word(list, k) eq s ? k : 0)
bw = 0.8 / nq
x(j) = pos(groups, strcol(4)) + (j - (nq + 1) / 2.0) * bw
is(j) = @sel && strcol(2) eq word(queues, j) && pos(groups, strcol(4)) > 0
lo(c) = valid(c) ? 100 * column(c) : 100 * $8

set title title font ',15'
set xlabel 'Agent group'
set ylabel "Share of the group's handling time (%)"
set yrange [0:105]
set ytics 0, 10, 100 format '%g%%'
set xrange [0.4:ng + 0.6]
set xtics () scale 0
do for [i=1:ng] { set xtics add (word(groups, i) i) }
set grid ytics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal
set border 3
set tics nomirror
set boxwidth bw * 0.9 absolute
set style fill solid 0.75 border -1

plot for [j=1:nq] in skip 1 using (x(j)):(is(j) ? 100 * $8 : NaN) with boxes lc j title word(queues, j), \
     for [j=1:nq] in skip 1 using (x(j)):(is(j) ? 100 * $8 : NaN):(lo(11)):(lo(12)) \
         with yerrorbars lc 'black' lw 1.5 pt 7 ps 0.5 notitle
