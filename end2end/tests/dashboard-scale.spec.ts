// SPEC 2: the dashboard "stays fast with thousands of rows". Seeds the embedded backend's
// IndexedDB with 3,000 submissions, then times the first render and a filter keystroke.
import { test, expect, openApp } from "./fixtures";

const COUNT = 3000;

test("3,000 integrations: the list renders and filters quickly", async ({ page, problems }) => {
  await openApp(page);
  await expect(page.getByRole("heading", { level: 1, name: "Your OIN Integrations" })).toBeVisible();
  await page.evaluate(async (count) => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const r = indexedDB.open("oin-wizard");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction(["submissions"], "readwrite");
    const store = tx.objectStore("submissions");
    const statuses = ["draft", "oinToReview", "isvToReview", "published"];
    for (let i = 0; i < count; i++) {
      const id = `bulk-${i}`;
      store.put(
        JSON.stringify({
          id,
          version: 1 + (i % 7),
          status: statuses[i % 4],
          updated: new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString(),
          protocols: { oidc: i % 2 === 0, saml: i % 3 === 0, scim: i % 5 === 0 },
          catalog: { displayName: `Integration ${String(i).padStart(4, "0")}`, description: "Bulk", useCases: [] },
        }),
        id,
      );
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, COUNT);

  const started = Date.now();
  await page.reload();
  await expect(page.getByText(`${COUNT} integrations`, { exact: true })).toBeVisible();
  const rendered = Date.now() - started;
  // A page of rows at a time, the rest behind "Show N more".
  await expect(page.getByRole("button", { name: "Show 100 more" })).toBeVisible();

  const filterStarted = Date.now();
  await page.getByLabel("Filter by name").fill("Integration 2999");
  await expect(page.getByText(`1 of ${COUNT} integrations`)).toBeVisible();
  const filtered = Date.now() - filterStarted;

  await page.getByLabel("Sort by").selectOption({ label: "Name (Z–A)" });
  await page.getByLabel("Filter by name").fill("");
  await expect(page.getByRole("table", { name: "Your OIN integrations" }).getByRole("link").first()).toHaveText("Integration 2999");

  test.info().annotations.push({ type: "timing", description: `reload to ${COUNT} rows listed: ${rendered} ms; filter: ${filtered} ms` });
  console.log(`dashboard scale: reload to ${COUNT} rows listed ${rendered} ms, filter ${filtered} ms`);
  expect(rendered).toBeLessThan(5000);
  expect(filtered).toBeLessThan(1000);
  expect(problems).toEqual([]);
});
