// The Test integration page on the HTTP backend: it reads GET /api/v1/testing/{id}, sends
// Generate instance and Initialize Tester as docs/api.md documents, and shows a server's
// refusal where it was made.
import { expect, expectNoAxeViolations, openApp, test } from "./fixtures";
import { submission, useHttpBackend, type FakeSubmission } from "./fake-api";
import { png } from "./wizard-helpers";

/** A complete OIDC integration, as a server would store it. */
function completeOidc(id: string): FakeSubmission {
  return {
    ...submission(id, "Served Strawberry", 4),
    protocols: { oidc: true, saml: false, scim: false },
    catalog: {
      displayName: "Served Strawberry",
      description: "Served Strawberry gives customers single sign-on.",
      logo: { fileName: "logo.png", mediaType: "image/png", data: png(244, 244).toString("base64") },
      useCases: [],
    },
    variables: [{ label: "Subdomain", name: "subdomain" }],
    previewValues: { subdomain: "berryfarm" },
    oidc: {
      redirectUris: ["https://{app.subdomain}.app.example.com/oidc/callback"],
      initiateLoginUri: "https://app.example.com/oidc/start",
      postLogoutUris: [],
      configGuideUrl: "https://docs.example.com/okta-oidc",
    },
    testInfo: {
      accountUrl: "https://test.example.com/login",
      username: "isvtest@okta.com",
      password: "********",
      supportContact: "oin-support@example.com",
      instructions: "",
    },
    testSettings: { oidc: { jit: false, spInitiateUrl: "https://app.example.com/login/okta" } },
  };
}

test("HTTP backend: Generate instance and Initialize Tester speak docs/api.md; a 422 shows the server's reason", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [completeOidc("sub-h")]);
  api.generate = "limit";
  await openApp(page, "/integrations/sub-h/test");
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();

  // Refused by the server: the dialog stays open with its reason.
  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await dialog.getByRole("radio", { name: "OIDC", exact: true }).check();
  await dialog.getByRole("textbox", { name: "Application label", exact: true }).fill("Served test");
  await dialog.getByRole("textbox", { name: "Subdomain", exact: true }).fill("acme");
  await dialog.getByRole("button", { name: "Generate instance", exact: true }).click();
  await expect(dialog.getByText("5 instances are active; the limit is 5 (checked by the server)")).toBeVisible();
  await expectNoAxeViolations(page);
  expect(api.generated).toEqual([
    { submissionId: "sub-h", version: "current", protocols: ["oidc"], label: "Served test", variableValues: { subdomain: "acme" } },
  ]);

  // Accepted: the instance appears with what the customer admin sees, its secret shown once.
  api.generate = "ok";
  await dialog.getByRole("button", { name: "Generate instance", exact: true }).click();
  await expect(dialog).toBeHidden();
  const instance = page.getByRole("region", { name: "Served test", exact: true });
  await expect(instance).toContainText("0oaCLIENT1");
  await expect(instance).toContainText("HTTP-SECRET-1");
  await expect(page.getByRole("region", { name: "Required app instances" })).toContainText("Detected: Served test");

  // The tester session comes from POST /tester/session.
  const tester = page.getByRole("region", { name: "OIN Submission Tester" });
  await tester.getByRole("button", { name: "Initialize Tester" }).click();
  await expect(tester.getByText(/Tester session active until/)).toBeVisible();
  expect(api.testerSession).not.toBeNull();
  expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
});

test("HTTP backend: Run test opens the server's sign-in address and Continue records the server's run, observed, with its traffic; no simulated-org notice", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [completeOidc("sub-r")]);
  // The test window never reaches the network.
  await page.context().route(/^https:\/\/(?!127\.0\.0\.1)/, (r) =>
    r.fulfill({ contentType: "text/html", body: "<title>Signed in</title><h1>Signed in</h1>" }),
  );
  await openApp(page, "/integrations/sub-r/test");
  await expect(page.getByRole("heading", { level: 1, name: "Test integration" })).toBeVisible();
  // A server's org is not the simulated one: no such notice anywhere.
  await expect(page.getByRole("note").filter({ hasText: "Simulated org" })).toHaveCount(0);

  await page.getByRole("button", { name: "Generate instance", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Generate instance" });
  await dialog.getByRole("textbox", { name: "Application label", exact: true }).fill("Served test");
  await dialog.getByRole("textbox", { name: "Subdomain", exact: true }).fill("acme");
  await dialog.getByRole("button", { name: "Generate instance", exact: true }).click();
  await expect(dialog).toBeHidden();

  const tester = page.getByRole("region", { name: "OIN Submission Tester" });
  await tester.getByRole("button", { name: "Initialize Tester" }).click();
  await expect(tester.getByText(/Tester session active until/)).toBeVisible();
  await tester.getByRole("listitem").filter({ hasText: "Served test" }).getByRole("button", { name: "Add to Tester" }).click();
  const row = tester.getByRole("row", { name: /^IdP flow / });
  await expect(row).toContainText("Served test");

  // Run test: the window goes where the server said, not where the browser would compute
  // (the instance's initiate login URI is https://app.example.com/oidc/start).
  const popupOpened = page.waitForEvent("popup");
  await row.getByRole("button", { name: "Run test" }).click();
  const popup = await popupOpened;
  await popup.waitForURL(api.signInUrl);
  const panel = tester.getByRole("region", { name: "Test in progress" });
  await expect(panel).toContainText(api.signInUrl);
  expect(api.runRequests[0]).toEqual({
    method: "POST",
    path: "/test-runs",
    body: { instanceId: "0oaH1", case: "idpFlow", version: "current" },
  });

  // Continue: PUT /test-runs/{id} with the user's answer; the row reads the server's run.
  await panel.getByRole("radio", { name: "The user successfully signed in to your app" }).check();
  await panel.getByRole("button", { name: "Continue" }).click();
  await expect(panel).toBeHidden();
  expect(api.runRequests[1]).toEqual({ method: "PUT", path: "/test-runs/run-1", body: { passed: true, note: "" } });
  await expect(row).toContainText(/Passed — 4[78] h \d+ min left/);
  await tester.getByRole("button", { name: "IdP flow", exact: true }).click();
  const details = page.locator("#field-tests-current-oidc-IdpFlow-details");
  await expect(details.getByRole("definition").filter({ hasText: "Observed by the backend" })).toBeVisible();
  const network = details.getByRole("table", { name: "Network traffic" });
  await expect(network.getByRole("row").filter({ hasText: api.signInUrl })).toContainText("302");
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("HTTP backend: Test API Credentials shows the server's answer in three outcomes: passed, failed, not run", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [completeOidc("sub-s")]);
  api.instances.push({
    id: "0oaSCIM",
    submissionId: "another-integration",
    submissionVersion: 1,
    fromPublished: false,
    protocols: ["scim"],
    label: "Provisioning elsewhere",
    variableValues: {},
    assignedUsers: [],
    assignedGroups: [],
    active: true,
    inTester: false,
    createdAt: "2026-11-28T10:00:00Z",
    details: { scim: { baseUrl: "https://scim.example.net/scim2/", authMode: "bearer", apiIntegrationEnabled: true, token: "SERVER-TOKEN" } },
  });
  await openApp(page, "/integrations/sub-s/test");
  await page.getByRole("button", { name: "Clear filter" }).click();
  const card = page.getByRole("region", { name: "Provisioning elsewhere", exact: true });
  const check = card.getByRole("button", { name: "Test API Credentials" });
  const cases: [typeof api.scimCheck, RegExp][] = [
    [{ ok: true, message: "The SCIM server answered GET /Users with 200" }, /^Credentials check passed: The SCIM server answered GET \/Users with 200$/],
    [{ ok: false, message: "The SCIM server answered 401" }, /^Credentials check failed: The SCIM server answered 401$/],
    [{ ok: false, notRun: true, message: "No request was made: the SCIM server is not reachable from here" }, /^Credentials not tested: No request was made/],
  ];
  for (const [answer, shown] of cases) {
    api.scimCheck = answer;
    await check.click();
    await expect(card.getByRole("status").getByText(shown)).toBeVisible();
  }
  expect(api.scimChecks).toEqual(["0oaSCIM", "0oaSCIM", "0oaSCIM"]);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});

test("HTTP backend: a SAML instance's signing certificate from the server downloads as a PEM file", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [completeOidc("sub-c")]);
  const pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUExample\n-----END CERTIFICATE-----\n";
  api.instances.push({
    id: "0oaSAML",
    submissionId: "another-integration",
    submissionVersion: 1,
    fromPublished: false,
    protocols: ["saml"],
    label: "Served SAML",
    variableValues: {},
    assignedUsers: [],
    assignedGroups: [],
    active: true,
    inTester: false,
    createdAt: "2026-11-28T10:00:00Z",
    details: {
      saml: {
        metadataUrl: "https://org.example.com/app/0oaSAML/sso/saml/metadata",
        ssoUrl: "https://org.example.com/app/0oaSAML/sso/saml",
        issuer: "https://org.example.com/exk1",
        acsUrl: "https://app.example.com/saml/acs",
        idpFlowUrl: "https://org.example.com/home/saml/0oaSAML",
        signingCertificate: pem,
        defaultRelayState: "/welcome",
        forceAuthn: false,
      },
    },
  });
  await openApp(page, "/integrations/sub-c/test");
  await page.getByRole("button", { name: "Clear filter" }).click();
  const card = page.getByRole("region", { name: "Served SAML", exact: true });
  await expect(card.locator("dt:text-is('Default relay state') + dd")).toHaveText("/welcome");
  await expect(card.locator("dt:text-is('ForceAuthn') + dd")).toHaveText("Off");
  await expect(card.locator("dt:text-is('IdP-initiated sign-in (dashboard tile)') + dd")).toHaveText("https://org.example.com/home/saml/0oaSAML");
  const downloaded = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download signing certificate" }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe("0oaSAML-signing-certificate.pem");
  const fs = await import("node:fs/promises");
  expect(await fs.readFile(await download.path(), "utf8")).toBe(pem);
  await expectNoAxeViolations(page);
  expect(problems).toEqual([]);
});
