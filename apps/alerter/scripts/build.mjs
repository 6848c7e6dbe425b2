// Bundles the alerter into dist/main.mjs (and its HEP worker thread into
// dist/hep-worker.mjs beside it): ES modules with every workspace and npm
// dependency inlined, except better-sqlite3, whose native addon must
// be loaded from node_modules. The banner gives the bundle a `require` so the
// CommonJS dependencies (pino, prom-client) keep working inside an ES module.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");

await build({
  // The HEP worker thread is its own bundle beside main.mjs (see src/io/_hep-thread.ts).
  // So is the SQLite writer thread (src/io/sqlite-writer.ts).
  entryPoints: {
    main: "src/main.ts",
    "hep-worker": "src/io/hep-worker.ts",
    "sqlite-writer": "src/io/sqlite-writer.ts",
  },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  external: ["better-sqlite3"],
  define: { __VERSION__: JSON.stringify(version) },
  banner: {
    js: [
      'import { createRequire as __alerterCreateRequire } from "node:module";',
      "const require = __alerterCreateRequire(import.meta.url);",
    ].join("\n"),
  },
});
