// The same-run baseline: a bare Hono route on @hono/node-server that only
// reads the body and answers 200. Prints its port on stdout.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/v1/events", async (c) => {
  const body = await c.req.text();
  return c.json({ bytes: body.length });
});
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ msg: "listening", port: info.port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
