#!/usr/bin/env node
// sipcode's entry: runs main.cjs through V8's code cache, kept in the OS temp
// directory, so that after the first run the bundle is not compiled again.
// (Node 20 has no module.enableCompileCache; this is the same idea by hand.)
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const file = path.join(__dirname, "main.cjs");
// The bundle is ASCII (esbuild escapes everything else), so latin1 reads it
// byte for byte without the cost of UTF-8 decoding.
const source = fs.readFileSync(file, "latin1");
const stat = fs.statSync(file);
// os.tmpdir() without loading node:os (its logic on POSIX; Windows asks os).
const tmp =
  process.platform === "win32"
    ? require("node:os").tmpdir()
    : (process.env.TMPDIR || process.env.TMP || process.env.TEMP || "/tmp").replace(/(.)\/$/, "$1");
const dir = path.join(
  tmp,
  `sipcode-v8-${typeof process.getuid === "function" ? process.getuid() : "u"}`,
);
const cacheFile = path.join(
  dir,
  `${process.version}-${process.arch}-${stat.size}-${Math.trunc(stat.mtimeMs)}.bin`,
);
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  process.once("exit", () => {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${cacheFile}.${process.pid}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {}
  });
}
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(mod.exports, (id) => mod.require(id), mod, file, __dirname);
