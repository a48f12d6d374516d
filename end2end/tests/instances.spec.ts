// The instances half of the Test integration page (SPEC 5.2): Generate instance, the
// Required app instances box, eligibility, the 5-active limit, secrets, SCIM checks, updates.
import { test, expect, expectNoAxeViolations, openApp, editProfile } from "./fixtures";
import type { Page } from "@playwright/test";
import { generateInstance, readyToTest } from "./testing-helpers";
import { expectSaved, region, step, textbox, validLogo } from "./wizard-helpers";

const HIDDEN = "••••••••••••";

const instancesRegion = (page: Page) => page.getByRole("region", { name: "Application instances for testing" });
const requiredBox = (page: Page) => page.getByRole("region", { name: "Required app instances" });

/** Back on the Test integration page of `id` (a fresh read of the submission and the org). */
async function openTestPage(page: Page, id: string) {
  await page.goto(`/integrations/${id}/test`);
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  await expect(instancesRegion(page)).toBeVisible();
}

/** Checks the SCIM "Create" user operation on Configure, then returns to the Test page. */
async function enableScimCreate(page: Page, id: string) {
  await step(page, "Configure your integration").click();
  const scim = region(page, "SCIM 2.0 properties");
  await scim.getByRole("group", { name: /User operations/ }).getByRole("checkbox", { name: "Create", exact: true }).check();
  await expectSaved(page);
  await openTestPage(page, id);
}

test("generate an OIDC instance: resolved redirect URIs, client ID, secret shown once, then hidden until shown", async ({ page, context, problems }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const id = await readyToTest(page, ["OIDC"]);
  const required = requiredBox(page);
  await expect(required.getByText("CURRENT VERSION")).toBeVisible();
  await expect(required.getByText("PUBLISHED VERSION")).toHaveCount(0);
  await expect(page.locator("#instances-current-oidc")).toContainText("Missing");
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog.getByRole("radiogroup", { name: "Protocol" }).getByRole("radio")).toHaveCount(1);
  await expect(dialog.getByRole("radio", { name: "OIDC", exact: true })).toBeChecked();
  await expect(dialog.getByRole("radiogroup", { name: "Version" })).toHaveCount(0);
  await expect(dialog.getByRole("textbox", { name: "Division subdomain" })).toBeVisible();
  await expect(dialog.getByText("subdomain_div1")).toBeVisible();
  await expectNoAxeViolations(page);
  // A refusal from the backend stays in the dialog.
  await dialog.getByRole("button", { name: "Generate instance", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("Application label is required");
  await expectNoAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  const instance = await generateInstance(page, { protocol: "OIDC", label: "Acme OIDC test", values: { "Division subdomain": "eu" } });
  await expect(instance.getByRole("switch", { name: "ACTIVE" })).toBeChecked();
  await expect(instance.getByText("Eligible: generated from the current version")).toBeVisible();
  await expect(instance.getByText("Redirect URI 1: https://app.example.com/oidc/callback")).toBeVisible();
  await expect(instance.getByText("Redirect URI 2: https://eu.app.example.com/oidc/callback")).toBeVisible();
  await expect(instance.getByText("Initiate login URI: https://app.example.com/oidc/start")).toBeVisible();
  await expect(instance.getByRole("link", { name: /View setup instructions/ })).toHaveAttribute("href", "https://docs.example.com/okta-oidc");
  const clientId = (await instance.locator("dt:text-is('Client ID') + dd").innerText()).trim();
  expect(clientId.length).toBeGreaterThan(5);
  // Right after generating: the secret is shown once, expanded.
  const secretCell = instance.locator("dt:text-is('Client secret') + dd code");
  const secret = (await secretCell.innerText()).trim();
  expect(secret).not.toBe(HIDDEN);
  expect(secret.length).toBeGreaterThan(10);
  await expect(page.locator("#instances-current-oidc")).toContainText("Detected: Acme OIDC test");
  await expectNoAxeViolations(page);

  // Copy client secret puts it on the clipboard.
  await instance.getByRole("button", { name: "Copy client secret" }).click();
  await expect(instance.getByText("The client secret was copied to the clipboard")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  // Read again: hidden until "Show client secret".
  await openTestPage(page, id);
  const again = page.getByRole("region", { name: "Acme OIDC test", exact: true });
  await expect(again.locator("dt:text-is('Client secret') + dd code")).toHaveText(HIDDEN);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expectNoAxeViolations(page);
  await again.getByRole("button", { name: "Show client secret" }).click();
  await expect(again.locator("dt:text-is('Client secret') + dd code")).toHaveText(secret);
  await again.getByRole("button", { name: "Hide client secret" }).click();
  await expect(again.locator("dt:text-is('Client secret') + dd code")).toHaveText(HIDDEN);
  expect(problems).toEqual([]);
});

test("an expression redirect URI resolves with the instance's value; an invalid result is flagged", async ({ page, problems }) => {
  await readyToTest(page, ["OIDC"], {
    configure: (v) => {
      v.oidc!.redirectUris = ["https://{app.subdomain_div1}.example.com/callback"];
    },
  });
  const good = await generateInstance(page, { protocol: "OIDC", label: "Tenant eu", values: { "Division subdomain": "eu" } });
  await expect(good.getByText("Redirect URI 1: https://eu.example.com/callback")).toBeVisible();
  await expect(good.getByText("Not a valid URL")).toHaveCount(0);

  const bad = await generateInstance(page, { protocol: "OIDC", label: "Tenant bad", values: { "Division subdomain": "no such host" } });
  const row = bad.getByRole("listitem").filter({ hasText: /^Redirect URI 1:/ });
  await expect(row).toContainText("https://no such host.example.com/callback");
  await expect(row).toContainText("Not a valid URL");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("at 5 active instances Generate is disabled saying why; switching one off enables it; only inactive ones can be deleted", async ({ page, problems }) => {
  test.setTimeout(90_000);
  await readyToTest(page, ["OIDC"]);
  for (let i = 1; i <= 5; i++) {
    await generateInstance(page, { protocol: "OIDC", label: `Limit ${i}`, values: { "Division subdomain": `d${i}` } });
  }
  const generate = page.getByRole("button", { name: "Generate instance", exact: true });
  await expect(generate).toBeDisabled();
  await expect(generate).toHaveAccessibleDescription(/^5 instances are active; the limit is 5\. Deactivate an instance/);
  await expect(instancesRegion(page).getByText(/^5 instances are active; the limit is 5/).first()).toBeVisible();
  const first = page.getByRole("region", { name: "Limit 1", exact: true });
  await expect(first.getByRole("button", { name: "Delete instance" })).toHaveCount(0);
  await expectNoAxeViolations(page);

  // The pointer at deactivation moves focus to the list.
  await page.getByRole("button", { name: "Show instances to deactivate" }).click();
  await expect(page.locator("#instances-list")).toBeFocused();

  await first.getByRole("switch", { name: "ACTIVE" }).focus();
  await page.keyboard.press("Enter");
  await expect(first.getByRole("switch", { name: "ACTIVE" })).not.toBeChecked();
  await expect(first.getByRole("switch", { name: "ACTIVE" })).toBeFocused();
  await expect(generate).toBeEnabled();
  await expect(generate).toHaveAccessibleDescription("");
  await expectNoAxeViolations(page);

  // Generate one more: at the limit again, the inactive one cannot be switched on.
  await generateInstance(page, { protocol: "OIDC", label: "Limit 6", values: { "Division subdomain": "d6" } });
  await expect(generate).toBeDisabled();
  await expect(first.getByRole("switch", { name: "ACTIVE" })).toBeDisabled();
  await expect(first.getByText("5 instances are active; the limit is 5")).toBeVisible();

  // The inactive one can be deleted, after confirming.
  await first.getByRole("button", { name: "Delete instance" }).click();
  await expect(first.getByRole("alert")).toContainText('Delete "Limit 1"');
  await expect(first.getByRole("button", { name: "Keep it" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(first.getByRole("button", { name: "Delete instance" })).toBeFocused();
  await first.getByRole("button", { name: "Delete instance" }).click();
  await expectNoAxeViolations(page);
  await first.getByRole("button", { name: "Yes, delete instance" }).click();
  await expect(page.getByRole("region", { name: "Limit 1", exact: true })).toHaveCount(0);
  await expect(page.getByRole("status").getByText('Instance "Limit 1" deleted')).toBeVisible();
  expect(problems).toEqual([]);
});

test("after an edit the instance is ineligible: hidden until Clear filter, saying why; the Required box says Missing", async ({ page, problems }) => {
  const id = await readyToTest(page, ["OIDC"]);
  await generateInstance(page, { protocol: "OIDC", label: "Before the edit", values: { "Division subdomain": "eu" } });
  await expect(page.locator("#instances-current-oidc")).toContainText("Detected: Before the edit");

  await step(page, "Configure your integration").click();
  await textbox(region(page, "OIDC properties").getByRole("group", { name: "Redirect URIs" }), "Redirect URI 1").fill("https://app.example.com/oidc/callback2");
  await expectSaved(page);
  await openTestPage(page, id);

  await expect(page.getByRole("region", { name: "Before the edit", exact: true })).toHaveCount(0);
  await expect(page.locator("#instances-current-oidc")).toContainText("Missing");
  await expect(page.locator("#field-instances-current-oidc")).toHaveCount(1);
  await expectNoAxeViolations(page);

  await instancesRegion(page).getByRole("button", { name: "Clear filter" }).click();
  const stale = page.getByRole("region", { name: "Before the edit", exact: true });
  await expect(stale).toBeVisible();
  await expect(stale.getByText(/Not eligible: Generated from version \d+; the integration was edited since/)).toBeVisible();
  await expectNoAxeViolations(page);
  await instancesRegion(page).getByRole("button", { name: "Show eligible only" }).click();
  await expect(stale).toHaveCount(0);
  expect(problems).toEqual([]);
});

test("Regenerate instance replaces an outdated instance in its place, without a free active slot; a catalog edit needs no regenerate", async ({ page, problems }) => {
  const id = await readyToTest(page, ["OIDC"]);
  await generateInstance(page, { protocol: "OIDC", label: "Keep me", values: { "Division subdomain": "eu" } });
  for (const label of ["Filler 2", "Filler 3", "Filler 4", "Filler 5"]) {
    await generateInstance(page, { protocol: "OIDC", label, values: { "Division subdomain": "eu" } });
  }
  await expect(page.getByRole("button", { name: "Generate instance", exact: true })).toBeDisabled();

  // Catalog text is no configuration: the instances stay eligible (a rerun at most).
  await step(page, "Configure your integration").click();
  await textbox(region(page, "Catalog properties"), "Description").fill("A description edited after the instances were generated.");
  await expectSaved(page);
  await openTestPage(page, id);
  await expect(page.getByRole("region", { name: "Keep me", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Regenerate instance" })).toHaveCount(0);

  // A protocol setting changes: every instance is outdated and offers Regenerate.
  await step(page, "Configure your integration").click();
  await textbox(region(page, "OIDC properties").getByRole("group", { name: "Redirect URIs" }), "Redirect URI 1").fill("https://{app.subdomain_div1}.app.example.com/oidc/callback2");
  await expectSaved(page);
  await openTestPage(page, id);
  await instancesRegion(page).getByRole("button", { name: "Clear filter" }).click();
  const stale = page.getByRole("region", { name: "Keep me", exact: true });
  const regenerate = stale.getByRole("button", { name: "Regenerate instance" });
  await expect(regenerate).toHaveAccessibleDescription(/Regenerate replaces it in its place \(same label, values, assignments and ACTIVE state, new secrets, no extra active slot\)/);
  await expectNoAxeViolations(page);
  await regenerate.click();
  await expect(page.getByRole("status").filter({ hasText: 'Instance "Keep me" regenerated from the current settings' })).toBeVisible();
  await instancesRegion(page).getByRole("button", { name: "Show eligible only" }).click();
  const fresh = page.getByRole("region", { name: "Keep me", exact: true });
  await expect(fresh.getByText("Eligible: generated from the current version of this integration")).toBeVisible();
  await expect(fresh.getByText("Resolved URLs")).toBeVisible();
  await expect(fresh.getByText("Redirect URI 1: https://eu.app.example.com/oidc/callback2")).toBeVisible();
  await expect(fresh.getByRole("switch", { name: "ACTIVE" })).toHaveAttribute("aria-checked", "true");
  await expect(page.locator("#instances-current-oidc")).toContainText("Detected: Keep me");
  // Still five active: the new one took the old one's place.
  await expect(page.getByRole("button", { name: "Generate instance", exact: true })).toBeDisabled();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("the combined OIDC + SCIM 2.0 instance is offered without JIT, not with JIT", async ({ page, problems }) => {
  test.setTimeout(90_000);
  const noJit = await readyToTest(page, ["OIDC", "SCIM 2.0"], { testInfo: (v) => (v.oidc!.jit = "No") });
  await enableScimCreate(page, noJit);
  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  let dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog.getByRole("radio", { name: "OIDC + SCIM 2.0", exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const combined = await generateInstance(page, { protocol: "OIDC + SCIM 2.0", label: "Both at once", values: { "Division subdomain": "eu" } });
  await expect(combined.getByText("SCIM base URL: https://app.example.com/scim/v2/")).toBeVisible();
  await expect(page.locator("#instances-current-oidc")).toContainText("Detected: Both at once");
  await expect(page.locator("#instances-current-scim")).toContainText("Detected: Both at once");

  const jit = await readyToTest(page, ["OIDC", "SCIM 2.0"], { name: "Acme with JIT", testInfo: (v) => (v.oidc!.jit = "Yes") });
  await enableScimCreate(page, jit);
  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog.getByRole("radio", { name: "SCIM 2.0", exact: true })).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "OIDC + SCIM 2.0", exact: true })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Clear filter shows the first integration's instance too, saying why it is not eligible here.
  await expect(page.getByRole("region", { name: "Both at once", exact: true })).toHaveCount(0);
  await instancesRegion(page).getByRole("button", { name: "Clear filter" }).click();
  const other = page.getByRole("region", { name: "Both at once", exact: true });
  await expect(other.getByText("Not eligible: Generated from another integration")).toBeVisible();
  await expect(other.getByText("Generated from another integration: its URLs and setup instructions are that integration's.")).toBeVisible();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("a SCIM instance: the admin enables API integration and enters the vendor's token; Test API Credentials says it did not run", async ({ page, problems }) => {
  const id = await readyToTest(page, ["SCIM 2.0"]);
  const fresh = await generateInstance(page, { protocol: "SCIM 2.0", label: "Provisioning", values: { "Division subdomain": "eu" } });
  // SPEC 5.2: the org invents no token and does not switch the API integration on by itself.
  await expect(fresh.getByRole("checkbox", { name: "Enable API integration" })).not.toBeChecked();
  await expect(fresh.locator("dt:text-is('Saved API token')")).toHaveCount(0);
  const tokenField = fresh.getByLabel("API token", { exact: true });
  await expect(tokenField).toHaveAttribute("type", "password");
  await expect(tokenField).toHaveAccessibleDescription(/The token your SCIM server expects from the org: your app issues it, the org does not invent it\. Sent as Authorization: Bearer \{token\}\. None saved yet\./);
  await fresh.getByRole("button", { name: "Test API Credentials" }).click();
  await expect(fresh.getByRole("status").getByText("Credentials check failed: Enable API integration in the instance's provisioning settings first")).toBeVisible();

  await fresh.getByRole("checkbox", { name: "Enable API integration" }).check();
  await tokenField.fill("vendor-issued-token-123");
  await fresh.getByRole("button", { name: "Save provisioning settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: 'Provisioning settings of "Provisioning" saved' })).toBeVisible();

  await openTestPage(page, id);
  const scim = page.getByRole("region", { name: "Provisioning", exact: true });
  await expect(scim.getByRole("checkbox", { name: "Enable API integration" })).toBeChecked();
  await expect(scim.locator("dt:text-is('Saved API token') + dd code")).toHaveText(HIDDEN);
  await expect(scim.getByText("Bearer token")).toBeVisible();
  await expect(scim.getByRole("table", { name: /Attribute mappings to the app/ }).getByRole("row")).toHaveCount(7);
  await expect(scim.getByRole("table", { name: /Attribute mappings to the org/ })).toBeVisible();
  await scim.getByRole("button", { name: "Show API token" }).click();
  await expect(scim.locator("dt:text-is('Saved API token') + dd code")).toHaveText("vendor-issued-token-123");
  // The embedded backend has no server to call the SCIM server: not run, neither passed nor failed.
  await scim.getByRole("button", { name: "Test API Credentials" }).click();
  await expect(scim.getByRole("status").getByText(/^Credentials not tested: No request was made/)).toBeVisible();
  await expect(scim.getByText(/Credentials check (passed|failed)/)).toHaveCount(0);
  // The card says its credentials are placeholders of a simulated org, and the way to a real test.
  await expect(scim.getByRole("note")).toHaveText(/^Simulated org\. These credentials are placeholders: .*run the reference server \(oin-server, see the README\)/);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("Update instance details warns that results go, then saves the new label; test users can be assigned", async ({ page, problems }) => {
  await readyToTest(page, ["OIDC"]);
  const instance = await generateInstance(page, { protocol: "OIDC", label: "Old label", values: { "Division subdomain": "eu" } });
  await instance.getByRole("button", { name: "Update instance details" }).click();
  await textbox(instance, "Application label").fill("New label");
  await textbox(instance, "Division subdomain").fill("us");
  await instance.getByRole("button", { name: "Save instance details" }).click();
  await expect(instance.getByRole("alert")).toContainText("test results");
  await expectNoAxeViolations(page);
  await instance.getByRole("button", { name: "Save anyway" }).click();
  const renamed = page.getByRole("region", { name: "New label", exact: true });
  await expect(renamed).toBeVisible();
  await expect(renamed.getByRole("button", { name: "Update instance details" })).toBeFocused();
  await expect(renamed.getByText("Redirect URI 2: https://eu.app.example.com/oidc/callback")).toBeVisible();
  await expect(page.getByRole("region", { name: "Old label", exact: true })).toHaveCount(0);

  // Assign test users: create one, check it, save (with the same warning).
  await renamed.getByRole("button", { name: "Assign test users" }).click();
  await expect(renamed.getByText("Without JIT, the same user must exist in your app too")).toBeVisible();
  const create = renamed.getByRole("form", { name: "Create test user" });
  await textbox(create, "Email").fill("tess.tester@example.com");
  await textbox(create, "First name").fill("Tess");
  await textbox(create, "Last name").fill("Tester");
  await create.getByRole("button", { name: "Create test user" }).click();
  const tess = renamed.getByRole("checkbox", { name: "Tess Tester (tess.tester@example.com)" });
  await expect(tess).toBeChecked();
  await expectNoAxeViolations(page);
  await renamed.getByRole("button", { name: "Save assignments" }).click();
  await renamed.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("status").getByText('Instance "New label" updated')).toBeVisible();
  await renamed.getByRole("button", { name: "Assign test users" }).click();
  await expect(renamed.getByRole("checkbox", { name: "Tess Tester (tess.tester@example.com)" })).toBeChecked();
  expect(problems).toEqual([]);
});

test("without the testing roles every instance action is disabled, saying why; Missing points at Generate instance", async ({ page, problems }) => {
  await readyToTest(page, ["OIDC"]);
  await requiredBox(page).getByRole("link", { name: "Generate instance" }).click();
  await expect(page.getByRole("button", { name: "Generate instance", exact: true })).toBeFocused();
  const instance = await generateInstance(page, { protocol: "OIDC", label: "Roles check", values: { "Division subdomain": "eu" } });
  await instance.getByRole("switch", { name: "ACTIVE" }).click();
  await expect(instance.getByRole("switch", { name: "ACTIVE" })).not.toBeChecked();

  await editProfile(page, { roles: { "Super admin": false, "App admin": true } });

  const why = "Testing needs the super admin role, or both the app admin and org admin roles";
  const generate = page.getByRole("button", { name: "Generate instance", exact: true });
  await expect(generate).toBeDisabled();
  await expect(generate).toHaveAccessibleDescription(why);
  for (const control of [
    instance.getByRole("switch", { name: "ACTIVE" }),
    instance.getByRole("button", { name: "Update instance details" }),
    instance.getByRole("button", { name: "Assign test users" }),
    instance.getByRole("button", { name: "Delete instance" }),
  ]) {
    await expect(control).toBeDisabled();
  }
  await expect(instance.getByRole("button", { name: "Update instance details" })).toHaveAccessibleDescription(why);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("a SAML instance shows the IdP metadata and its resolved ACS and audience URLs", async ({ page, problems }) => {
  await readyToTest(page, ["SAML 2.0"]);
  const saml = await generateInstance(page, { protocol: "SAML 2.0", label: "Acme SAML", values: { "Division subdomain": "eu" } });
  await expect(saml.locator("dt:text-is('Metadata URL') + dd")).toContainText("/sso/saml/metadata");
  await expect(saml.locator("dt:text-is('Single sign-on URL') + dd")).toContainText("/sso/saml");
  await expect(saml.locator("dt:text-is('Issuer') + dd")).not.toBeEmpty();
  await expect(saml.locator("dt:text-is('ACS URL') + dd")).toHaveText("https://app.example.com/saml/acs");
  await expect(saml.getByText("Other ACS URL 1: https://eu.app.example.com/saml/acs")).toBeVisible();
  await expect(saml.getByText("Audience URI (SP Entity ID): https://app.example.com/saml/metadata")).toBeVisible();
  await expect(saml.getByRole("link", { name: /View setup instructions/ })).toHaveAttribute("href", "https://docs.example.com/okta-saml");
  // SPEC 5.2: what an admin sees besides the metadata: the IdP-initiated address, the relay
  // state, ForceAuthn, and the signing certificate (none in the simulated org, saying why).
  await expect(saml.locator("dt:text-is('IdP-initiated sign-in (dashboard tile)') + dd")).toContainText("/home/saml/");
  await expect(saml.locator("dt:text-is('Default relay state') + dd")).toHaveText("(none)");
  await expect(saml.locator("dt:text-is('ForceAuthn') + dd")).toHaveText("On: users sign in again at every SAML request");
  await expect(saml.locator("dt:text-is('Signing certificate') + dd")).toHaveText("None: this backend has no signing key, so it signs no assertion.");
  await expect(page.locator("#instances-current-saml")).toContainText("Detected: Acme SAML");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("editing a published integration: a Version choice, and PUBLISHED VERSION instances detected apart", async ({ page, problems }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await page.getByRole("table", { name: "Your OIN integrations" }).getByRole("link", { name: "Raspberry Suite" }).click();
  await page.getByRole("button", { name: "Edit integration" }).click();
  // No instance of the published version yet (SPEC 2): that dialog says so first.
  const notDetected = page.getByRole("dialog", { name: "Application instance not detected" });
  await notDetected.getByRole("button", { name: "Not now" }).click();
  await expect(notDetected).toBeHidden();
  await expect(page.getByRole("note")).toBeHidden();
  // The sample lacks a logo and test details: complete them.
  await step(page, "Configure your integration").click();
  const catalog = region(page, "Catalog properties");
  await catalog.getByRole("button", { name: "Logo", exact: true }).setInputFiles(validLogo());
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();
  await expectSaved(page);
  await step(page, "Test information").click();
  await textbox(page, "Password").fill("S3cret-for-review!");
  await textbox(page, "Testing instructions").fill("Sign in with the test admin.");
  await expectSaved(page);
  await page.getByRole("button", { name: "Test your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();

  const required = requiredBox(page);
  await expect(required.getByRole("heading", { name: "PUBLISHED VERSION" })).toBeVisible();
  await expect(page.locator("#instances-published-oidc")).toContainText("Missing");

  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog.getByRole("radiogroup", { name: "Version" })).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "Current version", exact: true })).toBeChecked();
  await expectNoAxeViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  const old = await generateInstance(page, { protocol: "OIDC", label: "Published OIDC", version: "Published version" });
  await expect(old.getByText("Eligible for the published version's tests")).toBeVisible();
  await expect(old.getByText(/^Published version \(version \d+\)$/)).toBeVisible();
  await expect(page.locator("#instances-published-oidc")).toContainText("Detected: Published OIDC");
  await expect(page.locator("#instances-current-oidc")).toContainText("Missing");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});
