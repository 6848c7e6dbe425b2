// The baseline: a bare Hono route on @hono/node-server that answers with the
// bytes the API returned for GET /v1/codes/486, captured once, as constants:
// the body and the headers the API sent with it (ETag, Cache-Control, Vary,
// CORS, X-Request-Id, RateLimit-*), so both servers put the same bytes on the
// wire and the ratio measures the API's own work per request.
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const body = new Uint8Array(readFileSync(process.argv[2] ?? ""));
const headers = JSON.parse(readFileSync(process.argv[3] ?? "", "utf8"));
// The path it answers on (default the hot code route), so other captured answers can be served too.
const path = process.argv[4] ?? "/v1/codes/486";
const app = new Hono();
app.get(path, (c) => c.body(body, 200, headers));

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  console.log(`bare listening on http://127.0.0.1:${info.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
