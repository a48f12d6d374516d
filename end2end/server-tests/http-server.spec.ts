// The HTTP backend against the real oin-server (no page.route fake): the app's own sign-in
// form, a save that survives a reload, two tabs on one submission meeting a real 409, a session
// that ends mid-edit without losing the edit, and one org never seeing another's data.
import { request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { test, expect } from "../tests/fixtures";
import { api, BASE_URL, PASSWORD, signIn, unique } from "./server";

/** Console lines every spec here may meet: the 401s that open the sign-in form, the 409 of
 * the conflict and the 404 of another org's id are the browser logging real answers. */
const expected = [/Failed to load resource: .*status of (401|404|409)/];
const unexpected = (problems: string[]) => problems.filter((p) => !expected.some((e) => e.test(p)));

const saveStatus = (page: Page, text: string) => page.getByRole("status").filter({ hasText: new RegExp(`^${text}$`) });
const displayName = (page: Page) => page.getByRole("textbox", { name: "Display name" });
const conflictBanner = (page: Page) =>
  page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "This integration was changed somewhere else" }) });

/** A new submission of `client`'s org with a display name of its own; its id. */
async function newSubmission(client: APIRequestContext, name: string): Promise<string> {
  const created = await client.post("/api/v1/submissions", { data: {} });
  expect(created.status()).toBe(200);
  const submission = await created.json();
  submission.catalog.displayName = name;
  const saved = await client.put(`/api/v1/submissions/${submission.id}`, { data: submission });
  expect(saved.status(), await saved.text()).toBe(200);
  return submission.id;
}

/** The stored submission, read through the API. */
async function stored(client: APIRequestContext, id: string) {
  const res = await client.get(`/api/v1/submissions/${id}`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** Opens the Configure page of `id` (signed in already) and waits for its display name. */
async function openConfigure(page: Page, id: string, name: string) {
  await page.goto(`/integrations/${id}/configure`);
  await expect(displayName(page)).toHaveValue(name);
}

test("sign in with the form, edit, see Saved; a reload reads the save back from the server", async ({ page, problems }) => {
  const admin = await api("admin@example.com");
  const name = unique("Reloaded");
  const id = await newSubmission(admin, name);
  const before = (await stored(admin, id)).version;

  await signIn(page, "admin@example.com");
  await expect(page.getByRole("link", { name })).toBeVisible();
  await page.getByRole("link", { name }).click();
  await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /Configure your integration/ }).click();
  await expect(displayName(page)).toHaveValue(name);

  const put = page.waitForResponse((r) => r.request().method() === "PUT" && r.url().endsWith(`/api/v1/submissions/${id}`));
  await displayName(page).fill(`${name} saved`);
  const answer = await put;
  expect(answer.status()).toBe(200);
  expect(answer.request().postDataJSON().version).toBe(before);
  await expect(saveStatus(page, "Saved")).toBeVisible();
  const after = await stored(admin, id);
  expect(after.catalog.displayName).toBe(`${name} saved`);
  expect(after.version).toBe(before + 1);

  await page.reload();
  await expect(displayName(page)).toHaveValue(`${name} saved`);
  await expect(saveStatus(page, "Saved")).toBeVisible();
  await admin.dispose();
  expect(unexpected(problems)).toEqual([]);
});

test("two tabs on one submission: the second's stale save gets a real 409 and the conflict banner", async ({ page, context, problems }) => {
  const admin = await api("appadmin@example.com");
  const name = unique("Two tabs");
  const id = await newSubmission(admin, name);
  await signIn(page, "appadmin@example.com");
  const second = await context.newPage();
  const secondProblems: string[] = [];
  second.on("console", (msg) => {
    if (msg.type() === "error") secondProblems.push(`console: ${msg.text()}`);
  });
  await openConfigure(page, id, name);
  await openConfigure(second, id, name);

  // The first tab saves: the stored version moves on.
  await displayName(page).fill(`${name}: first tab`);
  await expect(saveStatus(page, "Saved")).toBeVisible();
  const firstSave = await stored(admin, id);
  expect(firstSave.catalog.displayName).toBe(`${name}: first tab`);

  // The second tab still holds the version it opened: the server refuses its save.
  const conflict = second.waitForResponse((r) => r.request().method() === "PUT" && r.url().endsWith(`/api/v1/submissions/${id}`));
  await displayName(second).fill(`${name}: second tab`);
  const answer = await conflict;
  expect(answer.status()).toBe(409);
  expect((await answer.json()).code).toBe("conflict");
  await expect(conflictBanner(second)).toBeVisible();
  await expect(saveStatus(second, "Not saved: newer version elsewhere")).toBeVisible();
  await expect(displayName(second)).toHaveValue(`${name}: second tab`);
  expect((await stored(admin, id)).catalog.displayName).toBe(`${name}: first tab`);

  // Keep my changes: saved over the newer version, on purpose.
  await conflictBanner(second).getByRole("button", { name: "Keep my changes" }).click();
  await expect(conflictBanner(second)).toBeHidden();
  await expect(saveStatus(second, "Saved")).toBeVisible();
  const kept = await stored(admin, id);
  expect(kept.catalog.displayName).toBe(`${name}: second tab`);
  expect(kept.version).toBe(firstSave.version + 1);
  await admin.dispose();
  expect(unexpected([...problems, ...secondProblems])).toEqual([]);
});

test("the session ends mid-edit: the sign-in form opens, the edit stays and is saved after signing in", async ({ page, context, problems }) => {
  const admin = await api("admin@example.com");
  const name = unique("Session ends");
  const id = await newSubmission(admin, name);
  await signIn(page, "admin@example.com");
  await openConfigure(page, id, name);

  // The server forgets the session (signed out elsewhere, or expired): the browser still
  // sends its now-unknown cookie. A separate client signs it out, so the page keeps the cookie.
  const cookie = (await context.cookies(BASE_URL)).find((c) => c.name === "oin_session");
  expect(cookie).toBeDefined();
  const elsewhere = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const out = await elsewhere.delete("/api/v1/session", { headers: { Cookie: `oin_session=${cookie?.value}` } });
  expect(out.status()).toBe(204);
  await elsewhere.dispose();
  expect((await context.request.get("/api/v1/me")).status()).toBe(401);

  const refused = page.waitForResponse((r) => r.request().method() === "PUT" && r.status() === 401);
  await displayName(page).fill(`${name}: typed after the session ended`);
  await refused;
  const dialog = page.getByRole("dialog", { name: "Sign in" });
  await expect(dialog).toBeVisible();
  await expect(displayName(page)).toHaveValue(`${name}: typed after the session ended`);
  expect((await stored(admin, id)).catalog.displayName).toBe(name);

  await dialog.getByLabel("Email").fill("admin@example.com");
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog).toBeHidden();
  await expect(saveStatus(page, "Saved")).toBeVisible();
  await expect(displayName(page)).toHaveValue(`${name}: typed after the session ended`);
  expect((await stored(admin, id)).catalog.displayName).toBe(`${name}: typed after the session ended`);
  await admin.dispose();
  expect(unexpected(problems)).toEqual([]);
});

test("a user never sees another org's data: not in the list, not by its id", async ({ page, problems }) => {
  const ours = await api("admin@example.com");
  const name = unique("Example only");
  const id = await newSubmission(ours, name);

  const theirs = await api("admin@other.test");
  const list = await (await theirs.get("/api/v1/submissions")).json();
  expect(list.items.map((s: { id: string }) => s.id)).not.toContain(id);
  expect((await theirs.get(`/api/v1/submissions/${id}`)).status()).toBe(404);
  const foreignPut = await theirs.put(`/api/v1/submissions/${id}`, { data: await stored(ours, id) });
  expect(foreignPut.status()).toBe(404);
  expect((await theirs.get(`/api/v1/testing/${id}`)).status()).toBe(404);

  await signIn(page, "admin@other.test");
  await expect(page.getByRole("banner")).toContainText("Signed in as admin@other.test");
  await expect(page.getByText(name)).toHaveCount(0);
  await page.goto(`/integrations/${id}/configure`);
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(displayName(page)).toHaveCount(0);
  await expect(page.getByText(name)).toHaveCount(0);
  // Nothing changed for its owner.
  expect((await stored(ours, id)).catalog.displayName).toBe(name);
  await ours.dispose();
  await theirs.dispose();
  expect(unexpected(problems)).toEqual([]);
});
