// Acceptance (issue 6): from an empty dashboard to "OIN to review" for every shape of
// integration, through Generate instance, the tester and Submit, by role and accessible name.
import { expect, expectNoAxeViolations, test } from "./fixtures";
import {
  addToTester,
  caseRow,
  fakeSignInPages,
  fillScimLinks,
  generateInstance,
  readyToTest,
  runCase,
  submitAndClose,
  tester,
} from "./testing-helpers";

const VALUES = { "Division subdomain": "acme" };

test.describe("to OIN to review", () => {
  test.beforeEach(async ({ page }) => {
    await fakeSignInPages(page);
  });

  test("OIDC with JIT and both flows", async ({ page, problems }) => {
    test.slow();
    const name = "Acme OIDC JIT";
    await readyToTest(page, ["OIDC"], { name }); // JIT Yes, initiate login URI given: IdP + SP.
    await generateInstance(page, { protocol: "OIDC", label: "Acme OIDC test", values: VALUES });
    await addToTester(page, "Acme OIDC test");
    // The cases the core derives: IdP, SP, JIT with IdP; never JIT with SP when IdP exists.
    const names = await tester(page).getByRole("table").getByRole("rowheader").allInnerTexts();
    expect(names.map((n) => n.trim())).toEqual(["IdP flow", "SP flow", "JIT provisioning (with IdP flow)"]);
    await expect(caseRow(page, "OIDC", "IdP flow")).toContainText("Acme OIDC test");
    // The IdP flow starts at the org's tile of the instance, which goes on to the initiate login URI.
    expect(await runCase(page, "OIDC", "IdP flow")).toMatch(/^https:\/\/oin-test-org\.example\.com\/home\/oidc\//);
    expect(await runCase(page, "OIDC", "SP flow")).toBe("https://app.example.com/login/okta");
    await runCase(page, "OIDC", "JIT provisioning (with IdP flow)");
    await expectNoAxeViolations(page);
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });

  test("SAML with the SP flow only and JIT: the JIT-with-SP case appears", async ({ page, problems }) => {
    test.slow();
    const name = "Acme SAML SP JIT";
    await readyToTest(page, ["SAML 2.0"], {
      name,
      testInfo: (v) => {
        if (v.saml) Object.assign(v.saml, { idp: false, sp: true, jit: "Yes" });
      },
    });
    await generateInstance(page, { protocol: "SAML 2.0", label: "Acme SAML test", values: VALUES });
    await addToTester(page, "Acme SAML test");
    const names = await tester(page).getByRole("table").getByRole("rowheader").allInnerTexts();
    expect(names.map((n) => n.trim())).toEqual(["SP flow", "JIT provisioning (with SP flow)"]);
    expect(await runCase(page, "SAML 2.0", "SP flow")).toBe("https://app.example.com/saml/login");
    await runCase(page, "SAML 2.0", "JIT provisioning (with SP flow)");
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });

  test("SCIM alone", async ({ page, problems }) => {
    test.slow();
    const name = "Acme SCIM only";
    await readyToTest(page, ["SCIM 2.0"], { name });
    await expect(tester(page)).toHaveCount(0);
    await generateInstance(page, { protocol: "SCIM 2.0", label: "Acme SCIM test", values: VALUES });
    await fillScimLinks(page);
    await expectNoAxeViolations(page);
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });

  test("OIDC and SCIM on one combined instance", async ({ page, problems }) => {
    test.slow();
    const name = "Acme OIDC SCIM combined";
    await readyToTest(page, ["OIDC", "SCIM 2.0"], {
      name,
      scimCreate: true,
      testInfo: (v) => {
        if (v.oidc) v.oidc.jit = "No";
      },
    });
    await generateInstance(page, { protocol: "OIDC + SCIM 2.0", label: "Acme combined test", values: VALUES });
    // One instance serves both requirements.
    const required = page.getByRole("region", { name: "Required app instances" });
    await expect(required.getByText(/Detected: Acme combined test/)).toHaveCount(2);
    await addToTester(page, "Acme combined test");
    await runCase(page, "OIDC", "IdP flow");
    await runCase(page, "OIDC", "SP flow");
    await fillScimLinks(page);
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });

  test("OIDC and SAML together on two instances", async ({ page, problems }) => {
    test.slow();
    const name = "Acme OIDC SAML";
    await readyToTest(page, ["OIDC", "SAML 2.0"], { name });
    await generateInstance(page, { protocol: "OIDC", label: "Acme OIDC test", values: VALUES });
    await generateInstance(page, { protocol: "SAML 2.0", label: "Acme SAML test", values: VALUES });
    await addToTester(page, "Acme OIDC test");
    await addToTester(page, "Acme SAML test");
    await runCase(page, "OIDC", "IdP flow");
    await runCase(page, "OIDC", "SP flow");
    await runCase(page, "OIDC", "JIT provisioning (with IdP flow)");
    await runCase(page, "SAML 2.0", "IdP flow");
    await runCase(page, "SAML 2.0", "SP flow");
    await submitAndClose(page, name);
    expect(problems).toEqual([]);
  });
});
