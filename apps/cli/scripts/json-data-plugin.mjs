// An esbuild plugin that turns the core's catalogue data modules into
// `JSON.parse("...")` calls. V8 parses a JSON string several times faster than
// it compiles the same object literals, which is most of the CLI's start-up.
// Only modules whose exports are plain data are transformed; any function or
// class in an export makes the build fail loudly rather than change behaviour.
import { createRequire } from "node:module";
import { build } from "esbuild";

const DATA =
  /packages[\\/]core[\\/]src[\\/](catalogue[\\/](codes[\\/][^\\/]+|generated[\\/][^\\/]+|q850-text|glossary|warning-codes)|profiles[\\/](jola|teams|rfc))\.ts$/;

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

export const jsonDataPlugin = {
  name: "json-data",
  setup(b) {
    b.onLoad({ filter: DATA }, async (args) => {
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
      const lines = Object.entries(mod.exports).map(([name, value]) => {
        assertPlain(value, name);
        return `export const ${name} = /* @__PURE__ */ JSON.parse(${JSON.stringify(JSON.stringify(value))});`;
      });
      return { contents: lines.join("\n"), loader: "js" };
    });
  },
};
