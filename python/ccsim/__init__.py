# SPDX-License-Identifier: GPL-3.0-or-later
"""ccsim - the contact-center simulator, from Python (docs/python.md).

    import ccsim
    rows = ccsim.run("scenarios/default.yaml", replications=20, seed=7)
    sl = rows.where(scope="queue", queue="sales", metric="service_level")[0]
    print(sl["mean"], sl["halfwidth"])
    df = rows.frame()                    # the same rows as a pandas DataFrame

Every function returns Rows: a list of dicts, one per row of the tidy CSV the
command line writes (docs/outputs.md: summary.csv, compare.csv, sweep.csv,
staffing.csv), with the same columns and the same numbers, byte for byte
(they come from the same writer), plus .meta (seed, replications... of the
run) and .frame() (a pandas DataFrame; python3-pandas). Pass as_frame=True to
get the DataFrame directly. A scenario is a path, or YAML text (any str with
a newline). Overrides are {"KEY.PATH": value}, exactly as `--set
KEY.PATH=VALUE`. Simulations run with the GIL released; Ctrl-C stops run
between replications and sweep within 0.2 s. A bad scenario, override or
argument raises ccsim.Error (a ValueError) with .file, .line, .column and
.message.

Adding a command: a function in _ccsim.c returning (csv, meta), and here a
wrapper that converts its arguments (_scenario, _sets, ...) and returns
_rows(*_ccsim.NAME(...), as_frame).
"""
import csv
import io
import json
import math
import os

from . import _ccsim
from ._ccsim import Error

__version__ = _ccsim.__version__
__all__ = ["run", "compare", "sweep", "staff", "erlang", "fit", "backtest", "schedule", "Error",
           "Rows", "__version__"]


# --- results ----------------------------------------------------------------------

# Column types of the tidy CSV files; other columns (a sweep's swept paths)
# are read as int, float or text, whichever fits.
_TEXT = {"scope", "queue", "segment", "group", "metric", "unit", "variant", "verdict", "name",
         "start", "id", "method", "quantity", "key", "source", "date", "kpi", "template",
         "end", "breaks"}
_INT = {"interval", "replication", "point", "n", "replications", "diff_n", "agents", "staffed"}


_FLOAT = {"mean", "sd", "halfwidth", "ci_low", "ci_high", "diff", "diff_halfwidth",
          "diff_ci_low", "diff_ci_high", "value", "start_s", "end_s", "volume", "aht_s",
          "service_level", "sl_halfwidth", "target", "occupancy"}


def _value(col, text):
    """One CSV field: None when empty (undefined, or not applicable)."""
    if text == "":
        return None
    if col in _TEXT:
        return text
    if col in _INT:
        try:
            return int(text)
        except ValueError:
            return _auto(text)  # a float, or a label ("day", "08:00" in backtest.csv)
    if col in _FLOAT:
        return float(text)
    return _auto(text)


def _auto(text):
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text


class Rows(list):
    """Rows of a tidy table: a list of dicts (one per row, keyed by column),
    with .columns (their order), .meta (facts about the run: seed,
    replications, ...) and .frame() for a pandas DataFrame."""

    def __init__(self, rows=(), columns=(), meta=None):
        super().__init__(rows)
        self.columns = list(columns)
        self.meta = dict(meta or {})

    def frame(self):
        """These rows as a pandas DataFrame (python3-pandas), columns in order."""
        try:
            import pandas
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise ImportError("Rows.frame() needs pandas (Debian: apt-get install "
                              "python3-pandas); the rows themselves are plain dicts") from e
        df = pandas.DataFrame(list(self), columns=self.columns)
        df.attrs.update(self.meta)
        return df

    def where(self, **match):
        """The rows whose columns equal the given values, e.g.
        rows.where(scope="queue", metric="service_level")."""
        return Rows((r for r in self if all(r.get(k) == v for k, v in match.items())),
                    self.columns, self.meta)

    def __repr__(self):
        return "Rows(%d rows, columns=%r)" % (len(self), self.columns)


def _rows(text, meta, as_frame):
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows = Rows((dict(zip(header, (_value(c, v) for c, v in zip(header, rec))))
                 for rec in reader), header, meta)
    return rows.frame() if as_frame else rows


# --- arguments ----------------------------------------------------------------------


def _scenario(scenario):
    """(path or text, is_text): a str holding a newline (or a flow mapping
    '{...}') is YAML text; anything else names a file."""
    if isinstance(scenario, os.PathLike):
        return os.fspath(scenario), False
    if not isinstance(scenario, str):
        raise TypeError("scenario must be a path or YAML text (str), not %s"
                        % type(scenario).__name__)
    return scenario, ("\n" in scenario or scenario.lstrip().startswith("{"))


def _yaml(v):
    """A Python value as the YAML text --set would take."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise Error("overrides: %r is not a finite number" % v)
        return repr(v)
    if isinstance(v, str):
        # plain when YAML reads it back as the same string, in a flow list too
        plain = (v != "" and v.strip() == v and v[0] not in "-?:!&*|>'\"%@`#"
                 and not any(c in v for c in ",[]{}\n") and ": " not in v and " #" not in v
                 and v.lower() not in ("null", "~", "true", "false", "yes", "no", "on", "off"))
        return v if plain else json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_yaml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, _yaml(x)) for k, x in v.items()) + "}"
    raise TypeError("cannot write %r as a scenario value" % (v,))


def _sets(overrides):
    """{"KEY.PATH": value} (or ["KEY.PATH=VALUE", ...]) as --set texts."""
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return ["%s=%s" % (k, _yaml(v)) for k, v in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(s) for s in overrides]


def _specs(named):
    """{"NAME": {"KEY.PATH": value}} (or {"NAME": "K=V,K=V"}, or a list of
    "NAME:K=V,..." texts) as --variant / --point texts."""
    if named is None:
        return []
    if isinstance(named, dict):
        out = []
        for name, ov in named.items():
            sets = ov if isinstance(ov, str) else ",".join(_sets(ov))
            out.append("%s:%s" % (name, sets))
        return out
    if isinstance(named, str):
        return [named]
    return [str(s) for s in named]


def _grid(grid):
    """{"KEY.PATH": [v1, v2, ...]} (or ["KEY.PATH=V1,V2", ...]) as --grid texts."""
    if grid is None:
        return []
    if isinstance(grid, dict):
        out = []
        for path, values in grid.items():
            if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                values = [values]
            out.append("%s=%s" % (path, ",".join(_yaml(v) for v in values)))
        return out
    if isinstance(grid, str):
        return [grid]
    return [str(s) for s in grid]


def _precision(precision):
    """{"[SCOPE:]KPI": halfwidth} (or ["KPI=HALFWIDTH", ...]) as --precision texts;
    a halfwidth is in the KPI's unit: "0.5%" or 0.005, "2s" or 2."""
    if precision is None:
        return []
    if isinstance(precision, dict):
        return ["%s=%s" % (k, v if isinstance(v, str) else repr(float(v)))
                for k, v in precision.items()]
    if isinstance(precision, str):
        return [precision]
    return [str(s) for s in precision]


def _stem(path, taken):
    """A variant name from a file name, as ccsim compare makes it."""
    base = os.path.basename(path).split(".")[0] or os.path.basename(path)
    base = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_"
                   for c in base[:52]) or "variant"
    name, k = base, 2
    while name in taken:
        name, k = "%s-%d" % (base, k), k + 1
    return name


# --- commands ---------------------------------------------------------------------

_TABLES = {"run": "summary", "interval": "intervals", "replication": "replications"}


def run(scenario, overrides=None, replications=None, seed=None, *, level=0.95, by="run",
        out=None, plots=False, jobs=None, as_frame=False):
    """Simulate a scenario's replications, as `ccsim run`.

    by="run": summary.csv's rows (scope x KPI: n, mean, sd, halfwidth,
    ci_low, ci_high); "interval": intervals.csv's; "replication":
    replications.csv's (one value per replication). replications and seed
    default to the scenario's; level is the confidence level. out=DIR also
    writes the files of `ccsim run --out DIR` (plots=True: the charts and
    report.html too). jobs: threads running the replications (default 1,
    and Ctrl-C stops between two replications; N > 1: the thread pool, the
    same numbers, Ctrl-C acts once it is done). .meta: scenario, origin,
    policy, seed, replications, level.
    """
    if by not in _TABLES:
        raise Error("by must be 'run', 'interval' or 'replication', got %r" % (by,))
    text, is_text = _scenario(scenario)
    csv_text, meta = _ccsim.run(text, is_text, _sets(overrides), replications, seed, level,
                                _TABLES[by], None if out is None else os.fspath(out), plots,
                                jobs)
    return _rows(csv_text, meta, as_frame)


def compare(scenario_or_list, variants=None, overrides=None, replications=None, seed=None, *,
            precision=None, max_replications=None, method="auto", level=0.95, out=None,
            plots=False, jobs=None, as_frame=False):
    """Variants on common random numbers, as `ccsim compare`: compare.csv's
    rows (variant x scope x KPI: mean, halfwidth, diff to the baseline with
    its halfwidth, verdict).

    scenario_or_list: one scenario with variants={"name": {"KEY.PATH": value}}
    (the scenario as written is the baseline unless a variant is named
    "baseline"; no variants: the scenario's own variants: list), or a list of
    whole scenarios, the first the baseline, named after their files.
    overrides apply to every variant. precision={"[SCOPE:]KPI": halfwidth}
    replicates until every paired difference is that sure (at most
    max_replications). method: "auto", "replications" or "batch-means".
    jobs: threads (default 1; the results do not depend on it).
    .meta: variants, seed, replications, level, method, targets_met.
    """
    if isinstance(scenario_or_list, (list, tuple)):
        scens = [_scenario(s) for s in scenario_or_list]
        if variants:
            raise Error("variants apply to one scenario, not to a list of scenarios")
        names, taken = [], set()
        for i, (text, is_text) in enumerate(scens):
            names.append(_stem(text, taken) if not is_text else "scenario%d" % (i + 1))
            taken.add(names[-1])
    else:
        scens = [_scenario(scenario_or_list)]
        names = []
    csv_text, meta = _ccsim.compare([t for t, _ in scens], [b for _, b in scens], names,
                                    _specs(variants), _sets(overrides), replications, seed, level,
                                    _precision(precision), max_replications, method,
                                    None if out is None else os.fspath(out), plots, jobs)
    return _rows(csv_text, meta, as_frame)


def sweep(scenario, grid=None, points=None, overrides=None, replications=None, seed=None, *,
          jobs=None, baseline=None, streams=None, precision=None, max_replications=None,
          out=None, as_frame=False):
    """Many points of one scenario, as `ccsim sweep`: sweep.csv's rows (point
    x scope x KPI, one column per swept path: point, name, the paths, scope,
    ..., replications, n, mean, halfwidth, ci_low, ci_high; with a baseline
    also diff, diff_halfwidth, verdict).

    grid={"KEY.PATH": [v1, v2, ...]}: every combination (the first path
    varies slowest; points g0, g1, ...); points={"name": {"KEY.PATH": value}}:
    listed points; baseline: a point's name or index to pair every point
    with; streams: "common" or "independent"; jobs: threads (default: every
    core). scenario may also be a sweep file. Results do not depend on jobs.
    .meta: columns, points, baseline, seed, streams, replications, identity.
    """
    text, is_text = _scenario(scenario)
    if jobs is None:
        jobs = os.cpu_count() or 1
    csv_text, meta = _ccsim.sweep(text, is_text, _grid(grid), _specs(points), _sets(overrides),
                                  replications, seed, _precision(precision), max_replications,
                                  None if baseline is None else str(baseline), streams, jobs,
                                  None if out is None else os.fspath(out))
    return _rows(csv_text, meta, as_frame)


def staff(scenario, overrides=None, replications=None, seed=None, *, shrinkage=None,
          max_occupancy=None, margin=None, max_rounds=None, refine=True, out=None,
          jobs=None, as_frame=False):
    """Agents needed per interval, as `ccsim staff`: staffing.csv's rows
    (interval x queue or group x method: Erlang C, Erlang A, simulated).

    shrinkage, max_occupancy, margin: fractions (0.3 for 30%); refine=False
    gives the Erlang plan alone. .meta: plan ({group: [agents per
    interval]}), yaml (the plan as a groups: fragment, staffing.yaml),
    status ("converged", "untrimmed", "short" or "erlang"), rounds,
    replications, seed, agent_hours, cost. out=DIR writes staffing.yaml and
    staffing.csv. jobs: threads per round (default 1; the plan does not
    depend on it).
    """
    text, is_text = _scenario(scenario)
    csv_text, meta = _ccsim.staff(text, is_text, _sets(overrides), replications, seed,
                                  shrinkage, max_occupancy, margin, max_rounds, refine,
                                  None if out is None else os.fspath(out), jobs)
    return _rows(csv_text, meta, as_frame)


def _path(scenario):
    """A log's scenario must be a file: its trace: block names the log beside it."""
    text, is_text = _scenario(scenario)
    if is_text:
        raise Error("scenario: fit and backtest need the scenario's file (its trace: block "
                    "reads the log relative to it), not YAML text")
    return text


def _duration(v, name):
    return None if v is None else _quantity("duration", v, name)


def fit(scenario, overrides=None, *, dates=None, rule="gap", short_abandon=None,
        bootstrap=None, pseudonymize=False, out=None, plots=False, as_frame=False):
    """A scenario estimated from a call log, as `ccsim fit`: fit.csv's rows
    (quantity, queue, key, value, se, lo, hi, n, source: every estimate with
    its 95% interval; docs/fit.md).

    scenario: the file whose trace: block reads the log (every date unless
    dates says otherwise: a date, a range "2024-01-01..2024-01-31", a list);
    rule: the availability rule, "waiting" or "gap"; short_abandon: "5s" or
    seconds; bootstrap: samples of the goodness-of-fit p-values (default 99).
    out=DIR writes the files of `ccsim fit --out DIR` (plots=True: the charts
    and report.html too). .meta: yaml (the fitted scenario.yaml), dates,
    rule, available_share.
    """
    csv_text, meta = _ccsim.fit(_path(scenario), _sets(overrides), dates, rule,
                                _duration(short_abandon, "short_abandon"), bootstrap,
                                bool(pseudonymize), None if out is None else os.fspath(out),
                                bool(plots))
    return _rows(csv_text, meta, as_frame)


def backtest(scenario, overrides=None, replications=None, seed=None, *, dates=None,
             rule="gap", short_abandon=None, jobs=None, fitted=False, out=None,
             plots=False, as_frame=False):
    """Each date of a call log against its own KPIs, as `ccsim backtest`:
    backtest.csv's rows (date, interval or "day", kpi, observed, simulated,
    lo, hi).

    By default each date is replayed with its own contacts and inferred
    availability. fitted=True is the second mode (`--fitted`): the fitted
    scenario (generated arrivals, one week per replication) against each
    date: does the real day fall inside the simulated days of its weekday
    (whole days only; mean_wait is NaN).
    replications: per date (default 20); jobs: threads (default 1; the
    results do not depend on it); other arguments as fit(). out=DIR writes
    backtest.csv (which `ccsim compare --backtest` reads; plots=True: the
    charts and report.html too). .meta: errors ({kpi: {bias, mae, inside,
    within}} over the dates), dates, replications, rule, fitted.
    """
    csv_text, meta = _ccsim.backtest(_path(scenario), _sets(overrides), dates, rule,
                                     _duration(short_abandon, "short_abandon"), replications,
                                     seed, jobs, None if out is None else os.fspath(out),
                                     bool(fitted), bool(plots))
    return _rows(csv_text, meta, as_frame)


def schedule(scenario, overrides=None, replications=None, seed=None, *, simulate=False,
             max_rounds=None, out=None, cuts="raise", as_frame=False):
    """A least-cost roster for the scenario's rostered groups, as `ccsim
    schedule`: roster.csv's rows (group, template, day, start, end, breaks,
    count, paid_hours, cost).

    simulate=True raises the requirement by simulation where an interval
    misses its target and validates the roster (replications >= 2, at most
    max_rounds rounds); cuts="subgradient" adds Atlason-Epelman-Henderson
    cuts instead of raising a short interval by one agent (`--cuts`,
    docs/schedule.md). out=DIR writes roster.yaml, roster.csv,
    coverage.csv and service_level.csv. .meta: yaml (roster.yaml), status,
    cost, paid_hours, simulated, rounds, below, short, seed, cuts,
    simulations. No roster (infeasible) raises ccsim.Error.
    """
    if cuts not in ("raise", "subgradient"):
        raise Error("cuts must be 'raise' or 'subgradient', got %r" % (cuts,))
    text, is_text = _scenario(scenario)
    csv_text, meta = _ccsim.schedule(text, is_text, _sets(overrides), bool(simulate),
                                     replications, seed, max_rounds,
                                     None if out is None else os.fspath(out),
                                     cuts == "subgradient")
    return _rows(csv_text, meta, as_frame)


# Erlang results, in the order and names of `ccsim erlang --json`.
_ERLANG_KPIS = [("block_rate", "block_rate"), ("p_wait", "p_wait"),
                ("abandon_rate", "abandon_rate"), ("p_ab_within", "p_ab_within"),
                ("service_level", "sl_offered"), ("sl_answered", "sl_answered"),
                ("sl_no_short_ab", "sl_no_short_ab"), ("sl_handled", "sl_handled"),
                ("sl_all", "sl_all"), ("p_virtual_le_t", "p_virtual_le_t"), ("asa", "asa"),
                ("mean_wait", "mean_wait"), ("mean_wait_abandoned", "mean_wait_abandoned"),
                ("queue_length", "queue_length"), ("in_system", "in_system"),
                ("occupancy", "occupancy")]


def _quantity(kind, v, name):
    """A duration, rate or fraction: a str with its unit ("20s", "95/min",
    "80%"), or a number in seconds, per second, or as a fraction."""
    if isinstance(v, str):
        try:
            return _ccsim.parse(kind, v)
        except Error as e:
            raise Error("%s: %s" % (name, e.message)) from None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError("%s must be a number or a str such as %s" %
                        (name, {"duration": "'3m'", "rate": "'95/min'",
                                "fraction": "'80%'"}[kind]))
    return float(v)


def _agent_counts(agents):
    if agents is None:
        return None
    if isinstance(agents, str):
        lo, sep, hi = agents.partition("..")
        try:
            return list(range(int(lo), int(hi if sep else lo) + 1))
        except ValueError:
            raise Error("agents: expected N or A..B, got %r" % agents) from None
    if isinstance(agents, int):
        return [agents]
    return [int(a) for a in agents]


def erlang(rate, aht, agents=None, patience=None, *, waiting_room=None, within="20s",
           target=None, max_occupancy=1.0, answered=False, as_frame=False):
    """Exact Erlang B/C/A and M/M/c/K(+M) results, as `ccsim erlang`: one row
    per agent count with "agents", "stable" and every KPI of `ccsim erlang
    --json` (service_level, p_wait, asa, abandon_rate, occupancy, ...;
    durations in seconds).

    rate: "95/min" or per second; aht, patience, within: "1m" or seconds;
    agents: N, a list or range, or "A..B"; waiting_room: None (unlimited) or
    N (0: Erlang B); target: "80%" or 0.8, adds the fewest agents meeting it
    (.meta["required_agents"]; rows for those agents when agents is None).
    .meta: model, inputs, required_agents.
    """
    lam = _quantity("rate", rate, "rate")
    if not lam > 0:
        raise Error("rate: must be positive")
    aht_s = _quantity("duration", aht, "aht")
    if not aht_s > 0:
        raise Error("aht: must be positive")
    pat = None if patience is None else _quantity("duration", patience, "patience")
    if pat is not None and not pat > 0:
        raise Error("patience: must be positive")
    t = _quantity("duration", within, "within")
    if not t >= 0:
        raise Error("within: must not be negative")
    occ = _quantity("fraction", max_occupancy, "max_occupancy")
    if not 0 < occ <= 1:
        raise Error("max_occupancy: must be above 0% and at most 100%")
    room = -1 if waiting_room is None else int(waiting_room)
    if room < -1:
        raise Error("waiting_room: must be 0 or more (None: unlimited)")
    tgt = None if target is None else _quantity("fraction", target, "target")
    if tgt is not None and not 0 <= tgt <= 1:
        raise Error("target: must lie between 0% and 100%")
    counts = _agent_counts(agents)
    if counts is None and tgt is None:
        raise Error("give agents (N, a list, or 'A..B'), or a target")
    if tgt is not None and room >= 0:
        raise Error("target staffs by Erlang C or A: it needs an unlimited waiting room")
    theta = 0.0 if pat is None else 1.0 / pat
    required = None
    if tgt is not None:
        required = _ccsim.staff_erlang(lam, 1.0 / aht_s, theta, t, tgt, occ, bool(answered))
        if counts is None:
            counts = [required]
    rows, model = [], None
    for n in counts:
        if n < 1:
            raise Error("agents: must be 1 or more, got %d" % n)
        try:
            r = _ccsim.erlang_solve(lam, 1.0 / aht_s, n, theta, room, t)
            model = r["model"]
            row = {"agents": n, "stable": True}
            row.update((k, None if math.isnan(r[f]) else r[f]) for k, f in _ERLANG_KPIS)
        except Error as e:
            if not (e.code == _ccsim.ERANGE and theta == 0 and room < 0):
                raise
            row = {"agents": n, "stable": False}
            row.update((k, None) for k, _ in _ERLANG_KPIS)
        rows.append(row)
    if not any(r["stable"] for r in rows):
        raise Error("rho >= 1 with no abandonment: the queue grows without bound (%d agents "
                    "for %.6g Erlangs; use more than %d agents, patience or waiting_room)"
                    % (counts[-1], lam * aht_s, math.floor(lam * aht_s)))
    meta = {"model": model, "required_agents": required,
            "inputs": {"rate_per_s": lam, "aht_s": aht_s, "patience_s": pat,
                       "waiting_room": None if room < 0 else room, "within_s": t,
                       "offered_load": lam * aht_s, "target": tgt, "max_occupancy": occ,
                       "answered": bool(answered)}}
    out = Rows(rows, ["agents", "stable"] + [k for k, _ in _ERLANG_KPIS], meta)
    return out.frame() if as_frame else out
