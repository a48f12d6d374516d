// Helpers for the Test integration, tester and submit tests: a complete integration on the
// Test integration page in one call, with the test settings a test needs.
import { expect } from "./fixtures";
import type { Page } from "@playwright/test";
import {
  configureValues,
  expectSaved,
  fillConfigure,
  fillTestInfo,
  newOnConfigure,
  step,
  testInfoValues,
  type ConfigureValues,
  type ProtocolName,
  type TestInfoValues,
} from "./wizard-helpers";

export interface ReadyOptions {
  name?: string;
  /** Changes to the valid Configure values (e.g. no initiate login URI: no IdP flow). */
  configure?: (v: ConfigureValues) => void;
  /** Changes to the valid Test information values (JIT, SAML flows). */
  testInfo?: (v: TestInfoValues) => void;
}

/** A new, complete integration with `protocols`, open on the Test integration page. Returns its id. */
export async function readyToTest(page: Page, protocols: ProtocolName[], opts: ReadyOptions = {}): Promise<string> {
  await newOnConfigure(page, protocols);
  const config = configureValues(protocols, opts.name ?? `Acme ${protocols.join(" + ")}`);
  opts.configure?.(config);
  await fillConfigure(page, config);
  await expectSaved(page);
  await step(page, "Test information").click();
  await expect(page.getByRole("heading", { level: 1, name: "Test information" })).toBeVisible();
  const info = testInfoValues(protocols);
  opts.testInfo?.(info);
  await fillTestInfo(page, info);
  await expectSaved(page);
  await page.getByRole("button", { name: "Test your integration" }).click();
  await expect(page).toHaveURL(/\/integrations\/[^/]+\/test$/);
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  const id = /\/integrations\/([^/]+)\/test$/.exec(page.url())?.[1];
  if (!id) throw new Error(`no integration id in ${page.url()}`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// The UI contract of the Test integration page, shared by its sections' tests:
// - region "Application instances for testing" holds the button "Generate instance", which
//   opens the modal dialog "Generate instance": radio group "Protocol" (options named "OIDC",
//   "SAML 2.0", "SCIM 2.0", and "OIDC + SCIM 2.0" / "SAML 2.0 + SCIM 2.0" when the core allows
//   the combined instance), radio group "Version" ("Current version" / "Published version")
//   only while a published integration is edited, textbox "Application label", one textbox per
//   integration variable named by the variable's label, and the submit button
//   "Generate instance" (plus "Cancel").
// - each instance is a region named by its application label, holding the switch "ACTIVE",
//   the buttons "Update instance details", "Delete instance" (inactive only) and its details.
// - region "OIN Submission Tester" holds "Initialize Tester" / "Refresh tester session",
//   "Add to Tester" / "Remove from Tester" per instance, and the test cases.

export interface GenerateOptions {
  protocol: "OIDC" | "SAML 2.0" | "SCIM 2.0" | "OIDC + SCIM 2.0" | "SAML 2.0 + SCIM 2.0";
  label: string;
  /** Values by the integration variable's label. */
  values?: Record<string, string>;
  version?: "Current version" | "Published version";
}

/** Generates an instance through the dialog; returns the instance's region. */
export async function generateInstance(page: Page, o: GenerateOptions) {
  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("radio", { name: o.protocol, exact: true }).check();
  if (o.version) await dialog.getByRole("radio", { name: o.version, exact: true }).check();
  await dialog.getByRole("textbox", { name: "Application label", exact: true }).fill(o.label);
  for (const [label, value] of Object.entries(o.values ?? {})) {
    await dialog.getByRole("textbox", { name: label, exact: true }).fill(value);
  }
  await dialog.getByRole("button", { name: "Generate instance", exact: true }).click();
  await expect(dialog).toBeHidden();
  const instance = page.getByRole("region", { name: o.label, exact: true });
  await expect(instance).toBeVisible();
  return instance;
}

/** The tester region. */
export const tester = (page: Page) => page.getByRole("region", { name: "OIN Submission Tester" });

/** Sign-in windows never reach the network: every https page answers "Signed in". */
export async function fakeSignInPages(page: Page) {
  await page.context().route(/^https:\/\//, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Signed in</title><h1>Signed in</h1>" }),
  );
}

/** One case's row in the tester's table for `protocol` ("OIDC" / "SAML 2.0") and version. */
export function caseRow(page: Page, protocol: string, caseName: string, version = "CURRENT VERSION") {
  const table = tester(page).getByRole("table", { name: new RegExp(`${version}.*${protocol.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
  return table.getByRole("row", { name: new RegExp(`^${caseName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`) });
}

/**
 * Runs one case: Run test opens the sign-in window (at `expectUrl` when given), the Test in
 * progress panel takes the answer, Continue records it. Returns the sign-in window's URL.
 */
export async function runCase(
  page: Page,
  protocol: string,
  caseName: string,
  o: { version?: string; expectUrl?: string; failNote?: string } = {},
): Promise<string> {
  const row = caseRow(page, protocol, caseName, o.version);
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  const panel = page.getByRole("region", { name: "Test in progress" });
  await expect(panel).toBeVisible();
  if (o.expectUrl) await popup.waitForURL(o.expectUrl);
  else await popup.waitForURL(/^https:/);
  const url = popup.url();
  if (o.failNote) {
    await panel.getByRole("radio", { name: "The sign-in failed" }).check();
    await panel.getByRole("textbox", { name: "What went wrong" }).fill(o.failNote);
  } else {
    await panel.getByRole("radio", { name: "The user successfully signed in to your app" }).check();
  }
  await panel.getByRole("button", { name: "Continue" }).click();
  await expect(panel).toBeHidden();
  await expect(row).toContainText(o.failNote ? `Failed: ${o.failNote}` : /Passed — \d+ h \d+ min left/);
  await popup.close();
  return url;
}

/** Initializes the tester when needed and adds the instance named `label` to it. */
export async function addToTester(page: Page, label: string) {
  const t = tester(page);
  const init = t.getByRole("button", { name: "Initialize Tester" });
  if (await init.isVisible()) await init.click();
  await expect(t.getByText(/Tester session active until/)).toBeVisible();
  const row = t.getByRole("listitem").filter({ hasText: label });
  await row.getByRole("button", { name: "Add to Tester" }).click();
  await expect(row.getByRole("button", { name: "Remove from Tester" })).toBeVisible();
}

/** Gives both SCIM result links on the Test integration page. */
export async function fillScimLinks(page: Page) {
  const scim = page.getByRole("region", { name: "SCIM testing" });
  await scim.getByRole("textbox", { name: "Link to the SCIM API specification test results" }).fill("https://runscope.example.com/results/spec-1");
  await scim.getByRole("textbox", { name: "Link to the CRUD test results" }).fill("https://runscope.example.com/results/crud-1");
}

/** Submit page: certify, Submit integration, Close wizard; the dashboard lists it in OIN to review. */
export async function submitAndClose(page: Page, name: string) {
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await page.getByRole("checkbox", { name: "I certify that I have successfully completed required tests" }).check();
  const submit = page.getByRole("button", { name: "Submit integration" });
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(page.getByText("Submitted: the catalog team reviews it now. Status: OIN to review")).toBeVisible();
  await page.getByRole("button", { name: "Close wizard" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("OIN to review");
}
