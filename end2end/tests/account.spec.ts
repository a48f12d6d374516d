import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";

// SPEC 1 (roles, the signed-in user) and the embedded backend's start-up.

test("without IndexedDB the app says why instead of a blank page", async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", { value: undefined, configurable: true });
  });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "The OIN Wizard could not start" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("IndexedDB");
});

test("the profile dialog changes the signed-in user's email and roles", async ({ page, problems }) => {
  await openApp(page);
  await expect(page.getByRole("banner")).toContainText("Signed in as developer@example.com");
  await page.getByRole("button", { name: "Profile" }).click();
  const dialog = page.getByRole("dialog", { name: "Your profile" });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await dialog.getByLabel("Email").fill("not an email");
  await dialog.getByRole("button", { name: "Save profile" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await dialog.getByLabel("Email").fill("dana@vendor.example");
  await dialog.getByRole("button", { name: "Save profile" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("banner")).toContainText("Signed in as dana@vendor.example");
  await page.reload();
  await expect(page.getByRole("banner")).toContainText("Signed in as dana@vendor.example");
  expect(problems).toEqual([]);
});

test("a user without an editing role sees the wizard read-only, with the reason", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  await expect(page.getByRole("heading", { name: "Select protocol" })).toBeVisible();
  await page.getByRole("button", { name: "Profile" }).click();
  const dialog = page.getByRole("dialog", { name: "Your profile" });
  await dialog.getByLabel("Super admin").uncheck();
  // No role at all: not even the list (SPEC 1); App admin alone would view and edit.
  await expect(dialog.getByText("Listing and opening OIN integrations needs the super admin or app admin role: ask an org administrator to assign one")).toBeVisible();
  await dialog.getByLabel("App admin").check();
  await expect(dialog.getByText(/can view and edit \(app admin\) but not test or submit/)).toBeVisible();
  await dialog.getByLabel("App admin").uncheck();
  await dialog.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("note")).toContainText("Viewing and editing submissions needs the super admin or app admin role");
  await expect(page.getByLabel("OIDC", { exact: true })).toBeDisabled();
  // App admin alone may edit (SPEC 1).
  await page.getByRole("button", { name: "Profile" }).click();
  await dialog.getByLabel("App admin").check();
  await dialog.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByLabel("OIDC", { exact: true })).toBeEnabled();
});

test("sample integrations: one per status, and a published one opens read-only with Edit integration", async ({ page, problems }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  const table = page.getByRole("table", { name: "Your OIN integrations" });
  for (const status of ["Draft", "OIN to review", "ISV to review", "Published"]) {
    await expect(table.getByText(status, { exact: true })).toBeVisible();
  }
  await expectNoAxeViolations(page);
  await table.getByRole("link", { name: "Raspberry Suite" }).click();
  await expect(page.getByRole("note")).toContainText("This integration is read-only.");
  await expect(page.getByLabel("OIDC", { exact: true })).toBeDisabled();
  await page.getByRole("button", { name: "Edit integration" }).click();
  // No instance of the published version in the org yet (SPEC 2): the dialog says so.
  const dialog = page.getByRole("dialog", { name: "Application instance not detected" });
  await dialog.getByRole("button", { name: "Not now" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("note")).toBeHidden();
  await expect(page.getByLabel("OIDC", { exact: true })).toBeEnabled();
  await page.getByRole("link", { name: "OIN Wizard" }).click();
  const row = page.getByRole("row").filter({ hasText: "Raspberry Suite" });
  await expect(row.getByText("Draft", { exact: true })).toBeVisible();
  const today = new Date().toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
  await expect(row.getByText(today)).toBeVisible();
  expect(problems).toEqual([]);
});

test("the dashboard filters by name and status and sorts", async ({ page }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  const links = page.getByRole("table", { name: "Your OIN integrations" }).getByRole("link");
  await expect(links).toHaveCount(4);
  await page.getByLabel("Filter by name").fill("berry");
  await expect(links).toHaveCount(4);
  await page.getByLabel("Filter by name").fill("blue");
  await expect(links).toHaveText(["Blueberry HR"]);
  await page.getByLabel("Filter by name").fill("");
  await page.getByLabel("Status").selectOption({ label: "Published" });
  await expect(links).toHaveText(["Raspberry Suite"]);
  await page.getByLabel("Status").selectOption({ label: "All statuses" });
  await page.getByLabel("Sort by").selectOption({ label: "Name (A–Z)" });
  await expect(links).toHaveText(["Blueberry HR", "Cranberry Directory", "Raspberry Suite", "Strawberry Fields"]);
  await expect(page.getByText("4 integrations")).toBeVisible();
});
