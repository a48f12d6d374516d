// Acceptance (issue 6): the 48-hour rule under a controlled clock, Update instance details
// clearing results, the update journey of a published integration (publish via the Review
// desk, Edit integration, test both versions, resubmit), and keyboard-only Run test and Submit.
import { expect, expectNoAxeViolations, openApp, test, editProfile } from "./fixtures";
import type { Page } from "@playwright/test";
import {
  addToTester,
  caseRow,
  fakeSignInPages,
  generateInstance,
  readyToTest,
  runCase,
  submitAndClose,
} from "./testing-helpers";

const VALUES = { "Division subdomain": "acme" };
const CERTIFY = "I certify that I have successfully completed required tests";

/** OIDC without JIT: two cases (IdP, SP). */
const oidcNoJit = {
  testInfo: (v: { oidc?: { jit: "Yes" | "No" } }) => {
    if (v.oidc) v.oidc.jit = "No";
  },
};

async function passedOidc(page: Page, name: string) {
  const id = await readyToTest(page, ["OIDC"], { name, ...oidcNoJit });
  await generateInstance(page, { protocol: "OIDC", label: `${name} test`, values: VALUES });
  await addToTester(page, `${name} test`);
  await runCase(page, "OIDC", "IdP flow");
  await runCase(page, "OIDC", "SP flow");
  return id;
}

test.describe("test rules", () => {
  test.beforeEach(async ({ page }) => {
    await fakeSignInPages(page);
  });

  test("48 hours: a pass from 47 hours ago counts, one from 49 hours ago blocks Submit and says why", async ({ page, problems }) => {
    test.slow();
    await passedOidc(page, "Clockwork");
    // The fake clock starts now, once the passes are recorded (installed before the wizard,
    // its timer ids would be too large for the editor's debounce handles).
    await page.clock.install();
    await page.clock.fastForward("47:00:00");
    await expect(caseRow(page, "OIDC", "SP flow")).toContainText(/Passed — 0 h 5\d min left|Passed — 1 h 0 min left/);
    await page.getByRole("link", { name: "Next: Submit" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
    await page.getByRole("checkbox", { name: CERTIFY }).check();
    const submit = page.getByRole("button", { name: "Submit integration" });
    await expect(submit).toBeEnabled();
    await page.clock.fastForward("02:00:00");
    await expect(submit).toBeDisabled();
    await expect(page.getByRole("link", { name: /OIDC test "SP flow" for the current version passed more than 48 hours ago: run it again/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /OIDC test "IdP flow" for the current version passed more than 48 hours ago: run it again/ })).toBeVisible();
    await expectNoAxeViolations(page);
    // The link leads to the case, which says so too.
    await page.getByRole("link", { name: /"SP flow" for the current version passed more than 48 hours ago/ }).click();
    await expect(caseRow(page, "OIDC", "SP flow")).toContainText("Expired — run again");
    expect(problems).toEqual([]);
  });

  test("Update instance details warns, then clears that instance's results", async ({ page, problems }) => {
    test.slow();
    await passedOidc(page, "Renamer");
    const instance = page.getByRole("region", { name: "Renamer test", exact: true });
    await instance.getByRole("button", { name: "Update instance details" }).click();
    await instance.getByRole("textbox", { name: "Application label", exact: true }).fill("Renamer test 2");
    await instance.getByRole("button", { name: "Save instance details" }).click();
    await expect(page.getByText(/removes .*2 test results/i)).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Save anyway" }).click();
    await expect(page.getByRole("region", { name: "Renamer test 2", exact: true })).toBeVisible();
    await expect(caseRow(page, "OIDC", "IdP flow")).toContainText("Not run");
    await expect(caseRow(page, "OIDC", "SP flow")).toContainText("Not run");
    expect(problems).toEqual([]);
  });

  test("update journey: publish via the Review desk, Edit integration, test both versions, resubmit", async ({ page, problems }) => {
    test.slow();
    const name = "Evergreen";
    await passedOidc(page, name);
    await submitAndClose(page, name);

    // The catalog team publishes it.
    await editProfile(page, { roles: { "Catalog reviewer": true } });
    await page.getByRole("banner").getByRole("link", { name: "Review desk" }).click();
    await page.getByRole("region", { name }).getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${name}: Published` })).toBeVisible();
    await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
    const row = page.getByRole("table", { name: "Your OIN integrations" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("Published");

    // Edit integration: a Draft; the instance generated before publishing is of the published
    // version, so no "Application instance not detected" dialog… unless none exists. Here the
    // earlier instance was generated from the version that got published.
    await row.getByRole("link", { name }).click();
    await expect(page.getByText("This integration is read-only.")).toBeVisible();
    await page.getByRole("button", { name: "Edit integration" }).click();
    await expect(page.getByText("This integration is read-only.")).toHaveCount(0);
    // Configure warns about what would break for customers of the published version.
    await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Configure your integration/ }).click();
    const vars = page.getByRole("region", { name: "Integration variables", exact: true });
    const name1 = vars.getByRole("group", { name: "Variable 1" }).getByRole("textbox", { name: "Name", exact: true });
    await name1.fill("subdomain_eu");
    await expect(page.getByText(/Variable "subdomain_div1" of the published version is gone/)).toBeVisible();
    await name1.fill("subdomain_div1");
    await expect(page.getByText(/Variable "subdomain_div1" of the published version is gone/)).toHaveCount(0);
    await vars.getByRole("button", { name: "+ Add another" }).click();
    const v2 = vars.getByRole("group", { name: "Variable 2" });
    await v2.getByRole("textbox", { name: "Label", exact: true }).fill("Region");
    await v2.getByRole("textbox", { name: "Name", exact: true }).fill("region");
    const redirect1 = page.getByRole("region", { name: "OIDC properties" }).getByRole("textbox", { name: "Redirect URI 1", exact: true });
    await vars.getByRole("textbox", { name: "Preview value for region", exact: true }).fill("eu");
    await redirect1.fill("https://{app.region}.app.example.com/oidc/callback");
    await expect(page.getByText(/Existing instances don't have app\.region yet: for them the result is/)).toBeVisible();
    await expectNoAxeViolations(page);
    await redirect1.fill("https://app.example.com/oidc/callback");
    await expect(page.getByText(/Existing instances don't have/)).toHaveCount(0);

    await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Test integration/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();

    // Both versions are required now; the current one needs a new instance.
    const required = page.getByRole("region", { name: "Required app instances" });
    await expect(required).toContainText("PUBLISHED VERSION");
    await expect(required).toContainText("CURRENT VERSION");
    await generateInstance(page, { protocol: "OIDC", label: `${name} v2 test`, values: { ...VALUES, Region: "eu" }, version: "Current version" });
    await addToTester(page, `${name} v2 test`);
    await runCase(page, "OIDC", "IdP flow");
    await runCase(page, "OIDC", "SP flow");
    await runCase(page, "OIDC", "IdP flow", { version: "PUBLISHED VERSION" });
    await runCase(page, "OIDC", "SP flow", { version: "PUBLISHED VERSION" });
    await expectNoAxeViolations(page);
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });

  test("keyboard only: Run test, Continue and Submit integration", async ({ page, problems }) => {
    test.slow();
    await readyToTest(page, ["OIDC"], { name: "Keys", ...oidcNoJit });
    await generateInstance(page, { protocol: "OIDC", label: "Keys test", values: VALUES });
    await addToTester(page, "Keys test");
    for (const caseName of ["IdP flow", "SP flow"]) {
      const run = caseRow(page, "OIDC", caseName).getByRole("button", { name: "Run test" });
      await run.focus();
      const popupOpened = page.waitForEvent("popup");
      await page.keyboard.press("Enter");
      const popup = await popupOpened;
      const panel = page.getByRole("region", { name: "Test in progress" });
      await expect(panel).toBeVisible();
      // Focus moved into the panel: Tab reaches the answer, Space picks it, Enter continues.
      const passed = panel.getByRole("radio", { name: "The user successfully signed in to your app" });
      for (let i = 0; i < 10 && !(await passed.evaluate((e) => e === document.activeElement)); i++) {
        await page.keyboard.press("Tab");
      }
      await expect(passed).toBeFocused();
      await page.keyboard.press("Space");
      await expect(passed).toBeChecked();
      const cont = panel.getByRole("button", { name: "Continue" });
      for (let i = 0; i < 10 && !(await cont.evaluate((e) => e === document.activeElement)); i++) {
        await page.keyboard.press("Tab");
      }
      await expect(cont).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(panel).toBeHidden();
      await expect(caseRow(page, "OIDC", caseName)).toContainText("Passed");
      await popup.close();
    }
    await page.getByRole("link", { name: "Next: Submit" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
    const certify = page.getByRole("checkbox", { name: CERTIFY });
    await certify.focus();
    await page.keyboard.press("Space");
    await expect(certify).toBeChecked();
    const submit = page.getByRole("button", { name: "Submit integration" });
    await expect(submit).toBeEnabled();
    await page.keyboard.press("Tab");
    await expect(submit).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByText("Submitted: the catalog team reviews it now. Status: OIN to review")).toBeVisible();
    const close = page.getByRole("button", { name: "Close wizard" });
    await close.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/$/);
    expect(problems).toEqual([]);
  });
});

test("the dashboard's Test your integration opens the Test integration page of a complete integration", async ({ page }) => {
  test.slow();
  await readyToTest(page, ["SCIM 2.0"], { name: "Shortcut" });
  await openApp(page);
  await page.getByRole("button", { name: "More actions for Shortcut" }).click();
  await page.getByRole("button", { name: "Test your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
});
