// What every spec against the real oin-server shares (playwright.server.config.ts starts it
// with tools/oin-server.mjs). One server and one database for the whole run: specs make their
// own submissions with unique names and never assume an empty list.
import { expect, request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { ACCOUNTS, PASSWORD } from "./accounts.mjs";

export { ACCOUNTS, PASSWORD };

/** Where the server listens (the config's baseURL). */
export const BASE_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4273)}`;

/** A name no other test uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Opens the app and signs in as `email` through the app's own sign-in form (the server
 * answers 401 until then); resolves once the dashboard shows. */
export async function signIn(page: Page, email: string, password: string = PASSWORD): Promise<void> {
  await page.goto("/");
  const dialog = page.getByRole("dialog", { name: "Sign in" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Password").fill(password);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
}

/** An API client signed in as `email` through `POST /api/v1/session` (cookie kept). Writes
 * need `Content-Type: application/json`, which `data:` objects get. Dispose it when done. */
export async function api(email: string, password: string = PASSWORD): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const res = await ctx.post("/api/v1/session", { data: { email, password } });
  expect(res.status(), `sign in as ${email}`).toBe(200);
  return ctx;
}
