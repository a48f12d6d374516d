// The embedded backend's Review desk (the catalog team's side, SPEC 2) and the vendor's side of
// its decisions: "ISV to review" with a message, "Published", then Edit integration and the
// "Application instance not detected" dialog.
import { test, expect, openApp, expectNoAxeViolations, editProfile } from "./fixtures";
import type { Page } from "@playwright/test";
import { region } from "./wizard-helpers";
import { submission, useHttpBackend } from "./fake-api";

const MESSAGE = "The SP-initiated flow description misses the step where the user picks Okta.";

const setReviewer = (page: Page, on: boolean) => editProfile(page, { roles: { "Catalog reviewer": on } });

async function loadSamples(page: Page) {
  await page.getByRole("button", { name: "Load sample integrations" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^4 integrations$/ })).toBeVisible();
}

const row = (page: Page, name: string) =>
  page.getByRole("table", { name: "Your OIN integrations" }).getByRole("row").filter({ hasText: name });
const deskLink = (page: Page) => page.getByRole("banner").getByRole("link", { name: "Review desk" });

async function openDesk(page: Page) {
  await deskLink(page).click();
  await expect(page.getByRole("heading", { level: 1, name: "Review desk" })).toBeVisible();
}

async function home(page: Page) {
  await page.getByRole("banner").getByRole("link", { name: "OIN Wizard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
}

test.describe("Review desk", () => {
  test("without the Catalog reviewer role it explains who may use it", async ({ page, problems }) => {
    await openApp(page);
    await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
    await expect(deskLink(page)).toHaveCount(0);
    await openApp(page, "/review");
    await expect(page.getByRole("heading", { level: 1, name: "Review desk" })).toBeVisible();
    await expect(page.getByRole("note")).toContainText(
      "Only the catalog team records review decisions: the catalog reviewer role is needed",
    );
    await expect(page.getByRole("note")).toContainText("open Profile and tick Catalog reviewer");
    await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
    await expectNoAxeViolations(page);
    // With the role, the header links to it and the desk lists the queue.
    await setReviewer(page, true);
    await expect(deskLink(page)).toBeVisible();
    await expect(page.getByText("No integration is waiting for review.")).toBeVisible();
    await setReviewer(page, false);
    await expect(deskLink(page)).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test("with the HTTP backend it says review decisions come from the catalog team's own tools", async ({ page, problems }) => {
    await useHttpBackend(page, [submission("sub-1", "Strawberry Fields", 3)]);
    await openApp(page, "/review");
    await expect(page.getByRole("heading", { level: 1, name: "Review desk" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("Review decisions come from the catalog team's own tools");
    await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
    await expect(deskLink(page)).toHaveCount(0);
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });

  test("Send back as ISV to review needs a message; the vendor sees it on the dashboard and in the wizard", async ({ page, problems }) => {
    test.slow();
    await openApp(page);
    await setReviewer(page, true);
    await loadSamples(page);
    await expect(row(page, "Blueberry HR")).toContainText("OIN to review");
    await openDesk(page);
    const item = region(page, "Blueberry HR");
    await expect(item).toBeVisible();
    // Only submissions in OIN to review are listed.
    await expect(region(page, "Strawberry Fields")).toHaveCount(0);
    await expect(region(page, "Raspberry Suite")).toHaveCount(0);
    await expectNoAxeViolations(page);

    const send = item.getByRole("button", { name: "Send back as ISV to review" });
    const note = item.getByRole("textbox", { name: "Message to the vendor" });
    await send.click();
    await expect(item.getByRole("alert")).toHaveText(
      "Write a message telling the vendor what to fix before sending it back as ISV to review",
    );
    await expect(note).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);

    await note.fill(MESSAGE);
    await send.click();
    await expect(page.getByRole("status").filter({ hasText: "Blueberry HR: ISV to review" })).toBeVisible();
    await expect(region(page, "Blueberry HR")).toHaveCount(0);
    await expect(page.getByText("No integration is waiting for review.")).toBeVisible();
    await expectNoAxeViolations(page);

    await home(page);
    await expect(row(page, "Blueberry HR")).toContainText("ISV to review");
    await expect(row(page, "Blueberry HR")).toContainText(`Message from the catalog team: ${MESSAGE}`);
    await expectNoAxeViolations(page);

    await row(page, "Blueberry HR").getByRole("link", { name: "Blueberry HR" }).click();
    const notice = region(page, "The catalog team sent this integration back to you (ISV to review)");
    await expect(notice).toContainText(MESSAGE);
    await expect(page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Submit/ })).toContainText(
      "Changes requested",
    );
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });

  test("Publish makes it Published on the dashboard", async ({ page, problems }) => {
    await openApp(page);
    await setReviewer(page, true);
    await loadSamples(page);
    await openDesk(page);
    await region(page, "Blueberry HR").getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Blueberry HR: Published" })).toBeVisible();
    await expect(region(page, "Blueberry HR")).toHaveCount(0);
    await home(page);
    await expect(row(page, "Blueberry HR")).toContainText("Published");
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });
});

test.describe("Edit integration on a published integration", () => {
  test("in the wizard: the Application instance not detected dialog offers Generate instance", async ({ page, problems }) => {
    test.slow();
    await openApp(page);
    await loadSamples(page);
    await row(page, "Raspberry Suite").getByRole("link", { name: "Raspberry Suite" }).click();
    await expect(page.getByText("This integration is read-only.")).toBeVisible();
    await page.getByRole("button", { name: "Edit integration" }).click();

    const dialog = page.getByRole("dialog", { name: "Application instance not detected" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Backwards-compatibility tests need one");
    const generate = dialog.getByRole("button", { name: "Generate instance" });
    await expect(generate).toBeEnabled();
    await expectNoAxeViolations(page);
    // Focus is inside the modal; Escape closes it.
    await expect(dialog.getByRole("button").first()).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    // It is a Draft now, editable.
    await expect(page.getByText("This integration is read-only.")).toHaveCount(0);
    await expect(page.getByRole("navigation", { name: "Wizard steps" }).getByRole("link", { name: /^Submit/ })).toContainText(
      "Not submitted",
    );
    expect(problems).toEqual([]);
  });

  test("from the dashboard's more-menu: Generate instance goes to testing", async ({ page, problems }) => {
    test.slow();
    await openApp(page);
    await loadSamples(page);
    const more = page.getByRole("button", { name: "More actions for Raspberry Suite" });
    // A Draft offers no Edit integration.
    await page.getByRole("button", { name: "More actions for Strawberry Fields" }).click();
    await expect(page.getByRole("button", { name: "Edit integration" })).toHaveCount(0);
    await more.click();
    await page.getByRole("button", { name: "Edit integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Application instance not detected" });
    await expect(dialog).toBeVisible();
    await expect(row(page, "Raspberry Suite")).toContainText("Draft");
    await expectNoAxeViolations(page);
    await dialog.getByRole("button", { name: "Generate instance" }).click();
    await expect(dialog).toBeHidden();
    // The Test integration page, or (this sample is not complete) the first page that still
    // misses something, saying so.
    await expect(page).toHaveURL(/\/integrations\/[^/]+\/(test|protocol|configure|test-info)$/);
    await expect(
      page
        .getByRole("heading", { level: 1, name: "Test integration" })
        .or(page.getByRole("status").filter({ hasText: /^Testing needs protocols, configuration and test details complete/ })),
    ).toBeVisible();
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
  });

  test("Not now closes the dialog and leaves a Draft", async ({ page, problems }) => {
    await openApp(page);
    await loadSamples(page);
    await page.getByRole("button", { name: "More actions for Raspberry Suite" }).click();
    await page.getByRole("button", { name: "Edit integration" }).click();
    const dialog = page.getByRole("dialog", { name: "Application instance not detected" });
    await dialog.getByRole("button", { name: "Not now" }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, "Raspberry Suite")).toContainText("Draft");
    expect(problems).toEqual([]);
  });
});
