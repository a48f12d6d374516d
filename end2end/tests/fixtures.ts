import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Console errors, page errors and CSP violations seen during a test; each test asserts none. */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("console", (msg) => {
      // A page chunk's idle prefetch that fails while the browser is offline is expected (the
      // page then loads when opened, or says it could not): not a problem of the page.
      const offlinePrefetch = /Failed to fetch/.test(msg.text()) && msg.text().includes("__wasm_split.js");
      if (msg.type() === "error" && !offlinePrefetch) problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await use(problems);
  },
});

export { expect };

/** Waits until the app has mounted (it replaced index.html's static shell; the header shows). */
export async function openApp(page: Page, path = "/") {
  await page.goto(path);
  await expect(page.locator("#skeleton")).toHaveCount(0);
  await expect(page.getByRole("banner").getByText("OIN Wizard", { exact: true })).toBeVisible();
}

/** Runs axe (WCAG 2.1 AA and best practices) and fails with readable violations. */
export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary).toEqual([]);
}

/**
 * Changes the signed-in user through the header's Profile dialog: the email, and roles by
 * their checkbox label ("Super admin", "App admin", "Catalog reviewer"…) set on or off.
 */
export async function editProfile(page: Page, change: { email?: string; roles?: Record<string, boolean> }) {
  await page.getByRole("button", { name: "Profile" }).click();
  const dialog = page.getByRole("dialog", { name: "Your profile" });
  if (change.email !== undefined) await dialog.getByRole("textbox", { name: "Email" }).fill(change.email);
  for (const [role, on] of Object.entries(change.roles ?? {})) {
    await dialog.getByRole("checkbox", { name: role, exact: true }).setChecked(on);
  }
  await dialog.getByRole("button", { name: "Save profile" }).click();
  await expect(dialog).toBeHidden();
}
