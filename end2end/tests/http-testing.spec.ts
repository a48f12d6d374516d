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
