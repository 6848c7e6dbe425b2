// Bundles the Node server into one file, dist/node.mjs, with every dependency
// inside, so `node dist/node.mjs` runs without node_modules. The Workers build
// is wrangler's own (wrangler.jsonc points it at src/worker.ts).
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: { node: "src/node.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  // The HTML pages (src/pages/*.tsx) are hono/jsx, rendered on the server.
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  target: "node20",
  minify: process.env.SIPCODES_BUILD_MINIFY !== "0",
  sourcemap: "linked",
  legalComments: "none",
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});

// /docs on Node loads Scalar's browser bundle from the server itself, so the
// page works with no network beyond the API (src/node.ts serves this file).
// (The package exports no path to it, so it is read from the install.)
mkdirSync("dist/docs", { recursive: true });
copyFileSync(
  "node_modules/@scalar/api-reference/dist/browser/standalone.js",
  "dist/docs/scalar.js",
);
