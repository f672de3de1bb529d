# SPDX-License-Identifier: GPL-3.0-or-later
"""test_fit_schedule.py - ccsim.fit, ccsim.backtest and ccsim.schedule against
the ccsim command (byte-identical files), jobs= giving the same numbers as
one thread for run, compare, staff and backtest, errors located, the GIL
released while backtesting, DataFrames.

Run by ctest with test_ccsim.py (python.pytest): CCSIM, CCS_SOURCE_DIR and
PYTHONPATH set.
"""
import filecmp
import os
import subprocess

import pytest

import ccsim

CCSIM = os.environ["CCSIM"]
SRC = os.environ["CCS_SOURCE_DIR"]
BANK = os.path.join(SRC, "scenarios", "bank-replay.yaml")
DEFAULT = os.path.join(SRC, "scenarios", "default.yaml")
ROSTER = os.path.join(SRC, "scenarios", "roster-day.yaml")


def cli(*args):
    p = subprocess.run([CCSIM, *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def same_files(a, b, names):
    for n in names:
        assert filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False), n


def text_of(rows):
    """Rows as comparable text (NaN != NaN as floats)."""
    return [repr(sorted(r.items())) for r in rows]


def test_fit_is_the_cli(tmp_path):
    rows = ccsim.fit(BANK, bootstrap=19, rule="gap", out=tmp_path / "py")
    cli("fit", BANK, "--bootstrap", "19", "--rule", "gap", "--out", str(tmp_path / "cli"))
    names = ["scenario.yaml", "forecast.csv", "fit.csv", "availability.csv", "timeline.csv",
             "patience-retail.csv"]
    same_files(tmp_path / "py", tmp_path / "cli", names)
    with open(tmp_path / "cli" / "scenario.yaml", encoding="utf-8") as f:
        assert rows.meta["yaml"] == f.read()
    assert rows.meta["dates"] == ["1999-10-12"] and rows.meta["rule"] == "gap"
    assert 0 < rows.meta["available_share"] <= 1
    vol = rows.where(quantity="volume", queue="retail")
    assert vol and all(r["lo"] <= r["value"] <= r["hi"] for r in vol)
    assert rows.where(quantity="patience", queue="retail")
    # plots: report.html and the charts (when gnuplot is there)
    ccsim.fit(BANK, bootstrap=0, out=tmp_path / "plots", plots=True)
    assert (tmp_path / "plots" / "report.html").is_file()
    assert (tmp_path / "plots" / "charts" / "fit_volume.csv").is_file()


def test_backtest_is_the_cli_whatever_the_jobs(tmp_path):
    rows = ccsim.backtest(BANK, replications=3, jobs=2, out=tmp_path / "py")
    cli("backtest", BANK, "-r", "3", "-j", "1", "--out",
        str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli", ["backtest.csv"])
    one = ccsim.backtest(BANK, replications=3)
    assert text_of(one) == text_of(rows)
    day = rows.where(interval="day", kpi="abandon_rate")
    assert len(day) == 1 and day[0]["date"] == "1999-10-12"
    e = rows.meta["errors"]
    assert set(e) == {"abandon_rate", "asa", "service_level", "mean_wait"}
    assert e["asa"]["mae"] == pytest.approx(abs(e["asa"]["bias"]))
    assert rows.meta["dates"] == 1 and rows.meta["replications"] == 3
    # what compare --backtest reads
    out = cli("compare", DEFAULT, "-r", "2", "--variant", "more:groups.sales_team.agents=18",
              "--backtest", str(tmp_path / "py"))
    assert "the model's error on real days" in out


def test_backtest_fitted_is_the_cli(tmp_path):
    rows = ccsim.backtest(BANK, replications=3, fitted=True, out=tmp_path / "py", plots=True)
    cli("backtest", BANK, "-r", "3", "--fitted", "-j", "1", "--out",
        str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli", ["backtest.csv"])
    assert rows.meta["fitted"] is True and rows.meta["dates"] == 1
    # whole days only, and no mean wait in this mode
    assert {r["interval"] for r in rows} == {"day"}
    assert rows.where(kpi="mean_wait")[0]["simulated"] != rows.where(kpi="mean_wait")[0]["simulated"]
    e = rows.meta["errors"]
    assert e["abandon_rate"]["mae"] == pytest.approx(abs(e["abandon_rate"]["bias"]))
    assert (tmp_path / "py" / "report.html").is_file()
    assert (tmp_path / "py" / "charts" / "backtest_errors.csv").is_file()
    # the replay differs: intervals, and the mean wait
    replay = ccsim.backtest(BANK, replications=3)
    assert replay.meta["fitted"] is False and len(replay) > len(rows)


def test_schedule_is_the_cli(tmp_path):
    rows = ccsim.schedule(ROSTER, out=tmp_path / "py")
    cli("schedule", ROSTER, "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli",
               ["roster.yaml", "roster.csv", "coverage.csv", "service_level.csv"])
    with open(tmp_path / "cli" / "roster.yaml", encoding="utf-8") as f:
        assert rows.meta["yaml"] == f.read()
    assert rows.meta["status"] in ("optimal", "gap", "time limit", "feasible")
    assert rows.meta["cost"] > 0 and rows.meta["simulated"] is False
    assert {"group", "template", "start", "end", "breaks", "count"} <= set(rows.columns)


def test_schedule_subgradient_is_the_cli(tmp_path):
    rows = ccsim.schedule(ROSTER, replications=4, simulate=True, cuts="subgradient",
                          out=tmp_path / "py")
    cli("schedule", ROSTER, "-r", "4", "--simulate", "--cuts", "subgradient",
        "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli",
               ["roster.yaml", "roster.csv", "coverage.csv", "service_level.csv"])
    assert rows.meta["cuts"] == "subgradient" and rows.meta["simulated"] is True
    assert rows.meta["simulations"] >= 1
    assert ccsim.schedule(ROSTER).meta["cuts"] == "raise"
    with pytest.raises(ccsim.Error, match="cuts must be 'raise' or 'subgradient', got 'gradient'"):
        ccsim.schedule(ROSTER, cuts="gradient")


def test_jobs_change_nothing(tmp_path):
    assert text_of(ccsim.run(DEFAULT, replications=4, jobs=2)) == \
        text_of(ccsim.run(DEFAULT, replications=4))
    v = {"more": {"groups.sales_team.agents": 18}}
    assert text_of(ccsim.compare(DEFAULT, v, replications=4, jobs=3)) == \
        text_of(ccsim.compare(DEFAULT, v, replications=4))
    sc = os.path.join(SRC, "scenarios", "staffing-day.yaml")
    a = ccsim.staff(sc, replications=2, jobs=2)
    b = ccsim.staff(sc, replications=2)
    assert text_of(a) == text_of(b) and a.meta["plan"] == b.meta["plan"]
    with pytest.raises(ccsim.Error, match="jobs must be a whole number from 1 to 4096"):
        ccsim.run(DEFAULT, replications=2, jobs=0)


def test_errors_are_located(tmp_path):
    with pytest.raises(ccsim.Error) as e:
        ccsim.fit(DEFAULT)
    assert e.value.file == DEFAULT and e.value.message.startswith("the log has no contacts")
    with pytest.raises(ccsim.Error) as e:
        ccsim.backtest(BANK, {"queues.retial.sla.target": "70%"})
    assert (e.value.file, e.value.line) == ("overrides", 1)
    assert "did you mean 'retail'" in e.value.message
    with pytest.raises(ccsim.Error, match="rule must be 'waiting' or 'gap', got 'often'"):
        ccsim.fit(BANK, rule="often")
    with pytest.raises(ccsim.Error, match="short_abandon must be from 1 to 3600 seconds"):
        ccsim.backtest(BANK, short_abandon="2h")
    with pytest.raises(ccsim.Error, match="need the scenario's file"):
        ccsim.fit("horizon: 1h\nqueues: []\n")
    with pytest.raises(ccsim.Error) as e:
        ccsim.schedule(DEFAULT)
    p = subprocess.run([CCSIM, "schedule", DEFAULT], capture_output=True, text=True)
    assert p.returncode == 2 and str(e.value) == p.stderr.strip()


def test_gil_released_while_backtesting(gil_released):
    gil_released(lambda k: lambda: ccsim.backtest(BANK, replications=10 * k))


def test_frames():
    pd = pytest.importorskip("pandas")
    df = ccsim.fit(BANK, bootstrap=0, as_frame=True)
    assert isinstance(df, pd.DataFrame) and "quantity" in df.columns
    assert df.attrs["dates"] == ["1999-10-12"]
    bt = ccsim.backtest(BANK, replications=2, as_frame=True)
    assert set(bt.kpi) == {"abandon_rate", "asa", "service_level", "mean_wait"}
