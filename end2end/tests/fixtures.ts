import { test as base, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Console errors, page errors and CSP violations seen during a test; each test asserts none. */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    await use(problems);
  },
});

export { expect };

/** Waits until the app has mounted (the header's product name is visible). */
export async function openApp(page: Page, path = "/") {
  await page.goto(path);
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
