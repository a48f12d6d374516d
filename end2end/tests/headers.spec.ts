// Issue 12: the app is served with the security headers of dist/_headers (README, Deploying),
// and the CSP allows no data: images.
import { test, expect } from "./fixtures";

test("served headers: CSP, nosniff, Referrer-Policy, COOP, Permissions-Policy, HSTS", async ({ page }) => {
  for (const path of ["/", "/integrations/sub-1/configure"]) {
    const response = await page.goto(path);
    const h = response?.headers() ?? {};
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("no-referrer");
    expect(h["cross-origin-opener-policy"], path).toBe("same-origin");
    expect(h["permissions-policy"], path).toMatch(/camera=\(\)/);
    expect(h["strict-transport-security"], path).toMatch(/^max-age=\d{7,}/);
    const csp = h["content-security-policy"] ?? "";
    expect(csp, path).toMatch(/default-src 'self'/);
    expect(csp, path).toMatch(/frame-ancestors 'none'/);
    const img = csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("img-src")) ?? "";
    expect(img, path).toBe("img-src 'self' blob:");
  }
});
