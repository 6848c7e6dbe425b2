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

// /docs loads Scalar's browser bundle from the API itself, never from a CDN:
// on Node src/node.ts serves this file; on Workers it is a static asset
// (wrangler.jsonc's `assets` directory is dist/public), so `wrangler dev` and
// `wrangler deploy` need this build first (`pnpm --filter @sipcodes/api deploy`).
// (The package exports no path to it, so it is read from the install.)
mkdirSync("dist/public/docs", { recursive: true });
copyFileSync(
  "node_modules/@scalar/api-reference/dist/browser/standalone.js",
  "dist/public/docs/scalar.js",
);
