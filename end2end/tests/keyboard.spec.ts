// A keyboard-only journey (issue 5, Acceptance): Tab, Shift+Tab, Space, Enter and typing only;
// no clicks. The logo's file dialog is opened from the keyboard and answered by the test, the
// way a user answers the operating system's dialog.
import { test, expect, openApp } from "./fixtures";
import { expectSaved, region, step, tabTo, textbox, validLogo } from "./wizard-helpers";

test("keyboard only: dashboard, Select protocol and Configure (OIDC) to a saved Test information page", async ({ page, problems }) => {
  test.slow();
  await openApp(page);

  // Dashboard: Build new OIN integration.
  await tabTo(page, page.getByRole("button", { name: "Build new OIN integration" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();

  // Select protocol: OIDC with Space, then the primary button with Enter.
  const oidc = page.getByRole("checkbox", { name: "OIDC", exact: true });
  await tabTo(page, oidc);
  await page.keyboard.press("Space");
  await expect(oidc).toBeChecked();
  // Shift+Tab back and forth works too.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("checkbox", { name: "SAML 2.0" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(oidc).toBeFocused();
  await tabTo(page, page.getByRole("button", { name: "Configure your integration" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();

  // Configure: the required fields.
  const catalog = region(page, "Catalog properties");
  await tabTo(page, textbox(catalog, "Display name"));
  await page.keyboard.type("Keyboard Co");
  await page.keyboard.press("Tab");
  await expect(textbox(catalog, "Description")).toBeFocused();
  await page.keyboard.type("Signs in with OIDC.");
  const logo = catalog.getByRole("button", { name: "Logo", exact: true });
  await tabTo(page, logo);
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles(validLogo());
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();

  const oidcSection = region(page, "OIDC properties");
  await tabTo(page, textbox(oidcSection, "Redirect URI 1"));
  await page.keyboard.type("https://keyboard.example.com/callback");
  await tabTo(page, textbox(oidcSection, "Configuration guide URL"));
  await page.keyboard.type("https://keyboard.example.com/guide");
  await expect(step(page, "Configure your integration")).toContainText("Complete");
  await tabTo(page, page.getByRole("button", { name: "Get started with testing" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Test information" })).toBeVisible();

  // Test information.
  await tabTo(page, textbox(page, "Account URL"));
  await page.keyboard.type("https://keyboard.example.com/login");
  await page.keyboard.press("Tab");
  await page.keyboard.type("isvtest@okta.com");
  await page.keyboard.press("Tab");
  await expect(textbox(page, "Password")).toBeFocused();
  await page.keyboard.type("kb-secret-1");
  await page.keyboard.press("Tab");
  await page.keyboard.type("help@keyboard.example.com");
  const settings = region(page, "OIDC test settings");
  const jitYes = settings.getByRole("group", { name: "JIT provisioning" }).getByRole("radio", { name: "Yes" });
  await tabTo(page, jitYes);
  await page.keyboard.press("Space");
  await expect(jitYes).toBeChecked();
  await tabTo(page, textbox(settings, "SP initiate URL"));
  await page.keyboard.type("https://keyboard.example.com/login/okta");
  await expect(step(page, "Test information")).toContainText("Complete");
  await expectSaved(page);

  for (const s of ["Select protocol", "Configure your integration", "Test information"] as const) {
    await expect(step(page, s)).toContainText("Complete");
  }
  await page.reload();
  await expect(textbox(page, "Account URL")).toHaveValue("https://keyboard.example.com/login");
  await expect(textbox(region(page, "OIDC test settings"), "SP initiate URL")).toHaveValue("https://keyboard.example.com/login/okta");
  expect(problems).toEqual([]);
});

test("keyboard: the problem summary's links move focus to the field", async ({ page }) => {
  await openApp(page);
  await tabTo(page, page.getByRole("button", { name: "Build new OIN integration" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
  await tabTo(page, page.getByRole("checkbox", { name: "OIDC", exact: true }));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Configure your integration" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
  await tabTo(page, page.getByRole("button", { name: "Get started with testing" }));
  await page.keyboard.press("Enter");
  // The summary takes focus; Tab reaches its first link; Enter focuses the field.
  const first = page.getByRole("link", { name: "Display name is required" });
  await expect(first).toBeVisible();
  await tabTo(page, first);
  await page.keyboard.press("Enter");
  await expect(textbox(region(page, "Catalog properties"), "Display name")).toBeFocused();
});

test("every link of the problem summary moves focus to its field", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  for (const p of ["OIDC", "SAML 2.0", "SCIM 2.0"]) await page.getByRole("checkbox", { name: p, exact: true }).check();
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await region(page, "Integration variables").getByRole("button", { name: "+ Add another" }).click();
  const saml = region(page, "SAML 2.0 properties");
  await saml.getByRole("button", { name: "+ Add another ACS URL" }).click();
  await saml.getByRole("button", { name: "+ Add another attribute statement" }).click();
  await saml.getByRole("button", { name: "+ Add another group attribute" }).click();
  await region(page, "SCIM 2.0 properties").getByRole("radio", { name: "OAuth 2" }).check();
  await page.getByRole("button", { name: "Get started with testing" }).click();
  const links = page.getByRole("alert").getByRole("link");
  await expect(links.first()).toBeVisible();
  const n = await links.count();
  expect(n).toBeGreaterThan(15);
  for (let i = 0; i < n; i++) {
    await links.nth(i).press("Enter");
    const focused = await page.evaluate(() => document.activeElement?.tagName ?? "");
    expect(["INPUT", "TEXTAREA", "SELECT", "FIELDSET"], `link ${i}: ${await links.nth(i).textContent()}`).toContain(focused);
  }
});
