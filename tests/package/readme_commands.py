#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""readme_commands.py - run the `ccsim ...` commands of README.md's sh
blocks, in order and verbatim, with an installed ccsim and a copy of its
example scenarios, so the README keeps working from an installed tree (not
only from the source checkout). Commands naming a file that is not shipped
(today.yaml, x.yaml: placeholders) are skipped, as are mpirun and srun lines
and the commands that run until stopped (serve, watch: their own tests
drive them).

    readme_commands.py README.md BINDIR SHAREDIR WORKDIR

Exit status 0 when every command ran with status 0, else 1.
"""
import os
import shlex
import shutil
import subprocess
import sys


UNTIL_STOPPED = ("serve", "watch")


def commands(readme):
    """The ccsim command lines of the ```sh blocks, continuations joined."""
    out, in_sh, cur = [], False, ""
    with open(readme, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("```"):
                in_sh = line.strip() == "```sh" and not in_sh
                cur = ""
                continue
            if not in_sh:
                continue
            if cur:
                line = cur + " " + line.strip()
                cur = ""
            if line.endswith("\\"):
                cur = line[:-1].rstrip()
                continue
            if line.startswith("ccsim "):
                out.append(line)
    return out


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    readme, bindir, share, work = argv
    os.makedirs(work, exist_ok=True)
    shutil.copytree(os.path.join(share, "scenarios"), os.path.join(work, "scenarios"))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    fails = ran = 0
    for line in commands(readme):
        args = shlex.split(line, comments=True)
        missing = [a for a in args if a.endswith((".yaml", ".yml")) and
                   not os.path.exists(os.path.join(work, a))]
        if missing:
            print(f"skip (not shipped: {', '.join(missing)}): {line}")
            continue
        if len(args) > 1 and args[1] in UNTIL_STOPPED:
            print(f"skip (runs until stopped): {line}")
            continue
        ran += 1
        p = subprocess.run(args, cwd=work, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, timeout=300)
        if p.returncode != 0:
            fails += 1
            print(f"FAIL (exit {p.returncode}): {line}\n    {p.stderr.strip()[:500]}")
        else:
            print(f"ok: {line}")
    if ran < 10:
        print(f"FAIL: only {ran} README commands found")
        return 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
