// Bundles the CLI into dist/: sipcode.cjs (a loader using V8's code cache),
// main.cjs (what `sipcode 486` runs) and the bundles beside it that other
// commands load on demand, all CommonJS (Node's CommonJS loader starts faster
// than its ESM loader).
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
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
  minify: process.env.SIPCODE_BUILD_MINIFY !== "0",
  legalComments: "none",
  logLevel: "warning",
  define: { __VERSION__: JSON.stringify(version) },
  // Lazy imports become require() calls: the entry runs inside vm.Script (see
  // loader.cjs), where a real import() has no module loader to call.
  supported: { "dynamic-import": false },
};

// Lazily imported modules that live in bundles of their own beside main.cjs,
// each loaded (through the loader's code cache) only by the commands that
// need it. Each carries its own copy of the core it uses; no core object
// crosses from one bundle to another (errors are recognised by their brand).
const beside = [
  // The full program (commander and every command): not read by `sipcode 486`.
  { file: "program.cjs", entry: "src/program.ts" },
  { file: "stats.cjs", entry: "src/commands/stats.ts" },
  // The backtest brings the detector and a YAML parser, which a lookup should not read.
  { file: "backtest.cjs", entry: "src/commands/backtest.ts" },
  // The config file's zod schema: loaded only when a config file exists.
  { file: "config.cjs", entry: "src/config.ts" },
  // zod and the YAML parser, loaded only to read a user's profile file.
  {
    file: "schemas.cjs",
    entry: "../../packages/core/src/schemas.ts",
    spec: "@sipcodes/core/schemas",
  },
];
const lazyBeside = {
  name: "lazy-beside",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      // By the file an import names (a relative path), or by package name.
      const path = args.path.startsWith(".") ? resolve(args.resolveDir, args.path) : args.path;
      const hit = beside.find((x) => (x.spec ?? resolve(x.entry)) === path);
      return hit ? { path: `./${hit.file}`, external: true } : undefined;
    });
  },
};

// The entry is a small loader that runs main.cjs (the lookup path: bin.ts,
// the fast argument reader and the explanation of codes) through V8's code cache.
copyFileSync("scripts/loader.cjs", "dist/sipcode.cjs");
await build({
  ...common,
  entryPoints: ["src/bin.ts"],
  outfile: "dist/main.cjs",
  plugins: [jsonDataPlugin, lazyBeside],
});
for (const { file, entry } of beside) {
  await build({
    ...common,
    entryPoints: [entry],
    outfile: `dist/${file}`,
    plugins: [jsonDataPlugin, lazyBeside],
  });
}
// The worker thread of a split CDR read (src/cdr/split.ts), started by file
// name with worker_threads (not through the loader), so it holds all it needs.
await build({
  ...common,
  entryPoints: ["src/cdr/split-worker.ts"],
  outfile: "dist/cdr-worker.cjs",
  plugins: [jsonDataPlugin],
});
// The reader thread of a replay (src/cdr/read-events.ts), started the same way.
await build({
  ...common,
  entryPoints: ["src/cdr/events-worker.ts"],
  outfile: "dist/events-worker.cjs",
  plugins: [jsonDataPlugin],
});
// Stamp each bundle's content hash into the loader: the name of its code cache.
const builds = {};
for (const file of ["main.cjs", ...beside.map((x) => x.file)]) {
  builds[file] = createHash("sha256")
    .update(readFileSync(`dist/${file}`))
    .digest("hex")
    .slice(0, 16);
}
const loader = readFileSync("dist/sipcode.cjs", "utf8");
if (!loader.includes("/* builds */ {}")) throw new Error("scripts/loader.cjs has no builds table");
writeFileSync("dist/sipcode.cjs", loader.replace("/* builds */ {}", JSON.stringify(builds)));
chmodSync("dist/sipcode.cjs", 0o755);
