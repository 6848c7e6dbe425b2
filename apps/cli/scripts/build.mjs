// Bundles the CLI into dist/: sipcode.cjs (a loader using V8's code cache) and
// main.cjs, CommonJS (Node's CommonJS loader starts faster than its ESM
// loader). Commander and the command modules load only when the full program
// runs; zod and the YAML parser live in dist/schemas.cjs, loaded only to read
// a user's profile file; the alert backtest lives in dist/backtest.cjs.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { jsonDataPlugin } from "./json-data-plugin.mjs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  define: { __VERSION__: JSON.stringify(version) },
  // Lazy imports become require() calls: the entry runs inside vm.Script (see
  // loader.cjs), where a real import() has no module loader to call.
  supported: { "dynamic-import": false },
};

// The entry is a small loader that runs main.cjs through V8's code cache.
copyFileSync("scripts/loader.cjs", "dist/sipcode.cjs");
await build({
  ...common,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/main.cjs",
  external: ["@sipcodes/core/schemas"],
  plugins: [
    jsonDataPlugin,
    {
      name: "lazy-beside",
      setup(b) {
        // Loaded only by the commands that need them, from files beside main.cjs.
        b.onResolve({ filter: /^@sipcodes\/core\/schemas$/ }, () => ({
          path: "./schemas.cjs",
          external: true,
        }));
        b.onResolve({ filter: /\/commands\/backtest\.ts$/ }, () => ({
          path: "./backtest.cjs",
          external: true,
        }));
        // The config file's zod schema: loaded only when a config file exists.
        b.onResolve({ filter: /^\.\/config\.ts$/ }, () => ({
          path: "./config.cjs",
          external: true,
        }));
      },
    },
  ],
});
await build({
  ...common,
  entryPoints: ["../../packages/core/src/schemas.ts"],
  outfile: "dist/schemas.cjs",
});
// The backtest brings the detector and a YAML parser, a quarter of the code,
// which a lookup should not have to read.
await build({ ...common, entryPoints: ["src/commands/backtest.ts"], outfile: "dist/backtest.cjs" });
await build({ ...common, entryPoints: ["src/config.ts"], outfile: "dist/config.cjs" });
// The worker thread of a split CDR read (src/cdr/split.ts).
await build({
  ...common,
  entryPoints: ["src/cdr/split-worker.ts"],
  outfile: "dist/cdr-worker.cjs",
  plugins: [jsonDataPlugin],
});
chmodSync("dist/sipcode.cjs", 0o755);
