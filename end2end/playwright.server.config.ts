import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// E2E_PORT lets several checkouts run their suites side by side.
const port = Number(process.env.E2E_PORT ?? 4273);

// The same browser settings as the main suite, against the real oin-server instead of the
// static files: tools/oin-server.mjs starts target/debug/oin-server on a fresh SQLite database
// with the accounts of server-tests/accounts.mjs, serving the release build in ../dist (whose
// config.json the server answers with `"backend": "http"`). One server for the run: workers 1.
export default defineConfig({
  ...base,
  testDir: "./server-tests",
  fullyParallel: false,
  workers: 1,
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    command: `node tools/oin-server.mjs ../dist ${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
