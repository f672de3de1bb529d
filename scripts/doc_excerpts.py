#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""doc_excerpts.py - the output shown in README.md and docs/*.md is real output.

A fenced block that shows what a command prints is marked, on the line just
above its opening fence, with the command that produces it:

    <!-- excerpt: ccsim run scenarios/default.yaml -->
    <!-- output: cat sim/policy/oldest_first.c -->

`output` blocks must equal the command's whole output. `excerpt` blocks show
parts of it, in order: a line that is only "..." (indentation allowed) stands
for lines left out; each run of lines between them must appear in the output
as consecutive lines. A run is found by its first line's shape (the line with
its numbers blanked: "  Service level  baseline  #% ± #%"), searching onwards
from the previous run, so that refreshing keeps showing the same lines when
the numbers change. Lines at the top of a block that begin with "$ " show the
command as typed and are left as they are (unless the output itself begins
with "$ ": a command that shows several commands echoes their prompts).

    <!-- keys: ccsim run scenarios/default.yaml --json -->

marks a JSON block abridged by hand to show its shape (wrapped, values left
out as ...): every key it names must be a key of the command's real output.

The command is a bash command line (pipes, `2>&1`, `&&` allowed) run in a
scratch directory that links every top-level entry of the source tree
(scenarios/, sim/, tests/, ...) and has `ccsim` first on PATH; files it
writes stay in the scratch directory. It must exit 0 (for an error example:
`ccsim run bad.yaml 2>&1; test $? = 2`).

A block without a language, or marked text, console, json or csv, must carry
one of these markers, or say why it is not output that can be checked:

    <!-- not-output: a usage synopsis -->

    doc_excerpts.py check CCSIM SOURCE_DIR      fail, with a diff, on a stale block
    doc_excerpts.py refresh CCSIM SOURCE_DIR    rewrite every block from real output
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^<!-- (excerpt|output|keys|not-output): (.*) -->$")
JSON_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)":')
FENCE = re.compile(r"^```(.*)$")
OUTPUT_LANGS = {"", "text", "console", "json", "csv"}
NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?(%|s|m|h|pts)?$")


def docs(src):
    files = [os.path.join(src, "README.md")]
    d = os.path.join(src, "docs")
    files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".md")]
    return files


def shape(line):
    """The line with its numbers blanked and its spacing normalised."""
    out = []
    for tok in line.split():
        core = tok.strip("()[],;:\"'")
        out.append("#" if core and NUMBER.match(core) else tok)
    return " ".join(out)


def is_elision(line):
    return line.strip() == "..."


class Runner:
    def __init__(self, ccsim, src):
        src = os.path.abspath(src)
        self.tmp = tempfile.mkdtemp(prefix="ccs-doc-")
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)
        for name in os.listdir(src):
            if name.startswith(".") or name.startswith("build"):
                continue
            os.symlink(os.path.join(src, name), os.path.join(self.work, name))
        bindir = os.path.join(self.tmp, "bin")
        os.mkdir(bindir)
        os.symlink(os.path.abspath(ccsim), os.path.join(bindir, "ccsim"))
        self.env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                        LC_ALL="C.UTF-8", TERM="dumb")
        self.cache = {}

    def run(self, cmd):
        if cmd not in self.cache:
            p = subprocess.run(["bash", "-c", cmd], cwd=self.work,
                               env=self.env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            text = p.stdout.decode("utf-8", "replace")
            err = p.stderr.decode("utf-8", "replace")
            self.cache[cmd] = (p.returncode, text, err)
        return self.cache[cmd]

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def blocks(path):
    """(marker kind, argument, marker line index, first body line, end fence line) per block."""
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang = m.group(1).strip()
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        mk = MARKER.match(lines[i - 1]) if i > 0 else None
        yield (mk.group(1) if mk else None, mk.group(2) if mk else None, lang, i, j)
        i = j + 1


def expected(kind, shown, output):
    """What the block should hold, from the command's output; or an error text."""
    out = output.split("\n")
    if out and out[-1] == "":
        out.pop()
    prompt = 0
    while (prompt < len(shown) and shown[prompt].startswith("$ ")
           and not (out and out[0].startswith("$ "))):  # unless the command echoes them
        prompt += 1
    head, body = shown[:prompt], shown[prompt:]
    if kind == "output":
        return head + out, None
    result, pos, run = list(head), 0, []
    runs, seps = [], []
    for line in body + ["..."]:
        if is_elision(line):
            runs.append(run)
            seps.append(line)
            run = []
        else:
            run.append(line)
    for run, sep in zip(runs, seps):
        if run:
            want = shape(run[0])
            at = next((k for k in range(pos, len(out)) if shape(out[k]) == want), None)
            if at is None:
                return None, f"no line shaped like {run[0].strip()!r} in the output"
            if at + len(run) > len(out):
                return None, f"the output ends within the lines from {run[0].strip()!r}"
            result += out[at:at + len(run)]
            pos = at + len(run)
        result.append(sep)
    result.pop()  # the "..." added after the last run
    return result, None


def main(argv):
    if len(argv) != 3 or argv[0] not in ("check", "refresh"):
        print(__doc__)
        return 2
    mode, ccsim, src = argv
    runner = Runner(ccsim, src)
    problems, checked, changed = 0, 0, 0
    try:
        for path in docs(src):
            rel = os.path.relpath(path, src)
            text = open(path, encoding="utf-8").read()
            lines = text.split("\n")
            edits = []
            for kind, arg, lang, start, end in blocks(path):
                where = f"{rel}:{start + 1}"
                if kind is None:
                    if lang in OUTPUT_LANGS:
                        print(f"{where}: error: a ```{lang} block with no marker: mark it "
                              "<!-- excerpt: COMMAND -->, <!-- output: COMMAND --> or "
                              "<!-- not-output: WHY -->")
                        problems += 1
                    continue
                if kind == "not-output":
                    continue
                rc, out, err = runner.run(arg)
                if rc != 0:
                    print(f"{where}: error: '{arg}' exited {rc}:\n{err.rstrip()}")
                    problems += 1
                    continue
                shown = lines[start + 1:end]
                if kind == "keys":
                    real = set(JSON_KEY.findall(out))
                    missing = sorted(set(JSON_KEY.findall("\n".join(shown))) - real)
                    checked += 1
                    if missing:
                        print(f"{where}: error: keys the output of '{arg}' does not have: "
                              + ", ".join(missing))
                        problems += 1
                    continue
                want, why = expected(kind, shown, out)
                checked += 1
                if why is not None:
                    print(f"{where}: error: {kind} of '{arg}': {why}")
                    problems += 1
                    continue
                if want != shown:
                    if mode == "refresh":
                        edits.append((start + 1, end, want))
                        continue
                    print(f"{where}: error: the {kind} of '{arg}' differs from its output "
                          f"(scripts/refresh-doc-excerpts.sh rewrites it):")
                    for d in difflib.unified_diff(shown, want, "shown", "real", lineterm="", n=1):
                        print("    " + d)
                    problems += 1
            if edits:
                for a, b, new in reversed(edits):
                    lines[a:b] = new
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                changed += len(edits)
                print(f"{rel}: {len(edits)} block(s) rewritten")
    finally:
        runner.close()
    if problems:
        print(f"{problems} problem(s) in the documents' output blocks ({checked} checked)")
        return 1
    if mode == "refresh":
        print(f"{checked} output block(s) checked, {changed} rewritten")
    else:
        print(f"{checked} output block(s) match the real output")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
