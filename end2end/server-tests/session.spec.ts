// The app on the real server: the sign-in form on a 401, the account from GET /me, a wrong
// password refused in the form, and Sign out ending the session at the server.
import { expect, test } from "@playwright/test";
import { api, PASSWORD, signIn } from "./server";

test("signing in through the app's form shows the dashboard and the account", async ({ page }) => {
  await signIn(page, "admin@example.com");
  await expect(page.getByRole("banner")).toContainText("Signed in as admin@example.com");
});

test("a wrong password is refused in the form and the dialog stays open", async ({ page }) => {
  await page.goto("/");
  const dialog = page.getByRole("dialog", { name: "Sign in" });
  await dialog.getByLabel("Email").fill("orgadmin@example.com");
  await dialog.getByLabel("Password").fill(`${PASSWORD}!`);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Password").fill(PASSWORD);
  await dialog.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
});

test("Sign out ends the session at the server: the cookie no longer reads /me", async ({ page, context }) => {
  await signIn(page, "appadmin@example.com");
  expect((await context.request.get("/api/v1/me")).status()).toBe(200);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("dialog", { name: "Sign in" })).toBeVisible();
  expect((await context.request.get("/api/v1/me")).status()).toBe(401);
});

test("the API client of the specs signs in through POST /api/v1/session", async () => {
  const client = await api("admin@other.test");
  const me = await (await client.get("/api/v1/me")).json();
  expect(me.email).toBe("admin@other.test");
  await client.dispose();
});
