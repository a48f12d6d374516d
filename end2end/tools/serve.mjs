// Serves a release build the way a CDN would: static files with the headers from
// DIST/_headers (the strict CSP), long caching for hashed assets, and index.html for every
// path that is not a file (deep links). Usage: node serve.mjs DIST_DIR PORT
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";

const dist = resolve(process.argv[2] ?? "../dist");
const port = Number(process.argv[3] ?? 4173);

function parseHeaders(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\s+([A-Za-z-]+):\s*(.*)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
const headers = parseHeaders(readFileSync(join(dist, "_headers"), "utf8"));
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

function fileFor(urlPath) {
  const rel = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.(\/|\\|$))+/, "");
  const full = join(dist, rel);
  if (!full.startsWith(dist)) return null;
  try {
    if (statSync(full).isFile()) return full;
  } catch {}
  return null;
}

createServer((req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  let file = fileFor(path);
  let status = 200;
  if (!file) {
    // A path with a file extension that doesn't exist is a real 404; others are app routes.
    if (extname(path) && !path.endsWith(".html")) status = 404;
    else file = join(dist, "index.html");
  }
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status === 404) {
    res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    return;
  }
  const ext = extname(file);
  res.setHeader("Content-Type", types[ext] ?? "application/octet-stream");
  res.setHeader("Cache-Control", ext === ".html" ? "no-cache" : "public, max-age=31536000, immutable");
  res.writeHead(200).end(readFileSync(file));
}).listen(port, "127.0.0.1", () => console.log(`serving ${dist} on http://127.0.0.1:${port}`));
