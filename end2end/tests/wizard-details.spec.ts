// Smaller behaviours of the wizard pages: the logo drop zone, the "Instructions for" panel
// following the user, and the more-menu by keyboard.
import { test, expect, openApp } from "./fixtures";
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
