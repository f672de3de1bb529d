/* SPDX-License-Identifier: GPL-3.0-or-later */
// serve_page.mjs - the page of `ccsim serve` in a real browser (Debian's
// Chromium, driven by puppeteer-core): it loads, plays an understaffed day,
// adds agents with the page's own buttons and sees the service level rise
// against the same day without them, switches the policy, shows an edited
// scenario's located error, and logs no console error. Keeps screenshots.
//
//   node serve_page.mjs CCSIM SCENARIO OUTDIR [DOCS_PNG]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const [ccsim, scenario, outdir, docsPng] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
let failed = 0;
function check(ok, what) {
  console.log((ok ? "ok    " : "FAIL  ") + what);
  if (!ok) failed++;
}

function startServer() {
  return new Promise((resolve, reject) => {
    const p = spawn(ccsim, ["serve", scenario, "--port", "0", "--speed", "1800", "--paused"],
                    { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("ccsim serve did not start: " + out)), 10000);
    p.stdout.on("data", d => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({ proc: p, url: m[0] }); }
    });
    p.on("exit", code => reject(new Error("ccsim serve exited with " + code + ": " + out)));
  });
}

async function state(page) {
  return page.evaluate(async () => (await fetch("api/state")).json());
}

async function waitFor(page, what, pred, ms) {
  const t0 = Date.now();
  for (;;) {
    const s = await state(page);
    if (pred(s)) return s;
    if (Date.now() - t0 > ms) throw new Error("timed out waiting for " + what + " (clock " + s.clock + ", " + s.status + ")");
    await new Promise(r => setTimeout(r, 100));
  }
}

const profile = mkdtempSync(join(tmpdir(), "ccsim-chromium-"));
const { proc, url } = await startServer();
let browser;
const errors = [];
try {
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           "--user-data-dir=" + profile, "--window-size=1400,1000"],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.on("console", m => { if (m.type() === "error") errors.push("console: " + m.text()); });
  page.on("pageerror", e => errors.push("page error: " + e.message));
  page.on("requestfailed", r => {
    if (!r.url().endsWith("/api/stream")) errors.push("request failed: " + r.url());
  });
  page.on("response", r => { if (r.status() >= 400) errors.push("HTTP " + r.status() + ": " + r.url()); });

  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(() => document.querySelector("#status").textContent === "paused", { timeout: 10000 });
  check(await page.$eval("#title", e => e.textContent) === "Understaffed support", "the page shows the scenario");
  check(await page.$$eval(".tiles .tile", ts => ts.length) === 21, "21 agent tiles");

  // the first hour as it is
  await page.click("#pause"); // resume
  await waitFor(page, "one hour", s => s.t >= 3600, 20000);
  await page.click("#pause");
  const before = await waitFor(page, "the pause", s => s.status === "paused", 5000);
  const slBefore = before.queues[0].sl;

  // eight more agents, with the page's + button
  for (let i = 0; i < 8; i++) {
    await page.click('button[data-group="support_team"][data-delta="1"]');
    await page.waitForFunction(n => document.querySelector("#g-0 .count").textContent === String(n),
                               { timeout: 5000 }, 22 + i);
  }
  const more = await state(page);
  check(more.groups[0].agents === 29 && more.groups[0].base.agents === 21,
        "29 agents against 21 without the change");
  check(more.marks.length === 8 && /support_team: 28 -> 29 agents/.test(more.marks[7].text),
        "each change is marked on the timeline");
  await page.waitForFunction(() => document.querySelectorAll("#marks div").length === 8, { timeout: 5000 });
  if (outdir) await page.screenshot({ path: join(outdir, "serve-change.png") });

  // the rest of the day
  await page.click("#pause");
  const end = await waitFor(page, "the end of the day", s => s.status === "over", 30000);
  const q = end.queues[0];
  console.log(`service level: ${(100 * slBefore).toFixed(1)}% after the first hour; ` +
              `${(100 * q.sl).toFixed(1)}% at the end with 8 more agents, ` +
              `${(100 * q.base.sl).toFixed(1)}% without them`);
  check(q.offered === q.base.offered, "the same callers on both days (common random numbers)");
  check(q.sl > q.base.sl + 0.15, "the service level rose with the agents (vs the same day without)");
  check(q.sl > slBefore + 0.1, "the service level so far rose after the change");
  const ivAfter = end.ivs.filter(r => r[0] > 5400);
  check(ivAfter.length > 0 && ivAfter.every(r => r[1] >= r[2]),
        "every interval after the change is at least as good as without it");
  await page.waitForFunction(() => document.querySelector("#status").textContent === "end of day", { timeout: 5000 });
  await page.$eval("#large", e => e.click());
  await new Promise(r => setTimeout(r, 300));
  if (outdir) await page.screenshot({ path: join(outdir, "serve-end.png"), fullPage: true });
  if (docsPng) {
    await page.$eval("#large", e => e.click());
    await new Promise(r => setTimeout(r, 300));
    await page.screenshot({ path: docsPng });
  }

  // the policy menu switches the policy of the day with the changes
  // paused (the flag stays through the restart)
  await page.evaluate(() => fetch("api/cmd", { method: "POST", headers: { "X-Requested-With": "ccsim" },
                                               body: '{"op":"pause"}' }));
  await page.click("#scenario-box summary");
  await page.click("#restart");
  await waitFor(page, "the restart", s => s.t === 0 && s.marks.length === 0 && s.status === "paused", 5000);
  await page.select("#policy", "oldest-first");
  const sw = await waitFor(page, "the switch", s => s.scenario.policy === "oldest-first", 5000);
  check(sw.scenario.base_policy === "acd", "the other day keeps its policy");

  // an edited scenario with a mistake shows the located error
  await page.click("#edit-load");
  await page.waitForFunction(() => document.querySelector("#yaml").value.includes("support_team"), { timeout: 5000 });
  await page.$eval("#yaml", e => { e.value = e.value.replace("agents: 21", "agents: many"); });
  await page.click("#edit-play");
  await page.waitForFunction(() => !document.querySelector("#edit-error").classList.contains("hidden"), { timeout: 5000 });
  const msg = await page.$eval("#edit-error", e => e.textContent);
  check(/^edited\.yaml:\d+:\d+: error: /.test(msg), "the edit's error is located: " + msg);
  // a refused change is an answer the page shows, not a console error
  const refused = await page.evaluate(async () => (await fetch("api/cmd", {
    method: "POST", headers: { "X-Requested-With": "ccsim" },
    body: '{"op":"agents","group":"nope","n":3}' })).json());
  check(refused.ok === false && refused.error === "ccsim serve: error: unknown group 'nope'",
        "a refused change says why: " + refused.error);

  // a queue that cuts its callers off at closing shows how many, beside the
  // abandons (at_close: disconnect; the line closes at 3h with callers queued)
  const closing = readFileSync(new URL("../data/closing-support.yaml", import.meta.url), "utf8");
  await page.$eval("#yaml", (e, y) => { e.value = y; }, closing);
  await page.click("#edit-play");
  await waitFor(page, "the edited scenario", s => s.scenario.title === "Closing support", 5000);
  const open = await state(page);
  check(open.queues[0].closing === true && open.queues[0].disconnected === 0,
        "the state says the queue disconnects at closing");
  await page.waitForFunction(() => /disconnected 0/.test(document.querySelector("#q-0").textContent),
                             { timeout: 5000 });
  if ((await state(page)).status === "paused") await page.click("#pause");
  const closed = await waitFor(page, "the closing", s => s.t >= 3 * 3600 + 60, 30000);
  const cq = closed.queues[0];
  // 22 as `ccsim run -r 1 --seed 42` of the same file says
  check(cq.disconnected === 22 && cq.base.disconnected === 22,
        `callers cut off at closing: ${cq.disconnected} (22 in ccsim run), ${cq.base.disconnected} without changes`);
  await page.waitForFunction(n => document.querySelector("#q-0").textContent.includes("disconnected " + n),
                             { timeout: 5000 }, cq.disconnected);
  check(true, "the page shows the disconnected count");
} catch (e) {
  check(false, "the page works: " + e.message);
} finally {
  if (browser) await browser.close();
  proc.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
}
check(errors.length === 0, "no console errors" + (errors.length ? ": " + errors.join("; ") : ""));
console.log(failed ? `${failed} failed` : "all passed");
process.exit(failed ? 1 : 0);
