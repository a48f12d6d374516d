import { test, expect, openApp } from "./fixtures";
import type { Page } from "@playwright/test";

// SPEC 6: the expression preview shows what a customer gets, as the developer types, for
// every example the SPEC gives (the same table as src/expr/examples.rs).
type Row = { source: string; variable: [string, string]; expected: string };

const oidc: Row[] = [
  { source: "https://{app.subdomain}.example.org/strawberry/login", variable: ["subdomain", "berryfarm"], expected: "https://berryfarm.example.org/strawberry/login" },
  { source: "{String.stringContains(app.environment, 'PROD') ? 'https://app.data.one/' : 'https://app-sandbox.data.one/'}", variable: ["environment", "PROD"], expected: "https://app.data.one/" },
  { source: "https://{String.len(app.companyid) == 0 ? 'login.myapp.io' : 'login.myapp.io?connection=' + app.companyid}", variable: ["companyid", ""], expected: "https://login.myapp.io" },
  { source: '{String.substring("This is a test", 2, 9)}', variable: ["unused", ""], expected: "is is a" },
  { source: '{String.substringAfter("abc@okta.com", "@")}', variable: ["unused", ""], expected: "okta.com" },
  { source: '{String.stringSwitch("First match wins", "default", "absent", "value1", "wins", "value2", "match", "value3")}', variable: ["unused", ""], expected: "value2" },
];
const saml: Row[] = [
  { source: "https://${org.subdomain}.example.org/strawberry/login", variable: ["subdomain", "berryfarm"], expected: "https://berryfarm.example.org/strawberry/login" },
  { source: "${empty org.baseurl ? 'https://app.mydomain.com' : org.baseurl}", variable: ["baseurl", ""], expected: "https://app.mydomain.com" },
  { source: "${fn:substringAfter(org.base_url, '//')}", variable: ["base_url", "https://acme.example.com"], expected: "acme.example.com" },
  { source: "https://${fn:contains(org.environment, 'production') ? 'productiondomain.com' : 'previewdomain.com'}/sso/saml", variable: ["environment", "production"], expected: "https://productiondomain.com/sso/saml" },
  { source: "https://${empty org.companyid ? 'login.myapp.io' : 'login.myapp.io?connection=' += org.companyid}", variable: ["companyid", "acme"], expected: "https://login.myapp.io?connection=acme" },
  { source: "https://${fn:endsWith(org.site_url, 'host1.com') ? 'host1.com' : fn:endsWith(org.site_url, 'host2.com') ? 'host2.com' : '.host.com'}/sso/saml", variable: ["site_url", "a.host2.com"], expected: "https://host2.com/sso/saml" },
];
const scim: Row[] = [
  { source: "'https://' + app.subdomain + '.example.org/strawberry/scim2/'", variable: ["subdomain", "berryfarm"], expected: "https://berryfarm.example.org/strawberry/scim2/" },
  { source: "'https://' + (app.region == 'us' ? 'myfruit' : 'myveggie') + '.example.com/strawberry/oauth/token'", variable: ["region", "us"], expected: "https://myfruit.example.com/strawberry/oauth/token" },
  { source: "(String.len(app.baseurl) == 0 ? 'https://fruit.example.com/scim2/' : app.baseurl) + 'v1/oauth_token'", variable: ["baseurl", ""], expected: "https://fruit.example.com/scim2/v1/oauth_token" },
  { source: "'https://fruits.example.com/scim2/myapp' + (String.len(app.companyid) == 0 ? '/' : '?connection=' + app.companyid)", variable: ["companyid", "acme"], expected: "https://fruits.example.com/scim2/myapp?connection=acme" },
  { source: "(String.stringContains(app.environment,\"PROD\") ? 'https://fruit.example.com' : 'https://fruit-sandbox.example.com') + '/v1/oauth2/token'", variable: ["environment", "PROD"], expected: "https://fruit.example.com/v1/oauth2/token" },
];

async function newIntegration(page: Page, protocol: string) {
  await openApp(page);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  await page.getByLabel(protocol, { exact: true }).check();
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
  await page.getByRole("button", { name: "+ Add another" }).first().click();
  await page.getByRole("group", { name: "Variable 1" }).getByLabel("Label", { exact: true }).fill("Tenant value");
}

async function checkRows(page: Page, field: string, rows: Row[]) {
  const variable = page.getByRole("group", { name: "Variable 1" }).getByLabel("Name", { exact: true });
  for (const row of rows) {
    const [name, value] = row.variable;
    await variable.fill(name);
    await page.getByLabel(`Preview value for ${name}`).fill(value);
    await page.getByLabel(field, { exact: true }).fill(row.source);
    const preview = page.getByText("A customer with the preview values gets:").locator("..");
    await expect(preview, row.source).toContainText(row.expected);
  }
}

test("OIDC examples preview as documented", async ({ page, problems }) => {
  await newIntegration(page, "OIDC");
  await checkRows(page, "Redirect URI 1", oidc);
  expect(problems).toEqual([]);
});

test("SAML examples preview as documented", async ({ page, problems }) => {
  await newIntegration(page, "SAML 2.0");
  await checkRows(page, "Default ACS URL", saml);
  expect(problems).toEqual([]);
});

test("SCIM examples preview as documented", async ({ page, problems }) => {
  await newIntegration(page, "SCIM 2.0");
  await checkRows(page, "Base URL", scim);
  expect(problems).toEqual([]);
});

test("a wrong part is underlined and explained with its fix", async ({ page }) => {
  await newIntegration(page, "SAML 2.0");
  await page.getByRole("group", { name: "Variable 1" }).getByLabel("Name", { exact: true }).fill("subdomain");
  await page.getByLabel("Default ACS URL").fill("https://${app.subdomain}.example.org/sso");
  await expect(page.getByText("The problem is at the marked part:")).toBeAttached();
  await expect(page.locator("mark")).toHaveText("app.subdomain");
  await expect(page.getByText(/org\.subdomain/).first()).toBeVisible();
  await page.getByLabel("Default ACS URL").fill("${'https://' + org.subdomain}");
  await expect(page.getByText(/\+=/).first()).toBeVisible();
});
