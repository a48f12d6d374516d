// Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy next to every text or
// wasm asset of a build, so a static host or server sends the smallest encoding the browser
// accepts without compressing on each request. Skips files whose copy would not be smaller,
// and public/config.json, which a deployment edits after the build (a stale .br would win).
// Usage: node precompress.mjs DIST_DIR
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = process.argv[2];
if (!dist) {
  console.error("usage: node precompress.mjs DIST_DIR");
  process.exit(2);
}
const COMPRESSIBLE = /\.(html|js|mjs|wasm|css|svg|json|txt|map)$/;
const EDITED_AFTER_BUILD = new Set(["public/config.json"]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

let count = 0;
let raw = 0;
let br = 0;
// A rebuild into the same folder must not leave copies of files that changed.
for (const file of [...files(dist)]) if (/\.(br|gz)$/.test(file)) rmSync(file);
for (const file of [...files(dist)]) {
  const rel = relative(dist, file).split("\\").join("/");
  if (!COMPRESSIBLE.test(rel) || EDITED_AFTER_BUILD.has(rel)) continue;
  const data = readFileSync(file);
  const brotli = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: rel.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gzip = gzipSync(data, { level: 9 });
  if (brotli.length < data.length) writeFileSync(`${file}.br`, brotli);
  if (gzip.length < data.length) writeFileSync(`${file}.gz`, gzip);
  count += 1;
  raw += data.length;
  br += Math.min(brotli.length, data.length);
}
console.log(`precompressed ${count} files: ${raw.toLocaleString("en-US")} bytes -> ${br.toLocaleString("en-US")} brotli`);
