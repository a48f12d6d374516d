import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";

test.describe("app shell", () => {
  test("dashboard renders under the strict CSP with no console errors", async ({ page, problems }) => {
    const response = await page.goto("/");
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("empty dashboard offers Build new OIN integration", async ({ page, problems }) => {
    await openApp(page);
    await expect(page.getByText("You have no integrations yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "Build new OIN integration" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("header shows the signed-in user", async ({ page }) => {
    await openApp(page);
    await expect(page.getByRole("banner").getByText(/Signed in as .+@.+/)).toBeVisible();
  });

  test("dashboard has no axe violations", async ({ page }) => {
    await openApp(page);
    await expect(page.getByRole("button", { name: "Build new OIN integration" })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("an unknown URL shows the not-found page", async ({ page, problems }) => {
    await openApp(page, "/no/such/page");
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Go to your OIN integrations" })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: "Go to your OIN integrations" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("deep links survive a reload", async ({ page }) => {
    await openApp(page, "/no/such/page");
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await openApp(page, "/");
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  });

  test("a missing asset is a real 404, not the app", async ({ request }) => {
    const res = await request.get("/missing-file.js");
    expect(res.status()).toBe(404);
  });

  test("keyboard: skip link reaches the main content", async ({ page }) => {
    await openApp(page);
    // The dashboard must be there before Tab can reach its first control.
    await expect(page.getByRole("button", { name: "Build new OIN integration" })).toBeVisible();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to main content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Build new OIN integration" })).toBeFocused();
  });
});
