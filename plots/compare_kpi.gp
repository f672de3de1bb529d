# SPDX-License-Identifier: GPL-3.0-or-later
# compare_kpi.gp - one KPI across the variants of a comparison: for the
# whole center and each queue (or group), one bar per variant with its 95%
# confidence interval. Reads compare.csv of `ccsim compare --out DIR`
# (whole-run rows, interval column empty).
#
#   gnuplot -e "in='DIR/compare.csv'; out='asa.png'; kpi='asa'" plots/compare_kpi.gp
#
# Variables (set with -e before the script name):
#   in        compare.csv (required)
#   out       the chart to write, ending in .png or .svg (required)
#   kpi       the metric id, e.g. service_level, asa, abandon_rate (required)
#   variants  variant names, baseline first (default: all, in file order)
#   scopes    bar clusters: 'overall', queue or group ids, 'queue/segment'
#             (default: all that have the KPI, in file order)
#   scale     factor for the values (default 100 for fractions, shown as %, else 1)
#   ylabel    the y axis (default: kpi and unit); title the chart title
#   tscopes   clusters that have a target (e.g. 'overall sales'; service level or
#             ASA, the queues' sla.target or sla.asa), tvalues their
#             targets in the KPI's unit, same order ('0.8 0.8'): a dashed line
if (!exists("in") || !exists("out") || !exists("kpi")) { exit error "set in='compare.csv', out='x.png|x.svg' and kpi='...' with -e" }
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

# compare.csv: 1 variant, 2 scope, 3 queue, 4 segment, 5 group, 6 interval,
# 7 metric, 8 unit, 10 mean, 12 ci_low, 13 ci_high
# The cluster a row belongs to ('' for rows not charted here).
where(dummy) = strcol(2) eq 'overall' ? 'overall' : \
          strcol(2) eq 'queue' ? strcol(3) : \
          strcol(2) eq 'segment' ? strcol(3).'/'.strcol(4) : \
          strcol(2) eq 'group' ? strcol(5) : ''
mine(dummy) = strcol(7) eq kpi && strcol(6) eq '' && where(0) ne ''
has(list, s) = strstrt(' '.list.' ', ' '.s.' ') > 0
if (!exists("variants")) {
    variants = ''
    stats in skip 1 using (v = strcol(1), (mine(0) && !has(variants, v)) ? \
        (variants = variants.(variants eq '' ? '' : ' ').v, 0) : 0) nooutput
}
if (!exists("scopes")) {
    scopes = ''
    stats in skip 1 using (c = where(0), (mine(0) && !has(scopes, c)) ? \
        (scopes = scopes.(scopes eq '' ? '' : ' ').c, 0) : 0) nooutput
}
unit = ''
if (!exists("scale")) {
    stats in skip 1 using (mine(0) ? (unit = strcol(8), 0) : 0) nooutput
    scale = unit eq 'fraction' ? 100 : 1
}
if (!exists("ylabel")) { ylabel = kpi.(scale == 100 ? ' (%)' : unit eq 'seconds' ? ' (s)' : '') }
if (!exists("title")) { title = ylabel.' by variant' }
nv = words(variants)
nc = words(scopes)
pos(list, s) = sum [k=1:words(list)] (word(list, k) eq s ? k : 0)
bw = 0.8 / nv
x(j) = pos(scopes, where(0)) + (j - (nv + 1) / 2.0) * bw
is(j) = mine(0) && strcol(1) eq word(variants, j) && pos(scopes, where(0)) > 0
lo(c) = valid(c) ? scale * column(c) : scale * $10

set title title font ',15'
set ylabel ylabel
set xrange [0.4:nc + 0.6]
set yrange [0:*]
set xtics () scale 0
do for [i=1:nc] { set xtics add (word(scopes, i) i) }
set grid ytics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal title 'Variant (bars: mean; whiskers: 95% confidence interval)'
set border 3
set tics nomirror
set boxwidth bw * 0.9 absolute
set style fill solid 0.75 border -1
if (scale == 100) { set format y '%g%%' }

# targets: a dashed black line across the cluster of bars each one judges
nt = exists("tscopes") && exists("tvalues") ? words(tscopes) : 0
tk = ''
tmax = 0
do for [k=1:nt] {
    ci = pos(scopes, word(tscopes, k))
    if (ci > 0 && k <= words(tvalues)) {
        tv = scale * (word(tvalues, k) + 0)
        set arrow from ci - 0.45, tv to ci + 0.45, tv nohead lc 'black' lw 1.5 dt 2 front
        tk = ", NaN with lines lc 'black' lw 1.5 dt 2 title 'target'"
        if (tv > tmax) { tmax = tv }
    }
}
# a target above every bar (an ASA promise of 30 s over bars of 5 s) stays in sight
if (tmax > 0 && scale != 100) { eval sprintf("set yrange [0:%g<*]", 1.1 * tmax) }

plot for [j=1:nv] in skip 1 using (x(j)):(is(j) ? scale * $10 : NaN) with boxes lc j \
         title word(variants, j).(j == 1 ? ' (baseline)' : ''), \
     for [j=1:nv] in skip 1 using (x(j)):(is(j) ? scale * $10 : NaN):(lo(12)):(lo(13)) \
         with yerrorbars lc 'black' lw 1.5 pt 7 ps 0.5 notitle @tk
