# SPDX-License-Identifier: GPL-3.0-or-later
# fit_heat.gp - the heat maps of `ccsim backtest --plots`: one cell per
# date (a row, the first on top) and reporting interval (a column, clock
# times), coloured by the error there, simulated - observed, on a diverging
# scale centred on 0 (blue: the model below the log, red: above). Cells
# without contacts stay grey. Reads the CSV ccsim writes next to the chart
# (charts/NAME.csv).
#
#   gnuplot -e "in='charts/backtest_heat_asa.csv'; out='h.svg'; rows=20; \
#               half=900; cbmax=30" plots/fit_heat.gp
#
# Variables (set with -e before the script name):
#   in       the CSV: 1 row, 2 date, 3 interval, 4 x (seconds since midnight,
#            the interval's middle), 5 error, 6 observed, 7 simulated (required)
#   out      the chart to write, ending in .png or .svg (required)
#   rows     how many dates (rows) there are (required)
#   half     half an interval, in seconds (required)
#   cbmax    the colour scale runs from -cbmax to +cbmax (default: automatic)
#   ytics    the dates' labels, a gnuplot tics list: '"1999-10-12" 1, ...'
#            (default: row numbers)
#   title, cblabel   texts (defaults: none)
if (!exists("in") || !exists("out") || !exists("rows") || !exists("half")) {
    exit error "set in, out, rows and half with -e"
}
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
if (!exists("title")) { title = '' }
if (!exists("cblabel")) { cblabel = '' }

set title title font ',15'
set xlabel 'Time of day'
set ylabel 'Date'
set cblabel cblabel
set xdata time
set timefmt '%s'
set format x '%H:%M'
set yrange [rows + 0.5:0.5]
if (exists("ytics")) { eval 'set ytics ('.ytics.')' }
set ytics nomirror
set xtics nomirror out
set border 3
set palette defined (-1 '#2166ac', -0.5 '#92c5de', 0 '#f7f7f7', 0.5 '#f4a582', 1 '#b2182b')
if (exists("cbmax") && cbmax > 0) { set cbrange [-cbmax:cbmax] }
set style fill solid 1.0 noborder
set key off
# grey behind: an interval without contacts has no cell
set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb '#d9d9d9' fillstyle solid 1.0 noborder

plot in skip 1 using 4:1:(half):(0.5):5 with boxxyerror fillcolor palette
