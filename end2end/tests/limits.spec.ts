// Every limit of SPEC section 7 that lives on the wizard pages built so far is shown to the
// user with its message, under its field (one test each).
import { test, expect } from "./fixtures";
import {
  buildNew,
  expectNoProblem,
  expectSaved,
  expectProblem,
  gifFile,
  newOnConfigure,
  newOnTestInfo,
  pngFile,
  region,
  summary,
  textbox,
  validLogo,
} from "./wizard-helpers";

const longUrl = (chars: number) => {
  const head = "https://app.example.com/";
  return head + "a".repeat(chars - head.length);
};

test.describe("SPEC 7 limits: catalog properties", () => {
  test("display name: 65 characters is one too many; 64 (counted as characters) is fine", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const name = textbox(region(page, "Catalog properties"), "Display name");
    await name.fill("x".repeat(65));
    await expectProblem(name, "Display name is 65 characters; the limit is 64");
    await expect(page.getByText("Display name is 65 characters; the limit is 64")).toBeVisible();
    // 64 characters of two bytes each: characters are counted, not bytes.
    await name.fill("é".repeat(64));
    await expectNoProblem(name);
    // 64 emoji (two UTF-16 units each) are 64 characters too; 65 are one too many.
    await name.fill("😀".repeat(65));
    await expectProblem(name, "Display name is 65 characters; the limit is 64");
    await name.fill("😀".repeat(64));
    await expectNoProblem(name);
    await expect(page.getByText(/Display name is \d+ characters/)).toHaveCount(0);
  });

  test("description: 1024 characters is too many; 1023 is fine", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const description = textbox(region(page, "Catalog properties"), "Description");
    await description.fill("d".repeat(1024));
    await expectProblem(description, "Description is 1024 characters; it must be under 1024");
    await expect(page.getByText("Description is 1024 characters; it must be under 1024")).toBeVisible();
    await description.fill("d".repeat(1023));
    await expectNoProblem(description);
  });

  test("logo: bytes that are not an image are refused whatever the file is called", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const logo = region(page, "Catalog properties").getByRole("button", { name: "Logo", exact: true });
    await logo.setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("This is a text file, not a picture.\n") });
    await expect(logo).toHaveAccessibleDescription(
      /The logo file is not a PNG, JPG or GIF image \(checked from its contents, not its name\)/,
    );
    await expect(page.getByText("The logo file is not a PNG, JPG or GIF image (checked from its contents, not its name)")).toBeVisible();
  });

  test("logo: a file of 1 MB or more is refused", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const logo = region(page, "Catalog properties").getByRole("button", { name: "Logo", exact: true });
    const big = pngFile("big-logo.png", 244, 244, 1024 * 1024);
    await logo.setInputFiles(big);
    const message = `The logo file is ${big.buffer.length} bytes; it must be under 1 MB (1048576 bytes)`;
    await expect(logo).toHaveAccessibleDescription(new RegExp(message.replace(/[()]/g, "\\$&")));
    await expect(page.getByText(message)).toBeVisible();
  });

  test("logo: wrong dimensions are refused; the allowed sizes are accepted", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const catalog = region(page, "Catalog properties");
    const logo = catalog.getByRole("button", { name: "Logo", exact: true });
    const message = "The logo is 100×100 pixels; use exactly 244×244, 200×200, 244×156 or 156×244";
    await logo.setInputFiles(pngFile("small.png", 100, 100));
    await expect(logo).toHaveAccessibleDescription(new RegExp(message));
    await expect(page.getByText(message)).toBeVisible();
    for (const [w, h] of [
      [244, 244],
      [200, 200],
      [244, 156],
      [156, 244],
    ]) {
      await logo.setInputFiles(pngFile(`logo-${w}x${h}.png`, w, h));
      await expect(catalog.getByText(`logo-${w}x${h}.png — ${w}×${h} pixels`)).toBeVisible();
      await expect(page.getByText(/^The logo /)).toHaveCount(0);
    }
    // A GIF is accepted too (type from its bytes).
    await logo.setInputFiles(gifFile("logo.gif", 200, 200));
    await expect(catalog.getByText("logo.gif — 200×200 pixels")).toBeVisible();
    await expect(page.getByText(/^The logo /)).toHaveCount(0);
  });

  test("use cases: the defaults are read-only chips, and all three optional ones fit", async ({ page }) => {
    await newOnConfigure(page, ["OIDC", "SCIM 2.0"]);
    const useCases = page.getByRole("group", { name: "Use cases" });
    const defaults = useCases.getByRole("list", { name: "Default use cases" });
    await expect(defaults.getByRole("listitem")).toHaveText(["Single Sign-On (default)", "Lifecycle Management (default)"]);
    // Read-only: the defaults are not controls.
    await expect(useCases.getByRole("checkbox", { name: /Single Sign-On|Lifecycle Management/ })).toHaveCount(0);
    const options = ["Zero Trust", "Identity Verification", "Identity Governance and Administration (IGA)"];
    await expect(useCases.getByRole("checkbox")).toHaveCount(options.length);
    for (const option of options) await useCases.getByRole("checkbox", { name: option }).check();
    // 3 chosen + 2 defaults = 5: within both limits.
    await expect(page.getByText(/use cases (are chosen|with the)/)).toHaveCount(0);
    await expectSaved(page);

    // With SSO only there is a single default chip.
    await buildNew(page);
    await page.getByRole("checkbox", { name: "SAML 2.0" }).check();
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await expect(page.getByRole("list", { name: "Default use cases" }).getByRole("listitem")).toHaveText(["Single Sign-On (default)"]);
  });
});

test.describe("SPEC 7 limits: integration variables", () => {
  test("+ Add another is disabled after 3 variables, saying why", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const vars = region(page, "Integration variables");
    const add = vars.getByRole("button", { name: "+ Add another" });
    for (let i = 1; i <= 3; i++) {
      await expect(add).toBeEnabled();
      await add.click();
      await expect(vars.getByRole("group", { name: `Variable ${i}` })).toBeVisible();
    }
    await expect(add).toBeDisabled();
    const reason = /^You have 3 variables, the most allowed\. To change more than 3 variables, contact the catalog team at \S+@\S+\.$/;
    await expect(add).toHaveAccessibleDescription(reason);
    await expect(vars.getByText(reason)).toBeVisible();
    // Deleting one enables it again.
    await vars.getByRole("button", { name: "Delete variable 3" }).click();
    await expect(add).toBeEnabled();
    await expect(vars.getByText(reason)).toHaveCount(0);
  });

  test("variable names: uppercase, a leading digit, a duplicate and a label without a name", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const vars = region(page, "Integration variables");
    for (let i = 0; i < 3; i++) await vars.getByRole("button", { name: "+ Add another" }).click();
    const row = (n: number) => vars.getByRole("group", { name: `Variable ${n}` });
    const name1 = textbox(row(1), "Name");

    await textbox(row(1), "Label").fill("Subdomain");
    await name1.fill("Subdomain");
    await expectProblem(name1, 'Name "Subdomain" must start with a lowercase letter and use only lowercase letters, digits and _');
    await name1.fill("1subdomain");
    await expectProblem(name1, 'Name "1subdomain" must start with a lowercase letter and use only lowercase letters, digits and _');
    await name1.fill("sub-domain");
    await expectProblem(name1, 'Name "sub-domain" must start with a lowercase letter and use only lowercase letters, digits and _');
    await name1.fill("subdomain_1");
    await expectNoProblem(name1);

    await textbox(row(2), "Label").fill("Another subdomain");
    const name2 = textbox(row(2), "Name");
    await name2.fill("subdomain_1");
    await expectProblem(name2, 'Name "subdomain_1" is already used by another variable');
    await expectNoProblem(name1);

    // A label without a name: "Name is required" once the page's primary button is pressed.
    await textbox(row(3), "Label").fill("Region");
    await page.getByRole("button", { name: "Get started with testing" }).click();
    await expect(page).toHaveURL(/\/configure$/);
    await expectProblem(textbox(row(3), "Name"), "Name is required");
    await expect(summary(page).getByRole("link", { name: "Name is required", exact: true })).toBeVisible();
  });
});

test.describe("SPEC 7 limits: protocol properties", () => {
  test("OIDC redirect URI: over 1024 characters, and a static URL that is not https", async ({ page }) => {
    await newOnConfigure(page, ["OIDC"]);
    const uri = textbox(region(page, "OIDC properties"), "Redirect URI 1");
    await uri.fill(longUrl(1025));
    await expectProblem(uri, "Redirect URI is 1025 characters; the limit is 1024");
    await uri.fill(longUrl(1024));
    await expectNoProblem(uri);
    await uri.fill("http://app.example.com/callback");
    await expectProblem(uri, "Redirect URI must use https://, not http://");
    await uri.fill("app.example.com/callback");
    await expectProblem(uri, 'Redirect URI "app.example.com/callback" is not a complete URL; start it with https://');
  });

  test("SAML ACS index: 70000 is out of range and an index may be used once", async ({ page }) => {
    await newOnConfigure(page, ["SAML 2.0"]);
    const saml = region(page, "SAML 2.0 properties");
    const add = saml.getByRole("button", { name: "+ Add another ACS URL" });
    await add.click();
    await add.click();
    const row = (n: number) => saml.getByRole("group", { name: `ACS URL row ${n}` });
    await textbox(row(1), "ACS URL").fill("https://a.example.com/acs");
    const index1 = textbox(row(1), "Index");
    await index1.fill("70000");
    await expectProblem(index1, "Index 70000 is out of range 0–65535");
    await index1.fill("65535");
    await expectNoProblem(index1);

    await textbox(row(2), "ACS URL").fill("https://b.example.com/acs");
    const index2 = textbox(row(2), "Index");
    await index2.fill("65535");
    await expectProblem(index2, "Index 65535 is already used by another ACS URL");
    await index2.fill("0");
    await expectNoProblem(index2);
  });
});

test.describe("SPEC 7 limits: test information", () => {
  test("OIDC SP initiate URL: over 512 characters", async ({ page }) => {
    await newOnTestInfo(page, ["OIDC"]);
    const url = textbox(region(page, "OIDC test settings"), "SP initiate URL");
    await url.fill(longUrl(513));
    await expectProblem(url, "SP initiate URL is 513 characters; the limit is 512");
    await url.fill(longUrl(512));
    await expectNoProblem(url);
  });

  test("SAML SP initiate URL over 512 and SP-initiated flow description over 2048", async ({ page }) => {
    await newOnTestInfo(page, ["SAML 2.0"]);
    const saml = region(page, "SAML test settings");
    await expect(textbox(saml, "SP initiate URL")).toHaveCount(0);
    await saml.getByRole("checkbox", { name: "SP-initiated flow" }).check();
    const url = textbox(saml, "SP initiate URL");
    await url.fill(longUrl(513));
    await expectProblem(url, "SP initiate URL is 513 characters; the limit is 512");
    const description = textbox(saml, "SP-initiated flow description");
    await description.fill("s".repeat(2049));
    await expectProblem(description, "SP-initiated flow description is 2049 characters; the limit is 2048");
    await description.fill("s".repeat(2048));
    await expectNoProblem(description);
  });

  test("account URL must be https", async ({ page }) => {
    await newOnTestInfo(page, ["SCIM 2.0"]);
    const url = textbox(page, "Account URL");
    await url.fill("http://test.example.com/login");
    await expectProblem(url, "Account URL must use https://, not http://");
    await url.fill("https://test.example.com/login");
    await expectNoProblem(url);
  });

  test("support contact must be an email address", async ({ page }) => {
    await newOnTestInfo(page, ["SCIM 2.0"]);
    const contact = textbox(page, "Support contact");
    await contact.fill("support at example");
    await expectProblem(contact, 'Support contact "support at example" is not an email address like name@company.com');
    await contact.fill("support@example.com");
    await expectNoProblem(contact);
  });
});

test.describe("SPEC 3: at least one protocol", () => {
  test("no protocol chosen: the summary lists the problem and links to the choices", async ({ page }) => {
    await buildNew(page);
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await expect(page).toHaveURL(/\/protocol$/);
    const box = summary(page);
    await expect(box.getByRole("heading")).toHaveText("Fix 1 problem before moving on");
    const link = box.getByRole("link", { name: "Choose at least one protocol: OIDC, SAML 2.0 or SCIM 2.0" });
    await link.click();
    await expect(page.getByRole("group", { name: "Which protocols does your integration support?" })).toBeFocused();
    // Choosing one clears it and moves on.
    await page.getByRole("checkbox", { name: "SCIM 2.0" }).check();
    await expect(summary(page)).toHaveCount(0);
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await expect(page).toHaveURL(/\/configure$/);
  });
});

test.describe("problem summary focus", () => {
  // App bug: PageActions (src/ui/pages/mod.rs) looks up `.problem-summary` right after
  // `editor.attempt(page)`, before the summary is rendered, so the first press focuses nothing.
  test("the summary takes focus when the primary button first shows it", async ({ page }) => {
    await buildNew(page);
    await page.getByRole("button", { name: "Configure your integration" }).click();
    await expect(summary(page)).toBeFocused();
  });
});

test("a valid logo shows its preview and details", async ({ page }) => {
  await newOnConfigure(page, ["OIDC"]);
  const catalog = region(page, "Catalog properties");
  await catalog.getByRole("button", { name: "Logo", exact: true }).setInputFiles(validLogo());
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();
  await expect(catalog.getByText(/^logo\.png — 244×244 pixels, \d+ KB$/)).toBeVisible();
});
