// Starts the real oin-server for the browser tests in server-tests/: a fresh SQLite database
// and key file in a temporary directory, the accounts every spec signs in with (server-tests/
// server.ts names them), then the server itself serving DIST with `--scim-allow-local` (the SCIM
// fixtures listen on loopback). Removes the directory when it is stopped.
// Usage: node oin-server.mjs DIST_DIR PORT   (binary: $OIN_SERVER_BIN or ../target/debug/oin-server)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ACCOUNTS, PASSWORD } from "../server-tests/accounts.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const [distArg, portArg] = process.argv.slice(2);
if (!distArg || !portArg) {
  console.error("usage: node oin-server.mjs DIST_DIR PORT");
  process.exit(2);
}
const bin = process.env.OIN_SERVER_BIN ?? resolve(here, "../../target/debug/oin-server");
if (!existsSync(bin)) {
  console.error(`${bin} is missing: run \`cargo build -p oin-server\` (./dev test-browser-server does)`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "oin-e2e-"));
const common = ["--database", `sqlite://${join(dir, "oin.db")}`, "--key-file", join(dir, "oin-server.key")];

for (const { email, roles, firstName, lastName } of ACCOUNTS) {
  const args = [...common, "user", "add", email, "--first-name", firstName, "--last-name", lastName, "--role", ...roles];
  const made = spawnSync(bin, args, { input: PASSWORD, encoding: "utf8" });
  if (made.status !== 0) {
    console.error(`user add ${email} failed:\n${made.stdout}${made.stderr}`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

const origin = `http://127.0.0.1:${portArg}`;
const server = spawn(
  bin,
  [...common, "--listen", `127.0.0.1:${portArg}`, "--dist", resolve(distArg), "--public-url", origin, "--scim-allow-local"],
  { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" } },
);
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code, signal) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(signal ? 0 : (code ?? 0));
});
