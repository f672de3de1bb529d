#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_license.py - every source file says its licence in one SPDX line,
`SPDX-License-Identifier: GPL-3.0-or-later` (ccsim links GSL, which is GPL,
so the whole program is GPL-3.0-or-later; LICENSE has the text). Sources
are the tracked files (git ls-files; the whole tree outside build*/ when
git is not there) of these kinds: C (.c, .h), CMake (CMakeLists.txt,
.cmake), shell (.sh, .bash, and any file starting with #! ), Python (.py),
gnuplot (.gp), YAML (.yaml, .yml), JavaScript and CSS (.js, .mjs, .css),
HTML (.html), linker maps (.map). Test inputs (tests/cli/bad_inputs/,
tests/fuzz/corpus/) are data, not sources. Third-party files (under vendor/,
third_party/ or node_modules/, minified *.min.*) keep their own notices.
The line must be among the first three lines (line 1, or line 2 after a
#! line). Each file missing it is named with the exact line to add.

    check_license.py SOURCE_DIR             check the tree
    check_license.py --self-test SOURCE_DIR also prove a file without it is caught
"""
import os
import shutil
import subprocess
import sys
import tempfile

SPDX = "SPDX-License-Identifier: GPL-3.0-or-later"

# kind -> the comment that carries the line
C_STYLE = "/* " + SPDX + " */"
HASH = "# " + SPDX
HTML = "<!-- " + SPDX + " -->"
BY_EXT = {
    ".c": C_STYLE, ".h": C_STYLE, ".js": C_STYLE, ".mjs": C_STYLE, ".css": C_STYLE,
    ".map": C_STYLE,
    ".cmake": HASH, ".sh": HASH, ".bash": HASH, ".py": HASH, ".gp": HASH,
    ".yaml": HASH, ".yml": HASH,
    ".html": HTML,
}
THIRD_PARTY = ("vendor/", "third_party/", "node_modules/")
# Test inputs, not sources: their exact bytes (and line numbers, which the
# expected messages quote) are the point of the test.
TEST_DATA = ("tests/cli/bad_inputs/", "tests/fuzz/corpus/")


def tracked(src):
    try:
        out = subprocess.run(["git", "-C", src, "ls-files", "-z"], check=True,
                             capture_output=True).stdout.decode("utf-8")
        return [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(src):
            rel = os.path.relpath(root, src)
            dirs[:] = [d for d in dirs if not (rel == "." and (d.startswith("build") or d == ".git"))]
            for n in names:
                files.append(os.path.normpath(os.path.join(rel, n)))
        return files


def comment_for(src, rel):
    """The licence comment the file needs, or None if it is not a source file."""
    base = os.path.basename(rel)
    if any(("/" + rel).find("/" + t) >= 0 for t in THIRD_PARTY) or ".min." in base:
        return None
    if rel.startswith(TEST_DATA):
        return None
    if base == "CMakeLists.txt":
        return HASH
    ext = os.path.splitext(base)[1]
    if ext in BY_EXT:
        return BY_EXT[ext]
    if ext == "":
        try:
            with open(os.path.join(src, rel), "rb") as f:
                if f.read(2) == b"#!":
                    return HASH
        except OSError:
            pass
    return None


def check(src):
    errors = []
    for rel in sorted(tracked(src)):
        want = comment_for(src, rel)
        path = os.path.join(src, rel)
        if want is None or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            head = [f.readline() for _ in range(3)]
        if any(SPDX in ln for ln in head):
            continue
        if head[0].startswith("#!"):
            errors.append(f"{rel}:2: no licence line; add '{want}' as line 2, after the #! line")
        else:
            errors.append(f"{rel}:1: no licence line; add '{want}' as line 1")
    return errors


def self_test(src):
    """A C file and a YAML file without the line must both be caught."""
    tmp = tempfile.mkdtemp(prefix="ccs_license_")
    try:
        for rel, text in (("sim/core/x.c", "/*\n * x.c - nothing\n */\n"),
                          ("scenarios/x.yaml", "name: x\n"),
                          ("scripts/ok.sh", "#!/bin/sh\n# " + SPDX + "\n")):
            os.makedirs(os.path.dirname(os.path.join(tmp, rel)), exist_ok=True)
            with open(os.path.join(tmp, rel), "w", encoding="utf-8") as f:
                f.write(text)
        errs = check(tmp)
        want = {f"sim/core/x.c:1: no licence line; add '{C_STYLE}' as line 1",
                f"scenarios/x.yaml:1: no licence line; add '{HASH}' as line 1"}
        if set(errs) != want:
            print("self-test: expected exactly", sorted(want), "got", errs)
            return False
        print("self-test: files without the line caught:", errs[0])
        return True
    finally:
        shutil.rmtree(tmp)


def main(argv):
    selftest = "--self-test" in argv
    args = [a for a in argv if a != "--self-test"]
    if len(args) != 1:
        print(__doc__)
        return 2
    errors = check(args[0])
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} source file(s) without '{SPDX}'")
        return 1
    if selftest and not self_test(args[0]):
        return 1
    print("licence: every source file has its SPDX line")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
