// Bundles the alerter into dist/main.mjs: one ES module with every workspace
// and npm dependency inlined, except better-sqlite3, whose native addon must
// be loaded from node_modules. The banner gives the bundle a `require` so the
// CommonJS dependencies (pino, prom-client) keep working inside an ES module.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.mjs",
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
