// axe (WCAG 2.1 AA and best practices) on every page and state the wizard tests visit: the
// dashboard empty and with rows, and each wizard page empty, with errors shown, and filled.
import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";
import {
  type ProtocolName,
  buildNew,
  configureValues,
  expectSaved,
  fillConfigure,
  fillTestInfo,
  newOnConfigure,
  newOnTestInfo,
  summary,
  testInfoValues,
  textbox,
} from "./wizard-helpers";

const ALL: ProtocolName[] = ["OIDC", "SAML 2.0", "SCIM 2.0"];

test.describe("axe", () => {
  test("dashboard: empty", async ({ page }) => {
    await openApp(page);
    await expect(page.getByRole("heading", { name: "You have no integrations yet" })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("dashboard: with rows, filtered, and with a more-menu open", async ({ page }) => {
    await buildNew(page);
    await page.getByRole("checkbox", { name: "OIDC", exact: true }).check();
    await expectSaved(page);
    await openApp(page);
    await page.getByRole("button", { name: "Build new OIN integration" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
    await openApp(page);
    const table = page.getByRole("table", { name: "Your OIN integrations" });
    await expect(table.getByRole("link", { name: "Untitled integration" })).toHaveCount(2);
    await expectNoAxeViolations(page);
    await page.getByRole("searchbox", { name: "Filter by name" }).fill("nothing matches this");
    await expect(page.getByRole("status").filter({ hasText: "0 of 2 integrations" })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("searchbox", { name: "Filter by name" }).fill("");
    await page.getByRole("button", { name: "More actions for Untitled integration" }).first().click();
    await expect(page.getByRole("button", { name: "Test your integration" })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("Select protocol: empty, with errors, filled", async ({ page }) => {
    await buildNew(page);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await expect(summary(page)).toBeVisible();
    await expectNoAxeViolations(page);
    for (const p of ALL) await page.getByRole("checkbox", { name: p, exact: true }).check();
    await expect(summary(page)).toHaveCount(0);
    await expectNoAxeViolations(page);
  });

  test("Configure (all protocols): empty, with errors, filled", async ({ page }) => {
    test.slow();
    await newOnConfigure(page, ALL);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Get started with testing" }).click();
    await expect(summary(page)).toBeVisible();
    await expectNoAxeViolations(page);
    await fillConfigure(page, configureValues(ALL, "Accessible Co"));
    await expect(summary(page)).toHaveCount(0);
    await expectSaved(page);
    await expectNoAxeViolations(page);
  });

  test("Configure: SCIM with OAuth 2 and group operations", async ({ page }) => {
    await newOnConfigure(page, ["SCIM 2.0"]);
    await page.getByRole("radio", { name: "OAuth 2" }).check();
    await page.getByRole("checkbox", { name: "Groups", exact: true }).check();
    await expect(textbox(page, "Token endpoint")).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("Test information (all protocols): empty, with errors, filled", async ({ page }) => {
    await newOnTestInfo(page, ALL);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Test your integration" }).click();
    await expect(summary(page)).toBeVisible();
    await expectNoAxeViolations(page);
    await fillTestInfo(page, testInfoValues(ALL));
    await expect(summary(page)).toHaveCount(0);
    await expectSaved(page);
    await expectNoAxeViolations(page);
  });
});
