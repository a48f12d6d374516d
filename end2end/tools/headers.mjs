// Writes DIST/_headers: the Content-Security-Policy and other headers the app must be
// served with, in the `_headers` format static hosts read. The policy allows Trunk's inline
// module loader by its sha256 hash (computed here from the built index.html), never by
// 'unsafe-inline'. tools/serve.mjs serves the build with exactly this file.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = process.argv[2];
if (!dist) {
  console.error("usage: node headers.mjs DIST_DIR");
  process.exit(2);
}
const html = readFileSync(join(dist, "index.html"), "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  if (m[1].trim() === "") continue;
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}

export const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
  "style-src 'self'",
  // blob: for logo previews (typed with the sniffed image type); nothing needs data:.
  "img-src 'self' blob:",
  "font-src 'self'",
  // A deployment with an HTTP backend on another origin adds that origin here.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const headers = `/*
  Content-Security-Policy: ${policy}
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
  Cross-Origin-Opener-Policy: same-origin
  Permissions-Policy: camera=(), microphone=(), geolocation=(), payment=(), usb=()
  Strict-Transport-Security: max-age=31536000; includeSubDomains
`;
writeFileSync(join(dist, "_headers"), headers);
// Single-page app: every path that is not a file serves index.html.
writeFileSync(join(dist, "_redirects"), "/*    /index.html   200\n");
console.log(`_headers written (${hashes.length} inline script hash${hashes.length === 1 ? "" : "es"})`);
