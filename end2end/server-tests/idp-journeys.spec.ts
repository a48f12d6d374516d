// Issue 14: Run test is a real sign-in. The org on oin-server is the identity provider, and
// the "vendor apps" are third-party code from the npm registry (fixtures/vendor-apps.mjs): an
// OpenID Connect relying party on openid-client 6 and a SAML service provider on
// @node-saml/node-saml 5.1 (both signatures required). Each journey starts Run test in the
// app, signs in through the test window, and ends with the vendor app showing the signed-in
// user and the tester showing the exchange its identity provider observed, and a pass.
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { api, signIn, unique } from "./server";
import { startOidcRp, startSamlSp } from "./fixtures/vendor-apps.mjs";

test.describe.configure({ timeout: 120_000 });
// The vendor apps' self-signed loopback certificate (fixtures/vendor-apps.mjs).
test.use({ ignoreHTTPSErrors: true });

const ADMIN = "admin@example.com";
const TEST_PASSWORD = "vendor-Test-account-1";
const LOGO = "R0lGODlhyADIAIAAAAAAAP///ywAAAAAAQABAAACAkQBADs=";

type Json = Record<string, any>;

// The org has room for 5 active instances (SPEC 5.2): each test's instance is switched off
// after it, so the other specs on this server can still generate theirs.
const made: string[] = [];
test.afterEach(async () => {
  if (made.length === 0) return;
  const admin = await api(ADMIN);
  for (const id of made.splice(0)) {
    await admin.post(`/api/v1/instances/${id}/active`, { data: { active: false } });
  }
  await admin.dispose();
});

async function ok(res: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<Json> {
  expect(res.status(), `${what}: ${await res.text()}`).toBe(200);
  return res.json();
}

interface Setup {
  submissionId: string;
  instance: Json;
  orgUrl: string;
  testAccount: string;
  userId: string;
}

/** A complete integration of `protocol` whose test settings point at the vendor app, one
 * instance of it (assigned to the integration's test account unless `assign` is false) in the
 * Tester, the Tester session started. Through the API of the signed-in page's context. */
async function integration(
  page: Page,
  protocol: "oidc" | "saml",
  app: { redirectUri?: string; initiateUri?: string; entityId?: string; acsUrl?: string; loginUrl: string },
  o: { jit?: boolean; assign?: boolean } = {},
): Promise<Setup> {
  const api = page.context().request;
  const name = unique(protocol === "oidc" ? "Vendor OIDC" : "Vendor SAML");
  const testAccount = `isv-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const created = await ok(await api.post("/api/v1/submissions", { data: {} }), "create a submission");
  const s = await ok(await api.get(`/api/v1/submissions/${created.id}`), "read it");
  s.protocols = { oidc: protocol === "oidc", saml: protocol === "saml", scim: false };
  s.catalog = {
    displayName: name,
    description: "A vendor app for the identity provider journeys.",
    logo: { fileName: "vendor.gif", mediaType: "image/gif", data: LOGO },
    useCases: [],
  };
  s.testInfo = {
    accountUrl: app.loginUrl,
    username: testAccount,
    password: TEST_PASSWORD,
    supportContact: "support@example.com",
    instructions: "",
  };
  if (protocol === "oidc") {
    s.oidc = {
      redirectUris: [app.redirectUri],
      initiateLoginUri: app.initiateUri,
      postLogoutUris: [],
      configGuideUrl: "https://vendor.example/docs/okta",
    };
    s.testSettings.oidc = { jit: Boolean(o.jit), spInitiateUrl: app.loginUrl };
  } else {
    s.saml = {
      defaultAcsUrl: app.acsUrl,
      otherAcsUrls: [],
      entityId: app.entityId,
      attributeStatements: [{ name: "email", values: "${user.email}" }],
      groupAttributes: [],
      configGuideUrl: "https://vendor.example/docs/okta-saml",
    };
    s.testSettings.saml = {
      idpFlow: true,
      spFlow: true,
      jit: Boolean(o.jit),
      spInitiateUrl: app.loginUrl,
      spFlowDescription: "Open the app, choose Sign in with Okta.",
    };
  }
  await ok(await api.put(`/api/v1/submissions/${created.id}`, { data: s }), "save the integration");
  const instance = await ok(
    await api.post("/api/v1/instances", {
      data: { submissionId: created.id, version: "current", protocols: [protocol], label: name, variableValues: {} },
    }),
    "generate an instance",
  );
  made.push(instance.id);
  const user = await ok(
    await api.post("/api/v1/users", { data: { email: testAccount, firstName: "Isv", lastName: "Tester", roles: [] } }),
    "add the test account",
  );
  if (o.assign !== false) {
    await ok(
      await api.put(`/api/v1/instances/${instance.id}/assignments`, { data: { userIds: [user.id], groupIds: [] } }),
      "assign it",
    );
  }
  await ok(await api.post(`/api/v1/instances/${instance.id}/tester`, { data: {} }), "add to the Tester");
  await ok(await api.post("/api/v1/tester/session", { data: {} }), "start the Tester session");
  const view = await ok(await api.get(`/api/v1/testing/${created.id}`), "the testing view");
  return { submissionId: created.id, instance, orgUrl: view.orgUrl, testAccount, userId: user.id };
}

/** The Test integration page of the integration; answers the tester region. */
async function openTester(page: Page, id: string): Promise<Locator> {
  await page.goto(`/integrations/${id}/test`);
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  const tester = page.getByRole("region", { name: "OIN Submission Tester", exact: true });
  await expect(tester).toBeVisible();
  return tester;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function caseRow(tester: Locator, protocol: "OIDC" | "SAML 2.0", name: string): Locator {
  return tester
    .getByRole("table", { name: `CURRENT VERSION ${protocol}` })
    .getByRole("row", { name: new RegExp(`^${escape(name)} `) });
}

/** Run test on a case: answers the test window and the Test in progress panel. */
async function runTest(page: Page, row: Locator) {
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  const panel = page.getByRole("region", { name: "Test in progress" });
  await expect(panel).toBeVisible();
  return { popup, panel };
}

/** The identity provider's sign-in page in the test window. */
async function signInAtIdp(popup: Page, username: string, password: string) {
  await expect(popup.getByRole("heading", { name: /^Sign in to / })).toBeVisible();
  await popup.getByLabel("Username").fill(username);
  await popup.getByLabel("Password").fill(password);
  await popup.getByRole("button", { name: "Sign in" }).click();
}

/** The panel shows the observed requests live, before Continue. */
async function expectLive(panel: Locator, ...paths: string[]) {
  const live = panel.getByRole("table", { name: "Observed so far" });
  for (const p of paths) await expect(live.getByRole("row").filter({ hasText: p }).first()).toBeVisible({ timeout: 15_000 });
}

async function passAndCheck(page: Page, panel: Locator, row: Locator, ...paths: string[]) {
  await panel.getByRole("radio", { name: "The user successfully signed in to your app" }).check();
  await panel.getByRole("button", { name: "Continue" }).click();
  await expect(panel).toBeHidden();
  await expect(row).toContainText(/Passed/);
  // The run's details: observed by the backend, with the exchange.
  await row.getByRole("button").first().click();
  const network = page.getByRole("table", { name: "Network traffic" }).first();
  await expect(network).toBeVisible();
  for (const p of paths) await expect(network.getByRole("row").filter({ hasText: p }).first()).toBeVisible();
  await expect(page.getByText("Observed by the backend").first()).toBeVisible();
}

test.describe("OpenID Connect: openid-client as the vendor's app", () => {
  let rp: Awaited<ReturnType<typeof startOidcRp>>;
  test.beforeEach(async () => {
    rp = await startOidcRp();
  });
  test.afterEach(async () => {
    await rp.close();
  });

  test("SP flow: the app signs the test account in with the code flow, PKCE and the ID token", async ({ page }) => {
    await signIn(page, ADMIN);
    const s = await integration(page, "oidc", { redirectUri: rp.redirectUri, initiateUri: rp.initiateUri, loginUrl: `${rp.origin}/login` });
    await rp.configure({ issuer: s.orgUrl, clientId: s.instance.details.oidc.clientId, clientSecret: s.instance.details.oidc.clientSecret });
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "OIDC", "SP flow");
    const { popup, panel } = await runTest(page, row);
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("user")).toHaveText(s.testAccount);
    await expectLive(panel, "/oauth2/v1/authorize", "/idp/sign-in", "/oauth2/v1/token", "/oauth2/v1/userinfo");
    await passAndCheck(page, panel, row, "/oauth2/v1/token");
    // The code the app redeemed is refused a second time.
    expect(await rp.replay()).toBe("invalid_grant");
  });

  test("IdP flow: the tile goes through the org's /home/oidc/ to the app's initiate login URI with iss", async ({ page }) => {
    await signIn(page, ADMIN);
    const s = await integration(page, "oidc", { redirectUri: rp.redirectUri, initiateUri: rp.initiateUri, loginUrl: `${rp.origin}/login` });
    // The backend names where the IdP flow starts; the browser computes nothing.
    expect(s.instance.details.oidc.idpFlowUrl).toBe(`${s.orgUrl}/home/oidc/${s.instance.id}`);
    await rp.configure({ issuer: s.orgUrl, clientId: s.instance.details.oidc.clientId, clientSecret: s.instance.details.oidc.clientSecret });
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "OIDC", "IdP flow");
    const opened: string[] = [];
    page.context().on("request", (r) => opened.push(r.url()));
    const { popup, panel } = await runTest(page, row);
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("user")).toHaveText(s.testAccount);
    expect(opened.some((u) => u.startsWith(`${s.orgUrl}/home/oidc/${s.instance.id}`))).toBe(true);
    expect(opened.some((u) => u.startsWith(`${rp.initiateUri}?iss=`))).toBe(true);
    await expectLive(panel, "/home/oidc/", "/oauth2/v1/token");
    await passAndCheck(page, panel, row, "/home/oidc/");
  });

  test("JIT: the temporary user signs in with the one-time password and is gone after Continue", async ({ page }) => {
    await signIn(page, ADMIN);
    const s = await integration(page, "oidc", { redirectUri: rp.redirectUri, initiateUri: rp.initiateUri, loginUrl: `${rp.origin}/login` }, { jit: true });
    await rp.configure({ issuer: s.orgUrl, clientId: s.instance.details.oidc.clientId, clientSecret: s.instance.details.oidc.clientSecret });
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "OIDC", "JIT provisioning (with IdP flow)");
    const { popup, panel } = await runTest(page, row);
    const facts = panel.locator(".jit-user");
    const email = (await facts.locator("dt:text-is('Username') + dd").innerText()).trim();
    const password = (await facts.locator("dt:text-is('Password') + dd").innerText()).trim();
    await signInAtIdp(popup, email, password);
    await expect(popup.getByTestId("user")).toHaveText(email);
    await passAndCheck(page, panel, row, "/oauth2/v1/token");
    // After the run the temporary user cannot sign in again.
    await popup.goto(`${rp.origin}/login`);
    await signInAtIdp(popup, email, password);
    await expect(popup.getByRole("alert")).toBeVisible();
    await expect(popup.getByTestId("user")).toHaveCount(0);
  });

  test("negatives: wrong client secret, unknown redirect URI, unassigned user", async ({ page }) => {
    await signIn(page, ADMIN);
    const s = await integration(page, "oidc", { redirectUri: rp.redirectUri, initiateUri: rp.initiateUri, loginUrl: `${rp.origin}/login` });
    const { clientId, clientSecret } = s.instance.details.oidc;
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "OIDC", "SP flow");

    // A wrong client secret: the app gets invalid_client, the run records it.
    await rp.configure({ issuer: s.orgUrl, clientId, clientSecret: `${clientSecret}x` });
    let { popup, panel } = await runTest(page, row);
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("error")).toHaveText("invalid_client");
    await expectLive(panel, "/oauth2/v1/token");
    await expect(panel.getByRole("row").filter({ hasText: "/oauth2/v1/token" }).filter({ hasText: "401" }).first()).toBeVisible();
    await panel.getByRole("radio", { name: "The sign-in failed" }).check();
    await panel.getByRole("textbox", { name: "What went wrong" }).fill("invalid_client");
    await panel.getByRole("button", { name: "Continue" }).click();
    await expect(panel).toBeHidden();
    await popup.close();

    // An unknown redirect URI: the identity provider's error page, never a redirect.
    await rp.configure({ issuer: s.orgUrl, clientId, clientSecret, redirectUri: `${rp.origin}/elsewhere` });
    ({ popup, panel } = await runTest(page, row));
    await expect(popup.getByRole("heading", { level: 1 })).toBeVisible();
    expect(popup.url().startsWith(s.orgUrl)).toBe(true);
    await expect(popup.getByText(/redirect/i).first()).toBeVisible();
    await panel.getByRole("radio", { name: "The sign-in failed" }).check();
    await panel.getByRole("textbox", { name: "What went wrong" }).fill("unknown redirect URI");
    await panel.getByRole("button", { name: "Continue" }).click();
    await expect(panel).toBeHidden();
    await popup.close();

    // The test account no longer assigned: access_denied back to the app.
    await rp.configure({ issuer: s.orgUrl, clientId, clientSecret });
    await ok(
      await page.context().request.put(`/api/v1/instances/${s.instance.id}/assignments`, { data: { userIds: [], groupIds: [] } }),
      "unassign",
    );
    await page.reload();
    ({ popup, panel } = await runTest(page, caseRow(tester, "OIDC", "SP flow")));
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("error")).toHaveText("access_denied");
    await expectLive(panel, "/idp/sign-in");
  });
});

/** The IdP's signing certificate (PEM) from the instance's metadata. */
async function idpCertificate(page: Page, metadataUrl: string): Promise<string> {
  const xml = await (await page.context().request.get(metadataUrl)).text();
  const b64 = /<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/.exec(xml)?.[1] ?? "";
  expect(b64.length).toBeGreaterThan(100);
  return `-----BEGIN CERTIFICATE-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
}

test.describe("SAML 2.0: @node-saml/node-saml as the vendor's app", () => {
  let sp: Awaited<ReturnType<typeof startSamlSp>>;
  test.beforeEach(async () => {
    sp = await startSamlSp();
  });
  test.afterEach(async () => {
    await sp.close();
  });

  async function ready(page: Page, o: { jit?: boolean; assign?: boolean } = {}) {
    await signIn(page, ADMIN);
    const s = await integration(page, "saml", sp, o);
    const d = s.instance.details.saml;
    sp.configure({ ssoUrl: d.ssoUrl, issuer: d.issuer, certificate: await idpCertificate(page, d.metadataUrl) });
    return s;
  }

  test("SP flow: an AuthnRequest by HTTP-Redirect, a signed Response and Assertion to the ACS", async ({ page }) => {
    const s = await ready(page);
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "SAML 2.0", "SP flow");
    const { popup, panel } = await runTest(page, row);
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("user")).toHaveText(s.testAccount);
    await expectLive(panel, "/sso/saml", "/idp/sign-in");
    await passAndCheck(page, panel, row, "/sso/saml");
  });

  test("IdP flow: the dashboard tile posts an unsolicited Response the app accepts", async ({ page }) => {
    const s = await ready(page);
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "SAML 2.0", "IdP flow");
    const { popup, panel } = await runTest(page, row);
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("user")).toHaveText(s.testAccount);
    await expectLive(panel, "/home/saml/", "/idp/sign-in");
    await passAndCheck(page, panel, row, "/home/saml/");
  });

  test("JIT: the temporary user signs in and is gone after Continue", async ({ page }) => {
    const s = await ready(page, { jit: true });
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "SAML 2.0", "JIT provisioning (with IdP flow)");
    const { popup, panel } = await runTest(page, row);
    const facts = panel.locator(".jit-user");
    const email = (await facts.locator("dt:text-is('Username') + dd").innerText()).trim();
    const password = (await facts.locator("dt:text-is('Password') + dd").innerText()).trim();
    await signInAtIdp(popup, email, password);
    await expect(popup.getByTestId("user")).toHaveText(email);
    await passAndCheck(page, panel, row, "/home/saml/");
    await popup.goto(`${sp.origin}/login`);
    await signInAtIdp(popup, email, password);
    await expect(popup.getByRole("alert")).toBeVisible();
    await expect(popup.getByTestId("user")).toHaveCount(0);
  });

  test("negatives: a tampered, a replayed and an expired assertion are rejected by the app, an unassigned user is denied", async ({ page }) => {
    const s = await ready(page);
    const tester = await openTester(page, s.submissionId);
    const row = caseRow(tester, "SAML 2.0", "SP flow");
    // Tampered: the test window's POST to the ACS carries another email; the signatures break.
    let { popup, panel } = await runTest(page, row);
    await popup.route(`${sp.acsUrl}`, async (route) => {
      const body = new URLSearchParams(route.request().postData() ?? "");
      const xml = Buffer.from(body.get("SAMLResponse") ?? "", "base64").toString("utf8");
      body.set("SAMLResponse", Buffer.from(xml.replaceAll(s.testAccount, "ceo@example.com"), "utf8").toString("base64"));
      await route.continue({ postData: body.toString() });
    });
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("error")).toContainText(/signature/i);
    await expect(popup.getByTestId("user")).toHaveCount(0);
    await popup.unroute(`${sp.acsUrl}`);
    await panel.getByRole("radio", { name: "The sign-in failed" }).check();
    await panel.getByRole("textbox", { name: "What went wrong" }).fill("tampered");
    await panel.getByRole("button", { name: "Continue" }).click();
    await expect(panel).toBeHidden();
    await popup.close();

    // Replayed: a genuine Response the app accepted, posted to it again, is refused (the
    // request it answered was answered already).
    ({ popup, panel } = await runTest(page, caseRow(tester, "SAML 2.0", "SP flow")));
    const posted = popup.waitForRequest((r) => r.url() === sp.acsUrl && r.method() === "POST");
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    const genuine = new URLSearchParams((await posted).postData() ?? "").get("SAMLResponse") ?? "";
    await expect(popup.getByTestId("user")).toHaveText(s.testAccount);
    const replay = await page.context().request.post(sp.acsUrl, { form: { SAMLResponse: genuine }, maxRedirects: 0 });
    expect(replay.status()).toBe(400);
    expect(await replay.text()).toMatch(/InResponseTo/i);
    await panel.getByRole("radio", { name: "The user successfully signed in to your app" }).check();
    await panel.getByRole("button", { name: "Continue" }).click();
    await expect(panel).toBeHidden();
    await popup.close();

    // Expired: the app accepts an assertion for at most 1 s after it was issued, and this one
    // reaches it 2.5 s later.
    const d = s.instance.details.saml;
    sp.configure({ ssoUrl: d.ssoUrl, issuer: d.issuer, certificate: await idpCertificate(page, d.metadataUrl), maxAssertionAgeMs: 1000 });
    ({ popup, panel } = await runTest(page, caseRow(tester, "SAML 2.0", "SP flow")));
    await popup.route(`${sp.acsUrl}`, async (route) => {
      await new Promise((r) => setTimeout(r, 2500));
      await route.continue();
    });
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    // node-saml finds the SubjectConfirmationData past its time ("No valid subject
    // confirmation"), or the Conditions ("expired"): either way, too old.
    await expect(popup.getByTestId("error")).toContainText(/expired|No valid subject confirmation/i);
    await expect(popup.getByTestId("user")).toHaveCount(0);
    await panel.getByRole("radio", { name: "The sign-in failed" }).check();
    await panel.getByRole("textbox", { name: "What went wrong" }).fill("expired");
    await panel.getByRole("button", { name: "Continue" }).click();
    await expect(panel).toBeHidden();
    await popup.close();
    sp.configure({ ssoUrl: d.ssoUrl, issuer: d.issuer, certificate: await idpCertificate(page, d.metadataUrl) });

    // Unassigned: a signed RequestDenied Response, which the app shows as a failure.
    await ok(
      await page.context().request.put(`/api/v1/instances/${s.instance.id}/assignments`, { data: { userIds: [], groupIds: [] } }),
      "unassign",
    );
    await page.reload();
    ({ popup, panel } = await runTest(page, caseRow(tester, "SAML 2.0", "SP flow")));
    await signInAtIdp(popup, s.testAccount, TEST_PASSWORD);
    await expect(popup.getByTestId("error")).toContainText(/RequestDenied|Responder|not assigned/i);
    await expectLive(panel, "/idp/sign-in");
  });
});
