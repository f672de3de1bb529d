#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check_layers.py - the library's layers, and the include edges allowed
between them (docs/internals.md). Reads every `#include "..."` line under
sim/ and include/ccs/ and fails, naming FILE:LINE, on any edge outside the
matrix; also fails if the command line (sim/app) calls a `ccs__` internal
function, or a public header has no layer.

Front ends outside the library (the Python module, python/*.c) may use the
public headers only (ccs/...): no internal header, no ccs__ function.

    check_layers.py SOURCE_DIR          check the tree
    check_layers.py --self-test SOURCE_DIR
                                        also prove the check fails on a
                                        planted bad include (in a copy)
"""
import os
import re
import shutil
import sys
import tempfile

# Direct edges; a layer may also use whatever those use (transitively).
USES = {
    "core": [],
    "fmt": ["core"],
    "analytic": ["core"],
    "model": ["core", "fmt"],
    "policy": ["model"],
    "load": ["model", "policy", "fmt", "analytic"],
    "exp": ["model", "policy", "analytic", "fmt"],
    "out": ["model", "exp", "fmt", "analytic"],
    "app": ["core", "fmt", "analytic", "model", "policy", "load", "exp", "out"],
    # serve is a front end beside app; it registers its command in app's
    # table and parses options with app's helpers, so it may use app too
    "serve": ["core", "fmt", "analytic", "model", "policy", "load", "exp", "out", "app"],
}

# A public header belongs to the layer that implements it. ccs.h, the
# umbrella for embedders, belongs to no layer: library code may not use it.
PUBLIC = {
    "error.h": "core",
    "mem.h": "core",
    "sldef.h": "core",
    "units.h": "fmt",
    "params.h": "fmt",
    "analytic.h": "analytic",
    "estimate.h": "analytic",
    "kpi.h": "model",
    "sim.h": "model",
    "policy.h": "model",
    "results.h": "model",
    "design.h": "model",
    "live.h": "model",
    "policies.h": "policy",
    "scenario.h": "load",
    "variants.h": "load",
    "sweep_plan.h": "load",
    "trace_import.h": "load",
    "run.h": "exp",
    "compare.h": "exp",
    "sweep.h": "exp",
    "staff.h": "exp",
    "fit.h": "exp",
    "roster.h": "exp",
    "schedule.h": "exp",
    "report.h": "out",
    "plot.h": "out",
    "fit_report.h": "out",
    "trace.h": "out",
    "wallboard.h": "out",
    "ccs.h": "app",  # the umbrella for embedders: only front ends use it
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
INTERNAL_CALL = re.compile(r"\bccs__[A-Za-z0-9_]+\s*\(")


def closure():
    allowed = {}
    for layer in USES:
        seen, todo = set(), list(USES[layer])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(USES[x])
        seen.add(layer)
        allowed[layer] = seen
    return allowed


def layer_of_target(target, from_dir):
    """Layer of an included file, or None for a file outside the library."""
    if target.startswith("ccs/"):
        name = target[4:]
        return PUBLIC.get(name, "?" + name)
    head = target.split("/")[0]
    if "/" in target and head in USES:
        return head
    if "/" not in target:
        return from_dir  # same folder
    return None


def check(src):
    allowed = closure()
    errors = []
    inc = os.path.join(src, "include", "ccs")
    for name in sorted(os.listdir(inc)):
        if name.endswith(".h") and name not in PUBLIC:
            errors.append(f"include/ccs/{name}:1: public header with no layer "
                          "(add it to PUBLIC in tests/layers/check_layers.py)")
    files = []
    for name in sorted(os.listdir(inc)):
        if name.endswith(".h") and name != "ccs.h":
            files.append((os.path.join("include", "ccs", name), PUBLIC.get(name)))
    sim = os.path.join(src, "sim")
    for d in sorted(os.listdir(sim)):
        if not os.path.isdir(os.path.join(sim, d)):
            continue
        if d not in USES:
            errors.append(f"sim/{d}:1: folder is not a known layer")
            continue
        for name in sorted(os.listdir(os.path.join(sim, d))):
            if name.endswith((".c", ".h")):
                files.append((os.path.join("sim", d, name), d))
    for rel, layer in files:
        if layer is None:
            continue
        with open(os.path.join(src, rel), encoding="utf-8") as f:
            lines = f.readlines()
        for no, text in enumerate(lines, 1):
            m = INCLUDE.match(text)
            if m:
                target = m.group(1)
                tl = layer_of_target(target, layer)
                if tl is None:
                    continue
                if tl.startswith("?"):
                    errors.append(f"{rel}:{no}: includes unknown public header '{target}'")
                elif tl not in allowed[layer]:
                    errors.append(f"{rel}:{no}: layer '{layer}' may not include '{target}' "
                                  f"(layer '{tl}'); {layer} uses {', '.join(sorted(allowed[layer] - {layer})) or 'nothing'}")
            if layer == "app" and rel.endswith(".c"):
                code = text.split("//")[0]
                if INTERNAL_CALL.search(code) and not text.lstrip().startswith(("*", "/*")):
                    errors.append(f"{rel}:{no}: the command line calls an internal function "
                                  f"({INTERNAL_CALL.search(code).group(0).rstrip('( ')}); "
                                  "make what it needs public")
    return errors


# Front ends outside sim/: folders whose C files may use only the public API.
FRONT_ENDS = ["python"]
ANY_INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]')


def check_front_ends(src):
    """python/*.c (and any other front end) includes only <ccs/...> of ours
    and calls no ccs__ internal function."""
    errors = []
    for fe in FRONT_ENDS:
        top = os.path.join(src, fe)
        if not os.path.isdir(top):
            continue
        for root, _, names in os.walk(top):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src)
                with open(path, encoding="utf-8") as f:
                    lines = f.readlines()
                for no, text in enumerate(lines, 1):
                    m = ANY_INCLUDE.match(text)
                    if m:
                        target = m.group(2)
                        head = target.split("/")[0]
                        ours = m.group(1) == '"' or (("/" in target) and head in USES)
                        if ours and not target.startswith("ccs/"):
                            errors.append(f"{rel}:{no}: front end '{fe}' includes '{target}'; "
                                          "it may use the public headers only (<ccs/ccs.h>)")
                    code = text.split("//")[0]
                    if INTERNAL_CALL.search(code) and not text.lstrip().startswith(("*", "/*")):
                        errors.append(f"{rel}:{no}: front end '{fe}' calls an internal function "
                                      f"({INTERNAL_CALL.search(code).group(0).rstrip('( ')}); "
                                      "make what it needs public")
    return errors


DECL = re.compile(r"^(?!static\b|extern\b|typedef\b|#|\s)[A-Za-z_][\w \t\*]*?\b(ccs_[a-z0-9_]+)\s*\(", re.M)
DEF = re.compile(r"^(?!static\b)[A-Za-z_][\w \t\*]*?\b(ccs_[a-z0-9_]+)\s*\([^;{]*\)\s*\{", re.M | re.S)


def check_homes(src):
    """Every function a public header declares is defined in that header's layer."""
    errors = []
    where = {}
    sim = os.path.join(src, "sim")
    for d in sorted(os.listdir(sim)):
        folder = os.path.join(sim, d)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".c"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    for m in DEF.finditer(f.read()):
                        where.setdefault(m.group(1), set()).add(d)
    inc = os.path.join(src, "include", "ccs")
    for name in sorted(os.listdir(inc)):
        layer = PUBLIC.get(name)
        if not name.endswith(".h") or layer is None or name == "ccs.h":
            continue
        with open(os.path.join(inc, name), encoding="utf-8") as f:
            text = f.read()
        for m in DECL.finditer(text):
            fn = m.group(1)
            homes = where.get(fn, set())
            line = text.count("\n", 0, m.start()) + 1
            if not homes:
                continue  # declared only (e.g. built by an optional part)
            if layer not in homes:
                errors.append(f"include/ccs/{name}:{line}: '{fn}' is defined in "
                              f"sim/{'/'.join(sorted(homes))}/, not in its header's layer "
                              f"'{layer}'")
    return errors


def self_test(src):
    """The check must fail on a planted upward include."""
    tmp = tempfile.mkdtemp(prefix="ccs_layers_")
    try:
        shutil.copytree(os.path.join(src, "sim"), os.path.join(tmp, "sim"))
        shutil.copytree(os.path.join(src, "include"), os.path.join(tmp, "include"))
        planted = os.path.join(tmp, "sim", "core", "error.c")
        with open(planted, "a", encoding="utf-8") as f:
            f.write('#include "model/engine.h"\n')
        errs = check(tmp)
        want = [e for e in errs if e.startswith("sim/core/error.c:") and "model/engine.h" in e]
        if not want:
            print("self-test: a planted include of model/engine.h in core/ was not caught")
            return False
        print("self-test: planted bad include caught:", want[0])
        os.makedirs(os.path.join(tmp, "python"))
        with open(os.path.join(tmp, "python", "x.c"), "w", encoding="utf-8") as f:
            f.write('#include <ccs/ccs.h>\n#include "model/scenario.h"\n'
                    'int f(void) { return ccs__layout_build(0); }\n')
        errs = check_front_ends(tmp)
        if len(errs) != 2 or not errs[0].startswith("python/x.c:2:") or \
                not errs[1].startswith("python/x.c:3:"):
            print("self-test: a front end's internal include and call were not both caught:", errs)
            return False
        print("self-test: front end's internal include caught:", errs[0])
        return True
    finally:
        shutil.rmtree(tmp)


def main(argv):
    selftest = "--self-test" in argv
    args = [a for a in argv if a != "--self-test"]
    if len(args) != 1:
        print(__doc__)
        return 2
    src = args[0]
    errors = check(src) + check_homes(src) + check_front_ends(src)
    for e in errors:
        print(e)
    if errors:
        print(f"{len(errors)} layering error(s)")
        return 1
    if selftest and not self_test(src):
        return 1
    print("layers: every include edge is allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
