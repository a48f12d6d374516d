// The expression preview shows the SPEC section 6 examples' results (issue 5, Acceptance): the
// URL a customer gets with the preview values, entered once for the whole page.
import { test, expect } from "./fixtures";
import type { Locator, Page } from "@playwright/test";
import { type ProtocolName, newOnConfigure, region, textbox } from "./wizard-helpers";

/** Adds integration variables and gives each its preview value. */
async function variables(page: Page, values: Record<string, string>) {
  const vars = region(page, "Integration variables");
  for (const [i, [name, value]] of Object.entries(values).entries()) {
    await vars.getByRole("button", { name: "+ Add another" }).click();
    const row = vars.getByRole("group", { name: `Variable ${i + 1}` });
    await textbox(row, "Label").fill(`Label ${name}`);
    await textbox(row, "Name").fill(name);
    await textbox(vars, `Preview value for ${name}`).fill(value);
  }
}

const gets = (scope: Locator, result: string) =>
  scope.getByRole("paragraph").filter({ hasText: `A customer with the preview values gets: ${result}` });

async function setup(page: Page, protocols: ProtocolName[], values: Record<string, string>) {
  await newOnConfigure(page, protocols);
  await variables(page, values);
}

test.describe("expression preview (SPEC 6 examples)", () => {
  test("OIDC redirect URI with app.subdomain", async ({ page }) => {
    await setup(page, ["OIDC"], { subdomain: "berryfarm" });
    const oidc = region(page, "OIDC properties");
    await textbox(oidc, "Redirect URI 1").fill("https://{app.subdomain}.example.org/strawberry/login");
    await expect(gets(oidc, "https://berryfarm.example.org/strawberry/login")).toBeVisible();
    // The preview follows the preview value.
    await textbox(region(page, "Integration variables"), "Preview value for subdomain").fill("applefarm");
    await expect(gets(oidc, "https://applefarm.example.org/strawberry/login")).toBeVisible();
  });

  test("OIDC String.stringContains and the backwards-compatible String.len form", async ({ page }) => {
    await setup(page, ["OIDC"], { environment: "PROD-EU", company_id: "acme" });
    const oidc = region(page, "OIDC properties");
    await textbox(oidc, "Redirect URI 1").fill(
      "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}",
    );
    await expect(gets(oidc, "https://app.data.one/")).toBeVisible();
    await textbox(oidc, "Initiate login URI").fill(
      "https://{String.len(app.company_id) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.company_id}",
    );
    await expect(gets(oidc, "https://login.myapp.io?connection=acme")).toBeVisible();
    await textbox(region(page, "Integration variables"), "Preview value for company_id").fill("");
    await expect(gets(oidc, "https://login.myapp.io")).toBeVisible();
  });

  test("SAML ACS URLs with ${org.…}, empty and fn:contains", async ({ page }) => {
    await setup(page, ["SAML 2.0"], { subdomain: "berryfarm", environment: "production", base_url: "" });
    const saml = region(page, "SAML 2.0 properties");
    await textbox(saml, "Default ACS URL").fill("https://${org.subdomain}.example.org/strawberry/login");
    await expect(gets(saml, "https://berryfarm.example.org/strawberry/login")).toBeVisible();
    await saml.getByRole("button", { name: "+ Add another ACS URL" }).click();
    await saml.getByRole("button", { name: "+ Add another ACS URL" }).click();
    const row1 = saml.getByRole("group", { name: "ACS URL row 1" });
    await textbox(row1, "ACS URL").fill("${empty org.base_url ? 'https://app.mydomain.com' : org.base_url}");
    await expect(gets(row1, "https://app.mydomain.com")).toBeVisible();
    const row2 = saml.getByRole("group", { name: "ACS URL row 2" });
    await textbox(row2, "ACS URL").fill(
      "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml",
    );
    await expect(gets(row2, "https://productiondomain.com/sso/saml")).toBeVisible();
  });

  test("SCIM base URL and token endpoint as one expression", async ({ page }) => {
    await setup(page, ["SCIM 2.0"], { subdomain: "berryfarm", region: "us" });
    const scim = region(page, "SCIM 2.0 properties");
    await textbox(scim, "Base URL").fill("'https://' + app.subdomain + '.example.org/strawberry/scim2/'");
    await expect(gets(scim, "https://berryfarm.example.org/strawberry/scim2/")).toBeVisible();
    await scim.getByRole("radio", { name: "OAuth 2" }).check();
    await textbox(scim, "Token endpoint").fill(
      "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'",
    );
    await expect(gets(scim, "https://myfruit.example.com/strawberry/oauth/token")).toBeVisible();
  });
});
