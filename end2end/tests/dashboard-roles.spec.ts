// The dashboard and wizard on the embedded backend, for what SPEC 1 and 2 let a user do:
// without a wizard role the list stays closed and says which role is needed; controls a user
// may not use are disabled with the reason shown before the click; a Draft can be deleted
// (after a confirmation) and a submission in "OIN to review" withdrawn; the catalog team's
// contact appears where the wizard can't help.
import { test, expect, openApp, editProfile, expectNoAxeViolations } from "./fixtures";
import type { Page } from "@playwright/test";

const CONTACT = "catalog-team@example.com";
const table = (page: Page) => page.getByRole("table", { name: "Your OIN integrations" });
const row = (page: Page, name: string) => table(page).getByRole("row", { name: new RegExp(name) });
const more = (page: Page, name: string) => page.getByRole("button", { name: `More actions for ${name}` });

async function loadSamples(page: Page) {
  await openApp(page);
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await expect(table(page).getByRole("link")).toHaveCount(4);
}

test("without a wizard role the list and the integrations stay closed, saying which role is needed", async ({ page, problems }) => {
  await loadSamples(page);
  const href = await row(page, "Strawberry Fields").getByRole("link").getAttribute("href");
  const build = page.getByRole("button", { name: "Build new OIN integration" });
  await expect(build).toBeEnabled();

  // Org admin alone: no list, no opening, no Build new — each says why, before any click.
  await editProfile(page, { roles: { "Super admin": false, "Org admin": true } });
  const needed = "Listing and opening OIN integrations needs the super admin or app admin role: ask an org administrator to assign one";
  await expect(page.getByRole("note").getByText(needed)).toBeVisible();
  await expect(table(page)).toBeHidden();
  await expect(build).toBeDisabled();
  await expect(build).toHaveAccessibleDescription("Viewing and editing submissions needs the super admin or app admin role");
  await expectNoAxeViolations(page);

  // A link straight to an integration is refused the same way (the backend decides).
  await openApp(page, href ?? "/missing");
  await expect(page.getByRole("heading", { level: 1, name: "This integration could not be opened" })).toBeVisible();
  await expect(page.getByRole("main").getByText(needed)).toBeVisible();

  // App admin may view and edit: the list is back.
  await openApp(page);
  await editProfile(page, { roles: { "App admin": true } });
  await expect(table(page).getByRole("link")).toHaveCount(4);
  await expect(build).toBeEnabled();

  // Catalog reviewer alone may look (to review) but not edit: Edit integration is disabled
  // in the more-menu with its reason.
  await editProfile(page, { roles: { "App admin": false, "Org admin": false, "Catalog reviewer": true } });
  await expect(table(page).getByRole("link")).toHaveCount(4);
  await expect(build).toBeDisabled();
  await more(page, "Raspberry Suite").click();
  const edit = page.getByRole("button", { name: "Edit integration" });
  await expect(edit).toBeDisabled();
  await expect(edit).toHaveAccessibleDescription("Viewing and editing submissions needs the super admin or app admin role");
  await expect(page.getByText("Viewing and editing submissions needs the super admin or app admin role").first()).toBeVisible();
  // And in the wizard, on the read-only notice.
  await more(page, "Raspberry Suite").click();
  await row(page, "Raspberry Suite").getByRole("link").click();
  const wizardEdit = page.getByRole("note").getByRole("button", { name: "Edit integration" });
  await expect(wizardEdit).toBeDisabled();
  await expect(wizardEdit).toHaveAccessibleDescription("Viewing and editing submissions needs the super admin or app admin role");
  expect(problems).toEqual([]);
});

test("a Draft is deleted after a confirmation; a Draft of a published integration can't be, and says whom to ask", async ({ page, problems }) => {
  await loadSamples(page);
  // Cancel keeps it.
  await more(page, "Strawberry Fields").click();
  await page.getByRole("button", { name: "Delete draft" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete the draft Strawberry Fields?" });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(row(page, "Strawberry Fields")).toBeVisible();
  // Delete draft deletes it, for good.
  await more(page, "Strawberry Fields").click();
  await page.getByRole("button", { name: "Delete draft" }).click();
  await dialog.getByRole("button", { name: "Delete draft" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").getByText("The draft Strawberry Fields was deleted.")).toBeVisible();
  await expect(row(page, "Strawberry Fields")).toHaveCount(0);
  await page.reload();
  await expect(table(page).getByRole("link")).toHaveCount(3);
  await expect(row(page, "Strawberry Fields")).toHaveCount(0);

  // Only Drafts offer it; the Draft editing a published integration has it disabled, with
  // the catalog team's contact.
  await more(page, "Blueberry HR").click();
  await expect(page.getByRole("button", { name: "Delete draft" })).toHaveCount(0);
  await more(page, "Blueberry HR").click();
  await more(page, "Raspberry Suite").click();
  await page.getByRole("button", { name: "Edit integration" }).click();
  await page.getByRole("dialog", { name: "Application instance not detected" }).getByRole("button", { name: "Not now" }).click();
  await openApp(page);
  await expect(row(page, "Raspberry Suite")).toContainText("Draft");
  await more(page, "Raspberry Suite").click();
  const del = page.getByRole("button", { name: "Delete draft" });
  await expect(del).toBeDisabled();
  await expect(del).toHaveAccessibleDescription(
    `This Draft edits a published integration, which stays in the catalog: it can't be deleted here. To remove the integration, contact the catalog team at ${CONTACT}.`,
  );
  await expect(page.getByRole("link", { name: CONTACT })).toHaveAttribute("href", `mailto:${CONTACT}`);
  expect(problems).toEqual([]);
});

test("a submission in OIN to review is withdrawn back to Draft from the wizard, which names the catalog team for questions", async ({ page, problems }) => {
  await loadSamples(page);
  await expect(row(page, "Blueberry HR")).toContainText("OIN to review");
  // Only a submission under review offers it.
  await more(page, "Cranberry Directory").click();
  await expect(page.getByRole("button", { name: "Withdraw submission" })).toHaveCount(0);
  await more(page, "Cranberry Directory").click();

  await row(page, "Blueberry HR").getByRole("link").click();
  const notice = page.getByRole("region", { name: "The catalog team is reviewing this integration (OIN to review)" });
  await expect(notice).toBeVisible();
  await expect(notice.getByRole("link", { name: CONTACT })).toHaveAttribute("href", `mailto:${CONTACT}`);
  await expectNoAxeViolations(page);
  await notice.getByRole("button", { name: "Withdraw submission" }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();
  await openApp(page);
  await expect(row(page, "Blueberry HR")).toContainText("Draft");
  // A Draft again: it can be deleted now.
  await more(page, "Blueberry HR").click();
  await expect(page.getByRole("button", { name: "Delete draft" })).toBeEnabled();
  expect(problems).toEqual([]);
});
