// The Submit page (SPEC 5.5) and the SCIM testing section of the Test integration page
// (SPEC 5.4): the core's unmet requirements as a checklist with links to their fixes, the
// certification, Submit integration enabled only when nothing is unmet, the SCIM result links.
import { test, expect, expectNoAxeViolations, openApp, editProfile } from "./fixtures";
import type { Page } from "@playwright/test";
import { readyToTest } from "./testing-helpers";
import { expectNoProblem, expectProblem, expectSaved, region, stepper, textbox } from "./wizard-helpers";

const CERTIFY = "I certify that I have successfully completed required tests";
const stepLink = (page: Page, title: "Test integration" | "Submit") =>
  stepper(page).getByRole("link", { name: new RegExp(`^${title}`) });
const requirements = (page: Page) => region(page, "Requirements");
const submitButton = (page: Page) => page.getByRole("button", { name: "Submit integration" });

async function openSubmit(page: Page) {
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expect(requirements(page).getByRole("listitem").first()).toBeVisible();
}

test.describe("Submit page", () => {
  test("a fresh complete OIDC integration lists what is unmet, with links to the fixes", async ({ page, problems }) => {
    test.slow();
    const id = await readyToTest(page, ["OIDC"]);
    await expect(stepLink(page, "Test integration")).toContainText("Ready to test");
    await expect(stepLink(page, "Submit")).toContainText("Not submitted");
    await openSubmit(page);

    const items = requirements(page).getByRole("listitem");
    await expect(items).toHaveText([
      "No OIDC instance for the current version was detected: generate one",
      `Tick "${CERTIFY}"`,
    ]);
    await expect(requirements(page)).toContainText("2 requirements are not met yet:");
    await expect(submitButton(page)).toBeDisabled();
    // The disabled button says why: the checklist describes it.
    await expect(submitButton(page)).toHaveAccessibleDescription(/2 requirements are not met yet/);
    await expectNoAxeViolations(page);

    // Ticking the certification removes only that item.
    const certify = page.getByRole("checkbox", { name: CERTIFY });
    await certify.check();
    await expect(items).toHaveText(["No OIDC instance for the current version was detected: generate one"]);
    await expect(requirements(page)).toContainText("1 requirement is not met yet:");
    await expect(submitButton(page)).toBeDisabled();
    await expectNoAxeViolations(page);

    // The certification item links to the checkbox.
    await certify.uncheck();
    await requirements(page).getByRole("link", { name: `Tick "${CERTIFY}"` }).click();
    await expect(certify).toBeFocused();

    // The instance item leads to the Test integration page, at the Required app instances.
    const instanceLink = requirements(page).getByRole("link", { name: /^No OIDC instance/ });
    await expect(instanceLink).toHaveAttribute("href", `/integrations/${id}/test#field-instances-current-oidc`);
    await instanceLink.click();
    await expect(page).toHaveURL(new RegExp(`/integrations/${id}/test#field-instances-current-oidc$`));
    await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("a personal-mail account gets the core's message and cannot submit", async ({ page, problems }) => {
    test.slow();
    await readyToTest(page, ["OIDC"]);
    await editProfile(page, { email: "dev.person@gmail.com" });
    await openSubmit(page);
    await expect(requirements(page).getByRole("listitem").first()).toHaveText(
      /^You are signed in as dev\.person@gmail\.com, a personal email address\. The catalog team only reviews submissions made from an account with your company's email domain/,
    );
    await page.getByRole("checkbox", { name: CERTIFY }).check();
    await expect(submitButton(page)).toBeDisabled();
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });
});

test("a submission in OIN to review says so and offers Close wizard only", async ({ page, problems }) => {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await page.getByRole("link", { name: "Blueberry HR" }).click();
  await stepLink(page, "Submit").click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  await expect(stepLink(page, "Submit")).toContainText("Submitted");
  await expect(page.getByRole("status").filter({ hasText: "the catalog team reviews it now. Status: OIN to review" })).toBeVisible();
  await expect(submitButton(page)).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: CERTIFY })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Close wizard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Blueberry HR" })).toContainText("OIN to review");
  expect(problems).toEqual([]);
});

test.describe("SCIM testing", () => {
  test("the result links are validated, listed on the Submit page until valid, and saved", async ({ page, problems }) => {
    test.slow();
    const id = await readyToTest(page, ["SCIM 2.0"]);
    const scim = region(page, "SCIM testing");
    await expect(scim).toContainText("Manual test plan");
    const spec = textbox(scim, "Link to the SCIM API specification test results");
    const crud = textbox(scim, "Link to the CRUD test results");
    await expect(spec).toHaveValue("");
    await expectNoAxeViolations(page);

    await spec.fill("http://results.example.com/spec-run/42");
    await expectProblem(spec, "Link to the SCIM API specification test results must use https://, not http://");
    await crud.fill("results.example.com/crud");
    await expectProblem(crud, 'Link to the CRUD test results "results.example.com/crud" is not a complete URL; start it with https://');
    await expectSaved(page);
    await expectNoAxeViolations(page);

    // The Submit page lists both, each linking to its field.
    await openSubmit(page);
    const items = requirements(page).getByRole("listitem");
    await expect(items.filter({ hasText: "Link to the SCIM API specification test results must use https://, not http://" })).toHaveCount(1);
    await expect(items.filter({ hasText: "Link to the CRUD test results" })).toHaveCount(1);
    await expect(items.filter({ hasText: "No SCIM 2.0 instance for the current version was detected: generate one" })).toHaveCount(1);
    await expect(submitButton(page)).toBeDisabled();
    await expectNoAxeViolations(page);
    await requirements(page).getByRole("link", { name: /^Link to the CRUD test results/ }).click();
    await expect(page).toHaveURL(new RegExp(`/integrations/${id}/test#field-scimTestResults-crudResultsUrl$`));
    await expect(crud).toBeFocused();

    // Valid links clear the problems and survive a reload.
    await spec.fill("https://results.example.com/spec-run/42");
    await expectNoProblem(spec);
    await crud.fill("https://results.example.com/crud-run/7");
    await expectNoProblem(crud);
    await expectSaved(page);
    await page.reload();
    await expect(spec).toHaveValue("https://results.example.com/spec-run/42");
    await expect(crud).toHaveValue("https://results.example.com/crud-run/7");
    await expectNoProblem(spec);
    await expectNoAxeViolations(page);

    await openSubmit(page);
    await expect(requirements(page).getByRole("listitem").filter({ hasText: /test results/ })).toHaveCount(0);
    expect(problems).toEqual([]);
  });
});
