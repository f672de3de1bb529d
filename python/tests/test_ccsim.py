# SPDX-License-Identifier: GPL-3.0-or-later
"""test_ccsim.py - the Python module against the ccsim command: the same
numbers (byte-identical files, and every KPI of `ccsim run --json`), errors
located as the command locates them, the GIL released while simulating,
Ctrl-C honoured, DataFrames, and docs/python.md's example run as written.

Run by ctest (python.pytest, label python) with CCSIM (the command),
CCS_SOURCE_DIR and PYTHONPATH (build/python) set.
"""
import filecmp
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

import ccsim

CCSIM = os.environ["CCSIM"]
SRC = os.environ["CCS_SOURCE_DIR"]
DEFAULT = os.path.join(SRC, "scenarios", "default.yaml")
VIP = os.path.join(SRC, "scenarios", "vip-surge.yaml")


def cli(*args, cwd=None):
    p = subprocess.run([CCSIM, *args], capture_output=True, text=True, cwd=cwd)
    assert p.returncode == 0, p.stderr
    return p.stdout


def same_files(a, b, names):
    for n in names:
        assert filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False), n


def json_stat(doc, row):
    """The statistics `ccsim run --json` gives for a summary row."""
    scope, kpi = row["scope"], row["metric"]
    if scope == "overall":
        return doc["overall"][kpi]
    if scope == "channel":  # the channel's name is in the queue column
        return next(c for c in doc["channels"] if c["id"] == row["queue"])["kpis"][kpi]
    if scope in ("queue", "segment"):
        q = next(q for q in doc["queues"] if q["id"] == row["queue"])
        if scope == "queue":
            return q["kpis"][kpi]
        return next(s for s in q["segments"] if s["id"] == row["segment"])["kpis"][kpi]
    g = next(g for g in doc["groups"] if g["id"] == row["group"])
    return g["kpis"][kpi] if scope == "group" else g["queues"][row["queue"]][kpi]


# --- the same results as the command ----------------------------------------------


@pytest.mark.parametrize("scenario", [DEFAULT, VIP])
def test_run_is_the_cli(scenario, tmp_path):
    rows = ccsim.run(scenario, replications=6, seed=11, out=tmp_path / "py")
    doc = json.loads(cli("run", scenario, "-r", "6", "--seed", "11", "--json"))
    assert len(rows) > 50
    for r in rows:
        want = json_stat(doc, r)
        for k in ("n", "mean", "halfwidth", "sd", "ci_low", "ci_high"):
            assert r[k] == want[k], (r, k, want)
    cli("run", scenario, "-r", "6", "--seed", "11", "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli",
               ["summary.csv", "intervals.csv", "replications.csv", "waits.csv"])
    assert rows.meta["seed"] == 11 and rows.meta["replications"] == 6
    by_i = ccsim.run(scenario, replications=6, seed=11, by="interval")
    assert by_i[0]["interval"] == 0 and by_i[0]["start_s"] == 0.0
    by_r = ccsim.run(scenario, replications=6, seed=11, by="replication")
    assert {r["replication"] for r in by_r} == set(range(6))


def test_overrides_are_set(tmp_path):
    rows = ccsim.run(DEFAULT, {"groups.sales_team.agents": 18, "routing.policy": "skills"},
                     replications=4)
    doc = json.loads(cli("run", DEFAULT, "-r", "4", "--set", "groups.sales_team.agents=18",
                         "--set", "routing.policy=skills", "--json"))
    sl = rows.where(scope="queue", queue="sales", metric="service_level")[0]
    assert sl["mean"] == json_stat(doc, sl)["mean"]
    # lists and the --set text form
    a = ccsim.run(DEFAULT, {"groups.sales_team.skills": ["support", "sales"]}, replications=2)
    b = ccsim.run(DEFAULT, ["groups.sales_team.skills=[support, sales]"], replications=2)
    assert a == b


def test_text_is_the_file():
    with open(DEFAULT, encoding="utf-8") as f:
        text = f.read()
    a = ccsim.run(text, replications=3)
    b = ccsim.run(DEFAULT, replications=3)
    c = ccsim.run(__import__("pathlib").Path(DEFAULT), replications=3)
    assert a == b == c
    assert a.meta["origin"] == "<string>" and b.meta["origin"] == DEFAULT


def test_compare_is_the_cli(tmp_path):
    v = {"hire": {"groups.sales_team.agents": 18},
         "move": {"groups.sales_team.agents": 18, "groups.support_team.agents": 25}}
    rows = ccsim.compare(DEFAULT, v, replications=5, out=tmp_path / "py")
    cli("compare", DEFAULT, "-r", "5", "--variant", "hire:groups.sales_team.agents=18",
        "--variant", "move:groups.sales_team.agents=18,groups.support_team.agents=25",
        "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli", ["compare.csv", "compare.json"])
    assert [x["name"] for x in rows.meta["variants"]] == ["baseline", "hire", "move"]
    hire = rows.where(variant="hire", scope="queue", queue="sales", metric="service_level")[0]
    assert hire["verdict"] == "better" and hire["diff"] > 0
    # two whole files, named after them
    two = ccsim.compare([DEFAULT, DEFAULT], replications=2)
    assert [x["name"] for x in two.meta["variants"]] == ["default", "default-2"]


def test_sweep_is_the_cli_whatever_the_jobs(tmp_path):
    grid = {"groups.sales_team.agents": [15, 16, 17], "groups.support_team.agents": [24, 25]}
    one = ccsim.sweep(DEFAULT, grid, replications=3, jobs=1, out=tmp_path / "py")
    two = ccsim.sweep(DEFAULT, grid, replications=3, jobs=2)
    assert one == two
    cli("sweep", DEFAULT, "-r", "3", "-q", "--grid", "groups.sales_team.agents=15,16,17",
        "--grid", "groups.support_team.agents=24,25", "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli", ["sweep.csv", "sweep.json"])
    assert one.meta["points"] == 6 and one.meta["columns"] == list(grid)
    assert {r["groups.sales_team.agents"] for r in one} == {15, 16, 17}
    # a sweep file, with its baseline
    f = ccsim.sweep(os.path.join(SRC, "scenarios", "sweeps", "staffing.yaml"), replications=2)
    assert f.meta["baseline"] == "as-is" and "verdict" in f.columns


def test_staff_is_the_cli(tmp_path):
    sc = os.path.join(SRC, "scenarios", "staffing-day.yaml")
    rows = ccsim.staff(sc, replications=2, out=tmp_path / "py")
    cli("staff", sc, "-r", "2", "--out", str(tmp_path / "cli"))
    same_files(tmp_path / "py", tmp_path / "cli", ["staffing.csv", "staffing.yaml"])
    assert rows.meta["status"] in ("converged", "untrimmed", "short")
    assert set(rows.meta["plan"]) == {"sales_team", "support_team"}
    with open(tmp_path / "cli" / "staffing.yaml", encoding="utf-8") as f:
        assert rows.meta["yaml"] == f.read()
    erl = ccsim.staff(sc, refine=False, shrinkage=0.3)
    assert erl.meta["status"] == "erlang" and erl.meta["rounds"] == 0


def test_erlang_is_the_cli():
    rows = ccsim.erlang("95/min", "1m", agents="98..101", patience="2m", target="80%")
    doc = json.loads(cli("erlang", "--rate", "95/min", "--aht", "1m", "--agents", "98..101",
                         "--patience", "2m", "--target", "80%", "--json"))
    assert [r["agents"] for r in rows] == [98, 99, 100, 101]
    for r, want in zip(rows, doc["results"]):
        for k, v in want.items():
            got = r[k]
            if isinstance(v, float):  # the CLI's JSON carries 10 significant digits
                assert float("%.10g" % got) == v, (k, got, v)
            else:
                assert got == v, (k, got, v)
    assert rows.meta["required_agents"] == doc["required_agents"]
    assert rows.meta["model"] == doc["model"] == "ErlangA"
    # numbers in seconds; an unstable Erlang C row
    c = ccsim.erlang(95 / 60, 60, agents=[94, 95, 96])
    assert [r["stable"] for r in c] == [False, False, True] and c[0]["asa"] is None
    with pytest.raises(ccsim.Error, match="grows without bound"):
        ccsim.erlang("95/min", "1m", agents=90)


# --- errors --------------------------------------------------------------------------


def test_errors_are_located(tmp_path):
    with pytest.raises(ccsim.Error) as e:
        ccsim.run(DEFAULT, {"groups.sales_tem.agents": 3})
    assert (e.value.file, e.value.line, e.value.column) == ("overrides", 1, 8)
    assert e.value.message == ("no item with id 'sales_tem' in 'groups' (ids: sales_team, "
                               "support_team); did you mean 'sales_team'?")
    assert e.value.code == ccsim._ccsim.ENOTFOUND
    bad = tmp_path / "bad.yaml"
    with open(DEFAULT, encoding="utf-8") as f:
        bad.write_text(f.read().replace("agents: 17", "agnets: 17"))
    p = subprocess.run([CCSIM, "run", str(bad)], capture_output=True, text=True)
    with pytest.raises(ccsim.Error) as e:
        ccsim.run(bad)
    assert str(e.value) == p.stderr.strip()  # the command's message, exactly
    assert e.value.file == str(bad) and e.value.line > 1 and e.value.column == 5
    assert isinstance(e.value, ValueError)
    with pytest.raises(ccsim.Error) as e:
        ccsim.run("horizon: 1h\nqueues: [\n")
    assert e.value.file == "<string>" and e.value.line == 3
    with pytest.raises(ccsim.Error) as e:
        ccsim.run(tmp_path / "missing.yaml")
    assert "cannot open" in e.value.message and e.value.line == 1
    with pytest.raises(ccsim.Error, match="replications must be a whole number from 1"):
        ccsim.run(DEFAULT, replications=0)
    with pytest.raises(ccsim.Error) as e:
        ccsim.compare(DEFAULT, {"x": {"groups.sales_team.agents": -1}})
    assert e.value.file == "variants" and e.value.line == 1
    with pytest.raises(ccsim.Error, match="nothing to compare"):
        ccsim.compare(DEFAULT)
    with pytest.raises(ccsim.Error) as e:
        ccsim.sweep(DEFAULT, {"groups.sales_team.agnets": [1, 2]})
    assert e.value.file == "grid" and "did you mean 'agents'" in e.value.message
    with pytest.raises(ccsim.Error, match="rate: bad rate '95/mni'"):
        ccsim.erlang("95/mni", "1m", agents=100)


# --- Python manners ------------------------------------------------------------------


def test_gil_released_while_simulating(gil_released):
    """Another Python thread keeps running while ccsim simulates."""
    gil_released(lambda k: lambda: ccsim.run(DEFAULT, replications=40 * k))
    gil_released(lambda k: lambda: ccsim.sweep(DEFAULT, {"groups.sales_team.agents": [16, 17, 18]},
                                               replications=10 * k, jobs=1))


@pytest.mark.parametrize("which", ["run", "sweep"])
def test_ctrl_c_stops_a_long_call(which):
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        if which == "run":
            ccsim.run(DEFAULT, replications=100000)
        else:
            ccsim.sweep(DEFAULT, {"groups.sales_team.agents": list(range(15, 40))},
                        replications=5000, jobs=1)
    timer.cancel()
    assert time.monotonic() - start < 20


def test_frames():
    pd = pytest.importorskip("pandas")
    rows = ccsim.run(DEFAULT, replications=3)
    df = ccsim.run(DEFAULT, replications=3, as_frame=True)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == rows.columns and len(df) == len(rows)
    assert df.attrs["seed"] == rows.meta["seed"]
    assert rows.frame().equals(df)
    sl = df[(df.scope == "queue") & (df.metric == "service_level")]
    assert list(sl.queue) == ["sales", "support"]


def test_docs_example_runs(tmp_path):
    """docs/python.md's worked example, as written there, in a folder with
    the shipped scenarios (its chart, with matplotlib, lands there too)."""
    with open(os.path.join(SRC, "docs", "python.md"), encoding="utf-8") as f:
        doc = f.read()
    m = re.search(r"<!-- example: staffing curve -->\n```python\n(.*?)```", doc, re.S)
    assert m, "no '<!-- example: staffing curve -->' python block in docs/python.md"
    code = m.group(1)
    assert len([ln for ln in code.splitlines() if ln.strip()]) <= 12
    os.symlink(os.path.join(SRC, "scenarios"), tmp_path / "scenarios")
    env = dict(os.environ, MPLBACKEND="Agg")
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert [ln.split()[0] for ln in lines] == [str(n) for n in range(14, 21)], p.stdout
    assert all(re.fullmatch(r"\d+ 0\.\d{3} ± 0\.\d{3}", ln) for ln in lines), p.stdout
    sl = [float(ln.split()[1]) for ln in lines]
    assert sl == sorted(sl), "service level should rise with agents: " + p.stdout
    shown = re.search(r"<!-- example: staffing curve -->\n```python\n.*?```\n\n<!--[^\n]*-->\n```\n(.*?)```",
                      doc, re.S)
    assert shown, "docs/python.md shows no output after the staffing-curve example"
    assert shown.group(1).splitlines() == lines, "docs/python.md shows other numbers than it prints"



def test_readme_example_runs(tmp_path):
    """README.md's "From Python" block, as written there."""
    with open(os.path.join(SRC, "README.md"), encoding="utf-8") as f:
        doc = f.read()
    m = re.search(r"## From Python\n\n```python\n(.*?)```", doc, re.S)
    assert m, "no python block under README.md's '## From Python'"
    os.symlink(os.path.join(SRC, "scenarios"), tmp_path / "scenarios")
    code = m.group(1) + "\nassert len(df) == len(rows) > 100\n"
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
