#!/usr/bin/env node
// sipcode's entry: runs main.cjs, and the bundles it loads on demand
// (program.cjs, stats.cjs, ...), through V8's code cache, kept in the OS temp
// directory, so that after the first run no bundle is compiled again.
// (Node 20 has no module.enableCompileCache; this is the same idea by hand.)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

/**
 * Each bundle's content hash, written here by scripts/build.mjs: the name of
 * its code cache, so a lookup needs no stat to tell one build from another.
 */
const BUILDS = /* builds */ {};

// os.tmpdir() without loading node:os (its logic on POSIX; Windows asks os).
const tmp =
  process.platform === "win32"
    ? require("node:os").tmpdir()
    : (process.env.TMPDIR || process.env.TMP || process.env.TEMP || "/tmp").replace(/(.)\/$/, "$1");
const dir = path.join(
  tmp,
  `sipcode-v8-${typeof process.getuid === "function" ? process.getuid() : "u"}`,
);
/** Bundles whose code cache was missing or stale: written once, at exit. */
const stale = [];
const loaded = new Map();

/**
 * A sibling bundle (`./x.cjs`) through the code cache; anything else (the
 * bundles need only Node's built-in modules) through this file's require.
 */
function load(name) {
  const file = path.join(__dirname, name);
  const done = loaded.get(file);
  if (done) return done.exports;
  // The bundles are ASCII (esbuild escapes everything else). Read as UTF-8:
  // Node 20 reads a UTF-8 file in one native call, where any other encoding
  // goes through fs's JavaScript path (about 0.35 ms more on the first read).
  const source = fs.readFileSync(file, "utf8");
  const prefix = `${process.version}-${process.arch}-${name.replace(/\W/g, "_")}-`;
  let build = BUILDS[name];
  if (build === undefined) {
    // Not stamped (a bundle built some other way): its size and time tell builds apart.
    const stat = fs.statSync(file);
    build = `${stat.size}-${Math.trunc(stat.mtimeMs)}`;
  }
  const cacheFile = path.join(dir, `${prefix}${build}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  // Node's own CommonJS wrapper (what Module.wrap gives), without loading node:module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected)
    stale.push({ script, cacheFile, prefix });
  const mod = { id: file, filename: file, exports: {}, loaded: false };
  loaded.set(file, mod);
  const req = (id) => (/^\.\/[\w-]+\.cjs$/.test(id) ? load(id.slice(2)) : require(id));
  script.runInThisContext()(mod.exports, req, mod, file, __dirname);
  mod.loaded = true;
  return mod.exports;
}

process.once("exit", () => {
  if (!stale.length) return;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const names = fs.readdirSync(dir);
    for (const { script, cacheFile, prefix } of stale) {
      const part = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(part, script.createCachedData());
      fs.renameSync(part, cacheFile);
      // The caches of other builds of this bundle (an upgrade, a rebuild) are dead weight.
      const own = path.basename(cacheFile);
      for (const other of names)
        if (other !== own && other.startsWith(prefix) && other.endsWith(".bin"))
          try {
            fs.unlinkSync(path.join(dir, other));
          } catch {}
    }
  } catch {}
});

load("main.cjs");
