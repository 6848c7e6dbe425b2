// The baseline for bench/pages.mjs: a bare Hono route on @hono/node-server
// that answers PATH with the bytes the API returned for that page, captured
// once, as a constant. Usage: node bench/bare-page.mjs <file> <path> <content-type> [headers JSON]
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const [file = "", path = "/", type = "text/html; charset=utf-8", extra = "{}"] =
  process.argv.slice(2);
// Optionally the API's other response headers too (ETag, Cache-Control, ...), as a JSON object.
const headers = { "content-type": type, ...JSON.parse(extra) };
const body = new Uint8Array(readFileSync(file));
const app = new Hono();
app.get(path.split("?")[0] ?? "/", (c) => c.body(body, 200, headers));

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`bare listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
