// The dashboard with integrations made through the wizard (SPEC 2): filter and sort by name,
// and "Test your integration" from the more-menu landing on the first incomplete page.
import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";
import type { Page } from "@playwright/test";
import {
  type ProtocolName,
  buildNew,
  chooseProtocols,
  configureValues,
  expectSaved,
  fillConfigure,
  region,
  step,
  textbox,
} from "./wizard-helpers";

/** Builds a new integration with `protocols` and display name `name`; back on the dashboard. */
async function createNamed(page: Page, name: string, protocols: ProtocolName[] = ["OIDC"]) {
  await buildNew(page);
  await chooseProtocols(page, protocols);
  await step(page, "Configure your integration").click();
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
  await textbox(region(page, "Catalog properties"), "Display name").fill(name);
  await expectSaved(page);
  await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
}

const names = (page: Page) => page.getByRole("table", { name: "Your OIN integrations" }).getByRole("link");
const count = (page: Page, text: string) => page.getByRole("status").filter({ hasText: new RegExp(`^${text}$`) });

test.describe("dashboard", () => {
  test("filter by name and sort by name", async ({ page, problems }) => {
    test.slow();
    await createNamed(page, "charlie");
    await createNamed(page, "Alpha");
    await createNamed(page, "bravo");
    await openApp(page);
    await expect(count(page, "3 integrations")).toBeVisible();
    // Default: last updated, newest first.
    await expect(names(page)).toHaveText(["bravo", "Alpha", "charlie"]);

    const sort = page.getByRole("combobox", { name: "Sort by" });
    await sort.selectOption({ label: "Name (A–Z)" });
    await expect(names(page)).toHaveText(["Alpha", "bravo", "charlie"]);
    await sort.selectOption({ label: "Name (Z–A)" });
    await expect(names(page)).toHaveText(["charlie", "bravo", "Alpha"]);

    const filter = page.getByRole("searchbox", { name: "Filter by name" });
    await filter.fill("RAV");
    await expect(names(page)).toHaveText(["bravo"]);
    await expect(count(page, "1 of 3 integrations")).toBeVisible();
    await filter.fill("h");
    await expect(names(page)).toHaveText(["charlie", "Alpha"]);
    await expect(count(page, "2 of 3 integrations")).toBeVisible();
    await filter.fill("zzz");
    await expect(names(page)).toHaveCount(0);
    await expect(count(page, "0 of 3 integrations")).toBeVisible();
    await filter.fill("");
    await expect(names(page)).toHaveText(["charlie", "bravo", "Alpha"]);

    await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Published" });
    await expect(names(page)).toHaveCount(0);
    await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Draft" });
    await expect(names(page)).toHaveCount(3);
    await expectNoAxeViolations(page);

    // A name link opens the wizard on that integration.
    await names(page).filter({ hasText: "bravo" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
    await expect(page.getByRole("checkbox", { name: "OIDC", exact: true })).toBeChecked();
    expect(problems).toEqual([]);
  });

  test("Test your integration on an incomplete integration lands on its first incomplete page", async ({ page }) => {
    test.slow();
    // No protocol yet → Select protocol.
    await buildNew(page);
    await step(page, "Configure your integration").click();
    await textbox(region(page, "Catalog properties"), "Display name").fill("No protocol yet");
    await expectSaved(page);
    // Protocol chosen, configuration incomplete → Configure.
    await createNamed(page, "Half configured");
    // Configuration complete, no test details → Test information.
    await buildNew(page);
    await chooseProtocols(page, ["SCIM 2.0"]);
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await fillConfigure(page, configureValues(["SCIM 2.0"], "Configured SCIM"));
    await expectSaved(page);
    await page.getByRole("button", { name: "Get started with testing" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Test information" })).toBeVisible();
    await expectSaved(page);

    const cases: [string, RegExp, string][] = [
      ["No protocol yet", /\/protocol$/, "Select protocol"],
      ["Half configured", /\/configure$/, "Configure your integration"],
      ["Configured SCIM", /\/test-info$/, "Test information"],
    ];
    for (const [name, url, heading] of cases) {
      await openApp(page);
      const more = page.getByRole("button", { name: `More actions for ${name}` });
      await expect(more).toHaveAttribute("aria-expanded", "false");
      await more.click();
      await expect(more).toHaveAttribute("aria-expanded", "true");
      await page.getByRole("button", { name: "Test your integration" }).click();
      await expect(page).toHaveURL(url);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    }
  });

  // App bug: the dashboard sets AppState.notice and navigates, but only the dashboard renders
  // the notice (src/ui/pages/dashboard.rs); the wizard never shows it (and it stays for later).
  test("Test your integration says on the landing page what is still missing", async ({ page }) => {
    // SPEC 2: "otherwise it lands on the first page that still misses something, saying what".
    await createNamed(page, "Half configured");
    await page.getByRole("button", { name: "More actions for Half configured" }).click();
    await page.getByRole("button", { name: "Test your integration" }).click();
    await expect(page).toHaveURL(/\/configure$/);
    await expect(page.getByText(/Description is required/).first()).toBeVisible();
    await expect(page.getByText(/Logo is required/).first()).toBeVisible();
    // A one-time message: back on the dashboard it is gone.
    await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    await expect(page.getByText(/Still missing/)).toHaveCount(0);
  });

  // App bug: leaving the wizard runs Editor::save_now from on_cleanup (src/ui/wizard.rs), but
  // the dashboard's list (src/ui/pages/dashboard.rs) is fetched before that save lands and is
  // never refreshed, so it shows the old name until a reload.
  test("leaving the wizard right after an edit, the dashboard shows the edit", async ({ page }) => {
    await buildNew(page);
    await chooseProtocols(page, ["OIDC"]);
    await step(page, "Configure your integration").click();
    await textbox(region(page, "Catalog properties"), "Display name").fill("Left quickly");
    await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    await expect(names(page)).toHaveText(["Left quickly"]);
  });
});
