# SPDX-License-Identifier: GPL-3.0-or-later
# compare_intervals.gp - when in the day a variant helps or hurts: for one
# KPI, each variant's difference to the baseline per interval (paired, on
# common random numbers), with its 95% confidence band, around a zero line.
# Reads compare.csv of `ccsim compare --out DIR` (rows with an interval).
#
#   gnuplot -e "in='DIR/compare.csv'; out='sl_diff.png'; kpi='service_level'; interval_s=1800" \
#           plots/compare_intervals.gp
#
# Variables (set with -e before the script name):
#   in          compare.csv (required)
#   out         the chart to write, ending in .png or .svg (required)
#   kpi         the metric id, e.g. service_level (required)
#   interval_s  interval length in seconds; without it the x axis counts intervals
#   t0          with interval_s, clock times on the time axis: t = 0 is t0 seconds
#               after 1970-01-01 00:00 (28800: 08:00); tfmt the labels (default
#               '%H:%M'), tstep and tfirst the ticks (s), tmax the right end (s)
#   tunit       without t0: seconds per unit of the time axis (default 3600), tname
#               its name ('h'); tmax the right end in tunits (default: automatic)
#   scope       'overall' (default), or 'queue', 'group' with name='ID'
#   variants    variant names, baseline first (default: all, in file order)
#   scale       factor for the values (default 100 for fractions: percentage points)
#   ylabel      the y axis; title the chart title; better: +1 / -1 direction note
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
set datafile missing NaN   # filtered-out rows are skipped, lines stay joined
if (!exists("scope")) { scope = 'overall' }
if (!exists("name")) { name = '' }
clock = exists("t0") && exists("interval_s")
if (!exists("tunit")) { tunit = 3600; if (!exists("tname")) { tname = clock ? 'Time of day' : 'h' } }
if (!exists("tname")) { tname = clock ? 'Time of day' : sprintf('%g s', tunit) }

# compare.csv: 1 variant, 2 scope, 3 queue, 5 group, 6 interval, 7 metric,
# 8 unit, 14 diff, 16 diff_ci_low, 17 diff_ci_high
here(dummy) = strcol(2) eq 'queue' ? strcol(3) : strcol(2) eq 'group' ? strcol(5) : ''
mine(dummy) = strcol(7) eq kpi && strcol(6) ne '' && strcol(2) eq scope && here(0) eq name
has(list, s) = strstrt(' '.list.' ', ' '.s.' ') > 0
if (!exists("variants")) {
    variants = ''
    stats in skip 1 using (v = strcol(1), (mine(0) && !has(variants, v)) ? \
        (variants = variants.(variants eq '' ? '' : ' ').v, 0) : 0) nooutput
}
unit = ''
if (!exists("scale")) {
    stats in skip 1 using (mine(0) ? (unit = strcol(8), 0) : 0) nooutput
    scale = unit eq 'fraction' ? 100 : 1
}
nv = words(variants)
if (!exists("ylabel")) { ylabel = 'Difference to '.word(variants, 1).' in '.kpi.(scale == 100 ? ' (points of %)' : unit eq 'seconds' ? ' (s)' : '') }
if (!exists("title")) { title = kpi.': difference to the baseline by interval' }
# the title with the better side (a new variable: the script may run twice in one session)
ttl = title.(!exists("better") ? '' : better > 0 ? ' (above 0: better)' : better < 0 ? ' (below 0: better)' : '')
xof(dummy) = clock ? t0 + (column(6) + 0.5) * interval_s : \
            exists("interval_s") ? (column(6) + 0.5) * interval_s / tunit : column(6)
is(j) = mine(0) && strcol(1) eq word(variants, j)
lo(c) = valid(c) ? scale * column(c) : scale * $14

set title ttl font ',15'
set xlabel clock ? tname : exists("interval_s") ? sprintf('Time since start (%s)', tname) : 'Interval (0-based)'
set ylabel ylabel
set grid ytics xtics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal title 'Variant minus baseline (line: mean; band: 95% confidence interval)'
set border 3
set tics nomirror
set xzeroaxis lt 1 lc 'black' lw 1.5
set style fill transparent solid 0.2 noborder
if (clock) {
    set xdata time
    set format x (exists("tfmt") ? tfmt : '%H:%M') timedate
    if (exists("tstep")) { if (exists("tfirst")) { set xtics tfirst, tstep } else { set xtics tstep } }
    if (exists("tmax")) { set xrange [t0:tmax] } else { set xrange [t0:*] }
} else {
    if (exists("interval_s")) { if (exists("tmax")) { set xrange [0:tmax] } else { set xrange [0:*] } }
}

plot for [j=2:nv] in skip 1 using (xof(0)):(is(j) ? lo(16) : NaN):(lo(17)) with filledcurves lc j notitle, \
     for [j=2:nv] in skip 1 using (xof(0)):(is(j) ? scale * $14 : NaN) with linespoints lc j lw 2 pt 7 ps 0.6 \
         title word(variants, j)
