import { test, expect, expectNoAxeViolations, openApp, editProfile } from "./fixtures";
import type { Locator, Page } from "@playwright/test";
import { generateInstance, readyToTest, type ReadyOptions } from "./testing-helpers";
import { expectSaved, step, validLogo, type ProtocolName } from "./wizard-helpers";

// SPEC 5.3 (and 1: Run test is a direct user action and says when the window was blocked):
// the OIN Submission Tester on the Test integration page, against the embedded backend.

test.describe.configure({ timeout: 90_000 });

const SIGNED_IN = "<title>Signed in</title><h1>Signed in</h1>";
const PASSWORD = "S3cret-for-review!";
// The IdP flow starts at the org's dashboard tile of the instance (details.oidc.idpFlowUrl),
// which sends the browser on to the initiate login URI with iss.
const OIDC_TILE = /^https:\/\/oin-test-org\.example\.com\/home\/oidc\/[^/?#]+$/;
const OIDC_SP = "https://app.example.com/login/okta";

/** Every non-app https request (the test windows) answers a small page, never the network. */
async function routeSignIns(page: Page) {
  await page.context().route(/^https:\/\/(?!127\.0\.0\.1)/, (r) =>
    r.fulfill({ contentType: "text/html", body: SIGNED_IN }),
  );
}

/** A complete integration on the Test integration page; returns the tester region. */
async function openTester(page: Page, protocols: ProtocolName[] = ["OIDC"], opts: ReadyOptions = {}) {
  await routeSignIns(page);
  await readyToTest(page, protocols, opts);
  const tester = page.getByRole("region", { name: "OIN Submission Tester", exact: true });
  await expect(tester).toBeVisible();
  return tester;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The row of a test case (its first cell is the case's expand button). */
const caseRow = (tester: Locator, name: string) => tester.getByRole("row", { name: new RegExp(`^${escape(name)} `) });

/** The tester's list entry of an instance. */
const testerInstance = (tester: Locator, label: string) => tester.getByRole("listitem").filter({ hasText: label });

async function initialize(page: Page, tester: Locator) {
  await tester.getByRole("button", { name: "Initialize Tester" }).click();
  await expect(tester.getByText(/Tester session active until [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d:\d\d \(UTC([+-]\d\d:\d\d)?\)/)).toBeVisible();
}

/** Initializes the tester, generates an OIDC instance and adds it to the tester. */
async function oidcInTester(page: Page, tester: Locator, label = "Acme OIDC test") {
  await initialize(page, tester);
  await generateInstance(page, { protocol: "OIDC", label, values: { "Division subdomain": "acme" } });
  await testerInstance(tester, label).getByRole("button", { name: "Add to Tester" }).click();
  await expect(testerInstance(tester, label).getByRole("button", { name: "Remove from Tester" })).toBeVisible();
  await expect(caseRow(tester, "IdP flow")).toContainText(label);
}

/** Run test on a case: returns the test window, checked to open at `url`, and the panel. */
async function runTest(page: Page, tester: Locator, name: string, url: string | RegExp) {
  const popupOpened = page.waitForEvent("popup");
  await caseRow(tester, name).getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  await popup.waitForURL(url);
  await expect(popup.getByRole("heading", { name: "Signed in" })).toBeVisible();
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  const panel = tester.getByRole("region", { name: "Test in progress" });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole("heading", { name: "Test in progress" })).toBeFocused();
  return { popup, panel };
}

async function pass(panel: Locator) {
  await panel.getByRole("radio", { name: "The user successfully signed in to your app" }).check();
  await panel.getByRole("button", { name: "Continue" }).click();
  await expect(panel).toBeHidden();
}

test("Initialize Tester, then Add to Tester fills the OIDC cases: IdP, SP and JIT with IdP, never JIT with SP", async ({ page, problems }) => {
  const tester = await openTester(page);
  // Before anything: the cases are listed, empty, and Run test says why it is off.
  await expect(tester.getByRole("heading", { name: "CURRENT VERSION" })).toBeVisible();
  await expect(tester.getByRole("table", { name: "CURRENT VERSION OIDC" })).toBeVisible();
  for (const name of ["IdP flow", "SP flow", "JIT provisioning (with IdP flow)"]) {
    const row = caseRow(tester, name);
    await expect(row).toContainText("No instance in the tester");
    await expect(row).toContainText("Not run");
    await expect(row.getByRole("button", { name: "Run test" })).toBeDisabled();
    await expect(row.getByRole("button", { name: "Run test" })).toHaveAccessibleDescription(/Add an active, eligible OIDC instance to the tester first/);
  }
  await expect(tester.getByRole("button", { name: "JIT provisioning (with SP flow)" })).toHaveCount(0);
  await expect(tester.getByText("No eligible instance yet")).toBeVisible();
  await expectNoAxeViolations(page);

  await initialize(page, tester);
  await expect(tester.getByRole("button", { name: "Initialize Tester" })).toHaveCount(0);
  await generateInstance(page, { protocol: "OIDC", label: "Acme OIDC test", values: { "Division subdomain": "acme" } });
  const entry = testerInstance(tester, "Acme OIDC test");
  await expect(entry).toContainText("OIDC, current version, active");
  await expectNoAxeViolations(page);
  await entry.getByRole("button", { name: "Add to Tester" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Added "Acme OIDC test" to the tester' })).toBeVisible();
  await expect(entry).toContainText("in the tester");
  for (const name of ["IdP flow", "SP flow", "JIT provisioning (with IdP flow)"]) {
    const row = caseRow(tester, name);
    await expect(row).toContainText("Acme OIDC test");
    await expect(row).toContainText("Not run");
    await expect(row.getByRole("button", { name: "Run test" })).toBeEnabled();
  }
  await expect(tester.getByRole("button", { name: "JIT provisioning (with SP flow)" })).toHaveCount(0);
  // The row ids are the submit checklist's link targets (domain::submit field paths).
  await expect(tester.locator("#field-tests-current-oidc-IdpFlow")).toContainText("IdP flow");
  await expect(tester.locator("#field-tests-current-oidc-JitWithIdp")).toContainText("JIT provisioning (with IdP flow)");
  await expectNoAxeViolations(page);
  // The submit checklist links to a case that has not passed: its row gets the focus.
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await page.getByRole("link", { name: 'The OIDC test "SP flow" for the current version has not passed yet: run it' }).click();
  await expect(page).toHaveURL(/\/test#field-tests-current-oidc-SpFlow$/);
  await expect(tester.locator("#field-tests-current-oidc-SpFlow")).toBeFocused();
  expect(problems).toEqual([]);
});

test("Run test opens the sign-in window; a pass shows its time left, a failure its note, and the case expands to steps and traffic", async ({ page, problems }) => {
  const tester = await openTester(page);
  await oidcInTester(page, tester);

  // IdP flow: the org's tile of the instance, then a pass.
  const idp = await runTest(page, tester, "IdP flow", OIDC_TILE);
  await expect(idp.panel).toContainText('IdP flow of "Acme OIDC test" (OIDC)');
  await expect(caseRow(tester, "IdP flow")).toContainText("In progress");
  await expect(caseRow(tester, "SP flow").getByRole("button", { name: "Run test" })).toBeDisabled();
  await expectNoAxeViolations(page);
  await idp.panel.getByRole("button", { name: "Continue" }).click();
  await expect(idp.panel.getByRole("alert")).toContainText("Choose whether the user signed in");
  await pass(idp.panel);
  await expect(caseRow(tester, "IdP flow")).toContainText(/Passed — 4[78] h \d+ min left/);
  await expect(tester.getByRole("button", { name: "IdP flow", exact: true })).toBeFocused();
  await expectNoAxeViolations(page);

  // SP flow: the SP initiate URL, then a failure with what went wrong.
  const sp = await runTest(page, tester, "SP flow", OIDC_SP);
  await sp.panel.getByRole("radio", { name: "The sign-in failed" }).check();
  await sp.panel.getByRole("button", { name: "Continue" }).click();
  await expect(sp.panel.getByRole("alert")).toContainText("Describe what went wrong");
  await sp.panel.getByRole("textbox", { name: "What went wrong" }).fill("The app showed error 500");
  await expectNoAxeViolations(page);
  await sp.panel.getByRole("button", { name: "Continue" }).click();
  await expect(sp.panel).toBeHidden();
  await expect(caseRow(tester, "SP flow")).toContainText("Failed: The app showed error 500");

  // The expansion: result, how it was recorded, steps, and no invented traffic. The embedded
  // backend observes no sign-in: the pass is the user's word, and says so.
  const toggle = tester.getByRole("button", { name: "IdP flow", exact: true });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const details = page.locator("#field-tests-current-oidc-IdpFlow-details");
  await expect(details.getByRole("term").filter({ hasText: "Recorded as" })).toBeVisible();
  await expect(details.getByRole("definition").filter({ hasText: /^Self-reported: / })).toHaveText(
    "Self-reported: the result is what you reported; no backend observed the sign-in",
  );
  const steps = tester.getByRole("list", { name: "Steps" });
  await expect(steps.getByRole("listitem").filter({ hasText: /Started the run: the test window signs in at https:\/\/oin-test-org\.example\.com\/home\/oidc\// })).toBeVisible();
  await expect(steps.getByRole("listitem").filter({ hasText: "You reported: signed in; the user successfully signed in to your app (self-reported)" })).toBeVisible();
  await expect(tester.getByRole("table", { name: "Network traffic" })).toHaveCount(0);
  await expect(details.getByText(/^Network traffic: none observed\./)).toBeVisible();
  await expectNoAxeViolations(page);
  await toggle.click();
  await expect(steps).toBeHidden();
  // The failed run's expansion shows the note, as reported.
  await tester.getByRole("button", { name: "SP flow", exact: true }).click();
  await expect(tester.getByRole("list", { name: "Steps" })).toContainText("You reported a failure: The app showed error 500 (self-reported)");
  // Results survive a reload (the backend recorded them).
  await page.reload();
  await expect(caseRow(tester, "IdP flow")).toContainText(/Passed — 4[78] h \d+ min left/);
  await expect(caseRow(tester, "SP flow")).toContainText("Failed: The app showed error 500");
  expect(problems).toEqual([]);
});

test("a JIT run shows the temporary user the app must show, and says the JIT account stays in the app", async ({ page, problems }) => {
  const tester = await openTester(page);
  await oidcInTester(page, tester);
  const { panel } = await runTest(page, tester, "JIT provisioning (with IdP flow)", OIDC_TILE);
  await expect(panel.getByRole("term")).toHaveText(["First name", "Last name", "Email", "Username", "Password"]);
  await expect(panel.getByRole("definition").nth(0)).toHaveText("Jit");
  await expect(panel.getByRole("definition").nth(1)).toHaveText(/^Tester \w+$/);
  await expect(panel.getByRole("definition").nth(2)).toHaveText(/^oin\.jit\.\w+@example\.com$/);
  const email = (await panel.getByRole("definition").nth(2).textContent()) ?? "";
  // SPEC 5.3: the temporary user's credential, shown once, and how to sign in as them.
  await expect(panel).toContainText("Sign in in the test window as this temporary user, with:");
  await expect(panel.getByRole("definition").nth(3)).toHaveText(email);
  await expect(panel.getByRole("definition").nth(4)).toHaveText(/^Jit-\w{16}-7a$/);
  const password = (await panel.getByRole("definition").nth(4).textContent()) ?? "";
  await expect(panel).toContainText("The account JIT creates in your app stays there");
  await expectNoAxeViolations(page);
  // A reload before Continue offers the unfinished run again, temporary user included, but
  // not its password: it was shown once and is stored nowhere the page can read.
  await page.reload();
  await expect(panel).toContainText("This test was started earlier and not finished");
  await expect(panel.getByRole("definition").nth(2)).toHaveText(email);
  await expect(panel).toContainText("Its password was shown once");
  await expect(panel).not.toContainText(password);
  await expect(caseRow(tester, "JIT provisioning (with IdP flow)")).toContainText("In progress");
  await expectNoAxeViolations(page);
  await pass(panel);
  const row = caseRow(tester, "JIT provisioning (with IdP flow)");
  await expect(row).toContainText(/Passed — 4[78] h \d+ min left/);
  await tester.getByRole("button", { name: "JIT provisioning (with IdP flow)", exact: true }).click();
  const steps = tester.getByRole("list", { name: "Steps" });
  await expect(steps).toContainText(`Created the temporary user Jit`);
  await expect(steps).toContainText(`Unassigned and deleted the temporary user ${email}`);
  await expect(steps).toContainText(`You reported: signed in as ${email}`);
  // No HTTP exchange is written on anyone's behalf.
  await expect(tester.getByRole("table", { name: "Network traffic" })).toHaveCount(0);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

// Issue 11: the tester's times are in the user's zone, with the zone named (Los Angeles is
// UTC-08:00 in early March 2026, before daylight saving time starts on March 8).
test.describe("in the user's time zone", () => {
  test.use({ timezoneId: "America/Los_Angeles" });

  test("a pass is valid 48 hours: the time left ticks down, then it says Expired — run again", async ({ page, problems }) => {
    const tester = await openTester(page);
    // The clock is faked from here on: the tester ticks with it. (Installed before the wizard,
    // its timer ids outgrow the i32 handles of Leptos' timeouts, so the editor's pending save
    // cannot be cancelled and races the explicit save: a false "newer version elsewhere".)
    await page.clock.install({ time: new Date("2026-03-02T09:00:00Z") });
    await oidcInTester(page, tester);
    await expect(tester.getByText(/Tester session active until Mar 2, 2026, 09:00:\d\d \(UTC-08:00\)/)).toBeVisible();
    const { panel } = await runTest(page, tester, "IdP flow", OIDC_TILE);
    await pass(panel);
    const row = caseRow(tester, "IdP flow");
    await expect(row).toContainText(/Passed — 4[78] h \d+ min left/);

    await page.clock.fastForward("47:00:00");
    await expect(row).toContainText(/Passed — [01] h \d+ min left/);
    // The 8-hour tester session ran out meanwhile: refresh it before the next run.
    await expect(tester.getByRole("button", { name: "Refresh tester session" })).toBeVisible();
    await expect(row.getByRole("button", { name: "Run test" })).toHaveAccessibleDescription(/The tester session expired: choose Refresh tester session/);
    await expectNoAxeViolations(page);

    await page.clock.fastForward("02:00:00");
    await expect(row).toContainText("Expired — run again");
    await expectNoAxeViolations(page);
    await tester.getByRole("button", { name: "Refresh tester session" }).click();
    await expect(tester.getByText(/Tester session active until Mar 4, 2026, 10:00:\d\d \(UTC-08:00\)/)).toBeVisible();
    await expect(row.getByRole("button", { name: "Run test" })).toBeEnabled();
    expect(problems).toEqual([]);
  });
});

test("Remove from Tester warns that results are cleared, then empties the cases", async ({ page, problems }) => {
  const tester = await openTester(page);
  await oidcInTester(page, tester);
  const { panel } = await runTest(page, tester, "IdP flow", OIDC_TILE);
  await pass(panel);
  await expect(caseRow(tester, "IdP flow")).toContainText("Passed");

  const entry = testerInstance(tester, "Acme OIDC test");
  await entry.getByRole("button", { name: "Remove from Tester" }).click();
  const dialog = page.getByRole("dialog", { name: "Remove from Tester?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Removing "Acme OIDC test" from the tester clears its test results');
  await expectNoAxeViolations(page);
  // Cancel keeps everything.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(caseRow(tester, "IdP flow")).toContainText("Passed");

  await entry.getByRole("button", { name: "Remove from Tester" }).click();
  await dialog.getByRole("button", { name: "Remove from Tester" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: 'Removed "Acme OIDC test" from the tester; its test results were cleared' })).toBeVisible();
  await expect(entry.getByRole("button", { name: "Add to Tester" })).toBeVisible();
  const row = caseRow(tester, "IdP flow");
  await expect(row).toContainText("No instance in the tester");
  await expect(row).toContainText("Not run");
  await expect(row.getByRole("button", { name: "Run test" })).toBeDisabled();
  // Added again, the old result is gone for good.
  await entry.getByRole("button", { name: "Add to Tester" }).click();
  await expect(caseRow(tester, "IdP flow")).toContainText("Acme OIDC test");
  await expect(caseRow(tester, "IdP flow")).toContainText("Not run");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("a blocked pop-up says so and starts no run", async ({ page, problems }) => {
  await page.addInitScript(() => {
    window.open = () => null;
  });
  const tester = await openTester(page);
  await oidcInTester(page, tester);
  await caseRow(tester, "IdP flow").getByRole("button", { name: "Run test" }).click();
  await expect(tester.getByRole("alert")).toHaveText(
    "Your browser blocked the test window. Allow pop-ups for this site, then choose Run test again.",
  );
  await expect(tester.getByRole("region", { name: "Test in progress" })).toHaveCount(0);
  await expect(caseRow(tester, "IdP flow")).toContainText("Not run");
  await expectNoAxeViolations(page);
  await page.reload();
  await expect(caseRow(tester, "IdP flow")).toContainText("Not run");
  expect(problems).toEqual([]);
});

test("without the testing roles the tester's actions are off, saying why", async ({ page, problems }) => {
  const tester = await openTester(page);
  await oidcInTester(page, tester);
  await editProfile(page, { roles: { "Super admin": false, "App admin": true } });
  const why = /Testing needs the super admin role, or both the app admin and org admin roles/;
  const remove = testerInstance(tester, "Acme OIDC test").getByRole("button", { name: "Remove from Tester" });
  await expect(remove).toBeDisabled();
  await expect(remove).toHaveAccessibleDescription(why);
  const run = caseRow(tester, "IdP flow").getByRole("button", { name: "Run test" });
  await expect(run).toBeDisabled();
  await expect(run).toHaveAccessibleDescription(why);
  await expect(caseRow(tester, "JIT provisioning (with IdP flow)").getByRole("button", { name: "Run test" })).toHaveAccessibleDescription(
    /JIT tests need the super admin role/,
  );
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

/** The secrets the embedded org stores for its instances (client secrets, SCIM tokens). */
async function storedSecrets(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("oin-wizard");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const text = await new Promise<string>((resolve, reject) => {
      const r = db.transaction("org").objectStore("org").get("org");
      r.onsuccess = () => resolve(r.result as string);
      r.onerror = () => reject(r.error);
    });
    db.close();
    const record = JSON.parse(text);
    const out: string[] = [];
    for (const i of record.org.instances) {
      if (i.details?.oidc?.clientSecret) out.push(i.details.oidc.clientSecret);
      if (i.details?.scim?.token) out.push(i.details.scim.token);
    }
    return out;
  });
}

test("SCIM instances cannot be added, and Export results downloads every run as JSON without a secret", async ({ page, problems }) => {
  const tester = await openTester(page, ["OIDC", "SCIM 2.0"], { name: "Acme Export & Co" });
  await oidcInTester(page, tester);
  await generateInstance(page, { protocol: "SCIM 2.0", label: "Acme SCIM test", values: { "Division subdomain": "acme" } });
  const scim = testerInstance(tester, "Acme SCIM test");
  await expect(scim.getByRole("button", { name: "Add to Tester" })).toBeDisabled();
  await expect(scim.getByRole("button", { name: "Add to Tester" })).toHaveAccessibleDescription("The tester only tests SSO: SCIM instances cannot be added");
  await expectNoAxeViolations(page);

  const idp = await runTest(page, tester, "IdP flow", OIDC_TILE);
  await pass(idp.panel);
  const sp = await runTest(page, tester, "SP flow", OIDC_SP);
  await sp.panel.getByRole("radio", { name: "The sign-in failed" }).check();
  await sp.panel.getByRole("textbox", { name: "What went wrong" }).fill("Redirect URI mismatch");
  await sp.panel.getByRole("button", { name: "Continue" }).click();
  await expect(caseRow(tester, "SP flow")).toContainText("Failed: Redirect URI mismatch");

  // The SCIM token is the vendor's, entered by the admin (the org invents none).
  const scimCard = page.getByRole("region", { name: "Acme SCIM test", exact: true });
  await scimCard.getByRole("checkbox", { name: "Enable API integration" }).check();
  await scimCard.getByLabel("API token", { exact: true }).fill("vendor-token-for-export");
  await scimCard.getByRole("button", { name: "Save provisioning settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Provisioning settings of "Acme SCIM test" saved' })).toBeVisible();
  const secrets = await storedSecrets(page);
  expect(secrets.length).toBe(2); // the OIDC client secret and the SCIM token
  for (const s of secrets) expect(s.length).toBeGreaterThan(8);
  // They are the ones the instance cards reveal.
  for (const [label, secret] of [["Acme OIDC test", "client secret"], ["Acme SCIM test", "API token"]]) {
    const card = page.getByRole("region", { name: label, exact: true });
    // Shown once right after Generate; otherwise revealed on demand.
    const show = card.getByRole("button", { name: `Show ${secret}` });
    if (await show.isVisible()) await show.click();
    const shown = card.getByRole("definition").filter({ has: page.getByRole("button", { name: `Hide ${secret}` }) }).getByRole("code");
    await expect(shown).toHaveText(/\S{8,}/);
    expect(secrets).toContain((await shown.textContent())?.trim());
  }

  const downloaded = page.waitForEvent("download");
  await tester.getByRole("button", { name: "Export results" }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe("oin-test-results-acme-export-co.json");
  const path = await download.path();
  const fs = await import("node:fs/promises");
  const text = await fs.readFile(path, "utf8");
  const exported = JSON.parse(text);
  expect(exported.displayName).toBe("Acme Export & Co");
  expect(exported.instances.map((i: { label: string }) => i.label).sort()).toEqual(["Acme OIDC test", "Acme SCIM test"]);
  expect(exported.runs).toHaveLength(2);
  const byCase = Object.fromEntries(exported.runs.map((r: { case: string }) => [r.case, r]));
  expect(byCase.idpFlow.result).toBe("passed");
  // Each run says where it came from: the embedded backend observed no sign-in.
  expect(byCase.idpFlow.source).toBe("selfReported");
  expect(byCase.idpFlow.signInUrl).toMatch(OIDC_TILE);
  expect(byCase.idpFlow.network).toEqual([]);
  expect(byCase.spFlow.source).toBe("selfReported");
  expect(byCase.spFlow.result).toBe("failed");
  expect(byCase.spFlow.note).toBe("Redirect URI mismatch");
  // No secret of any kind: the test account password, the client secret, the SCIM token.
  expect(text).not.toContain(PASSWORD);
  for (const s of secrets) expect(text).not.toContain(s);
  await expect(page.getByRole("status").filter({ hasText: "Exported 2 test results to oin-test-results-acme-export-co.json" })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("when the backend refuses a run, the test window closes and the reason is shown", async ({ page, problems }) => {
  const tester = await openTester(page);
  await oidcInTester(page, tester);
  // Meanwhile, in another tab, the instance leaves the tester.
  const other = await page.context().newPage();
  await other.goto(page.url());
  const otherTester = other.getByRole("region", { name: "OIN Submission Tester", exact: true });
  await testerInstance(otherTester, "Acme OIDC test").getByRole("button", { name: "Remove from Tester" }).click();
  await other.getByRole("dialog", { name: "Remove from Tester?" }).getByRole("button", { name: "Remove from Tester" }).click();
  await expect(testerInstance(otherTester, "Acme OIDC test").getByRole("button", { name: "Add to Tester" })).toBeVisible();
  await other.close();

  const popupOpened = page.waitForEvent("popup");
  await caseRow(tester, "IdP flow").getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  await expect.poll(() => popup.isClosed()).toBe(true);
  await expect(tester.getByRole("alert")).toContainText('Instance "Acme OIDC test" is not in the tester: choose Add to Tester');
  await expect(tester.getByRole("region", { name: "Test in progress" })).toHaveCount(0);
  await expect(caseRow(tester, "IdP flow")).toContainText("No instance in the tester");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("while a published integration is edited, the PUBLISHED VERSION cases are listed and filled by a published-version instance", async ({ page, problems }) => {
  await routeSignIns(page);
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await page.getByRole("table", { name: "Your OIN integrations" }).getByRole("link", { name: "Raspberry Suite" }).click();
  await page.getByRole("button", { name: "Edit integration" }).click();
  // No instance of the published version yet (SPEC 2): a dialog says so first.
  await page.getByRole("dialog", { name: "Application instance not detected" }).getByRole("button", { name: "Not now" }).click();
  await expect(page.getByRole("note")).toBeHidden();
  // The sample lacks a logo and the test account password: complete it.
  await step(page, "Configure your integration").click();
  await page.getByRole("region", { name: "Catalog properties" }).getByRole("button", { name: "Logo", exact: true }).setInputFiles(validLogo());
  await expectSaved(page);
  await step(page, "Test information").click();
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(PASSWORD);
  await expectSaved(page);
  await page.getByRole("button", { name: "Test your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  const tester = page.getByRole("region", { name: "OIN Submission Tester", exact: true });
  await expect(tester.getByRole("heading", { name: "CURRENT VERSION" })).toBeVisible();
  await expect(tester.getByRole("heading", { name: "PUBLISHED VERSION" })).toBeVisible();
  const published = tester.getByRole("table", { name: "PUBLISHED VERSION OIDC" });
  for (const name of ["IdP flow", "SP flow", "JIT provisioning (with IdP flow)"]) {
    await expect(caseRow(published, name)).toContainText("No instance in the tester");
  }
  await initialize(page, tester);
  await generateInstance(page, { protocol: "OIDC", label: "Raspberry published", version: "Published version" });
  const entry = testerInstance(tester, "Raspberry published");
  await expect(entry).toContainText("OIDC, published version, active");
  await entry.getByRole("button", { name: "Add to Tester" }).click();
  await expect(caseRow(published, "IdP flow")).toContainText("Raspberry published");
  await expect(tester.locator("#field-tests-published-oidc-IdpFlow")).toContainText("Raspberry published");
  // The current version's cases still wait for a current-version instance.
  await expect(caseRow(tester.getByRole("table", { name: "CURRENT VERSION OIDC" }), "IdP flow")).toContainText("No instance in the tester");
  const popupOpened = page.waitForEvent("popup");
  await caseRow(published, "IdP flow").getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  // The IdP flow starts at the org's tile of the published-version instance.
  await popup.waitForURL(OIDC_TILE);
  const panel = tester.getByRole("region", { name: "Test in progress" });
  await pass(panel);
  await expect(caseRow(published, "IdP flow")).toContainText(/Passed — 4[78] h \d+ min left/);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("the embedded backend says its org is simulated, with one notice where it matters, and Submit says the results are self-reported", async ({ page, problems }) => {
  const tester = await openTester(page);
  const note = (where: Locator) => where.getByRole("note").filter({ hasText: /^Simulated org\. / });
  const realTest = "For a real test, run the reference server (oin-server, see the README) and point the wizard at it.";
  // The page, once at the top.
  const pageNote = page.getByRole("note").first();
  await expect(pageNote).toHaveText(`Simulated org. The embedded backend plays your org inside this browser: nothing here reaches an identity provider or your app. ${realTest}`);
  // The Generate instance dialog.
  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(note(dialog)).toContainText("its client ID, secret and metadata are placeholders that no sign-in accepts.");
  await expect(note(dialog)).toContainText(realTest);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // The tester.
  await expect(note(tester).first()).toContainText("No sign-in is observed: a result is what you report, recorded as self-reported.");
  await oidcInTester(page, tester);
  // The instance's details.
  const card = page.getByRole("region", { name: "Acme OIDC test", exact: true });
  await expect(note(card)).toContainText("These credentials are placeholders: an app configured with them cannot sign anyone in.");
  // Run test: advice to sign in as the test user, and the panel's notice.
  await expect(tester).toContainText("use a private window, or sign out of your org and your app first");
  const { panel } = await runTest(page, tester, "IdP flow", OIDC_TILE);
  await expect(note(panel)).toContainText("your answer is recorded as self-reported");
  await expect(panel).toContainText("open the address in a private window");
  await expectNoAxeViolations(page);
  await pass(panel);
  // Submit: the results counted are said to be self-reported.
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "Self-reported results." })).toContainText(
    "1 of the 3 required test results are what you reported: no backend observed those sign-ins.",
  );
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});
