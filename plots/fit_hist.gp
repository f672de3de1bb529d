# SPDX-License-Identifier: GPL-3.0-or-later
# fit_hist.gp - a histogram of observed values (as a density) with the
# densities of the fitted families over it: the handle-time chart of
# `ccsim fit --plots`. Reads a CSV ccsim writes next to the chart.
#
#   gnuplot -e "in='charts/fit_handle_q.csv'; out='h.svg'; \
#               families='exponential gamma lognormal weibull'; best='lognormal'" plots/fit_hist.gp
#
# Variables (set with -e before the script name):
#   in        the CSV: 1 bin start, 2 bin end, 3 series ('observed' or a family), 4 density (required)
#   out       the chart to write, ending in .png or .svg (required)
#   families  the fitted families to draw, space-separated (default: none)
#   best      the family chosen (by AIC), marked in the key (default: none)
#   title, xlabel   texts (defaults: none)
if (!exists("in") || !exists("out")) { exit error "set in and out with -e" }
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
set datafile missing NaN
if (!exists("families")) { families = '' }
if (!exists("best")) { best = '' }
if (!exists("title")) { title = '' }
if (!exists("xlabel")) { xlabel = '' }
nf = words(families)
label(i) = word(families, i).(word(families, i) eq best ? ' (chosen by AIC)' : '')

set title title font ',15'
set xlabel xlabel
set ylabel 'Density (per second)'
set yrange [0:*]
set xrange [0:*]
set grid ytics lt 1 lc rgb '#e4e4e4' lw 1
set key top right
set border 3
set tics nomirror
set style fill solid 0.35 border lc rgb '#7f8fa6'

plot in skip 1 using (($1 + $2) / 2):(strcol(3) eq 'observed' ? $4 : NaN):($2 - $1) \
         with boxes lc rgb '#9fb6cd' title 'observed', \
     for [i=1:nf] in skip 1 using (($1 + $2) / 2):(strcol(3) eq word(families, i) ? $4 : NaN) \
         with lines lc i lw (word(families, i) eq best ? 3 : 1.5) title label(i)
