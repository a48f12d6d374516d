// A server's own checks: a save refused with field problems shows each under its field,
// keeps the text, and offers no pointless Retry; fixing the field saves.
import { test, expect, openApp } from "./fixtures";
import { submission, unexpected, useHttpBackend } from "./fake-api";

test("a 422 with field problems lands on the fields", async ({ page, problems }) => {
  const api = await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
  let refuse = true;
  await page.route("**/api-test/api/v1/submissions/sub-1", async (route) => {
    if (route.request().method() !== "PUT" || !refuse) return route.fallback();
    await route.fulfill({
      status: 422,
      contentType: "application/json",
      body: JSON.stringify({
        code: "rejected",
        message: "The server refused the save: 1 problem",
        problems: [{ field: "catalog.description", severity: "error", message: "The server says: Description must mention your product" }],
      }),
    });
  });
  await openApp(page);
  await page.getByRole("link", { name: "Strawberry Fields" }).click();
  await page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /Configure your integration/ }).click();
  const name = page.getByRole("textbox", { name: "Display name" });
  await name.fill("Strawberry Fields 2");
  await expect(page.getByRole("status").filter({ hasText: /^Couldn't save$/ })).toBeVisible();
  const description = page.getByRole("textbox", { name: "Description" });
  await expect(description).toHaveAccessibleDescription(/The server says: Description must mention your product/);
  await expect(page.getByRole("button", { name: "Retry" })).toHaveCount(0);
  await expect(name).toHaveValue("Strawberry Fields 2");

  refuse = false;
  await description.fill("Strawberry Fields signs you in.");
  await expect(page.getByRole("status").filter({ hasText: /^Saved$/ })).toBeVisible();
  await expect(description).not.toHaveAccessibleDescription(/The server says/);
  expect(api.submissions.get("sub-1")?.catalog.displayName).toBe("Strawberry Fields 2");
  expect(unexpected(problems, [/Failed to load resource: .*status of 422/])).toEqual([]);
});
