// Issue 12, the pages' own browser tests: addresses from a backend pass the URL check before a
// window goes there (the Run test window; config.json's server address), a logo's blob: URL
// carries the type sniffed from its bytes, an IndexedDB quota refusal is shown with the work
// kept in the page, a failed /me on the Test integration page waits with Retry (the editor's
// rule), and local copies of unsaved edits belong to one user.
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
import { gifFile, newOnConfigure, png, region } from "./wizard-helpers";
import type { Page } from "@playwright/test";

const ignorable = [/Failed to load resource/];
const saveStatus = (page: Page, text: string) => page.getByRole("status").filter({ hasText: new RegExp(`^${text}$`) });
const displayName = (page: Page) => page.getByRole("textbox", { name: "Display name" });
const tester = (page: Page) => page.getByRole("region", { name: "OIN Submission Tester" });

/** A complete OIDC integration, as a server would store it (the Test integration page opens). */
function completeOidc(id: string): FakeSubmission {
  return {
    ...submission(id, "Checked Strawberry", 4),
    protocols: { oidc: true, saml: false, scim: false },
    catalog: {
      displayName: "Checked Strawberry",
      description: "Checked Strawberry gives customers single sign-on.",
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
}

/** An active OIDC instance of `submissionId` already in the Tester, and a live tester session. */
function withInstanceInTester(api: Awaited<ReturnType<typeof useHttpBackend>>, submissionId: string) {
  api.instances.push({
    id: "0oaRUN",
    submissionId,
    submissionVersion: 4,
    fromPublished: false,
    protocols: ["oidc"],
    label: "Run test instance",
    variableValues: {},
    assignedUsers: [USER.id],
    assignedGroups: [],
    active: true,
    inTester: true,
    createdAt: "2026-11-28T10:00:00Z",
    details: { oidc: { clientId: "0oaCLIENT", clientSecret: "********", redirectUris: [], initiateLoginUri: "" } },
  });
  const now = Date.now();
  api.testerSession = {
    id: "sess-1",
    startedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 8 * 3600_000).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Addresses from a backend.

const BAD_SIGN_IN = [
  ["a script", "javascript:alert(document.domain)"],
  ["a data: page", "data:text/html,<script>alert(1)</script>"],
  ["a password in the address", "https://admin:hunter2@idp.example.net/home"],
];

for (const [what, bad] of BAD_SIGN_IN) {
  test(`Run test: a sign-in address from the backend that fails the URL check (${what}) is never opened`, async ({ page, problems }) => {
    const api = await useHttpBackend(page, [completeOidc("sub-r")]);
    withInstanceInTester(api, "sub-r");
    api.signInUrl = bad;
    const visited: string[] = [];
    page.context().on("page", (p) => p.on("framenavigated", (f) => visited.push(f.url())));
    await openApp(page, "/integrations/sub-r/test");
    await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
    const row = tester(page).getByRole("row", { name: /^IdP flow / });
    await expect(row).toContainText("Run test instance");

    const popupOpened = page.waitForEvent("popup");
    await row.getByRole("button", { name: "Run test" }).click();
    const popup = await popupOpened;
    await expect(page.getByRole("alert").filter({ hasText: "the backend gave no usable sign-in address" })).toBeVisible();
    await expect.poll(() => popup.isClosed()).toBe(true);
    expect(visited.filter((u) => u !== "about:blank")).toEqual([]);
    // The run the backend recorded is offered to be ended, without claiming a window went to
    // the refused address, and without showing it.
    const panel = tester(page).getByRole("region", { name: "Test in progress" });
    await expect(panel).toContainText("no usable sign-in address");
    await expect(panel).not.toContainText(bad);
    await expect(panel).not.toContainText("window opened at");
    expect(unexpected(problems, ignorable)).toEqual([]);
  });
}

test("config.json: a server address over plain http:// to another machine is refused; nothing is sent there", async ({ page, problems }) => {
  const sent: string[] = [];
  await page.context().route("http://api.example.net/**", (route) => {
    sent.push(route.request().url());
    return route.abort();
  });
  await page.route("**/public/config.json", (route) =>
    route.fulfill({ json: { backend: "http", baseUrl: "http://api.example.net" } }),
  );
  const warnings: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "warning") warnings.push(m.text());
  });
  await openApp(page);
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  expect(warnings.join("\n")).toContain("plain http:// only for localhost");
  expect(sent).toEqual([]);
  expect(problems).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Logos: the blob: URL of the preview is typed from the bytes, not from the file's claim.

test("logo: the preview's blob: URL carries the type sniffed from the bytes", async ({ page, problems }) => {
  await page.addInitScript(() => {
    const types: Record<string, string> = {};
    (window as unknown as { blobTypes: Record<string, string> }).blobTypes = types;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (obj: Blob | MediaSource) => {
      const url = create(obj);
      if (obj instanceof Blob) types[url] = obj.type;
      return url;
    };
  });
  await newOnConfigure(page, ["OIDC"]);
  const catalog = region(page, "Catalog properties");
  // A GIF that the file dialog calls a PNG.
  await catalog.getByRole("button", { name: "Logo", exact: true }).setInputFiles({ ...gifFile("logo.png", 244, 244), mimeType: "image/png" });
  const preview = catalog.getByRole("img", { name: "Logo preview" });
  await expect(preview).toBeVisible();
  const src = (await preview.getAttribute("src")) ?? "";
  expect(src).toMatch(/^blob:/);
  const type = await page.evaluate((u) => (window as unknown as { blobTypes: Record<string, string> }).blobTypes[u], src);
  expect(type).toBe("image/gif");
  expect(problems).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// The embedded backend's storage refuses a write.

test("IndexedDB full: the save's refusal is shown, the work stays in the page and is saved on Retry", async ({ page, problems }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { quotaFull: boolean };
    w.quotaFull = false;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore["put"]>) {
      if (w.quotaFull && this.name === "submissions") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  const url = await newOnConfigure(page, ["OIDC"]).then(() => page.url());
  await displayName(page).fill("Saved before the disk filled");
  await expect(saveStatus(page, "Saved")).toBeVisible();
  await page.evaluate(() => ((window as unknown as { quotaFull: boolean }).quotaFull = true));
  await displayName(page).fill("Typed while the disk is full");
  await expect(saveStatus(page, "Couldn't save")).toBeVisible();
  await expect(page.getByText(/The browser's storage for this site is full/)).toBeVisible();
  await expect(displayName(page)).toHaveValue("Typed while the disk is full");
  // More typing is kept too, and refused the same way.
  await page.getByRole("textbox", { name: "Description" }).fill("Still here");
  await expect(saveStatus(page, "Unsaved changes")).toBeVisible();
  await expect(saveStatus(page, "Couldn't save")).toBeVisible();
  await expect(page.getByText(/The browser's storage for this site is full/)).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Description" })).toHaveValue("Still here");
  await page.evaluate(() => ((window as unknown as { quotaFull: boolean }).quotaFull = false));
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  await page.goto(url);
  await expect(displayName(page)).toHaveValue("Typed while the disk is full");
  await expect(page.getByRole("textbox", { name: "Description" })).toHaveValue("Still here");
  expect(problems).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// A failed /me on the Test integration page: the editor's rule.

test("a failed /me on the Test integration page shows an error with Retry; nothing role-bound until the account is read", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [completeOidc("sub-t")]);
  api.me = "500";
  await openApp(page, "/integrations/sub-t/test");
  const alert = page.getByRole("alert").filter({ hasText: "Your account could not be read" });
  await expect(alert).toContainText("The server had a problem (HTTP 500)");
  await expect(page.getByText("This integration opens once your account is read: choose Retry above.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate instance", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Initialize Tester" })).toHaveCount(0);
  api.me = "ok";
  await alert.getByRole("button", { name: "Retry" }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate instance", exact: true })).toBeEnabled();
  expect(unexpected(problems, ignorable)).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Local copies belong to one user.

const USER_B = { ...USER, id: "00u2", email: "other@strawberry.example", firstName: "Grace", lastName: "Hopper" };

test("local copies: user A's unsaved copy is never restored for user B, and Sign out removes it", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  const session = await requireSignIn(page, true);
  // Who the server says is signed in (answered before the session check).
  let who = USER;
  await page.route("**/api-test/api/v1/me", (route) =>
    session.signedIn ? route.fulfill({ json: who }) : route.fulfill({ status: 401, json: { code: "unauthenticated", message: "Sign in first" } }),
  );
  const copies = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("oin-wizard.unsaved.")));
  const restored = page.getByRole("status").filter({ hasText: "Restored changes you had not saved yet" });

  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  api.save = "500";
  await displayName(page).fill("A's unsaved edit");
  await expect(saveStatus(page, "Couldn't save")).toBeVisible();
  expect(await copies()).toHaveLength(1);

  // Another account in this browser: A's copy is not theirs.
  who = USER_B;
  await page.reload();
  await expect(page.getByRole("banner").getByText(`Signed in as ${USER_B.email}`)).toBeVisible();
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  await expect(restored).toHaveCount(0);
  await expect(saveStatus(page, "Saved")).toBeVisible();
  expect(await copies()).toHaveLength(1);

  // A again: their copy comes back.
  who = USER;
  await page.reload();
  await expect(displayName(page)).toHaveValue("A's unsaved edit");
  await expect(restored).toBeVisible();

  // Sign out removes it (once the user chose to discard the edits the server refuses):
  // signing in again opens what the server holds.
  await page.getByRole("button", { name: "Sign out" }).click();
  const discard = page.getByRole("dialog", { name: "Sign out with unsaved changes?" });
  await discard.getByRole("button", { name: "Sign out and discard them" }).click();
  const signIn = page.getByRole("dialog", { name: "Sign in" });
  await expect(signIn).toBeVisible();
  expect(session.signOuts).toBe(1);
  expect(await copies()).toEqual([]);
  await signIn.getByRole("textbox", { name: "Email" }).fill(USER.email);
  await signIn.getByLabel("Password").fill(SESSION_PASSWORD);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(signIn).toBeHidden();
  api.save = "ok";
  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  await expect(restored).toHaveCount(0);
  expect(unexpected(problems, [...ignorable, /status of 401/])).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Issue 11: a submission in "OIN to review" is read-only on screen, saying why (the core's
// `navigation::edit_refusal`, the rule every backend's save applies).

test("OIN to review: the wizard shows the submission read-only with the reason; after Withdraw it is editable", async ({ page, problems }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  const table = page.getByRole("table", { name: "Your OIN integrations" });
  await expect(table.getByRole("link")).toHaveCount(4);
  const href = (await table.getByRole("row", { name: /Blueberry HR/ }).getByRole("link").getAttribute("href")) ?? "";
  const id = href.split("/")[2];
  await openApp(page, `/integrations/${id}/configure`);
  const note = page.getByRole("note").filter({ hasText: "This integration is read-only." });
  await expect(note).toContainText(
    "The catalog team is reviewing this submission (OIN to review): withdraw it to change it, or edit it again when it comes back as ISV to review",
  );
  await expect(displayName(page)).toHaveValue("Blueberry HR");
  await expect(displayName(page)).not.toBeEditable();
  await expect(page.getByRole("textbox", { name: "Description" })).not.toBeEditable();
  await expect(region(page, "Catalog properties").getByRole("button", { name: "Logo", exact: true })).toBeDisabled();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Select protocol/ }).click();
  await expect(page.getByLabel("SAML 2.0", { exact: true })).toBeDisabled();

  await page.getByRole("region", { name: "The catalog team is reviewing this integration (OIN to review)" })
    .getByRole("button", { name: "Withdraw submission" }).click();
  await expect(note).toHaveCount(0);
  await expect(page.getByLabel("SAML 2.0", { exact: true })).toBeEnabled();
  await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Configure your integration/ }).click();
  await expect(displayName(page)).toBeEditable();
  await displayName(page).fill("Blueberry HR, withdrawn");
  await expect(saveStatus(page, "Saved")).toBeVisible();
  expect(problems).toEqual([]);
});

// A local copy of a Draft that went to the catalog team elsewhere is held back, never shown as
// an editable Draft (it was, in a conflict banner, before `drafts::restore`); once the
// integration is a Draft again, it is offered, and Keep my changes saves it.
test("unsaved edits of a Draft that was submitted elsewhere are kept, not applied, and offered once it is a Draft again", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  page.on("dialog", (d) => void d.accept());
  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  api.save = "unreachable";
  await displayName(page).fill("Typed before it was submitted elsewhere");
  // Meanwhile, in another browser, it was submitted.
  const stored = api.submissions.get("sub-1");
  if (!stored) throw new Error("no sub-1");
  Object.assign(stored, { status: "oinToReview", version: 4 });
  await page.reload();
  await expect(page.getByRole("note").filter({ hasText: "This integration is read-only." })).toBeVisible();
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  await expect(displayName(page)).not.toBeEditable();
  await expect(page.getByRole("status").filter({ hasText: "Changes you made in this browser" })).toHaveText(
    "Changes you made in this browser had not been saved when this integration became OIN to review. " +
      "They are kept in this browser, not applied: when it can be edited again, opening it offers them to you.",
  );
  await expect(page.getByText("This integration was changed somewhere else")).toHaveCount(0);
  await expect(page.getByText(/^Restored changes/)).toHaveCount(0);

  // Withdrawn elsewhere: a Draft again, and the kept edits are offered.
  Object.assign(stored, { status: "draft", version: 5 });
  api.save = "ok";
  await page.reload();
  const banner = page.getByRole("alert").filter({ hasText: "This integration was changed somewhere else" });
  await expect(banner).toBeVisible();
  await expect(displayName(page)).toHaveValue("Typed before it was submitted elsewhere");
  await banner.getByRole("button", { name: "Keep my changes" }).click();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Typed before it was submitted elsewhere");
  expect(unexpected(problems, ignorable)).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// Sign out never drops typed work silently: it saves first, or asks.

test("Sign out with unsaved edits saves them first, then signs out", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  const session = await requireSignIn(page, true);
  // A slow server: the edit is still unsaved when Sign out is chosen.
  await page.route("**/api-test/api/v1/submissions/sub-1", async (route) => {
    if (route.request().method() === "PUT") await new Promise((r) => setTimeout(r, 1500));
    await route.fallback();
  });
  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  await displayName(page).fill("Typed just before signing out");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("dialog", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Sign out with unsaved changes?" })).toBeHidden();
  expect(session.signOuts).toBe(1);
  expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Typed just before signing out");
  expect(unexpected(problems, [...ignorable, /status of 401/])).toEqual([]);
});

test("Sign out when the edits can't be saved asks; Stay keeps them, and they are saved later", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  const session = await requireSignIn(page, true);
  await openApp(page, "/integrations/sub-1/configure");
  await expect(displayName(page)).toHaveValue("Strawberry Fields");
  api.save = "unreachable";
  await displayName(page).fill("Typed while the server is down");
  await page.getByRole("button", { name: "Sign out" }).click();
  const ask = page.getByRole("dialog", { name: "Sign out with unsaved changes?" });
  await expect(ask).toContainText("Your changes to this integration could not be saved");
  await expect(ask.getByRole("button", { name: "Stay signed in" })).toBeFocused();
  await ask.getByRole("button", { name: "Stay signed in" }).click();
  await expect(ask).toBeHidden();
  expect(session.signOuts).toBe(0);
  await expect(displayName(page)).toHaveValue("Typed while the server is down");
  api.save = "ok";
  await page.getByRole("button", { name: "Retry" }).click();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Typed while the server is down");
  // Saved now: Sign out goes without asking.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("dialog", { name: "Sign in" })).toBeVisible();
  expect(session.signOuts).toBe(1);
  expect(unexpected(problems, [...ignorable, /status of 401/])).toEqual([]);
});

test("Sign out asks too when another integration's edits are kept only in this browser", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  const session = await requireSignIn(page, true);
  await openApp(page, "/integrations/sub-1/configure");
  api.save = "500";
  await displayName(page).fill("Left unsaved");
  await expect(saveStatus(page, "Couldn't save")).toBeVisible();
  // Back to the dashboard: the edits stay in this browser's copy only.
  await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  const ask = page.getByRole("dialog", { name: "Sign out with unsaved changes?" });
  await expect(ask).toContainText("Another integration has changes that are kept only in this browser, not saved yet.");
  await ask.getByRole("button", { name: "Stay signed in" }).click();
  expect(session.signOuts).toBe(0);
  expect(unexpected(problems, [...ignorable, /status of 401/])).toEqual([]);
});
