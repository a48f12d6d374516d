// axe in the dark theme (prefers-color-scheme: dark): the same WCAG 2.1 AA checks as
// a11y.spec.ts, on the states whose colours differ most — status badges, problems and notices,
// instance cards, the tester's cases and run panel, the Submit checklist.
import { test, expect, openApp, expectNoAxeViolations } from "./fixtures";
import { addToTester, caseRow, fakeSignInPages, generateInstance, readyToTest } from "./testing-helpers";
import { buildNew, summary } from "./wizard-helpers";

test.use({ colorScheme: "dark" });

/** The dark theme really applies: the page background is the dark token (--color-bg). */
async function expectDark(page: import("@playwright/test").Page) {
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe("rgb(21, 22, 26)");
}

test("dark theme: dashboard with every status, and a page with problems", async ({ page, problems }) => {
  await openApp(page);
  await expectDark(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  const table = page.getByRole("table", { name: "Your OIN integrations" });
  for (const status of ["Draft", "OIN to review", "ISV to review", "Published"]) {
    await expect(table.getByText(status, { exact: true })).toBeVisible();
  }
  await expectNoAxeViolations(page);

  await buildNew(page);
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await expect(summary(page)).toBeVisible();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("dark theme: instance card, tester, Test in progress and Submit", async ({ page, problems }) => {
  test.slow();
  await fakeSignInPages(page);
  await readyToTest(page, ["OIDC"]);
  await generateInstance(page, { protocol: "OIDC", label: "Dark test" });
  await addToTester(page, "Dark test");
  await expectNoAxeViolations(page);

  const row = caseRow(page, "OIDC", "IdP flow");
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  const panel = page.getByRole("region", { name: "Test in progress" });
  await expect(panel).toBeVisible();
  await expectNoAxeViolations(page);
  await panel.getByRole("radio", { name: "The sign-in failed" }).check();
  await panel.getByRole("textbox", { name: "What went wrong" }).fill("The app showed an error page");
  await panel.getByRole("button", { name: "Continue" }).click();
  await expect(row).toContainText("Failed: The app showed an error page");
  await popup.close();
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});
