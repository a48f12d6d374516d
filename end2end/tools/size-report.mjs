// Prints raw, gzip and brotli bytes of the wasm, JS and CSS in a build.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const rows = [];
for (const name of readdirSync(dist).sort()) {
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const data = readFileSync(join(dist, name));
  rows.push({
    name,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const fmt = (n) => n.toLocaleString("en-US").padStart(10);
console.log(`${"file".padEnd(40)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const r of rows) console.log(`${r.name.padEnd(40)}${fmt(r.raw)}${fmt(r.gzip)}${fmt(r.brotli)}`);
console.log(`${"total".padEnd(40)}${fmt(total.raw)}${fmt(total.gzip)}${fmt(total.brotli)}`);
