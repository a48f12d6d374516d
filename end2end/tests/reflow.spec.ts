// Reflow (WCAG 2.1 SC 1.4.10): on a narrow screen no page scrolls sideways. Wide data tables
// (the tester's cases) scroll inside their own box; the dashboard's list fits a 375 px phone.
import { test, expect, expectNoAxeViolations, openApp } from "./fixtures";
import type { Page } from "@playwright/test";
import { addToTester, generateInstance, readyToTest } from "./testing-helpers";
import {
  type ProtocolName,
  configureValues,
  expectSaved,
  fillConfigure,
  fillTestInfo,
  newOnConfigure,
  step,
  summary,
  testInfoValues,
} from "./wizard-helpers";

/** The page is no wider than the screen; else names the elements that stick out. */
async function expectNoSidewaysScroll(page: Page, where: string) {
  const r = await page.evaluate(() => {
    const root = document.documentElement;
    const out = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
      .filter((e) => !e.parentElement?.closest(".table-scroll"))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (right edge ${Math.round(e.getBoundingClientRect().right)})`);
    return { scroll: root.scrollWidth, client: root.clientWidth, out };
  });
  expect({ where, ...r }).toEqual({ where, scroll: r.client, client: r.client, out: [] });
}

/**
 * Nothing is squeezed to a sliver: each instance fact's value gets at least 100 px (side by
 * side, "Authentication mode" once left its value a few letters wide), and no button is taller
 * than three lines (its label broke letter by letter).
 */
async function expectReadableCards(page: Page) {
  const slivers = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".instance-facts dd, button")]
      .filter((e) => e.offsetParent !== null && !e.closest(".table-scroll"))
      .filter((e) => (e.tagName === "DD" ? e.getBoundingClientRect().width < 100 : e.getBoundingClientRect().height > 90))
      .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 40)}" ${Math.round(e.getBoundingClientRect().width)}x${Math.round(e.getBoundingClientRect().height)}`),
  );
  expect(slivers).toEqual([]);
}

test("375 px wide: the dashboard with every status, the wizard, Test integration with the tester, Submit", async ({ page, problems }) => {
  test.slow();
  await page.setViewportSize({ width: 375, height: 800 });
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await expect(page.getByRole("table", { name: "Your OIN integrations" }).getByRole("row")).toHaveCount(5);
  await expectNoSidewaysScroll(page, "dashboard");
  await expectNoAxeViolations(page);

  await readyToTest(page, ["OIDC", "SAML 2.0"]);
  await expectNoSidewaysScroll(page, "Test integration");
  await generateInstance(page, { protocol: "OIDC", label: "Phone test" });
  await addToTester(page, "Phone test");
  await expectNoSidewaysScroll(page, "Test integration with an instance in the tester");
  await expectNoAxeViolations(page);
  // The tester's table scrolls inside its box: its last column is reachable.
  const box = page.locator(".table-scroll").first();
  expect(await box.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);

  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expectNoSidewaysScroll(page, "Submit");
  expect(problems).toEqual([]);
});

test("320 px wide: every wizard page empty, with problems and filled; Test integration with an instance; Submit", async ({ page, problems }) => {
  test.slow();
  await page.setViewportSize({ width: 320, height: 800 });
  const all: ProtocolName[] = ["OIDC", "SAML 2.0", "SCIM 2.0"];
  await newOnConfigure(page, all);
  await expectNoSidewaysScroll(page, "Configure, empty");
  await page.getByRole("button", { name: "Get started with testing" }).click();
  await expect(summary(page)).toBeVisible();
  await expectNoSidewaysScroll(page, "Configure, with problems");
  await fillConfigure(page, configureValues(all, "A rather long integration name for a phone"));
  await expectSaved(page);
  await expectNoSidewaysScroll(page, "Configure, filled");
  await step(page, "Select protocol").click();
  await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
  await expectNoSidewaysScroll(page, "Select protocol");
  await step(page, "Test information").click();
  await expect(page.getByRole("heading", { level: 1, name: "Test information" })).toBeVisible();
  await fillTestInfo(page, testInfoValues(all));
  await expectSaved(page);
  await expectNoSidewaysScroll(page, "Test information, filled");

  await page.getByRole("button", { name: "Test your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  await generateInstance(page, { protocol: "OIDC", label: "Narrow test" });
  await addToTester(page, "Narrow test");
  await expectNoSidewaysScroll(page, "Test integration with an instance in the tester");
  await generateInstance(page, { protocol: "SCIM 2.0", label: "Narrow SCIM" });
  await expectNoSidewaysScroll(page, "Test integration with a SCIM instance");
  await expectReadableCards(page);
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expectNoSidewaysScroll(page, "Submit");
  expect(problems).toEqual([]);
});
