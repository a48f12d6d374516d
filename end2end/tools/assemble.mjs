// Assembles the release build in DIST from the split, bindgen'ed and optimised wasm in PKG
// (`./dev build` makes PKG; see docs/ARCHITECTURE.md "Size"):
// - PKG's files (main JS + wasm, the wasm-split loader `__wasm_split.js`, one wasm per chunk)
//   go to DIST/app-<hash>/, named by a hash of all of them, so hosts may cache them forever;
//   the loader's chunk fetches go through paced-fetch.js (a few per task, never one long task);
// - style/main.css goes to DIST/main-<hash>.css (comments and indentation stripped);
// - public/ is copied to DIST/public/;
// - index.html is written from the source one: the Trunk links become a stylesheet link, a
//   preload of the main JS and wasm, and one small inline module script that starts the app
//   (`_headers`, written next, allows exactly that script by its hash).
// Usage: node assemble.mjs PKG_DIR DIST_DIR   (run from the project root)
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [pkg, dist] = process.argv.slice(2);
if (!pkg || !dist) {
  console.error("usage: node assemble.mjs PKG_DIR DIST_DIR");
  process.exit(2);
}
const MAIN = "oin-wizard";
const hash = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex").slice(0, 16);
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const pkgFiles = readdirSync(pkg).filter((f) => /\.(js|wasm)$/.test(f)).sort();
for (const need of [`${MAIN}.js`, `${MAIN}_bg.wasm`]) {
  if (!pkgFiles.includes(need)) throw new Error(`${pkg} has no ${need}`);
}
const pacer = readFileSync(new URL("paced-fetch.js", import.meta.url), "utf8");
const appDir = `app-${hash(pacer, ...pkgFiles.flatMap((f) => [f, readFileSync(join(pkg, f))]))}`;
mkdirSync(join(dist, appDir));
for (const f of pkgFiles) cpSync(join(pkg, f), join(dist, appDir, f));
// Every chunk fetch of the loader (one per chunk file) goes through the pacer.
const LOADER = "__wasm_split.js";
if (pkgFiles.includes(LOADER)) {
  const loader = readFileSync(join(pkg, LOADER), "utf8");
  const chunks = pkgFiles.filter((f) => f.endsWith(".wasm") && f !== `${MAIN}_bg.wasm`).length;
  const fetchCall = "fetch(new URL(";
  const streaming = "WebAssembly.instantiateStreaming(src, imports)";
  for (const once of [fetchCall, streaming]) {
    const found = loader.split(once).length - 1;
    if (found !== chunks) throw new Error(`${LOADER} has ${found} \`${once}\`, expected one per chunk (${chunks})`);
  }
  const [imports, ...rest] = loader.split("\n");
  if (!imports.startsWith("import ")) throw new Error(`${LOADER} does not start with its import`);
  // A chunk is compiled from its whole bytes, off the main thread: streaming compilation
  // takes in the bytes on the main thread, and a fast network hands over a big chunk at once
  // (a 50-200 ms task at a phone's speed while the idle prefetch runs).
  writeFileSync(
    join(dist, appDir, LOADER),
    [imports, ...pacer.split("\n").filter((l) => !l.startsWith("//")), ...rest]
      .join("\n")
      .replaceAll(fetchCall, "pacedFetch(new URL(")
      .replaceAll(streaming, "src.then(wasmBytes).then((bytes) => WebAssembly.instantiate(bytes, imports))"),
  );
}
// wasm-bindgen puts JS snippets of dependencies here (imported relatively by the main JS).
try {
  cpSync(join(pkg, "snippets"), join(dist, appDir, "snippets"), { recursive: true });
} catch {}

const css = readFileSync("style/main.css", "utf8")
  .replace(/\/\*[\s\S]*?\*\//g, "")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "")
  .join("\n");
const cssName = `main-${hash(css)}.css`;
writeFileSync(join(dist, cssName), css + "\n");
const integrity = `sha384-${createHash("sha384").update(css + "\n").digest("base64")}`;

cpSync("public", join(dist, "public"), { recursive: true });

const js = `/${appDir}/${MAIN}.js`;
const wasm = `/${appDir}/${MAIN}_bg.wasm`;
let html = readFileSync("index.html", "utf8");
const replace = (re, by) => {
  if (!re.test(html)) throw new Error(`index.html has no ${re}`);
  html = html.replace(re, by);
};
replace(
  /[ \t]*<link data-trunk rel="rust"[^>]*>\n/,
  `    <link rel="modulepreload" href="${js}" crossorigin="anonymous" />\n` +
    `    <link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin="anonymous" />\n` +
    `    <script type="module">import init from "${js}";\ninit({ module_or_path: "${wasm}" });</script>\n`,
);
replace(
  /<link data-trunk rel="css" href="style\/main.css" \/>/,
  `<link rel="stylesheet" href="/${cssName}" integrity="${integrity}" crossorigin="anonymous" />`,
);
replace(/[ \t]*<link data-trunk rel="copy-dir" href="public\/" \/>\n/, "");
writeFileSync(join(dist, "index.html"), html);
console.log(`assembled ${dist}: index.html, ${cssName}, public/, ${appDir}/ (${pkgFiles.length} files)`);
