// An esbuild plugin that turns the core's catalogue data modules into lazy
// `JSON.parse("...")` getters. V8 parses a JSON string several times faster
// than it compiles the same object literals, and a getter that is never read
// is never compiled, parsed or put in the code cache: `sipcode 486` reads the
// 4xx text and the Q.850 table, not the 1xx-3xx, 5xx, 6xx or Teams data.
// Each getter parses once and returns the same object after (the core keys
// caches by object identity). Only modules whose exports are plain data are
// transformed; any function or class in an export fails the build loudly.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, resolve } from "node:path";
import { build } from "esbuild";

const DATA =
  /packages[\\/]core[\\/]src[\\/](catalogue[\\/](codes[\\/][^\\/]+|generated[\\/][^\\/]+|q850-text|glossary|warning-codes|search-terms)|profiles[\\/](jola|teams|rfc|freeswitch|asterisk))\.ts$/;

function assertPlain(value, where) {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertPlain(v, `${where}[${i}]`);
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value))
      if (v !== undefined) assertPlain(v, `${where}.${k}`);
    return;
  }
  throw new Error(`json-data plugin: ${where} is not plain data`);
}

/** Where the data files go: dist/data beside main.cjs, which reads them from its __dirname. */
const dataDir = resolve("dist", "data");

export const jsonDataPlugin = {
  name: "json-data",
  setup(b) {
    // A namespace of its own, so esbuild reads the output as CommonJS (the
    // package's "type": "module" would make a .ts path ESM).
    b.onResolve({ filter: /\.ts$/ }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      return DATA.test(path) ? { path, namespace: "json-data" } : undefined;
    });
    b.onLoad({ filter: DATA, namespace: "json-data" }, async (args) => {
      const out = await build({
        entryPoints: [args.path],
        bundle: true,
        format: "cjs",
        platform: "neutral",
        write: false,
        logLevel: "silent",
      });
      const mod = { exports: {} };
      const require = createRequire(args.path);
      new Function("module", "exports", "require", out.outputFiles[0].text)(
        mod,
        mod.exports,
        require,
      );
      // CommonJS with getters: esbuild then wraps the module and reads each
      // export through the getter where it is used, not when it is imported.
      // The JSON itself goes to dist/data/, ASCII-only (read as UTF-8, Node's
      // native path), so the bundle and its code cache carry none of the text.
      const lines = Object.entries(mod.exports).map(([name, value]) => {
        assertPlain(value, name);
        const file = `${basename(args.path, ".ts")}.${name}.json`;
        const json = JSON.stringify(value).replace(
          /[\u007f-\uffff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
        );
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(resolve(dataDir, file), json);
        return `let ${name}; Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => (${name} ??= JSON.parse(require("node:fs").readFileSync(__dirname + ${JSON.stringify(`/data/${file}`)}, "utf8"))) });`;
      });
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};
