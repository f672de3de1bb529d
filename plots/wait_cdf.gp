# SPDX-License-Identifier: GPL-3.0-or-later
# wait_cdf.gp - distribution of the wait of answered contacts: for each
# queue, the share answered within x seconds (pooled over replications),
# with the queue's service-level threshold marked by a dashed line of the
# same colour. Reads waits.csv of `ccsim run --out DIR`.
#
#   gnuplot -e "in='DIR/waits.csv'; out='wait_cdf.png'; within='20 30'" plots/wait_cdf.gp
#
# Variables (set with -e before the script name):
#   in       waits.csv (required)
#   out      the chart to write, ending in .png or .svg (required)
#   queues   queue ids to draw, space-separated (default: all in the file)
#   within   each queue's threshold T in seconds, same order (default: none marked)
#   xmax     right end of the wait axis in seconds (default: automatic)
#   xunit    seconds per unit of the wait axis (default 1), xname its name ('s';
#            60 'min', 3600 'h': an e-mail queue's hours, not 14400 s)
#   wlabels  the thresholds as shown in the key, same order (default: '%g s')
#   all      1 to add the curve of all queues together (default 0)
#   title    chart title (default 'Waiting time of answered contacts')
if (!exists("in") || !exists("out")) { exit error "set in='waits.csv' and out='x.png|x.svg' with -e" }
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
if (!exists("title")) { title = 'Waiting time of answered contacts' }
if (!exists("all")) { all = 0 }
if (!exists("xunit")) { xunit = 1; xname = 's' }
if (!exists("xname")) { xname = sprintf('%g s', xunit) }

# waits.csv: 1 queue (empty: all queues), 2 wait_s, 3 cdf
if (!exists("queues")) {
    queues = ''
    stats in skip 1 using (q = strcol(1), \
        (q ne '' && strstrt(' '.queues.' ', ' '.q.' ') == 0) ? \
        (queues = queues.(queues eq '' ? '' : ' ').q, 0) : 0) nooutput
}
nq = words(queues)
if (!exists("within")) { within = '' }
nw = words(within) < nq ? words(within) : nq
is(i) = strcol(1) eq word(queues, i)
T(i) = (word(within, i) + 0) / xunit
TL(i) = exists("wlabels") && i <= words(wlabels) ? word(wlabels, i) : sprintf('%g s', word(within, i) + 0)

set title title font ',15'
set xlabel sprintf('Wait x (%s)', xname)
set ylabel 'Answered contacts that waited at most x (%)'
if (exists("xmax")) { set xrange [0:xmax / xunit] } else { set xrange [0:*] }
set yrange [0:100]
set ytics 0, 10, 100 format '%g%%'
set grid ytics xtics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal
set border 3
set tics nomirror
do for [i=1:nw] {
    set arrow from T(i), graph 0 to T(i), graph 1 nohead lc i lw 1.5 dt 2
}

# the curve of all queues together (queue column empty), when asked for
allq = all ? ", in skip 1 using ($2 / xunit):(strcol(1) eq '' ? 100 * $3 : NaN) with steps lc 'black' lw 1 dt 4 title 'all queues'" : ""
plot for [i=1:nq] in skip 1 using ($2 / xunit):(is(i) ? 100 * $3 : NaN) with steps lc i lw 2 \
         title (i <= nw ? sprintf('%s (threshold %s, dashed)', word(queues, i), TL(i)) : word(queues, i)) \
     @allq
