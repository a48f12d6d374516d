import { test, expect, openApp } from "./fixtures";
import type { Page } from "@playwright/test";

// Issue 5 "Never lose work": autosave status, restore after a reload, two tabs, leaving warns.

async function newOidcDraft(page: Page): Promise<string> {
  await openApp(page);
  await page.getByRole("button", { name: "Build new OIN integration" }).click();
  await page.getByLabel("OIDC", { exact: true }).check();
  await page.getByRole("button", { name: "Configure your integration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Configure your integration" })).toBeVisible();
  return page.url();
}

test("edits autosave with a visible status", async ({ page, problems }) => {
  await newOidcDraft(page);
  await page.getByLabel("Display name").fill("Acme Cloud");
  await expect(page.getByRole("status").filter({ hasText: /^(Unsaved changes|Saving…|Saved)$/ })).toBeVisible();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  expect(problems).toEqual([]);
});

test("a reload before the save restores exactly what was typed, rows included", async ({ page }) => {
  const url = await newOidcDraft(page);
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "+ Add another" }).first().click();
  const row = page.getByRole("group", { name: "Variable 1" });
  await row.getByLabel("Label", { exact: true }).fill("Subdomain");
  // Reload at once: the save pause has not elapsed, only the local copy holds this.
  await row.getByLabel("Name", { exact: true }).fill("subdomain");
  await page.getByLabel("Display name").fill("Typed just before the crash");
  await page.goto(url);
  await expect(page.getByLabel("Display name")).toHaveValue("Typed just before the crash");
  await expect(page.getByRole("group", { name: "Variable 1" }).getByLabel("Name", { exact: true })).toHaveValue("subdomain");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Display name")).toHaveValue("Typed just before the crash");
});

test("two tabs: a stale save is refused and the user chooses, never a silent overwrite", async ({ page, context }) => {
  const url = await newOidcDraft(page);
  await page.getByLabel("Display name").fill("From tab one");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();

  const second = await context.newPage();
  await second.goto(url);
  await expect(second.getByLabel("Display name")).toHaveValue("From tab one");
  await second.getByLabel("Display name").fill("From tab two");
  await expect(second.getByText("Saved", { exact: true })).toBeVisible();

  // Tab one still holds the older version: its next save is stale.
  await page.getByLabel("Description").fill("Written in tab one");
  const banner = page.getByRole("alert").filter({ hasText: "This integration was changed somewhere else" });
  await expect(banner).toBeVisible();
  await expect(page.getByLabel("Description")).toHaveValue("Written in tab one");
  await banner.getByRole("button", { name: "Keep my changes" }).click();
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await second.reload();
  await expect(second.getByLabel("Description")).toHaveValue("Written in tab one");
});

test("two tabs: discarding my changes loads the newer version", async ({ page, context }) => {
  const url = await newOidcDraft(page);
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  const second = await context.newPage();
  await second.goto(url);
  await second.getByLabel("Display name").fill("Newer elsewhere");
  await expect(second.getByText("Saved", { exact: true })).toBeVisible();
  await page.getByLabel("Display name").fill("Mine");
  const banner = page.getByRole("alert").filter({ hasText: "This integration was changed somewhere else" });
  await banner.getByRole("button", { name: "Discard my changes and load the newer version" }).click();
  await expect(page.getByLabel("Display name")).toHaveValue("Newer elsewhere");
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
});

test("leaving with an unsaved change warns", async ({ page }) => {
  await newOidcDraft(page);
  await expect(page.getByText("Saved", { exact: true })).toBeVisible();
  await page.getByLabel("Display name").fill("Not saved yet");
  let warned = false;
  page.once("dialog", async (dialog) => {
    warned = dialog.type() === "beforeunload";
    await dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => warned).toBe(true);
});
