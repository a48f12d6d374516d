import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";
import type { Page, Route } from "@playwright/test";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** How many wasm files of the build's dist/app-HASH match `name`. */
function wasmCount(name: RegExp): number {
  const dist = fileURLToPath(new URL("../../dist", import.meta.url));
  const app = readdirSync(dist).find((d) => /^app-[0-9a-f]+$/.test(d));
  return app ? readdirSync(join(dist, app)).filter((f) => name.test(f)).length : 0;
}

/** How many page chunks the build split off (the chunk_N.wasm files): what the idle prefetch fetches. */
function chunkCount(): number {
  return wasmCount(/^chunk_\d+\.wasm$/);
}

// Issue 16: the first load. The static shell in index.html paints before the wasm arrives and
// the app replaces it without moving anything; files go out precompressed; every page but the
// dashboard is a wasm chunk fetched on demand (or when idle), and a chunk that can't be fetched
// is a readable message, never a dead page.

/** Records layout shifts (without recent input) from the very start of the page. */
async function recordShifts(page: Page) {
  await page.addInitScript(() => {
    (window as unknown as { __cls: number }).__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!e.hadRecentInput) (window as unknown as { __cls: number }).__cls += e.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

for (const viewport of [
  { name: "phone", width: 412, height: 823 },
  { name: "desktop", width: 1280, height: 800 },
]) {
  test(`the shell paints before the wasm and nothing moves when the dashboard arrives (${viewport.name})`, async ({ page, problems }) => {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    await recordShifts(page);
    // Hold the main wasm back until the static shell has been checked.
    let release = () => {};
    const held = new Promise<void>((ok) => (release = ok));
    await page.route(/_bg\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto("/", { waitUntil: "domcontentloaded" });
    const banner = page.getByRole("banner");
    await expect(banner.getByRole("link", { name: "OIN Wizard" })).toBeVisible();
    await expect(page.getByRole("status").getByText("Loading your integrations…")).toBeVisible();
    await expect(page.locator("#skeleton")).toHaveCount(1);
    release();
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    await expect(page.getByText("You have no integrations yet")).toBeVisible();
    await expect(banner.getByText(/Signed in as .+@.+/)).toBeVisible();
    await expect(page.locator("#skeleton")).toHaveCount(0);
    // One of each landmark: the app replaced the shell rather than adding a second one.
    await expect(page.getByRole("banner")).toHaveCount(1);
    await expect(page.getByRole("main")).toHaveCount(1);
    await page.waitForTimeout(500);
    const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
    expect(cls).toBeLessThanOrEqual(0.02);
    expect(problems).toEqual([]);
  });
}

test("the static shell stays the page until the app has the page to show: the shell is not rendered twice", async ({ page, problems }) => {
  // The backend can't open before config.json answers: hold it.
  let release = () => {};
  const held = new Promise<void>((ok) => (release = ok));
  await page.route("**/public/config.json", async (route) => {
    await held;
    await route.continue();
  });
  const wasm = page.waitForResponse(/_bg\.wasm$/);
  await page.goto("/", { waitUntil: "domcontentloaded" });
  await (await wasm).finished();
  // The app's code has arrived and started: the static shell is still the page.
  await page.waitForTimeout(1_000);
  await expect(page.locator("#skeleton")).toHaveCount(1);
  await expect(page.getByRole("status").getByText("Loading your integrations…")).toBeVisible();
  await expect(page.getByRole("banner")).toHaveCount(1);
  release();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await expect(page.locator("#skeleton")).toHaveCount(0);
  await expect(page.getByRole("banner")).toHaveCount(1);
  await expect(page.getByRole("main")).toHaveCount(1);
  expect(problems).toEqual([]);
});

test("the first render leaves the closed dialogs for after the first frame, and they open at once", async ({ page, problems }) => {
  // What the DOM holds when the dashboard's heading is first inserted: the first render's work.
  await page.addInitScript(() => {
    const w = window as unknown as { __atHeading?: number };
    new MutationObserver(() => {
      const heading = [...document.querySelectorAll("h1")].some((h) => h.textContent === "Your OIN Integrations");
      if (w.__atHeading === undefined && heading) w.__atHeading = document.querySelectorAll("dialog").length;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __atHeading?: number }).__atHeading)).toBe(0);
  // Right after: Profile (header) and Application instance not detected (dashboard); the
  // embedded org has no Sign in or Sign out.
  await expect(page.locator("dialog")).toHaveCount(2);
  await page.getByRole("button", { name: "Profile" }).click();
  const dialog = page.getByRole("dialog", { name: "Your profile" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Email")).toHaveValue(/.+@.+/);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(problems).toEqual([]);
});

test("the Profile dialog asked for before it exists opens as soon as it does", async ({ page, problems }) => {
  // The click lands in the task that mounts the app, before the dialog's deferred render.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      const button = [...document.querySelectorAll("button")].find((b) => b.textContent === "Profile");
      if (button && !document.querySelector("dialog")) {
        observer.disconnect();
        button.click();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto("/");
  await expect(page.getByRole("dialog", { name: "Your profile" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("config.json is read while the app's code downloads, once, and the app uses that answer", async ({ page, problems }) => {
  let release = () => {};
  const held = new Promise<void>((ok) => (release = ok));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  const configReads: string[] = [];
  await page.route("**/public/config.json", async (route) => {
    configReads.push(route.request().url());
    await route.fulfill({ json: { backend: "embedded" } });
  });
  await page.goto("/", { waitUntil: "domcontentloaded" });
  // The main wasm is still held: the configuration was asked for already.
  await expect.poll(() => configReads.length).toBe(1);
  release();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await page.waitForLoadState("networkidle");
  // The app read no second time: it took the early answer.
  expect(configReads).toHaveLength(1);
  expect(problems).toEqual([]);
});

test("assets are served precompressed (brotli, else gzip) with the strict CSP", async ({ page, request }) => {
  const html = await (await request.get("/")).text();
  const js = html.match(/href="(\/app-[0-9a-f]+\/oin-wizard\.js)"/)?.[1];
  expect(js, "index.html preloads the app's main module").toBeTruthy();
  const wasm = js!.replace(/\.js$/, "_bg.wasm");
  for (const [accept, encoding] of [
    ["br, gzip", "br"],
    ["gzip", "gzip"],
    ["identity", undefined],
  ] as const) {
    const res = await request.get(wasm, { headers: { "Accept-Encoding": accept } });
    expect(res.status()).toBe(200);
    expect(res.headers()["content-encoding"]).toBe(encoding);
    expect(res.headers()["content-type"]).toBe("application/wasm");
    // Whatever the encoding, the browser gets the same wasm (magic number \0asm).
    expect((await res.body()).subarray(0, 4).toString("latin1")).toBe("\0asm");
  }
  // The first load fetches the main wasm only: no page chunk before the dashboard is shown.
  const fetched: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) fetched.push(new URL(r.url()).pathname);
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  expect(fetched[0]).toBe(wasm);
});

for (const [how, refuse] of [
  ["offline", (route: Route) => route.abort("internetdisconnected")],
  // A host that lost the file after a deploy: an HTTP error, not wasm bytes.
  ["answered 404", (route: Route) => route.fulfill({ status: 404, contentType: "text/html", body: "<h1>Not found</h1>" })],
] as const) test(`a page whose code can't be fetched (${how}) says so, and Reload brings it`, async ({ page }) => {
  // Every wasm but the main one is a page chunk: refuse them all.
  await page.route(/\/app-[0-9a-f]+\/.+\.wasm$/, (route) =>
    /_bg\.wasm$/.test(route.request().url()) ? route.continue() : refuse(route),
  );
  await openApp(page, "/review");
  await expect(page.getByRole("heading", { level: 1, name: "This page could not be loaded" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("Check your connection, then reload the page.");
  await expectNoAxeViolations(page);
  await page.unroute(/\/app-[0-9a-f]+\/.+\.wasm$/);
  await page.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "This page could not be loaded" })).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("after the dashboard, the other pages' code is fetched while idle, so opening one needs no network", async ({ page }) => {
  // Every chunk fetched to the end, not just the first: the prefetch goes one page after the
  // other, and a busy machine leaves gaps longer than "networkidle" waits for.
  const expected = chunkCount();
  expect(expected).toBeGreaterThan(0);
  const fetched = new Set<string>();
  page.on("requestfinished", (r) => {
    if (/\/app-[0-9a-f]+\/chunk_\d+\.wasm$/.test(r.url())) fetched.add(r.url());
  });
  await openApp(page);
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await expect.poll(() => fetched.size, { timeout: 40_000 }).toBe(expected);
  await page.context().setOffline(true);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
  await page.context().setOffline(false);
});

test("the prefetch starts a few chunk fetches per task, never all at once (no long task while idle)", async ({ page }) => {
  // Chunk fetches started in one synchronous stretch of script form one batch: a microtask
  // closes it when that stretch ends. The loader alone would start a page's tens of chunks in one.
  await page.addInitScript(() => {
    const w = window as unknown as { __batches: string[][] };
    w.__batches = [];
    let open: string[] | null = null;
    const real = window.fetch;
    window.fetch = function (input: RequestInfo | URL, init?: RequestInit) {
      const url = String(input instanceof Request ? input.url : input);
      if (/\/app-[0-9a-f]+\/[^/]+\.wasm$/.test(url) && !/_bg\.wasm$/.test(url)) {
        if (open === null) {
          open = [];
          w.__batches.push(open);
          queueMicrotask(() => (open = null));
        }
        open.push(url);
      }
      return real.call(this, input, init);
    };
  });
  // Every chunk but the HTTP backend's (this app runs the embedded one).
  const expected = wasmCount(/^(?!.+_bg\.wasm$|split_http\.wasm$).+\.wasm$/);
  await openApp(page);
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  const batches = () => page.evaluate(() => (window as unknown as { __batches: string[][] }).__batches);
  await expect.poll(async () => (await batches()).flat().length, { timeout: 40_000 }).toBe(expected);
  const sizes = (await batches()).map((b) => b.length);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  expect(new Set((await batches()).flat()).size).toBe(expected);
});
