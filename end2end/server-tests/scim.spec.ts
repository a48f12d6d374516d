// SCIM against the real oin-server (issue 15): scim2-server (PyPI, the runner's fixture in
// scim-runner/tests/fixtures) plays the vendor's SCIM server behind the fixture's proxy, which
// accepts one bearer token; the server was started with --scim-allow-local, so the loopback
// http base URL is allowed. Journey: Test API Credentials fails with a wrong token and says
// why, passes with the right one; Run SCIM tests shows its steps live and passes; the Submit
// page then no longer asks for the two result links.
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { signIn, unique } from "./server";
import { generateInstance, readyToTest } from "../tests/testing-helpers";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, "../../scim-runner/tests/fixtures");
const python = resolve(fixtures, ".venv/bin/python");
const UPSTREAM_TOKEN = "upstream-token-e2e";
const VENDOR_TOKEN = "vendor-token-e2e-7Xq";
// Port 4502 is this checkout's third port (the launcher's server uses E2E_PORT).
const UPSTREAM_PORT = Number(process.env.SCIM_FIXTURE_PORT ?? 4502);

/** Starts fixture.py with `args`; resolves with the process and its first line. */
function fixture(args: string[]): Promise<{ proc: ChildProcessWithoutNullStreams; first: string }> {
  const proc = spawn(python, [resolve(fixtures, "fixture.py"), ...args], { stdio: "pipe" });
  return new Promise((done, fail) => {
    proc.on("error", fail);
    createInterface({ input: proc.stdout }).once("line", (first) => done({ proc, first: first.trim() }));
  });
}

const running: ChildProcessWithoutNullStreams[] = [];
let proxyPort = "";

test.beforeAll(async () => {
  const upstream = await fixture(["upstream", "--port", String(UPSTREAM_PORT), "--token", UPSTREAM_TOKEN]);
  running.push(upstream.proc);
  expect(upstream.first, "scim2-server started (scim-runner/tests/fixtures/setup.sh installs it)").toBe("READY");
  const proxy = await fixture([
    "proxy", "--upstream", `http://127.0.0.1:${UPSTREAM_PORT}`, "--upstream-token", UPSTREAM_TOKEN,
    "--accept-bearer", VENDOR_TOKEN,
  ]);
  running.push(proxy.proc);
  proxyPort = proxy.first.replace(/^LISTENING /, "");
  expect(proxyPort).toMatch(/^\d+$/);
});

// fixture.py stops scim2-server and the proxy when its standard input closes (a SIGTERM to
// it alone would leave scim2-server running).
test.afterAll(async () => {
  await Promise.all(
    running.map(
      (p) =>
        new Promise<void>((done) => {
          const timer = setTimeout(() => {
            p.kill();
            done();
          }, 5_000);
          p.once("exit", () => {
            clearTimeout(timer);
            done();
          });
          p.stdin.end();
        }),
    ),
  );
});

test("SCIM on the server: credentials checked for real, a live passing run, and the gate stops asking for links", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "admin@example.com");
  const id = await readyToTest(page, ["SCIM 2.0"], {
    name: unique("Runner"),
    scimCreate: true,
    configure: (v) => {
      v.variables = [{ label: "Port", name: "port" }];
      if (v.scim) v.scim.baseUrl = "'http://127.0.0.1:' + app.port + '/v2'";
    },
  });
  const label = unique("SCIM fixture");
  const instance = await generateInstance(page, { protocol: "SCIM 2.0", label, values: { Port: proxyPort } });

  // A wrong token: the vendor's server answers 401, and the check says so.
  await instance.getByRole("checkbox", { name: "Enable API integration" }).check();
  await instance.getByLabel("API token", { exact: true }).fill("not-the-vendor-token");
  await instance.getByRole("button", { name: "Save provisioning settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Provisioning settings of "${label}" saved` })).toBeVisible();
  const card = page.getByRole("region", { name: label, exact: true });
  await card.getByRole("button", { name: "Test API Credentials" }).click();
  await expect(card.getByRole("status").getByText(/^Credentials check failed: .*401.*\(HTTP 401, \d+ ms\)$/)).toBeVisible();

  // The right token: passed, with the status and the time it took.
  await card.getByLabel("API token", { exact: true }).fill(VENDOR_TOKEN);
  await card.getByRole("button", { name: "Save provisioning settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Provisioning settings of "${label}" saved` })).toBeVisible();
  const again = page.getByRole("region", { name: label, exact: true });
  await again.getByRole("button", { name: "Test API Credentials" }).click();
  await expect(again.getByRole("status").getByText(/^Credentials check passed: .*\(HTTP 200, \d+ ms\)$/)).toBeVisible();

  // Run SCIM tests: steps appear while it runs, then it passes.
  const run = page.getByRole("region", { name: `SCIM tests of ${label}` });
  await run.getByRole("button", { name: "Run SCIM tests" }).click();
  const steps = run.getByRole("table", { name: "Steps of the SCIM test run" });
  await expect(steps.getByRole("row").filter({ hasText: "users.create" })).toBeVisible({ timeout: 120_000 });
  await expect(run.getByText(/^SCIM tests passed: All \d+ checks passed/)).toBeVisible({ timeout: 180_000 });
  await expect(steps.getByRole("row").filter({ hasText: "users.create" })).toContainText("Pass");
  await expect(steps.getByRole("cell", { name: "Fail", exact: true })).toHaveCount(0);
  // The end time in the user's zone, with the zone named.
  await expect(run.getByText(/ended [A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d:\d\d \(UTC([+-]\d\d:\d\d)?\)/)).toBeVisible();
  // No token in what the page shows.
  await expect(page.getByText(VENDOR_TOKEN)).toHaveCount(0);

  // Back from a vendor's authorize page (SCIM over OAuth 2.0): the outcome is where focus is.
  const why = "The vendor's authorization server answered access_denied.";
  await page.goto(`/integrations/${id}/test?scimOauthInstance=0oa-e2e&scimOauth=failed&scimOauthMessage=${encodeURIComponent(why)}`);
  const result = page.locator("#scim-oauth-result");
  await expect(result).toBeFocused();
  await expect(result).toHaveText(`OAuth 2.0 authorization of instance 0oa-e2e failed: ${why} Choose Authenticate to try again.`);
  // An instance of the org is named by its label, as everywhere else on the page.
  const view = await (await page.context().request.get(`/api/v1/testing/${id}`)).json();
  const ours = view.instances.find((i: { label: string }) => i.label === label);
  await page.goto(`/integrations/${id}/test?scimOauthInstance=${ours.id}&scimOauth=connected`);
  await expect(page.locator("#scim-oauth-result")).toHaveText(
    `OAuth 2.0 authorization of instance "${label}" succeeded: Test API Credentials and Run SCIM tests now send its access token.`,
  );

  // Submit: the two links are not asked for; certify and submit.
  await page.getByRole("link", { name: "Next: Submit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Submit" })).toBeVisible();
  const checklist = page.locator("#submit-checklist");
  await expect(checklist).toContainText("Everything required is done");
  await expect(checklist).not.toContainText("Link to the SCIM API specification test results");
  await expect(checklist).not.toContainText("Link to the CRUD test results");
  await page.getByRole("checkbox", { name: "I certify that I have successfully completed required tests" }).check();
  await page.getByRole("button", { name: "Submit integration" }).click();
  await expect(page.getByText(/Submitted: the catalog team reviews it now/)).toBeVisible();
});
