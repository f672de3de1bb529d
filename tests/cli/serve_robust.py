#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""serve_robust.py - `ccsim serve` survives bad requests and serves nothing
but its own files: unknown paths, path traversal (raw and encoded, in the
path and in the scenario name), a symlink out of a scenario folder, huge,
chunked and malformed bodies, unknown methods, huge headers, a foreign Host,
cross-site posts, many slow clients, viewers that drop mid-stream; a token
is required on every request when listening beyond loopback; bad options
exit 2 with their message. Every request goes to this machine's loopback.

    serve_robust.py CCSIM SOURCE_DIR
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

CCSIM, SRC = sys.argv[1], sys.argv[2]
FAILS = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        FAILS.append(what)


def start(args):
    p = subprocess.Popen([CCSIM, "serve", "--port", "0"] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    m = re.search(r"http://(?:127\.0\.0\.1|\[::1\]):(\d+)/(\?token=([0-9a-f]+))?", line)
    if not m:
        p.kill()
        raise SystemExit("ccsim serve did not start: %r %r" % (line, p.stderr.read()))
    return p, int(m.group(1)), m.group(3)


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        out, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, "stops within 20 s of SIGTERM")
        return
    check(p.returncode == 0, "exits 0 on SIGTERM (got %s; %s)" % (p.returncode, err.strip()))


def request(port, method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict(r.getheaders()), data


def raw(port, data, timeout=5):
    """Send raw bytes, return what comes back (until close or timeout)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            k = s.recv(65536)
            if not k:
                break
            out += k
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return out


def alive(port):
    try:
        st, _, body = request(port, "GET", "/api/state", timeout=5)
        return st == 200 and json.loads(body)["type"] == "full"
    except Exception:  # noqa: BLE001 - any failure means not alive
        return False


POST = {"X-Requested-With": "ccsim", "Content-Type": "application/json"}

# --- bad options ------------------------------------------------------------------------
for args, msg in [
    (["--listen", "localhost"], "ccsim serve: error: invalid --listen 'localhost': expected a "
                                "numeric IPv4 or IPv6 address such as 127.0.0.1"),
    (["--port", "70000"], "ccsim serve: error: invalid --port '70000': expected a port number "
                          "from 0 to 65535"),
    (["--speed", "0"], "ccsim serve: error: invalid --speed '0': expected a number of simulated "
                       "seconds per real second, from 1/64 to 1000000"),
]:
    r = subprocess.run([CCSIM, "serve"] + args, capture_output=True, text=True, timeout=10)
    check(r.returncode == 2 and r.stderr.splitlines()[0] == msg, "bad option %s: exit 2, %r"
          % (args, r.stderr.splitlines()[0] if r.stderr else ""))
r = subprocess.run([CCSIM, "serve", "/no/such/scenario.yaml"], capture_output=True, text=True,
                   timeout=10)
check(r.returncode == 2 and r.stderr.strip() ==
      "/no/such/scenario.yaml: error: cannot open: No such file or directory",
      "a missing scenario: exit 2, %r" % r.stderr.strip())
tmp = tempfile.mkdtemp(prefix="ccs-serve-")
bad = os.path.join(tmp, "bad.yaml")
with open(bad, "w") as f:
    f.write("name: x\nhorizon: soon\n")
r = subprocess.run([CCSIM, "serve", bad], capture_output=True, text=True, timeout=10)
check(r.returncode == 2 and re.match(re.escape(bad) + r":2:\d+: error: ", r.stderr),
      "a bad scenario: exit 2, located: %r" % r.stderr.strip())

# a folder with a scenario, a link out of it, and a file that is not YAML
folder = os.path.join(tmp, "class")
os.mkdir(folder)
shutil.copy(os.path.join(SRC, "tests/browser/understaffed.yaml"), os.path.join(folder, "a.yaml"))
os.symlink("/etc/passwd", os.path.join(folder, "evil.yaml"))
with open(os.path.join(folder, "notes.txt"), "w") as f:
    f.write("secret\n")

p, port, _ = start([folder, "--speed", "600"])
try:
    st, h, body = request(port, "GET", "/")
    check(st == 200 and b"<title>ccsim serve</title>" in body and "Content-Security-Policy" in h,
          "GET / is the page, with a content security policy")
    for path in ["/app.js", "/style.css"]:
        check(request(port, "GET", path)[0] == 200, "GET %s" % path)
    st, _, body = request(port, "GET", "/api/scenarios")
    names = json.loads(body)["scenarios"]
    check(os.path.basename(folder) in names[0] and names[0].endswith("/a.yaml"),
          "the folder's scenario is listed first: %s" % names[0])
    check(not any("evil" in n or "notes" in n for n in names),
          "a link out of the folder and a non-YAML file are not listed")
    check("built-in/teaching/pooling.yaml" in names, "the built-in teaching scenarios are listed")

    # nothing outside: unknown paths and traversal, raw and encoded
    for path in ["/nope", "/etc/passwd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                 "/..%2f..%2fetc%2fpasswd", "/assets/../../../etc/passwd", "//etc/passwd",
                 "/sim/serve/assets/app.js", "/api/scenario?name=../../etc/passwd",
                 "/api/scenario?name=/etc/passwd", "/api/scenario?name=" + folder + "/evil.yaml",
                 "/api/scenario?name=class/evil.yaml", "/api/scenario?name=class/notes.txt",
                 "/api/scenario", "/index.html/../../etc/passwd"]:
        out = raw(port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                         % path).encode())
        status = out.split(b" ", 2)[1] if out.startswith(b"HTTP/") else b"?"
        check(status == b"404" and b"root:" not in out and b"secret" not in out,
              "GET %s: 404 and nothing of the file (got %s)" % (path, status.decode()))
    st, _, body = request(port, "GET", "/api/scenario?name=built-in/teaching/pooling.yaml")
    check(st == 200 and b"Pooling" in body, "a listed scenario's text is served")

    # posts: the custom header, body limits, malformed bodies, methods
    st, _, body = request(port, "POST", "/api/cmd", '{"op":"pause"}',
                          {"Content-Type": "text/plain"})
    check(st == 403, "a post without X-Requested-With is refused (cross-site): %d" % st)
    st, _, body = request(port, "POST", "/api/cmd", '{"op":"pause"}', POST)
    check(st == 200 and json.loads(body) == {"ok": True}, "a good command")
    out = raw(port, b"POST /api/cmd HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: ccsim\r\n"
                    b"Content-Length: 100000000\r\n\r\n" + b"x" * 10000)
    check(out.startswith(b"HTTP/1.1 413"), "a declared huge body: 413 before it is read")
    # a chunked body past the limit: the connection is dropped
    chunk = b"%x\r\n%s\r\n" % (8192, b"y" * 8192)
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"POST /api/load HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Requested-With: ccsim\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    try:
        for _ in range(64):  # 512 KiB, twice the limit
            s.sendall(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    check(alive(port), "a chunked body past the limit: the server lives on")
    for body_, want in [("", "bad JSON at byte 1: expected an object '{'"),
                        ("{", "bad JSON at byte 2: expected a string"),
                        ('{"op":"pause"', "bad JSON at byte 14: expected ',' or '}'"),
                        ('{"op":{"x":1}}', "bad JSON at byte 7: nested values are not accepted"),
                        ('{"op":"pause"} x', "bad JSON at byte 16: text after the object"),
                        ('{"op":"\x01"}', "bad JSON at byte 8: control character in a string"),
                        ('{"a":1,"a":2}', "bad JSON at byte 11: duplicate key"),
                        ('{"op":"' + "z" * 300 + '"}', "bad JSON at byte 264: string too long")]:
        st, _, body = request(port, "POST", "/api/cmd", body_.encode(), POST)
        err = json.loads(body).get("error", "") if st == 400 else body
        check(st == 400 and err == "ccsim serve: error: " + want,
              "malformed %r: 400 %r" % (body_[:20], err))
    for body_, want in [('{"op":"fly"}', "unknown op 'fly'"),
                        ('{"op":"agents","group":"support_team","n":-1}', "'n' must be a whole"),
                        ('{"op":"agents","group":"support_team","n":1e9}', "'n' must be a whole"),
                        ('{"op":"surge","factor":"lots"}', "'factor' must be a number"),
                        ('{"op":"speed","value":0}', "'value' must be simulated seconds"),
                        ('{"op":"open","name":"/etc/passwd"}', "no scenario '/etc/passwd' here"),
                        ('{"op":"policy","name":"random"}', "unknown routing policy 'random'")]:
        st, _, body = request(port, "POST", "/api/cmd", body_.encode(), POST)
        j = json.loads(body)
        check(st == 200 and not j["ok"] and want in j["error"], "refused %s: %s" % (body_, j))
    st, _, body = request(port, "POST", "/api/load", b"name: x\nqueues: [\n", POST)
    j = json.loads(body)
    check(not j["ok"] and j["error"].startswith("edited.yaml:"),
          "a bad edited scenario is located: %s" % j.get("error"))
    st, _, _ = request(port, "DELETE", "/api/state")
    check(st == 405, "DELETE: 405")
    st, _, _ = request(port, "POST", "/nope", "{}", POST)
    check(st == 404, "POST to an unknown path: 404")
    out = raw(port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")
    check(out == b"" or out.split(b" ")[1] in (b"413", b"431", b"400"),
          "a huge header is refused: %r" % out[:30])
    out = raw(port, b"\x00\xff garbage \r\n\r\n")
    check(alive(port), "garbage on the socket: the server lives on")
    st, _, _ = request(port, "GET", "/", headers={"Host": "evil.example:80"})
    check(st == 403, "a foreign Host (DNS rebinding) is refused on loopback: %d" % st)

    # many slow clients: each holds a half-sent request; the page still answers
    slow = []
    for _ in range(40):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.")
        slow.append(s)
    t0 = time.time()
    check(alive(port) and time.time() - t0 < 3, "40 slow clients: the state still answers")
    for s in slow:
        s.close()

    # viewers that drop mid-stream, some abruptly (RST)
    for i in range(20):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        got = b""
        while b"data: " not in got:
            got += s.recv(65536)
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/api/stream")
    r = c.getresponse()
    first = b"".join(r.readline() for _ in range(4))
    c.close()
    check(r.status == 200 and r.getheader("Content-Type") == "text/event-stream" and
          b"event: full" in first, "after 20 dropped viewers a stream still starts with a full frame")
finally:
    stop(p)

# --- beyond loopback: a token on every request ------------------------------------------
p, port, token = start(["--listen", "0.0.0.0", "--paused"])
try:
    check(token is not None and len(token) == 32, "listening beyond loopback prints a token")
    for path in ["/", "/app.js", "/api/state", "/api/stream", "/api/scenarios"]:
        check(request(port, "GET", path)[0] == 403, "GET %s without the token: 403" % path)
    check(request(port, "GET", "/api/state?token=" + "0" * 32)[0] == 403, "a wrong token: 403")
    st, h, _ = request(port, "GET", "/?token=" + token)
    cookie = h.get("Set-Cookie", "")
    check(st == 200 and cookie.startswith("ccsim_token=" + token) and "HttpOnly" in cookie,
          "the page with the token sets it as a cookie")
    check(request(port, "GET", "/app.js", headers={"Cookie": "ccsim_token=" + token})[0] == 200,
          "the page's files with the cookie")
    hdr = dict(POST, **{"X-Ccsim-Token": token})
    st, _, body = request(port, "POST", "/api/cmd", '{"op":"resume"}', hdr)
    check(st == 200 and json.loads(body)["ok"], "a command with the token header")
    st, _, _ = request(port, "POST", "/api/cmd", '{"op":"resume"}', POST)
    check(st == 403, "a command without the token: 403")
finally:
    stop(p)
shutil.rmtree(tmp)
print("%d failed" % len(FAILS) if FAILS else "all passed")
sys.exit(1 if FAILS else 0)
