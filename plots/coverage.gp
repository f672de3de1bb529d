# SPDX-License-Identifier: GPL-3.0-or-later
# coverage.gp - a roster's coverage by interval (`ccsim schedule --out DIR`):
# per group, agents required (steps, black or a dark shade), scheduled (on a
# shift, dashed) and on the phones after breaks (solid, the group's colour); below it,
# with sl=, the simulated service level of each queue by interval against
# its target (dotted).
#
#   gnuplot -e "in='DIR/coverage.csv'; sl='DIR/service_level.csv'; out='coverage.png'" plots/coverage.gp
#
# Variables (set with -e before the script name):
#   in       coverage.csv (required)
#   out      the chart to write, ending in .png or .svg (required)
#   sl       service_level.csv (optional: the lower panel; drawn when it has values)
#   title    chart title (default 'Roster coverage')
if (!exists("in") || !exists("out")) { exit error "set in='coverage.csv' and out='x.png|x.svg' with -e" }
reset
if (out[strlen(out)-3:] eq '.svg') {
    set terminal svg size 960,720 font 'Arial,13' noenhanced background '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 960,720 font 'DejaVu Sans,11' noenhanced
    } else {
        set terminal png size 960,720 font 'DejaVuSans,11' noenhanced
    }
}
set output out
set datafile separator comma
if (!exists("title")) { title = 'Roster coverage' }

# coverage.csv: 1 group, 2 interval, 3 time, 4 required, 5 scheduled, 6 on_phone
groups = ''
stats in skip 1 using (g = strcol(1), \
    strstrt(' '.groups.' ', ' '.g.' ') == 0 ? (groups = groups.(groups eq '' ? '' : ' ').g, 0) : 0) nooutput
ng = words(groups)
stats in skip 1 using 2 nooutput
nint = STATS_max + 1

havesl = 0
if (exists("sl")) {
    # without --simulate the file has no values: no lower panel
    stats sl skip 1 using (strcol(4) ne '' ? (havesl = 1, 0) : 0) nooutput
}
colours = '#1f77b4 #d62728 #2ca02c #9467bd #ff7f0e #8c564b'
col(i) = word(colours, (i - 1) % 6 + 1)
# the requirement of each group in a darker shade of its colour
darks = '#000000 #5c0f10 #145214 #3f2656 #7a3d00 #3d2520'
dark(i) = word(darks, (i - 1) % 6 + 1)

set multiplot title title layout (havesl ? 2 : 1), 1
set key outside right top
# the same plot area in both panels, so that their intervals line up
set lmargin at screen 0.08
set rmargin at screen 0.70
set grid ytics lc rgb '#dddddd'
set xrange [-0.5:nint - 0.5]
set ylabel 'agents'
set yrange [0:*]
set xtics nomirror
# clock-time labels from the files' time column (the scenario's start_time
# on), about a dozen over the horizon
lstep = nint > 12 ? int(ceil(nint / 12.0)) : 1
lab(c) = int(column(2)) % lstep == 0 ? strcol(c) : ''
set xlabel 'time'
# every series as steps centred on its interval (histeps), so that the
# required and the covered agents of an interval line up
plot for [i=1:ng] in skip 1 using 2:(strcol(1) eq word(groups, i) ? $4 : NaN) \
         with histeps lc rgb dark(i) lw 1.5 title word(groups, i).' required', \
     for [i=1:ng] in skip 1 using 2:(strcol(1) eq word(groups, i) ? $5 : NaN) \
         with histeps dt 2 lc rgb col(i) title word(groups, i).' scheduled', \
     for [i=1:ng] in skip 1 using 2:(strcol(1) eq word(groups, i) ? $6 : NaN):xtic(lab(3)) \
         with histeps lw 2 lc rgb col(i) title word(groups, i).' on the phones'
if (havesl) {
    # service_level.csv: 1 queue, 2 interval, 3 time, 4 service_level, 5 std_error, 6 target
    queues = ''
    stats sl skip 1 using (q = strcol(1), \
        strstrt(' '.queues.' ', ' '.q.' ') == 0 ? (queues = queues.(queues eq '' ? '' : ' ').q, 0) : 0) nooutput
    nq = words(queues)
    set ylabel 'service level'
    set yrange [0:1.05]
    set format y '%.0f%%'
    set ytics ('0%%' 0, '20%%' 0.2, '40%%' 0.4, '60%%' 0.6, '80%%' 0.8, '100%%' 1)
    set datafile missing ''
    plot for [i=1:nq] sl skip 1 using 2:(strcol(1) eq word(queues, i) ? $4 : NaN):xtic(lab(3)) \
             with linespoints pt 7 ps 0.6 lc rgb col(i) title word(queues, i).' simulated', \
         for [i=1:nq] sl skip 1 using 2:(strcol(1) eq word(queues, i) ? $6 : NaN) \
             with lines dt 3 lc rgb col(i) title word(queues, i).' target'
}
unset multiplot
