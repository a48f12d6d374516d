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
