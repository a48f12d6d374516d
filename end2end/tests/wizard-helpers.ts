// Helpers for the wizard tests: finding controls by role and accessible name, filling the
// pages with valid values, and logo files of exact sizes generated in memory.
import { deflateSync } from "node:zlib";
import { expect, openApp } from "./fixtures";
import type { Locator, Page } from "@playwright/test";

export type ProtocolName = "OIDC" | "SAML 2.0" | "SCIM 2.0";

// ---------------------------------------------------------------------------------------------
// Logo files (SPEC 4.1): generated from bytes, so the exact size and type are known.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real RGBA PNG of `width`×`height` (a filled circle), optionally padded with a text chunk. */
export function png(width: number, height: number, paddingBytes = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  const r = Math.min(width, height) / 2;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const inside = (x - width / 2) ** 2 + (y - height / 2) ** 2 <= r * r;
      const p = row + 1 + x * 4;
      raw[p] = 0x1a;
      raw[p + 1] = 0x5f;
      raw[p + 2] = 0xb4;
      raw[p + 3] = inside ? 0xff : 0;
    }
  }
  const parts = [
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
  ];
  if (paddingBytes > 0) {
    parts.push(chunk("tEXt", Buffer.concat([Buffer.from("Comment\0"), Buffer.alloc(paddingBytes, 0x61)])));
  }
  parts.push(chunk("IEND", Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A file for `setInputFiles`. */
export function pngFile(name: string, width: number, height: number, paddingBytes = 0) {
  return { name, mimeType: "image/png", buffer: png(width, height, paddingBytes) };
}

/** A valid 244×244 circle logo. */
export const validLogo = () => pngFile("logo.png", 244, 244);

/**
 * A real GIF89a of `width`×`height` in one colour that browsers decode whole: uncompressed
 * LZW (a clear code before every two pixels keeps every code 3 bits wide).
 */
export function gifFile(name: string, width: number, height: number) {
  const codes: number[] = [];
  for (let i = 0; i < width * height; i += 2) codes.push(4, 0, 0); // clear, pixel, pixel
  codes.push(5); // end of information
  const data: number[] = [];
  let bits = 0;
  let used = 0;
  for (const code of codes) {
    bits |= code << used;
    used += 3;
    while (used >= 8) {
      data.push(bits & 0xff);
      bits >>= 8;
      used -= 8;
    }
  }
  if (used > 0) data.push(bits & 0xff);
  const blocks: number[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.slice(i, i + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0);
  const head = Buffer.alloc(13 + 6 + 10 + 1);
  head.write("GIF89a", 0, "ascii");
  head.writeUInt16LE(width, 6);
  head.writeUInt16LE(height, 8);
  head[10] = 0x80; // global colour table of 2 colours
  head.set([0x1a, 0x5f, 0xb4, 255, 255, 255], 13);
  head[19] = 0x2c; // image descriptor
  head.writeUInt16LE(0, 20);
  head.writeUInt16LE(0, 22);
  head.writeUInt16LE(width, 24);
  head.writeUInt16LE(height, 26);
  head[28] = 0;
  head[29] = 2; // LZW minimum code size
  const buffer = Buffer.concat([head, Buffer.from(blocks), Buffer.from([0x3b])]);
  return { name, mimeType: "image/gif", buffer };
}

// ---------------------------------------------------------------------------------------------
// Locators by role and accessible name.

export const stepper = (page: Page) => page.getByRole("navigation", { name: "Wizard steps" });

export const step = (page: Page, title: "Select protocol" | "Configure your integration" | "Test information") =>
  stepper(page).getByRole("link", { name: new RegExp(`^${title}`) });

/** The save indicator ("Saved", "Unsaved changes", "Saving…", "Couldn't save"). */
export const saveStatus = (page: Page) =>
  page.getByRole("status").filter({ hasText: /^(Saved|Unsaved changes|Saving…|Couldn't save|Not saved.*)$/ });

export async function expectSaved(page: Page) {
  await expect(saveStatus(page)).toHaveText("Saved");
}

export const region = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
export const textbox = (scope: Page | Locator, name: string) => scope.getByRole("textbox", { name, exact: true });

/** The problem summary at the top of a page after its primary button. */
export const summary = (page: Page) => page.getByRole("alert").filter({ has: page.getByRole("heading", { name: /^Fix \d+ problems? before moving on$/ }) });

/** Expects `message` to be shown under `control` and announced as part of its description. */
export async function expectProblem(control: Locator, message: string) {
  await expect(control).toHaveAccessibleDescription(new RegExp(escape(message)));
  await expect(control).toHaveAttribute("aria-invalid", "true");
}

export async function expectNoProblem(control: Locator) {
  await expect(control).not.toHaveAttribute("aria-invalid", "true");
}

export function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// ---------------------------------------------------------------------------------------------
// Moving through the wizard.

/** From the dashboard: Build new OIN integration, then lands on Select protocol. */
export async function buildNew(page: Page) {
  await openApp(page);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  await expect(page).toHaveURL(/\/integrations\/[^/]+\/protocol$/);
  await expect(page.getByRole("heading", { level: 1, name: "Select protocol" })).toBeVisible();
}

export async function chooseProtocols(page: Page, protocols: ProtocolName[]) {
  for (const p of protocols) await page.getByRole("checkbox", { name: p, exact: true }).check();
}

/** A new integration with `protocols`, on the Configure page. */
export async function newOnConfigure(page: Page, protocols: ProtocolName[]) {
  await buildNew(page);
  await chooseProtocols(page, protocols);
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
}

/** A new integration with `protocols`, on the Test information page (via the stepper). */
export async function newOnTestInfo(page: Page, protocols: ProtocolName[]) {
  await newOnConfigure(page, protocols);
  await step(page, "Test information").click();
  await expect(page.getByRole("heading", { level: 1, name: "Test information" })).toBeVisible();
}

// ---------------------------------------------------------------------------------------------
// Valid values for every field, and filling them.

export interface ConfigureValues {
  displayName: string;
  description: string;
  variables: { label: string; name: string }[];
  oidc?: { redirectUris: string[]; initiateLoginUri: string; postLogoutUris: string[]; guide: string };
  saml?: {
    defaultAcs: string;
    otherAcs: { url: string; index: string }[];
    entityId: string;
    attributes: { name: string; values: string }[];
    guide: string;
  };
  scim?: { baseUrl: string; groups: boolean; auth: "Header" | "Bearer" | "OAuth 2"; guide: string };
}

export function configureValues(protocols: ProtocolName[], name: string): ConfigureValues {
  const v: ConfigureValues = {
    displayName: name,
    description: `${name} gives customers single sign-on and provisioning.`,
    variables: [{ label: "Division subdomain", name: "subdomain_div1" }],
  };
  if (protocols.includes("OIDC")) {
    v.oidc = {
      redirectUris: ["https://app.example.com/oidc/callback", "https://eu.app.example.com/oidc/callback"],
      initiateLoginUri: "https://app.example.com/oidc/start",
      postLogoutUris: ["https://app.example.com/signed-out"],
      guide: "https://docs.example.com/okta-oidc",
    };
  }
  if (protocols.includes("SAML 2.0")) {
    v.saml = {
      defaultAcs: "https://app.example.com/saml/acs",
      otherAcs: [{ url: "https://eu.app.example.com/saml/acs", index: "1" }],
      entityId: "https://app.example.com/saml/metadata",
      attributes: [{ name: "email", values: "user.email" }],
      guide: "https://docs.example.com/okta-saml",
    };
  }
  if (protocols.includes("SCIM 2.0")) {
    v.scim = { baseUrl: "https://app.example.com/scim/v2/", groups: true, auth: "Bearer", guide: "https://docs.example.com/okta-scim" };
  }
  return v;
}

export async function fillConfigure(page: Page, v: ConfigureValues) {
  const catalog = region(page, "Catalog properties");
  await textbox(catalog, "Display name").fill(v.displayName);
  await textbox(catalog, "Description").fill(v.description);
  await catalog.getByRole("button", { name: "Logo", exact: true }).setInputFiles(validLogo());
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();

  const vars = region(page, "Integration variables");
  for (const [i, variable] of v.variables.entries()) {
    await vars.getByRole("button", { name: "+ Add another" }).click();
    const row = vars.getByRole("group", { name: `Variable ${i + 1}` });
    await textbox(row, "Label").fill(variable.label);
    await textbox(row, "Name").fill(variable.name);
  }

  if (v.oidc) {
    const oidc = region(page, "OIDC properties");
    const redirects = oidc.getByRole("group", { name: "Redirect URIs" });
    for (const [i, uri] of v.oidc.redirectUris.entries()) {
      if (i > 0) await redirects.getByRole("button", { name: "+ Add another" }).click();
      await textbox(redirects, `Redirect URI ${i + 1}`).fill(uri);
    }
    await textbox(oidc, "Initiate login URI").fill(v.oidc.initiateLoginUri);
    const logouts = oidc.getByRole("group", { name: "Post-logout URIs" });
    for (const [i, uri] of v.oidc.postLogoutUris.entries()) {
      await logouts.getByRole("button", { name: "+ Add another" }).click();
      await textbox(logouts, `Post-logout URI ${i + 1}`).fill(uri);
    }
    await textbox(oidc, "Configuration guide URL").fill(v.oidc.guide);
  }

  if (v.saml) {
    const saml = region(page, "SAML 2.0 properties");
    await textbox(saml, "Default ACS URL").fill(v.saml.defaultAcs);
    for (const [i, acs] of v.saml.otherAcs.entries()) {
      await saml.getByRole("button", { name: "+ Add another ACS URL" }).click();
      const row = saml.getByRole("group", { name: `ACS URL row ${i + 1}` });
      await textbox(row, "ACS URL").fill(acs.url);
      await textbox(row, "Index").fill(acs.index);
    }
    await textbox(saml, "Entity ID / audience restriction").fill(v.saml.entityId);
    for (const [i, attr] of v.saml.attributes.entries()) {
      await saml.getByRole("button", { name: "+ Add another attribute statement" }).click();
      const row = saml.getByRole("group", { name: `Attribute statement ${i + 1}` });
      await textbox(row, "Attribute name").fill(attr.name);
      await textbox(row, "Values").fill(attr.values);
    }
    await textbox(saml, "Configuration guide URL").fill(v.saml.guide);
  }

  if (v.scim) {
    const scim = region(page, "SCIM 2.0 properties");
    await textbox(scim, "Base URL").fill(v.scim.baseUrl);
    if (v.scim.groups) await scim.getByRole("checkbox", { name: "Groups", exact: true }).check();
    await scim.getByRole("radio", { name: v.scim.auth, exact: true }).check();
    await textbox(scim, "Link to configuration guide").fill(v.scim.guide);
  }
}

/** Asserts every value of `v` is shown on the Configure page. */
export async function expectConfigure(page: Page, v: ConfigureValues) {
  const catalog = region(page, "Catalog properties");
  await expect(textbox(catalog, "Display name")).toHaveValue(v.displayName);
  await expect(textbox(catalog, "Description")).toHaveValue(v.description);
  await expect(catalog.getByRole("img", { name: "Logo preview" })).toBeVisible();
  await expect(catalog.getByText("logo.png — 244×244 pixels")).toBeVisible();

  const vars = region(page, "Integration variables");
  await expect(vars.getByRole("group", { name: /^Variable \d+$/ })).toHaveCount(v.variables.length);
  for (const [i, variable] of v.variables.entries()) {
    const row = vars.getByRole("group", { name: `Variable ${i + 1}` });
    await expect(textbox(row, "Label")).toHaveValue(variable.label);
    await expect(textbox(row, "Name")).toHaveValue(variable.name);
  }
  if (v.oidc) {
    const oidc = region(page, "OIDC properties");
    for (const [i, uri] of v.oidc.redirectUris.entries()) {
      await expect(textbox(oidc, `Redirect URI ${i + 1}`)).toHaveValue(uri);
    }
    await expect(textbox(oidc, "Initiate login URI")).toHaveValue(v.oidc.initiateLoginUri);
    for (const [i, uri] of v.oidc.postLogoutUris.entries()) {
      await expect(textbox(oidc, `Post-logout URI ${i + 1}`)).toHaveValue(uri);
    }
    await expect(textbox(oidc, "Configuration guide URL")).toHaveValue(v.oidc.guide);
  }
  if (v.saml) {
    const saml = region(page, "SAML 2.0 properties");
    await expect(textbox(saml, "Default ACS URL")).toHaveValue(v.saml.defaultAcs);
    for (const [i, acs] of v.saml.otherAcs.entries()) {
      const row = saml.getByRole("group", { name: `ACS URL row ${i + 1}` });
      await expect(textbox(row, "ACS URL")).toHaveValue(acs.url);
      await expect(textbox(row, "Index")).toHaveValue(acs.index);
    }
    await expect(textbox(saml, "Entity ID / audience restriction")).toHaveValue(v.saml.entityId);
    for (const [i, attr] of v.saml.attributes.entries()) {
      const row = saml.getByRole("group", { name: `Attribute statement ${i + 1}` });
      await expect(textbox(row, "Attribute name")).toHaveValue(attr.name);
      await expect(textbox(row, "Values")).toHaveValue(attr.values);
    }
    await expect(textbox(saml, "Configuration guide URL")).toHaveValue(v.saml.guide);
  }
  if (v.scim) {
    const scim = region(page, "SCIM 2.0 properties");
    await expect(textbox(scim, "Base URL")).toHaveValue(v.scim.baseUrl);
    if (v.scim.groups) await expect(scim.getByRole("checkbox", { name: "Groups", exact: true })).toBeChecked();
    await expect(scim.getByRole("radio", { name: v.scim.auth, exact: true })).toBeChecked();
    await expect(textbox(scim, "Link to configuration guide")).toHaveValue(v.scim.guide);
  }
}

export interface TestInfoValues {
  accountUrl: string;
  username: string;
  password: string;
  supportContact: string;
  instructions: string;
  oidc?: { jit: "Yes" | "No"; spInitiateUrl: string };
  saml?: { idp: boolean; sp: boolean; jit: "Yes" | "No"; spInitiateUrl: string; spDescription: string };
}

export function testInfoValues(protocols: ProtocolName[]): TestInfoValues {
  const v: TestInfoValues = {
    accountUrl: "https://test.example.com/login",
    username: "isvtest@okta.com",
    password: "S3cret-for-review!",
    supportContact: "oin-support@example.com",
    instructions: "Sign in with the test admin, then open Settings > SSO.",
  };
  if (protocols.includes("OIDC")) v.oidc = { jit: "Yes", spInitiateUrl: "https://app.example.com/login/okta" };
  if (protocols.includes("SAML 2.0")) {
    v.saml = {
      idp: true,
      sp: true,
      jit: "No",
      spInitiateUrl: "https://app.example.com/saml/login",
      spDescription: "Open the login page, enter the work email and choose Continue with Okta.",
    };
  }
  return v;
}

export async function fillTestInfo(page: Page, v: TestInfoValues) {
  await textbox(page, "Account URL").fill(v.accountUrl);
  await textbox(page, "Username").fill(v.username);
  await textbox(page, "Password").fill(v.password);
  await textbox(page, "Support contact").fill(v.supportContact);
  await textbox(page, "Testing instructions").fill(v.instructions);
  if (v.oidc) {
    const oidc = region(page, "OIDC test settings");
    await oidc.getByRole("group", { name: "JIT provisioning" }).getByRole("radio", { name: v.oidc.jit }).check();
    await textbox(oidc, "SP initiate URL").fill(v.oidc.spInitiateUrl);
  }
  if (v.saml) {
    const saml = region(page, "SAML test settings");
    if (v.saml.idp) await saml.getByRole("checkbox", { name: "IdP-initiated flow" }).check();
    if (v.saml.sp) await saml.getByRole("checkbox", { name: "SP-initiated flow" }).check();
    await saml.getByRole("group", { name: "JIT provisioning" }).getByRole("radio", { name: v.saml.jit }).check();
    if (v.saml.sp) {
      await textbox(saml, "SP initiate URL").fill(v.saml.spInitiateUrl);
      await textbox(saml, "SP-initiated flow description").fill(v.saml.spDescription);
    }
  }
}

export async function expectTestInfo(page: Page, v: TestInfoValues) {
  await expect(textbox(page, "Account URL")).toHaveValue(v.accountUrl);
  await expect(textbox(page, "Username")).toHaveValue(v.username);
  const password = textbox(page, "Password");
  await expect(password).toHaveValue(v.password);
  await expect(password).toHaveAttribute("type", "password");
  await expect(textbox(page, "Support contact")).toHaveValue(v.supportContact);
  await expect(textbox(page, "Testing instructions")).toHaveValue(v.instructions);
  if (v.oidc) {
    const oidc = region(page, "OIDC test settings");
    await expect(oidc.getByRole("group", { name: "JIT provisioning" }).getByRole("radio", { name: v.oidc.jit })).toBeChecked();
    // SPEC 5.1: SP always on; IdP on because an Initiate login URI was given.
    await expect(oidc.getByRole("checkbox", { name: "SP-initiated flow" })).toBeChecked();
    await expect(oidc.getByRole("checkbox", { name: "IdP-initiated flow" })).toBeChecked();
    await expect(textbox(oidc, "SP initiate URL")).toHaveValue(v.oidc.spInitiateUrl);
  }
  if (v.saml) {
    const saml = region(page, "SAML test settings");
    await expect(saml.getByRole("checkbox", { name: "IdP-initiated flow" })).toBeChecked({ checked: v.saml.idp });
    await expect(saml.getByRole("checkbox", { name: "SP-initiated flow" })).toBeChecked({ checked: v.saml.sp });
    await expect(saml.getByRole("group", { name: "JIT provisioning" }).getByRole("radio", { name: v.saml.jit })).toBeChecked();
    if (v.saml.sp) {
      await expect(textbox(saml, "SP initiate URL")).toHaveValue(v.saml.spInitiateUrl);
      await expect(textbox(saml, "SP-initiated flow description")).toHaveValue(v.saml.spDescription);
    }
  }
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  await expect(target).toBeFocused();
}
