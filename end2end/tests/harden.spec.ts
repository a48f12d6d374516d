// Issue 12 "Never lose work, never trust input": saving one at a time, false conflicts,
// unreadable save answers, sign-in on a 401, a failed /me, local copies (keys, quota, what a
// restore can't bring back), the logo checks, and the Expression Language's nesting limit in
// the browser.
import { test, expect, openApp } from "./fixtures";
import {
  SESSION_PASSWORD,
  USER,
  requireSignIn,
  submission,
  unexpected,
  useHttpBackend,
  type FakeSubmission,
} from "./fake-api";
import { newOnConfigure, png, region, textbox, validLogo } from "./wizard-helpers";
import type { Page } from "@playwright/test";

const STRAWBERRY = submission("sub-1", "Strawberry Fields", 3);
const SUB_1 = "**/api-test/api/v1/submissions/sub-1";

const saveStatus = (page: Page, text: string) => page.getByRole("status").filter({ hasText: new RegExp(`^${text}$`) });
const conflictBanner = (page: Page) => page.getByRole("alert").filter({ hasText: "This integration was changed somewhere else" });
const displayName = (page: Page) => page.getByRole("textbox", { name: "Display name" });

async function openConfigure(page: Page) {
  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
}

/** The versions of every PUT the page sends, in order. */
function putVersions(page: Page): number[] {
  const versions: number[] = [];
  page.on("request", (r) => {
    if (r.method() === "PUT") versions.push((r.postDataJSON() as FakeSubmission).version);
  });
  return versions;
}

const ignorable = [/Failed to load resource/];

test.describe("saving", () => {
  test("one save at a time: typing during a slow save sends no stale PUT and ends Saved", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY]);
    // A server slower than the 0.7 s save pause.
    await page.route(SUB_1, async (route) => {
      if (route.request().method() === "PUT") await new Promise((r) => setTimeout(r, 2500));
      await route.fallback();
    });
    const versions = putVersions(page);
    await openConfigure(page);
    const first = page.waitForRequest((r) => r.method() === "PUT");
    await displayName(page).fill("First edit");
    await first;
    await page.getByRole("textbox", { name: "Description" }).fill("Typed while the first save was in flight");
    await expect(saveStatus(page, "Saved")).toBeVisible({ timeout: 15_000 });
    await expect(conflictBanner(page)).toHaveCount(0);
    expect(versions).toEqual([3, 4]);
    const stored = api.submissions.get("sub-1");
    expect(stored?.catalog.displayName).toBe("First edit");
    expect(stored?.catalog.description).toBe("Typed while the first save was in flight");
    expect(stored?.version).toBe(5);
    expect(unexpected(problems, ignorable)).toEqual([]);
  });

  test("a timed-out PUT the server applied, then retried, is not a conflict", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY], { timeoutMs: 3000 });
    let answered = false;
    await page.route(SUB_1, async (route) => {
      const request = route.request();
      if (request.method() === "PUT" && !answered) {
        answered = true;
        // The server applies the save, but its answer never arrives.
        const body = request.postDataJSON() as FakeSubmission;
        api.submissions.set("sub-1", { ...body, version: body.version + 1 });
        return;
      }
      await route.fallback();
    });
    await openConfigure(page);
    await displayName(page).fill("Applied, answer lost");
    await expect(page.getByText("The server did not answer within 3 seconds. Check your connection, then retry.")).toBeVisible();
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(saveStatus(page, "Saved")).toBeVisible();
    await expect(conflictBanner(page)).toHaveCount(0);
    await expect(displayName(page)).toHaveValue("Applied, answer lost");
    // The next edit goes with the version the server holds.
    await displayName(page).fill("And one more");
    await expect(saveStatus(page, "Saved")).toBeVisible();
    await expect(conflictBanner(page)).toHaveCount(0);
    expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("And one more");
    expect(unexpected(problems, ignorable)).toEqual([]);
  });

  test("a 2xx that is not the saved submission ({} from a proxy) is unreadable; the local copy stays", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY]);
    await page.route(SUB_1, async (route) => {
      if (route.request().method() === "PUT") return route.fulfill({ status: 200, json: {} });
      await route.fallback();
    });
    await openConfigure(page);
    await displayName(page).fill("Answered by a proxy");
    await expect(saveStatus(page, "Couldn't save")).toBeVisible();
    await expect(page.getByText(/The server's answer could not be read/)).toBeVisible();
    expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Strawberry Fields");
    await page.reload();
    await expect(displayName(page)).toHaveValue("Answered by a proxy");
    expect(unexpected(problems, ignorable)).toEqual([]);
  });

  test("local storage full: said at once, the work stays in the page and is saved", async ({ page, problems }) => {
    await page.addInitScript(() => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (key: string, value: string) {
        if (key.startsWith("oin-wizard.unsaved.")) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        return setItem.call(this, key, value);
      };
    });
    const api = await useHttpBackend(page, [STRAWBERRY]);
    await openConfigure(page);
    api.save = "500";
    await displayName(page).fill("Kept in the page");
    await expect(page.getByRole("alert").filter({ hasText: "This browser's storage is full or blocked" })).toBeVisible();
    await expect(page.getByText(/Your changes are kept in this page only/)).toBeVisible();
    await expect(displayName(page)).toHaveValue("Kept in the page");
    api.save = "ok";
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(saveStatus(page, "Saved")).toBeVisible();
    expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Kept in the page");
    expect(unexpected(problems, ignorable)).toEqual([]);
  });

  test("after a restore the user is told which logo to choose again; no logo without bytes is sent", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY]);
    await openConfigure(page);
    api.save = "500";
    await region(page, "Catalog properties").getByRole("button", { name: "Logo", exact: true }).setInputFiles(validLogo());
    await expect(saveStatus(page, "Couldn't save")).toBeVisible();
    await displayName(page).fill("With a logo not saved");
    await expect(saveStatus(page, "Couldn't save")).toBeVisible();
    await page.reload();
    const notice = page.getByRole("status").filter({ hasText: "enter these again" });
    await expect(notice).toContainText("Logo (choose the file logo.png again)");
    await expect(displayName(page)).toHaveValue("With a logo not saved");
    await expect(saveStatus(page, "Couldn't save")).toBeVisible();
    api.save = "ok";
    await page.getByRole("button", { name: "Retry" }).click();
    await expect(saveStatus(page, "Saved")).toBeVisible();
    const stored = api.submissions.get("sub-1");
    expect(stored?.catalog.displayName).toBe("With a logo not saved");
    for (const put of api.puts) {
      const logo = put.catalog.logo as { data?: string } | null;
      expect(logo === null || (logo.data ?? "").length > 0).toBe(true);
    }
    expect(unexpected(problems, ignorable)).toEqual([]);
  });
});

test.describe("signing in", () => {
  test("a 401 shows the sign-in form; signing in carries on where the user was; Sign out clears local copies", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY]);
    const session = await requireSignIn(page);
    await openApp(page);
    const dialog = page.getByRole("dialog", { name: "Sign in" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("textbox", { name: "Email" }).fill(USER.email);
    await dialog.getByLabel("Password").fill("not the password");
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Wrong email or password");
    session.throttled = true;
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Too many sign-in attempts: wait a minute, then try again");
    session.throttled = false;
    await dialog.getByLabel("Password").fill(SESSION_PASSWORD);
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("banner").getByText(`Signed in as ${USER.email}`)).toBeVisible();
    // The list that met the 401 went on by itself.
    await expect(page.getByRole("link", { name: "Strawberry Fields" })).toBeVisible();
    // Roles come from the server: no control to grant yourself one.
    await expect(page.getByRole("button", { name: "Profile" })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: "Super admin" })).toHaveCount(0);

    // The session ends while editing: the save waits for the sign-in, then lands.
    await page.getByRole("link", { name: "Strawberry Fields" }).click();
    await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /Configure your integration/ }).click();
    await expect(displayName(page)).toHaveValue("Strawberry Fields");
    session.signedIn = false;
    await displayName(page).fill("Typed after the session ended");
    await expect(dialog).toBeVisible();
    await dialog.getByRole("textbox", { name: "Email" }).fill(USER.email);
    await dialog.getByLabel("Password").fill(SESSION_PASSWORD);
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await expect(saveStatus(page, "Saved")).toBeVisible();
    await expect(displayName(page)).toHaveValue("Typed after the session ended");
    expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Typed after the session ended");

    // Sign out with edits the server refuses to save: asked, never dropped silently; once
    // the user chooses to discard them, the session ends and this browser forgets the copy.
    api.save = "500";
    await displayName(page).fill("Unsaved at sign-out");
    await expect(saveStatus(page, "Couldn't save")).toBeVisible();
    const copies = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("oin-wizard.unsaved.")).length);
    expect(await copies()).toBe(1);
    await page.getByRole("button", { name: "Sign out" }).click();
    const ask = page.getByRole("dialog", { name: "Sign out with unsaved changes?" });
    await expect(ask).toContainText("Your changes to this integration could not be saved: The server had a problem (HTTP 500)");
    await ask.getByRole("button", { name: "Sign out and discard them" }).click();
    await expect(dialog).toBeVisible();
    expect(session.signOuts).toBe(1);
    expect(await copies()).toBe(0);
    expect(unexpected(problems, ignorable)).toEqual([]);
  });

  test("a failed /me shows an error with Retry; the integration opens once the account is read", async ({ page, problems }) => {
    const api = await useHttpBackend(page, [STRAWBERRY]);
    api.me = "500";
    await openApp(page, "/integrations/sub-1/configure");
    const alert = page.getByRole("alert").filter({ hasText: "Your account could not be read" });
    await expect(alert).toContainText("The server had a problem (HTTP 500)");
    await expect(page.getByText("This integration opens once your account is read: choose Retry above.")).toBeVisible();
    await expect(displayName(page)).toHaveCount(0);
    api.me = "ok";
    await alert.getByRole("button", { name: "Retry" }).click();
    await expect(alert).toHaveCount(0);
    await expect(displayName(page)).toHaveValue("Strawberry Fields");
    await expect(displayName(page)).toBeEditable();
    expect(unexpected(problems, ignorable)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Logos: never stored unless every check passes.

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

test("logo: a damaged body, an undecodable image and a 30 MB file are refused and never stored", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [STRAWBERRY]);
  await openConfigure(page);
  const catalog = region(page, "Catalog properties");
  const logo = catalog.getByRole("button", { name: "Logo", exact: true });

  // Valid header, corrupt body: a byte of the image data changed, its CRC no longer matches.
  const corrupt = png(244, 244);
  corrupt[50] ^= 0xff;
  await logo.setInputFiles({ name: "corrupt.png", mimeType: "image/png", buffer: corrupt });
  await expect(logo).toHaveAccessibleDescription(/The logo file looks like a PNG but is damaged or cut short; export it again/);

  // Whole chunks with good CRCs, but image data the browser can't decode.
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(244, 0);
  ihdr.writeUInt32BE(244, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const undecodable = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", Buffer.from("not a zlib stream at all")),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  await logo.setInputFiles({ name: "undecodable.png", mimeType: "image/png", buffer: undecodable });
  await expect(logo).toHaveAccessibleDescription(/could not be shown as an image/);

  // 30 MB: refused from its size, before it is read.
  const huge = Buffer.alloc(30 * 1024 * 1024);
  png(244, 244).copy(huge);
  await logo.setInputFiles({ name: "huge.png", mimeType: "image/png", buffer: huge });
  await expect(logo).toHaveAccessibleDescription(/The logo file is 31457280 bytes; it must be under 1 MB \(1048576 bytes\)/);

  await expect(catalog.getByRole("img", { name: "Logo preview" })).toHaveCount(0);
  expect(api.puts.filter((p) => p.catalog.logo)).toEqual([]);

  // A good one is taken, typed from its bytes.
  await logo.setInputFiles({ ...validLogo(), mimeType: "application/octet-stream" });
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();
  await expect(catalog.getByText(/^logo\.png — 244×244 pixels/)).toBeVisible();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  const stored = api.submissions.get("sub-1")?.catalog.logo as { mediaType: string } | null;
  expect(stored?.mediaType).toBe("image/png");
  expect(await catalog.getByRole("img", { name: "Logo preview" }).getAttribute("src")).toMatch(/^blob:/);
  expect(unexpected(problems, ignorable)).toEqual([]);
});

test("the Expression Language's nesting limit holds in the browser: the page keeps working", async ({ page, problems }) => {
  await newOnConfigure(page, ["OIDC"]);
  const oidc = region(page, "OIDC properties");
  const deep = `https://{${"(".repeat(400)}app.subdomain${")".repeat(400)}}.example.com/cb`;
  await textbox(oidc, "Redirect URI 1").fill(deep);
  await expect(textbox(oidc, "Redirect URI 1")).toHaveAccessibleDescription(/nested too deeply \(more than 64 levels\)/);
  await displayName(page).fill("Still responsive");
  await expect(displayName(page)).toHaveValue("Still responsive");
  await textbox(oidc, "Redirect URI 1").fill("https://{app.subdomain}.example.com/cb");
  await expect(textbox(oidc, "Redirect URI 1")).not.toHaveAccessibleDescription(/nested too deeply/);
  expect(problems).toEqual([]);
});

test("links built from stored data: a javascript: configuration guide never becomes a link", async ({ page, problems }) => {
  const current: FakeSubmission = {
    ...submission("sub-g", "Guided Strawberry", 4),
    protocols: { oidc: true, saml: false, scim: false },
    catalog: {
      displayName: "Guided Strawberry",
      description: "Guided Strawberry gives customers single sign-on.",
      logo: { fileName: "logo.png", mediaType: "image/png", data: png(244, 244).toString("base64") },
      useCases: [],
    },
    oidc: {
      redirectUris: ["https://app.example.com/oidc/callback"],
      initiateLoginUri: "https://app.example.com/oidc/start",
      postLogoutUris: [],
      configGuideUrl: "https://docs.example.com/okta-oidc",
    },
    testInfo: {
      accountUrl: "https://test.example.com/login",
      username: "isvtest@okta.com",
      password: "********",
      supportContact: "oin-support@example.com",
      instructions: "",
    },
    testSettings: { oidc: { jit: false, spInitiateUrl: "https://app.example.com/login/okta" } },
  };
  // The published version, as a server stored it long ago: its guide is a script.
  const publishedCopy = structuredClone(current);
  (publishedCopy.oidc as { configGuideUrl: string }).configGuideUrl = "javascript:alert(document.domain)";
  publishedCopy.version = 2;
  current.published = { version: 2, publishedAt: "2026-10-01T10:00:00Z", submission: publishedCopy };
  const api = await useHttpBackend(page, [current]);
  const instance = (id: string, label: string, fromPublished: boolean) => ({
    id,
    submissionId: "sub-g",
    submissionVersion: fromPublished ? 2 : 4,
    fromPublished,
    protocols: ["oidc"],
    label,
    variableValues: {},
    assignedUsers: [USER.id],
    assignedGroups: [],
    active: true,
    inTester: false,
    createdAt: "2026-11-28T10:00:00Z",
    details: { oidc: { clientId: `client-${id}`, clientSecret: "********", redirectUris: [], initiateLoginUri: "" } },
  });
  api.instances.push(instance("0oaCUR", "Current instance", false), instance("0oaPUB", "Published instance", true));
  await openApp(page, "/integrations/sub-g/test");
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  const clear = page.getByRole("button", { name: "Clear filter" });
  if (await clear.isVisible()) await clear.click();
  await expect(page.getByRole("region", { name: "Published instance", exact: true })).toBeVisible();
  const guides = page.getByRole("link", { name: /View setup instructions/ });
  await expect(guides).toHaveCount(1);
  await expect(guides).toHaveAttribute("href", "https://docs.example.com/okta-oidc");
  await expect(page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  expect(unexpected(problems, ignorable)).toEqual([]);
});
