#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_alloc.py - every allocation ccsim makes goes through ccs_malloc,
ccs_calloc, ccs_realloc or ccs_strdup (include/ccs/mem.h), so that the
out-of-memory test (tests/cli/test_oom.sh) can fail each one in turn: a bare
malloc, calloc, realloc, reallocarray, strdup or strndup in the C files of
sim/ (sim/core/mem.c excepted: it is the allocator) or of python/ is named
with its file and line. Comments and string literals are not code and are
skipped. The C library's open_memstream, getline and getdelim allocate with
malloc out of the test's reach: they are flagged too (use ccs__memstream and
ccs__getline, sim/core/memstream.h), in sim/ only: python/ uses the public
API alone. realpath is not flagged.

    check_alloc.py SOURCE_DIR             check the tree
    check_alloc.py --self-test SOURCE_DIR also prove a planted call is caught
"""
import os
import re
import shutil
import sys
import tempfile

DIRS = ("sim", "python")
ALLOWED = {os.path.join("sim", "core", "mem.c")}
BARE = re.compile(r"(?<![A-Za-z0-9_.>])(malloc|calloc|realloc|reallocarray|strdup|strndup"
                  r"|open_memstream|getline|getdelim)\s*\(")
STREAMS = ("open_memstream", "getline", "getdelim")
# what to use instead
INSTEAD = {"reallocarray": "ccs_realloc", "strndup": "ccs_strdup",
           "open_memstream": "ccs__memstream", "getline": "ccs__getline",
           "getdelim": "ccs__getline"}


def code_only(text):
    """text with comments and string/char literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + (c if j - 1 > i else ""))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def check(src):
    bad = []
    for top in DIRS:
        for root, _, names in os.walk(os.path.join(src, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src)
                if rel in ALLOWED:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    code = code_only(f.read())
                for no, line in enumerate(code.split("\n"), 1):
                    m = BARE.search(line)
                    if m and top != "sim" and m.group(1) in STREAMS:
                        m = None
                    if m:
                        name = m.group(1)
                        bad.append("%s:%d: bare %s(): use %s (%s) so the "
                                   "out-of-memory test reaches it"
                                   % (rel, no, name, INSTEAD.get(name, "ccs_" + name),
                                      "core/memstream.h" if name in STREAMS
                                      else "ccs/mem.h"))
    return sorted(bad)


def self_test(src):
    """A copy of sim/ with one planted call must fail; comments must not."""
    tmp = tempfile.mkdtemp()
    try:
        os.makedirs(os.path.join(tmp, "sim", "core"))
        shutil.copy(os.path.join(src, "sim", "core", "mem.c"), os.path.join(tmp, "sim", "core"))
        with open(os.path.join(tmp, "sim", "core", "planted.c"), "w") as f:
            f.write('/* malloc(1) in a comment */\nstatic const char *s = "strdup(x)";\n'
                    "void *p(void) { return malloc(8); }\n"
                    "void g(FILE *f) { getline(&l, &n, f); }\n")
        got = check(tmp)
        want = ["sim/core/planted.c:3: bare malloc(): use ccs_malloc (ccs/mem.h) so the "
                "out-of-memory test reaches it",
                "sim/core/planted.c:4: bare getline(): use ccs__getline (core/memstream.h) so "
                "the out-of-memory test reaches it"]
        if got != want:
            print("self-test failed: expected %r, got %r" % (want, got))
            return False
        return True
    finally:
        shutil.rmtree(tmp)


def main(argv):
    args = [a for a in argv[1:] if a != "--self-test"]
    if len(args) != 1:
        print(__doc__.strip().split("\n\n")[-1])
        return 2
    src = args[0]
    if "--self-test" in argv and not self_test(src):
        return 1
    bad = check(src)
    for b in bad:
        print(b)
    if bad:
        print("%d bare allocation call%s" % (len(bad), "" if len(bad) == 1 else "s"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
