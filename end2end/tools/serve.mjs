// Serves a release build the way a CDN would: static files with the headers from
// DIST/_headers (the strict CSP), long caching for hashed assets, index.html for every path
// that is not a file (deep links), and the precompressed `.br`/`.gz` copy of a file when the
// browser accepts that encoding (tools/precompress.mjs writes them at build time).
// Usage: node serve.mjs DIST_DIR PORT   (PORT 0: any free port, printed)
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { pathToFileURL } from "node:url";

function parseHeaders(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^\s+([A-Za-z-]+):\s*(.*)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** A server for DIST (not listening yet). `onSend(path, bytes, encoding)` sees every file sent. */
export function staticServer(distDir, onSend = () => {}) {
  const dist = resolve(distDir);
  const headers = parseHeaders(readFileSync(join(dist, "_headers"), "utf8"));
  const fileFor = (urlPath) => {
    const rel = normalize(decodeURIComponent(urlPath)).replace(/^(\.\.(\/|\\|$))+/, "");
    const full = join(dist, rel);
    if (!full.startsWith(dist)) return null;
    try {
      if (statSync(full).isFile()) return full;
    } catch {}
    return null;
  };
  return createServer((req, res) => {
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
    res.setHeader("Vary", "Accept-Encoding");
    const accepts = String(req.headers["accept-encoding"] ?? "");
    let encoding = null;
    for (const [enc, suffix] of [["br", ".br"], ["gzip", ".gz"]]) {
      if (new RegExp(`\\b${enc}\\b`).test(accepts) && existsSync(file + suffix)) {
        encoding = enc;
        file += suffix;
        break;
      }
    }
    if (encoding) res.setHeader("Content-Encoding", encoding);
    const body = readFileSync(file);
    onSend(path, body.length, encoding);
    res.writeHead(200).end(body);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = resolve(process.argv[2] ?? "../dist");
  const port = Number(process.argv[3] ?? 4173);
  const server = staticServer(dist);
  server.listen(port, "127.0.0.1", () =>
    console.log(`serving ${dist} on http://127.0.0.1:${server.address().port}`),
  );
}
