// Development time only: copy the built YASGUI bundle (editor + results) and the axe-core
// checker out of node_modules into the places the project serves and tests them from, with
// the licence of every package they bundle. Run by `make editor-assets` after `npm ci`.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, copyFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const modules = join(here, "node_modules");
const editorOut = join(root, "src", "memorial_graph", "web", "static", "editor");
const testOut = join(root, "tests", "assets");

function pkgDir(name, from) {
  // Node's resolution: a nested copy under the dependent package first, then the top level.
  for (let dir = from; dir.startsWith(modules); dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
  }
  return join(modules, name);
}

function licenceText(dir) {
  const file = readdirSync(dir).find((f) => /^(licen[sc]e|copying)(\.(md|txt))?$/i.test(f));
  return file ? readFileSync(join(dir, file), "utf8").trim() : null;
}

function tree(name, from, seen = new Map()) {
  const dir = pkgDir(name, from);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const key = `${pkg.name}@${pkg.version}`;
  if (seen.has(key)) return seen;
  seen.set(key, { pkg, dir });
  for (const dep of Object.keys(pkg.dependencies || {})) tree(dep, dir, seen);
  return seen;
}

function notices(packages, extra = {}) {
  const parts = [];
  for (const [key, { pkg, dir }] of [...packages].sort()) {
    const text = licenceText(dir) ?? extra[pkg.name] ?? null;
    parts.push(`${"=".repeat(78)}\n${key} (${pkg.license || "see its package"})` +
      `${pkg.homepage ? `\n${pkg.homepage}` : ""}\n\n${text ?? "(the package ships no licence file; its licence is named above)"}\n`);
  }
  return parts.join("\n");
}

function copyWithoutSourceMap(from, to) {
  // The source maps stay out of the package; a browser must not go looking for them.
  const text = readFileSync(from, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n")
    .replace(/\/\*# sourceMappingURL=\S+ \*\/\s*$/, "\n");
  writeFileSync(to, text);
}

mkdirSync(editorOut, { recursive: true });
const yasgui = join(modules, "@zazuko", "yasgui", "build");
copyWithoutSourceMap(join(yasgui, "yasgui.min.js"), join(editorOut, "yasgui.min.js"));
copyWithoutSourceMap(join(yasgui, "yasgui.min.css"), join(editorOut, "yasgui.min.css"));
const yasguiLicence = readFileSync(join(here, "LICENSE-yasgui.txt"), "utf8").trim();
writeFileSync(join(editorOut, "LICENSES.txt"),
  "The query editor bundles YASGUI (Yasqe, Yasr) and the packages below, each under its own\n" +
  "licence. Built from npm by `make editor-assets` (web/editor/).\n\n" +
  notices(tree("@zazuko/yasgui", modules), {
    "@zazuko/yasgui": yasguiLicence, "@zazuko/yasqe": yasguiLicence,
    "@zazuko/yasr": yasguiLicence, "@zazuko/yasgui-utils": yasguiLicence,
  }));

mkdirSync(testOut, { recursive: true });
const axe = join(modules, "axe-core");
copyFileSync(join(axe, "axe.min.js"), join(testOut, "axe.min.js"));
writeFileSync(join(testOut, "axe-core.LICENSE.txt"), notices(tree("axe-core", modules)));
console.log(`wrote ${editorOut} and ${testOut}`);
