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
