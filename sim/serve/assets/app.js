/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ccsim serve: the page. Reads the state as server-sent events (a full
   frame, then the changes), draws it, and posts commands as small JSON.
   Plain JavaScript, no build step, no library: the two charts are drawn on
   canvases by hand (docs/serve.md says why). */
"use strict";

const token = new URLSearchParams(location.search).get("token");
const STATES = { i: "idle", t: "talking", o: "outbound", h: "holding", w: "wrap-up", b: "away" };
const QCOLORS = ["#58a6ff", "#f0883e", "#3fb950", "#d2a8ff", "#ff7b72", "#79c0ff", "#e3b341"];
/* seconds, as sim/core/timeconst.h spells them for the C side */
const MINUTE = 60, HOUR = 3600, DAY = 86400, WEEK = 604800;

let st = null;        /* the latest state */
let pts = [], ivs = [];
let epoch = -1;
let built = "";       /* the scenario the DOM was built for */

function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function pct(x) { return x === null || x === undefined ? "-" : (100 * x).toFixed(1) + "%"; }
function dur(s) {
  if (s === null || s === undefined) return "-";
  s = Math.round(s);
  const h = Math.floor(s / HOUR), m = Math.floor(s / MINUTE) % 60, x = s % MINUTE;
  const mm = (h > 0 && m < 10 ? "0" : "") + m, ss = (x < 10 ? "0" : "") + x;
  return (h > 0 ? h + ":" : "") + mm + ":" + ss;
}
function speedText(v) { return v >= 1 ? "x" + Math.round(v) : "x1/" + Math.round(1 / v); }

function notice(msg) {
  const n = $("notice");
  n.textContent = msg || "";
  n.classList.toggle("hidden", !msg);
}

async function post(url, body, type) {
  const headers = { "X-Requested-With": "ccsim", "Content-Type": type || "application/json" };
  if (token) headers["X-Ccsim-Token"] = token;
  const r = await fetch(url, { method: "POST", headers, body });
  let j = null;
  try { j = await r.json(); } catch (e) { j = { ok: false, error: "HTTP " + r.status }; }
  return j;
}

async function cmd(obj) {
  const j = await post("api/cmd", JSON.stringify(obj));
  notice(j.ok ? "" : j.error);
  return j;
}

function withToken(url) { return token ? url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token) : url; }

/* --- building the panels for a scenario -------------------------------------------- */

function build() {
  const qs = $("queues"), gs = $("groups"), sq = $("surge-queue"), pol = $("policy");
  qs.textContent = ""; gs.textContent = "";
  while (sq.options.length > 1) sq.remove(1);
  st.queues.forEach((q, i) => {
    const box = el("div", "queue"); box.id = "q-" + i;
    const head = el("div", "qhead");
    const name = el("span", "qname", q.id); name.style.color = QCOLORS[i % QCOLORS.length];
    head.append(name, el("span", "dim", q.campaign ? "campaign" :
      "target " + Math.round(100 * q.target) + "% in " + dur(q.within)));
    const gauge = el("div", "gauge");
    const fill = el("div", "fill"), target = el("div", "target"), bm = el("div", "basemark");
    const label = el("span", "label");
    target.style.left = (100 * q.target) + "%";
    gauge.append(fill, bm, target, label);
    const kpis = el("div", "kpis");
    const base = el("div", "base");
    const line = el("div", "line");
    box.append(head, gauge, kpis, base, line);
    qs.append(box);
    const o = el("option", "", q.id); o.value = q.id; sq.append(o);
  });
  st.groups.forEach((g, i) => {
    const box = el("div", "group"); box.id = "g-" + i;
    const head = el("div", "ghead");
    const minus = el("button", "", "\u2212"), plus = el("button", "", "+");
    minus.dataset.group = g.id; minus.dataset.delta = "-1"; minus.title = "one agent fewer";
    plus.dataset.group = g.id; plus.dataset.delta = "1"; plus.title = "one agent more";
    const count = el("b", "count");
    const ctl = el("span", ""); ctl.append(minus, " ", count, " ", plus);
    head.append(el("span", "gname", g.id), ctl);
    box.append(head, el("div", "tiles"), el("div", "base"));
    gs.append(box);
  });
  pol.textContent = "";
  st.scenario.policies.forEach(p => { const o = el("option", "", p); o.value = p; pol.append(o); });
  $("seed").value = st.scenario.seed;
  built = st.scenario.entry + "#" + epoch;
}

/* --- drawing the state ---------------------------------------------------------------- */

function drawQueues(compare) {
  st.queues.forEach((q, i) => {
    const box = $("q-" + i);
    if (!box) return;
    const [, gauge, kpis, base, line] = box.children;
    const fill = gauge.children[0], bm = gauge.children[1], label = gauge.children[3];
    const sl = q.sl;
    fill.style.width = sl === null ? "0" : (100 * sl) + "%";
    fill.classList.toggle("low", sl !== null && sl < q.target);
    label.textContent = q.campaign ? "" : "SL so far " + pct(sl);
    bm.style.display = compare && q.base.sl !== null ? "block" : "none";
    if (q.base.sl !== null) bm.style.left = (100 * q.base.sl) + "%";
    kpis.textContent = "";
    const add = (k, v) => { const s = el("span", "", k + " "); s.append(el("b", "", v)); kpis.append(s); };
    add("waiting", String(q.waiting));
    add("oldest", dur(q.oldest));
    add("ASA", dur(q.asa));
    add("abandoned", String(q.abandoned));
    if (q.messages > 0) add("messages", String(q.messages));
    /* a queue that cuts its callers off at closing: from the start, so the
       count is there to watch when closing time comes */
    if (q.closing || q.disconnected > 0) add("disconnected", String(q.disconnected));
    add("offered", String(q.offered));
    if (q.scale !== 1) add("arrivals", "x" + q.scale);
    base.textContent = compare ? "without the changes: SL " + pct(q.base.sl) + ", ASA " +
      dur(q.base.asa) + ", abandoned " + q.base.abandoned +
      (q.closing || q.base.disconnected > 0 ? ", disconnected " + q.base.disconnected : "") +
      ", waiting " + q.base.waiting : "";
    line.textContent = "";
    q.ages.forEach(a => {
      const c = el("span", "contact" + (a > q.within ? " late" : ""), dur(a));
      line.append(c);
    });
    if (q.waiting > q.ages.length) line.append(el("span", "dim", "+" + (q.waiting - q.ages.length) + " more"));
  });
}

function drawGroups(compare) {
  st.groups.forEach((g, i) => {
    const box = $("g-" + i);
    if (!box) return;
    box.querySelector(".count").textContent = String(g.agents);
    const tiles = box.children[1];
    const want = g.tiles.replace(/x/g, "");
    if (tiles.dataset.s !== want) {
      tiles.textContent = "";
      for (const c of want) {
        const t = el("span", "tile s-" + c); t.title = STATES[c] || c; tiles.append(t);
      }
      tiles.dataset.s = want;
    }
    const off = g.counts[6];
    const c = g.counts;
    box.children[2].textContent = "idle " + c[0] + ", talking " + (c[1] + c[2] + c[3]) +
      ", wrap-up " + c[4] + ", away " + c[5] + (off ? ", off " + off : "") +
      (compare ? "  |  without the changes: " + g.base.agents + " agents" : "");
  });
}

function setupCanvas(cv) {
  const r = window.devicePixelRatio || 1, w = cv.clientWidth, h = cv.clientHeight;
  if (cv.width !== Math.round(w * r) || cv.height !== Math.round(h * r)) {
    cv.width = Math.round(w * r); cv.height = Math.round(h * r);
  }
  const g = cv.getContext("2d");
  g.setTransform(r, 0, 0, r, 0, 0);
  g.clearRect(0, 0, w, h);
  const large = document.documentElement.classList.contains("large");
  g.font = (large ? 16 : 11) + "px DejaVu Sans, Arial, sans-serif";
  return { g, w, h, pad: { l: large ? 52 : 40, r: 10, t: 10, b: large ? 28 : 20 } };
}

function clockLabel(t) {
  const s = ((st.scenario.start + t) % DAY + DAY) % DAY;
  const h = Math.floor(s / HOUR), m = Math.floor(s / MINUTE) % 60;
  return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
}

function axes(c, tmax, ymax, yfmt) {
  const { g, w, h, pad } = c;
  g.strokeStyle = "#30363d"; g.fillStyle = "#8a96a3"; g.lineWidth = 1;
  for (let k = 0; k <= 4; k++) {
    const y = pad.t + (h - pad.t - pad.b) * (1 - k / 4);
    g.beginPath(); g.moveTo(pad.l, y); g.lineTo(w - pad.r, y); g.stroke();
    g.fillText(yfmt(ymax * k / 4), 4, y + 4);
  }
  /* ticks on round times: as many as fit, at most 8 */
  const fit = Math.max(1, Math.min(8, Math.floor((w - pad.l) / (g.measureText("00:00").width * 2.5))));
  const step = [15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, WEEK]
    .find(s => tmax / s <= fit) || WEEK;
  for (let t = 0; t <= tmax; t += step) {
    const x = pad.l + (w - pad.l - pad.r) * t / tmax;
    g.fillText(clockLabel(t), x - g.measureText("00:00").width / 2, h - 5);
  }
}

function xOf(c, t, tmax) { return c.pad.l + (c.w - c.pad.l - c.pad.r) * t / tmax; }
function yOf(c, v, ymax) { return c.pad.t + (c.h - c.pad.t - c.pad.b) * (1 - v / ymax); }

function drawMarks(c, tmax) {
  const g = c.g;
  g.strokeStyle = "#d2a8ff"; g.fillStyle = "#d2a8ff"; g.setLineDash([2, 3]);
  let lastX = -1e9, row = 0;
  st.marks.forEach((m, k) => {
    const x = xOf(c, m.t, tmax);
    g.beginPath(); g.moveTo(x, c.pad.t); g.lineTo(x, c.h - c.pad.b); g.stroke();
    /* changes made at the same moment are numbered one under the other */
    row = x - lastX < 14 ? row + 1 : 0;
    lastX = x;
    if (row < 6) g.fillText(String(k + 1), x + 3, c.pad.t + 10 + 12 * row);
  });
  g.setLineDash([]);
}

function drawWaitChart(compare) {
  const c = setupCanvas($("chart-wait")), g = c.g, nq = st.queues.length;
  const tmax = Math.max(st.scenario.horizon, pts.length ? pts[pts.length - 1][0] : 0, 1);
  let ymax = 4;
  pts.forEach(p => { for (let q = 0; q < nq; q++) ymax = Math.max(ymax, p[1 + q], compare ? p[1 + nq + q] : 0); });
  ymax = Math.ceil(ymax / 4) * 4;
  axes(c, tmax, ymax, v => String(Math.round(v)));
  for (let q = 0; q < nq; q++) {
    [0, 1].forEach(side => {
      if (side === 1 && !compare) return;
      g.strokeStyle = QCOLORS[q % QCOLORS.length]; g.lineWidth = side ? 1.5 : 2.5;
      g.setLineDash(side ? [6, 4] : []);
      g.beginPath();
      pts.forEach((p, k) => {
        const x = xOf(c, p[0], tmax), y = yOf(c, p[1 + side * nq + q], ymax);
        if (k === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
    });
  }
  g.setLineDash([]);
  drawMarks(c, tmax);
}

function drawSlChart(compare) {
  const c = setupCanvas($("chart-sl")), g = c.g, nq = st.queues.length;
  const tmax = Math.max(st.scenario.horizon, ivs.length ? ivs[ivs.length - 1][0] : 0, 1);
  axes(c, tmax, 1, v => Math.round(100 * v) + "%");
  const step = st.scenario.interval;
  const bw = Math.max(2, (xOf(c, step, tmax) - xOf(c, 0, tmax)) / (nq + 0.5));
  ivs.forEach((r, k) => {
    const t0 = k === 0 ? 0 : ivs[k - 1][0];
    for (let q = 0; q < nq; q++) {
      const x = xOf(c, t0, tmax) + q * bw;
      const v = r[1 + q], b = r[1 + nq + q];
      g.fillStyle = QCOLORS[q % QCOLORS.length];
      if (v !== null) g.fillRect(x, yOf(c, v, 1), bw - 1, yOf(c, 0, 1) - yOf(c, v, 1));
      if (compare && b !== null) {
        g.strokeStyle = "#e6e6e6"; g.lineWidth = 1.5;
        g.strokeRect(x + 0.5, yOf(c, b, 1), bw - 2, yOf(c, 0, 1) - yOf(c, b, 1));
      }
    }
  });
  st.queues.forEach((q, i) => {
    if (q.campaign) return;
    g.strokeStyle = QCOLORS[i % QCOLORS.length]; g.setLineDash([8, 4]); g.lineWidth = 1;
    const y = yOf(c, q.target, 1);
    g.beginPath(); g.moveTo(c.pad.l, y); g.lineTo(c.w - c.pad.r, y); g.stroke();
  });
  g.setLineDash([]);
  drawMarks(c, tmax);
}

function drawMarksList() {
  const m = $("marks");
  m.textContent = "";
  st.marks.forEach((x, k) => m.append(el("div", "", (k + 1) + ". " + clockLabel(x.t) + "  " + x.text)));
}

function draw() {
  if (!st) return;
  const compare = $("compare").checked;
  $("title").textContent = st.scenario.title;
  $("entry").textContent = st.scenario.entry + "  seed " + st.scenario.seed;
  $("clock").textContent = st.clock;
  const s = $("status");
  s.textContent = st.status === "running" ? "running" : st.status === "paused" ? "paused" :
    st.status === "over" ? "end of day" : "error";
  s.className = "badge " + st.status;
  $("pause").textContent = st.status === "paused" ? "Resume" : "Pause";
  $("speed").textContent = speedText(st.speed);
  if (st.status === "error") notice("the simulation stopped: " + st.error);
  if (document.activeElement !== $("policy")) $("policy").value = st.scenario.policy;
  drawQueues(compare);
  drawGroups(compare);
  drawWaitChart(compare);
  drawSlChart(compare);
  drawMarksList();
}

/* --- the stream ------------------------------------------------------------------------ */

function onFrame(f) {
  if (f.type === "full" || f.epoch !== epoch) {
    pts = f.pts; ivs = f.ivs;
  } else {
    if (f.pt_from === pts.length) pts = pts.concat(f.pts);
    if (f.iv_from === ivs.length) ivs = ivs.concat(f.ivs);
  }
  const fresh = f.epoch !== epoch;
  epoch = f.epoch;
  st = f;
  if (fresh || built !== st.scenario.entry + "#" + epoch) build();
  draw();
}

function connect() {
  const es = new EventSource(withToken("api/stream"));
  const h = ev => onFrame(JSON.parse(ev.data));
  es.addEventListener("full", h);
  es.addEventListener("delta", h);
}

async function loadCatalog() {
  const r = await fetch(withToken("api/scenarios"));
  const j = await r.json();
  const sel = $("scenario");
  sel.textContent = "";
  j.scenarios.forEach(n => { const o = el("option", "", n); o.value = n; sel.append(o); });
  sel.value = j.playing;
}

/* --- controls --------------------------------------------------------------------------- */

function wire() {
  $("pause").onclick = () => cmd({ op: st && st.status === "paused" ? "resume" : "pause" });
  $("step").onclick = () => cmd({ op: "step" });
  $("faster").onclick = () => cmd({ op: "speed", value: Math.min(st.speed * 2, 1e6) });
  $("slower").onclick = () => cmd({ op: "speed", value: Math.max(st.speed / 2, 1 / 64) });
  $("compare").onchange = draw;
  $("large").onchange = () => { document.documentElement.classList.toggle("large", $("large").checked); draw(); };
  $("groups").onclick = ev => {
    const b = ev.target.closest("button");
    if (b && b.dataset.group) cmd({ op: "agents", group: b.dataset.group, delta: Number(b.dataset.delta) });
  };
  $("policy").onchange = () => cmd({ op: "policy", name: $("policy").value });
  $("surge").onclick = () => cmd({ op: "surge", queue: $("surge-queue").value,
                                   factor: Number($("surge-factor").value) });
  $("open").onclick = async () => { await cmd({ op: "open", name: $("scenario").value }); };
  $("restart").onclick = () => cmd({ op: "restart" });
  $("reseed").onclick = () => cmd({ op: "seed", value: String($("seed").value) });
  $("edit-load").onclick = async () => {
    const name = st && st.scenario.entry !== "edited.yaml" ? st.scenario.entry : $("scenario").value;
    const r = await fetch(withToken("api/scenario?name=" + encodeURIComponent(name)));
    if (r.ok) $("yaml").value = await r.text(); else notice("cannot show " + name);
  };
  $("edit-play").onclick = async () => {
    const j = await post("api/load", $("yaml").value, "application/x-yaml");
    const e = $("edit-error");
    e.textContent = j.ok ? "" : j.error;
    e.classList.toggle("hidden", !!j.ok);
  };
  document.addEventListener("keydown", ev => {
    if (ev.target.tagName === "TEXTAREA" || ev.target.tagName === "INPUT" || !st) return;
    if (ev.key === " ") { ev.preventDefault(); $("pause").click(); }
    else if (ev.key === "s") $("step").click();
    else if (ev.key === "+" || ev.key === "]") $("faster").click();
    else if (ev.key === "-" || ev.key === "[") $("slower").click();
  });
  window.addEventListener("resize", draw);
}

wire();
loadCatalog();
connect();
