// Smaller behaviours of the wizard pages: the logo drop zone, the "Instructions for" panel
// following the user, and the more-menu by keyboard.
import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";
import { buildNew, chooseProtocols, expectSaved, newOnConfigure, png, region, step, tabTo, textbox } from "./wizard-helpers";

test("a logo dropped on the drop zone is checked and previewed like a chosen one", async ({ page }) => {
  await newOnConfigure(page, ["OIDC"]);
  const catalog = region(page, "Catalog properties");
  const bytes = [...png(200, 200)];
  const data = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "dropped.png", { type: "image/png" }));
    return dt;
  }, bytes);
  const zone = catalog.getByText("or drop a file here");
  await zone.dispatchEvent("dragover", { dataTransfer: data });
  await zone.dispatchEvent("drop", { dataTransfer: data });
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();
  await expect(catalog.getByText(/^dropped\.png — 200×200 pixels/)).toBeVisible();
  await expectSaved(page);
  await page.reload();
  await expect(region(page, "Catalog properties").getByText(/^dropped\.png — 200×200 pixels/)).toBeVisible();
});

test("Instructions for: starts on the first chosen protocol and follows the user through the wizard", async ({ page }) => {
  await buildNew(page);
  await chooseProtocols(page, ["SAML 2.0", "SCIM 2.0"]);
  const panel = page.getByRole("complementary", { name: "Instructions for" });
  const select = panel.getByRole("combobox", { name: "Instructions for" });
  await expect(select).toHaveValue("saml");
  await expect(panel.getByRole("listitem").filter({ hasText: "Signatures use SHA-256 only." })).toBeVisible();
  await select.selectOption({ label: "SCIM 2.0" });
  await expect(panel.getByRole("listitem").filter({ hasText: /Basic authentication is not offered/ })).toBeVisible();
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
  await expect(select).toHaveValue("scim");
  await step(page, "Test information").click();
  await expect(select).toHaveValue("scim");
  await expect(panel.getByRole("listitem").filter({ hasText: /Basic authentication is not offered/ })).toBeVisible();
});

test("the more-menu works by keyboard", async ({ page }) => {
  await newOnConfigure(page, ["OIDC"]);
  await textbox(region(page, "Catalog properties"), "Display name").fill("Menu Co");
  await expectSaved(page);
  await openApp(page);
  const more = page.getByRole("button", { name: "More actions for Menu Co" });
  await tabTo(page, more);
  await page.keyboard.press("Enter");
  await expect(more).toHaveAttribute("aria-expanded", "true");
  const item = page.getByRole("button", { name: "Test your integration" });
  await tabTo(page, item);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/configure$/);
});

test("SCIM operations: Read and Import are always on; group operations are all on by default", async ({ page }) => {
  await newOnConfigure(page, ["SCIM 2.0"]);
  const scim = region(page, "SCIM 2.0 properties");
  const users = scim.getByRole("group", { name: "User operations" });
  for (const locked of ["Read", "Import users"]) {
    const box = users.getByRole("checkbox", { name: locked, exact: true });
    await expect(box).toBeChecked();
    await expect(box).toBeDisabled();
  }
  await expect(users.getByRole("checkbox", { name: "Read", exact: true })).toHaveAccessibleDescription(/Read is always on/);
  await expect(scim.getByRole("checkbox", { name: "Users", exact: true })).toBeDisabled();
  await expect(scim.getByRole("group", { name: "Group operations" })).toHaveCount(0);
  await scim.getByRole("checkbox", { name: "Groups", exact: true }).check();
  const groups = scim.getByRole("group", { name: "Group operations" });
  for (const name of ["Create", "Read", "Update (uses PATCH)", "Delete", "Import groups"]) {
    await expect(groups.getByRole("checkbox", { name, exact: true })).toBeChecked();
  }
  await expect(groups.getByRole("checkbox", { name: "Import groups", exact: true })).toBeDisabled();
  // Basic authentication is not offered.
  await expect(scim.getByRole("radio")).toHaveCount(3);
  await expect(scim.getByRole("radio", { name: /Basic/ })).toHaveCount(0);
});

test("an unknown integration id says so, with a way back", async ({ page, problems }) => {
  await openApp(page, "/integrations/does-not-exist/configure");
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { level: 1, name: "This integration could not be opened" })).toBeVisible();
  await expect(alert).toContainText("does-not-exist");
  await expectNoAxeViolations(page);
  await alert.getByRole("link", { name: "Go to your OIN integrations" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  expect(problems).toEqual([]);
});
