// Prints raw, gzip and brotli bytes of the wasm, JS and CSS in a build (every folder of it;
// the precompressed .br/.gz copies are not counted). tools/first-load.mjs tells which of
// these files the first page load fetches.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}
const rows = [];
for (const file of files(dist)) {
  if (!/\.(wasm|js|css)$/.test(file)) continue;
  const data = readFileSync(file);
  rows.push({
    name: relative(dist, file),
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const fmt = (n) => n.toLocaleString("en-US").padStart(10);
const width = Math.max(40, ...rows.map((r) => r.name.length + 2));
console.log(`${"file".padEnd(width)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const r of rows) console.log(`${r.name.padEnd(width)}${fmt(r.raw)}${fmt(r.gzip)}${fmt(r.brotli)}`);
console.log(`${"total".padEnd(width)}${fmt(total.raw)}${fmt(total.gzip)}${fmt(total.brotli)}`);
