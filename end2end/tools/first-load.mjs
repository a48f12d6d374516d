// The first load of a build as a browser sees it: serves DIST with tools/serve.mjs (the strict
// CSP, precompressed files) on loopback, opens "/" cold in headless Chromium (4x CPU slowdown,
// like the issue's measurements), and prints every file fetched until SELECTOR is visible with
// its raw, gzip and brotli size and the bytes actually sent, then what loads afterwards while
// the page is idle (prefetched code), the first contentful paint, the time to SELECTOR and the
// Cumulative Layout Shift with the elements that moved.
// Usage: node first-load.mjs DIST_DIR [SELECTOR] [RUNS]   → a table, then one JSON line.
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import { staticServer } from "./serve.mjs";

const dist = resolve(process.argv[2] ?? "../dist");
const selector = process.argv[3] ?? 'h1:has-text("Your OIN Integrations")';
const runs = Number(process.argv[4] ?? 1);

let sent = [];
const server = staticServer(dist, (path, bytes, encoding) => sent.push({ path, bytes, encoding, at: Date.now() }));
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const results = [];
let firstLoad = [];
let later = [];
const errors = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true });
  const page = await ctx.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        const nodes = (e.sources ?? []).map((s) => {
          const n = s.node;
          if (!n) return "?";
          const el = n.nodeType === 1 ? n : n.parentElement;
          return el ? `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}` : "#text";
        });
        window.__shifts.push({ value: e.value, at: Math.round(e.startTime), nodes });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  sent = [];
  await page.goto(url, { waitUntil: "commit" });
  await page.locator(selector).first().waitFor({ state: "visible", timeout: 30000 });
  const visibleMs = await page.evaluate(() => performance.now());
  const beforeVisible = sent.length;
  await page.waitForLoadState("networkidle");
  // The app prefetches the other pages' chunks 2 s after start, when idle.
  await page.waitForTimeout(3500);
  await page.waitForLoadState("networkidle");
  const m = await page.evaluate(() => ({
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    shifts: window.__shifts,
  }));
  firstLoad = sent.slice(0, beforeVisible);
  later = sent.slice(beforeVisible);
  results.push({ visibleMs, fcp: m.fcp, cls: m.shifts.reduce((t, s) => t + s.value, 0), shifts: m.shifts });
  await ctx.close();
}
await browser.close();
server.close();

const fmt = (n) => n.toLocaleString("en-US").padStart(10);
function sizes(path) {
  const file = join(dist, path === "/" || !/\.[a-z0-9]+$/i.test(path) ? "index.html" : path);
  const data = readFileSync(file);
  return {
    raw: statSync(file).size,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
function table(title, rows) {
  console.log(`\n${title}`);
  console.log(`${"file".padEnd(48)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}${"sent".padStart(10)}`);
  const total = { raw: 0, gzip: 0, brotli: 0, sent: 0 };
  for (const r of rows) {
    const s = sizes(r.path);
    for (const k of ["raw", "gzip", "brotli"]) total[k] += s[k];
    total.sent += r.bytes;
    console.log(`${(r.path + (r.encoding ? ` (${r.encoding})` : "")).slice(0, 47).padEnd(48)}${fmt(s.raw)}${fmt(s.gzip)}${fmt(s.brotli)}${fmt(r.bytes)}`);
  }
  console.log(`${"total".padEnd(48)}${fmt(total.raw)}${fmt(total.gzip)}${fmt(total.brotli)}${fmt(total.sent)}`);
  return total;
}
const first = table(`Fetched until ${selector} is visible`, firstLoad);
const idle = table("Fetched afterwards while idle (prefetch)", later);
results.sort((a, b) => a.visibleMs - b.visibleMs);
const med = results[Math.floor(results.length / 2)];
const worst = results.reduce((w, r) => (r.cls > w.cls ? r : w), results[0]);
for (const s of worst.shifts) console.log(`layout shift ${s.value.toFixed(4)} at ${s.at} ms: ${s.nodes.join(", ")}`);
console.log(
  JSON.stringify({
    runs,
    first_load: first,
    idle_prefetch: idle,
    median_visible_ms: Math.round(med.visibleMs),
    median_fcp_ms: med.fcp === null ? null : Math.round(med.fcp),
    max_cls: Number(worst.cls.toFixed(4)),
    console_errors: errors.slice(0, 5),
  }),
);
