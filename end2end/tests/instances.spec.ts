// The instances half of the Test integration page (SPEC 5.2): Generate instance, the
// Required app instances box, eligibility, the 5-active limit, secrets, SCIM checks, updates.
import { test, expect, expectNoAxeViolations } from "./fixtures";
import { generateInstance, readyToTest } from "./testing-helpers";

test("generate an OIDC instance: redirect URIs, client ID, secret hidden then shown", async ({ page, problems }) => {
  await readyToTest(page, ["OIDC"]);
  const required = page.getByRole("region", { name: "Required app instances" });
  await expect(required.getByText("Missing")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await expect(dialog.getByRole("radio", { name: "OIDC", exact: true })).toBeVisible();
  await expect(dialog.getByRole("radiogroup", { name: "Version" })).toHaveCount(0);
  await expectNoAxeViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  const instance = await generateInstance(page, {
    protocol: "OIDC",
    label: "Acme test 1",
    values: { "Division subdomain": "eu" },
  });
  await expect(instance.getByRole("switch", { name: "ACTIVE" })).toBeChecked();
  await expect(required.getByText("Detected: Acme test 1")).toBeVisible();
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});
