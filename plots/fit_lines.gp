# SPDX-License-Identifier: GPL-3.0-or-later
# fit_lines.gp - the charts of `ccsim fit --plots` that are curves: one line
# per series, with a shaded band (its interval) where the series has one:
# arrivals and staffing per interval over the day (clock times), and the
# Kaplan-Meier patience curve with its fitted censored laws; and those of
# `ccsim backtest --plots`: observed against simulated KPIs per interval,
# and the errors per date. Reads a CSV
# ccsim writes next to the chart (charts/NAME.csv).
#
#   gnuplot -e "in='charts/fit_volume.csv'; out='v.svg'; series='Mon Tue'; \
#               bands='1 1'; clock=1" plots/fit_lines.gp
#
# Variables (set with -e before the script name):
#   in       the CSV: 1 x, 2 series, 3 y, 4 lo, 5 hi (required)
#   out      the chart to write, ending in .png or .svg (required)
#   series   the series to draw, space-separated, in order (required)
#   bands    per series, 1 to shade lo..hi (default: none)
#   clock    1: x is seconds since midnight, labelled HH:MM (default 0)
#   dates    1: x is a date, YYYY-MM-DD (default 0)
#   points   1: a mark at each point too (few points; default 0)
#   xstep    distance between x tics (dates: seconds, a multiple of 86400)
#   signed   1: y may be negative, with a line at 0 (errors; default 0)
#   title, xlabel, ylabel   texts (defaults: none)
#   ymax     top of the y axis (default: automatic)
if (!exists("in") || !exists("out") || !exists("series")) { exit error "set in, out and series with -e" }
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
if (!exists("bands")) { bands = '' }
if (!exists("clock")) { clock = 0 }
if (!exists("dates")) { dates = 0 }
if (!exists("points")) { points = 0 }
if (!exists("signed")) { signed = 0 }
if (!exists("title")) { title = '' }
if (!exists("xlabel")) { xlabel = '' }
if (!exists("ylabel")) { ylabel = '' }
ns = words(series)
is(i) = strcol(2) eq word(series, i)
band(i) = word(bands, i) eq '1'

set title title font ',15'
set xlabel xlabel
set ylabel ylabel
if (clock) {
    set xdata time
    set timefmt '%s'
    set format x '%H:%M'
}
if (dates) {
    set xdata time
    set timefmt '%Y-%m-%d'
    set format x '%d %b'
}
if (exists("xstep")) { set xtics xstep }
if (exists("ymax")) { set yrange [0:ymax] } else { set yrange [0:*] }
if (signed) {
    set yrange [*:*]
    set xzeroaxis lt 1 lc rgb '#777777' lw 1
}
set grid ytics xtics lt 1 lc rgb '#e4e4e4' lw 1
set key outside below center horizontal maxrows 3
set border 3
set tics nomirror
set style fill transparent solid 0.18 noborder
set style data lines
if (points) { set style data linespoints; set pointsize 0.8 }

plot for [i=1:ns] in skip 1 using 1:((band(i) && is(i)) ? $4 : NaN):((band(i) && is(i)) ? $5 : NaN) \
         with filledcurves lc i notitle, \
     for [i=1:ns] in skip 1 using 1:(is(i) ? $3 : NaN) lc i lw 2 pt 7 \
         title word(series, i)
