import { createServer } from "node:http";
import type { Socket } from "node:net";
import { getRequestListener, RequestError } from "@hono/node-server";
import { createApp } from "./app.ts";
import { readEnv } from "./env.ts";
import { ApiError, type ProblemCode, problemBody, problemResponse } from "./problem.ts";

let env: ReturnType<typeof readEnv>;
try {
  env = readEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(78); // EX_CONFIG
}

const app = createApp({
  cacheMaxAge: env.SIPCODES_CACHE_MAX_AGE,
  publicBaseUrl: env.SIPCODES_PUBLIC_BASE_URL,
});

const listener = getRequestListener(app.fetch, {
  // A request Node parsed but Hono cannot turn into a Request (a bad URL or Host).
  errorHandler: (error) =>
    error instanceof RequestError
      ? problemResponse(new ApiError("bad_request", error.message), "/", false)
      : problemResponse(new ApiError("internal_error", "the request failed"), "/", false),
});

const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000 }, listener);

// Requests Node's HTTP parser refuses still get a problem document, not a bare status line.
server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, status, reason]: [ProblemCode, number, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["headers_too_large", 431, "Request Header Fields Too Large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["request_timeout", 408, "Request Timeout"]
        : ["bad_request", 400, "Bad Request"];
  const body = JSON.stringify(
    problemBody(new ApiError(code, "the HTTP request could not be parsed", { status }), "/"),
  );
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
});

server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const host = env.HOST ?? "localhost";
  console.log(
    `sipcodes api listening on http://${host.includes(":") ? `[${host}]` : host}:${port}`,
  );
});

let closing = false;
function shutdown(signal: NodeJS.Signals) {
  if (closing) return;
  closing = true;
  console.log(`${signal} received: finishing in-flight requests`);
  // Stop accepting; in-flight requests finish, idle keep-alive connections close now.
  server.close(() => {
    console.log("closed");
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, env.SIPCODES_SHUTDOWN_TIMEOUT_MS).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
