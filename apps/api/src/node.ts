import { readFile } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { getRequestListener, RequestError } from "@hono/node-server";
import { AnswerCache, answerKey, type KeptAnswer } from "./answer-cache.ts";
import { createApp } from "./app.ts";
import {
  CompressedBodies,
  compress,
  encodeBest,
  identityIfNoneMatch,
  pickEncoding,
  withEncodingVary,
} from "./compression.ts";
import {
  allowOrigin,
  EXPOSED_HEADERS,
  pathOfTarget,
  RateLimiter,
  requestIdOf,
  requestWeight,
  routeMatcher,
  tooManyRequests,
} from "./edge.ts";
import { readEnv } from "./env.ts";
import { createLogger } from "./log.ts";
import { Metrics } from "./metrics.ts";
import { ApiError, type ProblemCode, problemBody, problemResponse } from "./problem.ts";

let env: ReturnType<typeof readEnv>;
try {
  env = readEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(78); // EX_CONFIG
}

/** Scalar's browser bundle, copied beside dist/node.mjs by scripts/build.mjs. */
const DOCS_SCRIPT = "/docs/scalar.js";
const docsFile = new URL("./public/docs/scalar.js", import.meta.url);

// ------------------------------------------------------------------ logs
// Lines are buffered and written at most every 50 ms (or at 64 KiB), so the
// access log costs one write per batch of requests, not one per request.
// The batch is one growing string (V8 appends without copying) written in one call.
let pending = "";
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (pending === "") return;
  process.stdout.write(pending);
  pending = "";
};
const writeLine = (line: string) => {
  pending += `${line}\n`;
  if (pending.length > 65_536) flush();
  else if (!scheduled) {
    scheduled = true;
    setTimeout(flush, 50);
  }
};
const log = createLogger(env.SIPCODES_LOG_LEVEL, writeLine);

const app = createApp({
  cacheMaxAge: env.SIPCODES_CACHE_MAX_AGE,
  corsOrigins: env.SIPCODES_CORS_ORIGINS,
  publicUrl: env.SIPCODES_PUBLIC_URL,
  docsScript: DOCS_SCRIPT,
  logger: log,
});
const metrics = new Metrics();
const routeOf = routeMatcher([...app.routes, "/metrics"]);
const limiter =
  env.SIPCODES_RATE_LIMIT > 0
    ? new RateLimiter(env.SIPCODES_RATE_LIMIT, env.SIPCODES_RATE_LIMIT_WINDOW_S * 1000)
    : undefined;
const exposed = EXPOSED_HEADERS.join(", ");
/** The API's origin for problem `type` links: the configured one, else the request's Host. */
const baseOf = (req: IncomingMessage) =>
  env.SIPCODES_PUBLIC_URL ?? (req.headers.host ? `http://${req.headers.host}` : "");
const base = env.SIPCODES_PUBLIC_URL ?? "";

// ------------------------------------------------------------ compression
const compressedBodies = new CompressedBodies();
metrics.watchCompression(() => compressedBodies.snapshot());

// ---------------------------------------------------------- whole answers
const answers =
  env.SIPCODES_ANSWER_CACHE_MB > 0
    ? new AnswerCache({ maxEntries: 5_000, maxBytes: env.SIPCODES_ANSWER_CACHE_MB * 1024 * 1024 })
    : undefined;
if (answers) metrics.watchAnswers(() => answers.snapshot());

type Bindings = { incoming: IncomingMessage; outgoing: EdgeResponse };

/** With an allow list, an answer depends on Origin: say so beside the app's own Vary. */
async function varyOnOrigin(pending: Response | Promise<Response>) {
  const res = await pending;
  res.headers.append("vary", "Origin");
  return res;
}

const fetch = (request: Request, bindings: Bindings) => {
  const headers = bindings.incoming.headers;
  if (env.SIPCODES_CORS_ORIGINS !== "*" && headers.origin !== undefined) {
    return varyOnOrigin(compressed(request, bindings));
  }
  return compressed(request, bindings);
};

const compressed = (request: Request, bindings: Bindings) => {
  const headers = bindings.incoming.headers;
  const encoding = pickEncoding(headers["accept-encoding"]);
  if (encoding === undefined) {
    // Sent as it is: its writeHead adds Vary: Accept-Encoding where it could have been compressed.
    bindings.outgoing.identity = true;
    return app.fetch(request, bindings);
  }
  // The client holds the compressed representation's ETag; the app knows the identity one.
  const inm = headers["if-none-match"];
  if (inm) headers["if-none-match"] = identityIfNoneMatch(inm);
  if (request.method === "HEAD")
    return headOf(compress(app.fetch(asGet(request), bindings), encoding, compressedBodies));
  return compress(app.fetch(request, bindings), encoding, compressedBodies);
};

/** The GET a HEAD stands for (RFC 9110 §9.3.2: the same header fields as the GET would send). */
const asGet = (request: Request) =>
  new Request(request.url, { method: "GET", headers: request.headers });

/** The headers of the answer to that GET, compressed as it would be, without its body. */
async function headOf(pending: Promise<Response>): Promise<Response> {
  const res = await pending;
  await res.body?.cancel();
  return new Response(null, { status: res.status, headers: res.headers });
}

/**
 * The path of the request being handed to the listener. @hono/node-server
 * builds its Request synchronously when called, so when that fails (a Host
 * that is not a host) its errorHandler runs before any other request starts.
 */
let handing = "/";

const listener = getRequestListener(fetch as Parameters<typeof getRequestListener>[0], {
  // A request Node parsed but Hono cannot turn into a Request (a bad URL or Host).
  errorHandler: (error) =>
    error instanceof RequestError
      ? problemResponse(
          new ApiError(
            "bad_request",
            `the request's Host header and target do not make a URL (${error.message})`,
          ),
          handing,
          base,
        )
      : problemResponse(new ApiError("internal_error", "the request failed"), handing, base),
});

// ------------------------------------------------------------------ edge
function answer(res: ServerResponse, response: Response) {
  const headers = Object.fromEntries(response.headers);
  void response.text().then((text) => {
    headers["content-length"] = String(Buffer.byteLength(text));
    res.writeHead(response.status, headers);
    res.end(text);
  });
}

function clientOf(req: IncomingMessage): string {
  if (env.SIPCODES_TRUST_PROXY === "1") {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** Longest request target served; longer is a 414 (Node's parser stops at 16 KiB of head). */
const MAX_URL = 8192;

const METHODS = new Set(["GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE"]);

const docsBodies = new Map<string, Buffer>();

/** The docs bundle, compressed once per encoding and kept (4 MiB raw, under 1 MiB as br). */
async function serveDocsScript(req: IncomingMessage, res: ServerResponse) {
  const encoding = pickEncoding(req.headers["accept-encoding"]) ?? "identity";
  let body = docsBodies.get(encoding);
  if (!body) {
    const raw = await readFile(docsFile);
    body = encoding === "identity" ? raw : await encodeBest(raw, encoding);
    docsBodies.set(encoding, body);
  }
  res.writeHead(200, {
    "content-type": "text/javascript; charset=utf-8",
    "content-length": String(body.byteLength),
    "cache-control": "public, max-age=86400",
    vary: "Accept-Encoding",
    ...(encoding === "identity" ? {} : { "content-encoding": encoding }),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

async function serveMetrics(res: ServerResponse) {
  const text = await metrics.text();
  res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
  res.end(text);
}

/**
 * The ServerResponse of every request: the edge's headers (request id, CORS,
 * RateLimit-*) are merged into the one writeHead call @hono/node-server makes,
 * instead of setHeader calls that would take Node off its fast header path;
 * and the end of the answer writes the access-log line and the metric sample.
 */
class EdgeResponse extends ServerResponse<IncomingMessage> {
  edge: Record<string, string> = {};
  started = 0;
  path = "/";
  client = "";
  id = "";
  /** The answer cache's key of this request, while what the app writes may still be kept. */
  keep: string | undefined = undefined;
  /** The headers the app passed to writeHead (without the edge's). */
  appHeaders: Record<string, string | string[]> | undefined = undefined;
  /** The app's answer goes out uncompressed because the client asked for no encoding we offer. */
  identity = false;

  // biome-ignore lint/suspicious/noExplicitAny: Node's overloads (status, [message], [headers])
  override writeHead(status: number, a?: any, b?: any): this {
    const plain = (h: unknown) => h !== null && typeof h === "object" && !Array.isArray(h);
    let given = typeof a === "string" ? b : a;
    if (this.identity && plain(given)) given = withEncodingVary(status, given);
    if (this.keep !== undefined) {
      // Kept as given (not modified after this call); the cache makes its own copy.
      if (plain(given)) this.appHeaders = given;
      else this.keep = undefined;
    }
    if (typeof a === "string") return super.writeHead(status, a, merge(this.edge, given));
    return super.writeHead(status, merge(this.edge, given));
  }

  // biome-ignore lint/suspicious/noExplicitAny: Node's overloads (chunk, [encoding], [callback])
  override write(...args: any[]): boolean {
    // A body written in pieces (a stream) is not kept.
    this.keep = undefined;
    return super.write(...(args as [string]));
  }

  // biome-ignore lint/suspicious/noExplicitAny: Node's overloads (chunk, [encoding], [callback])
  override end(...args: any[]): this {
    const first = !this.writableEnded;
    if (first && this.keep !== undefined && answers && this.appHeaders) {
      const chunk = args[0];
      const body =
        chunk instanceof Uint8Array
          ? chunk
          : typeof chunk === "string"
            ? Buffer.from(chunk)
            : undefined;
      if (body) answers.set(this.keep, this.req.headers, this.statusCode, this.appHeaders, body);
    }
    this.keep = undefined;
    super.end(...(args as []));
    if (first) done(this);
    return this;
  }
}

/** Writes a kept answer with this request's edge headers, as the app would have. */
function replay(res: EdgeResponse, kept: KeptAnswer) {
  // merge() copies the kept headers into this request's own edge object.
  res.writeHead(200, kept.headers as OutgoingHttpHeaders);
  res.end(kept.body);
}

function merge(
  edge: Record<string, string>,
  headers: unknown,
): OutgoingHttpHeaders | OutgoingHttpHeader[] {
  if (headers === undefined) return edge;
  if (Array.isArray(headers))
    return [...Object.entries(edge).flat(), ...headers] as OutgoingHttpHeader[];
  // Into the edge's own per-request object: a spread into a new one costs microseconds
  // per answer (measured: ~10 µs against ~0.2 µs), the largest item of the hot path.
  return Object.assign(edge, headers as OutgoingHttpHeaders);
}

const histogramMethod = (method: string | undefined) =>
  method !== undefined && METHODS.has(method) ? method : "other";

function done(res: EdgeResponse) {
  const req = res.req;
  const ms = performance.now() - res.started;
  const route = routeOf(res.path);
  metrics.observe(route, histogramMethod(req.method), res.statusCode, ms / 1000);
  if (accessLog) {
    // The access log's line, built by hand: the same JSON createLogger would write, at a
    // fraction of the cost of an object and JSON.stringify per request.
    const agent = req.headers["user-agent"];
    const sane = SAFE.test(res.path) && (agent === undefined || SAFE.test(agent));
    if (!sane) {
      log.log("info", "request", {
        id: res.id,
        method: req.method,
        path: res.path,
        route,
        status: res.statusCode,
        ms: Math.round(ms * 100) / 100,
        client: res.client,
        agent,
      });
      return;
    }
    writeLine(
      `{"time":"${isoNow()}","level":"info","msg":"request","id":"${res.id}","method":"${req.method}","path":"${res.path}","route":"${route}","status":${res.statusCode},"ms":${Math.round(ms * 100) / 100},"client":"${res.client}"${agent === undefined ? "" : `,"agent":"${agent}"`}}`,
    );
  }
}

const debugAborts = log.enabled("debug");
const accessLog = log.enabled("info");
/** Text that needs no escaping inside a JSON string. */
const SAFE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;
let lastMs = 0;
let lastIso = "";
/** The ISO time, made at most once per millisecond. */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

function handle(req: IncomingMessage, res: EdgeResponse) {
  res.started = performance.now();
  const id = requestIdOf(req.headers["x-request-id"] as string | undefined);
  const path = pathOfTarget(req.url ?? "/");
  const client = clientOf(req);
  res.id = id;
  res.path = path;
  res.client = client;
  const origin = allowOrigin(env.SIPCODES_CORS_ORIGINS, req.headers.origin);
  // One literal, so every request's header object has the same shape (V8 keeps it fast).
  const edge: Record<string, string> =
    origin === undefined
      ? { "x-request-id": id }
      : {
          "x-request-id": id,
          "access-control-allow-origin": origin,
          "access-control-expose-headers": exposed,
        };
  res.edge = edge;
  if (debugAborts) {
    res.once("close", () => {
      if (res.writableFinished) return;
      log.log("debug", "client closed the connection before the answer", {
        id,
        method: req.method,
        path,
        client,
      });
    });
  }
  if (req.headers.host === undefined) {
    // HTTP/1.1 requires Host (RFC 9112 §3.2); Node would answer a bare 400.
    answer(
      res,
      problemResponse(
        new ApiError("bad_request", "the request has no Host header (HTTP/1.1 requires one)"),
        path,
        base,
      ),
    );
    return;
  }
  if ((req.url ?? "").length > MAX_URL) {
    answer(
      res,
      problemResponse(
        new ApiError(
          "uri_too_long",
          "the request target is longer than 8 KiB; send long input in a POST body",
        ),
        path.slice(0, 256),
        baseOf(req),
      ),
    );
    return;
  }
  if (path === DOCS_SCRIPT && (req.method === "GET" || req.method === "HEAD")) {
    serveDocsScript(req, res).catch((error: unknown) => {
      log.log("error", "docs bundle unavailable", { error: String(error) });
      answer(
        res,
        problemResponse(
          new ApiError("not_found", "the docs bundle is not built"),
          path,
          baseOf(req),
        ),
      );
    });
    return;
  }
  if (path === "/metrics" && (req.method === "GET" || req.method === "HEAD")) {
    void serveMetrics(res);
    return;
  }
  if (limiter && path !== "/healthz") {
    if (!limiter.count(client, edge, requestWeight(path, req.headers["content-length"]))) {
      answer(res, tooManyRequests(path, { ...edge }, baseOf(req)));
      return;
    }
  }
  if (answers) {
    const key = answerKey(req.method, req.url, req.headers);
    if (key !== undefined) {
      // With an allow list, whether an Origin was sent changes the answer's Vary.
      const full = env.SIPCODES_CORS_ORIGINS === "*" ? key : `${key} ${req.headers.origin ?? ""}`;
      const kept = answers.get(full, req.headers);
      if (kept) {
        replay(res, kept);
        return;
      }
      res.keep = full;
    }
  }
  handing = path;
  listener(req, res);
  handing = "/";
}

const server = createServer(
  {
    requestTimeout: 30_000,
    headersTimeout: 15_000,
    maxHeaderSize: 16_384,
    ServerResponse: EdgeResponse,
  },
  handle as (req: IncomingMessage, res: ServerResponse) => void,
);

/** The path of the request line in what the parser read (for `instance`), at most 256 characters. */
function pathInPacket(raw: Buffer | undefined): string {
  const line = raw?.subarray(0, 2048).toString("latin1").split("\r\n")[0] ?? "";
  const target = line.split(" ")[1];
  if (!target?.startsWith("/")) return "/";
  return pathOfTarget(target).slice(0, 256);
}

function rawProblem(
  code: ProblemCode,
  status: number,
  reason: string,
  detail: string,
  instance: string,
  extra = "",
) {
  const body = JSON.stringify(problemBody(new ApiError(code, detail, { status }), instance, base));
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nCache-Control: no-store\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

// Requests Node's HTTP parser refuses still get a problem document, not a bare status line.
server.on(
  "clientError",
  (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const at = pathInPacket(error.rawPacket);
    const raw = error.rawPacket;
    const lineEnds = raw ? raw.indexOf("\r\n") : -1;
    // HPE_HEADER_OVERFLOW with no end of the request line in sight: the URL is too long (414),
    // not the headers (431).
    const reply =
      error.code === "HPE_HEADER_OVERFLOW" && raw && (lineEnds < 0 || lineEnds > MAX_URL)
        ? rawProblem(
            "uri_too_long",
            414,
            "URI Too Long",
            "the request target is longer than 8 KiB; send long input in a POST body",
            at,
          )
        : error.code === "HPE_HEADER_OVERFLOW"
          ? rawProblem(
              "headers_too_large",
              431,
              "Request Header Fields Too Large",
              "the request line and headers exceed 16 KiB",
              at,
            )
          : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
            ? rawProblem(
                "request_timeout",
                408,
                "Request Timeout",
                "the request was not received within 30 s",
                at,
              )
            : rawProblem(
                "bad_request",
                400,
                "Bad Request",
                `the HTTP request could not be parsed (${error.code ?? "malformed"})`,
                at,
              );
    socket.end(reply);
  },
);

// CONNECT is for proxies; this is an origin server. Without this Node just closes the socket.
server.on("connect", (req: IncomingMessage, socket: Socket) => {
  socket.end(
    rawProblem(
      "method_not_allowed",
      405,
      "Method Not Allowed",
      "CONNECT is for proxies; this server is an origin server (see GET /openapi.json)",
      (req.url ?? "").startsWith("/") ? pathOfTarget(req.url ?? "/") : "/",
      "Allow: GET, HEAD, POST, OPTIONS\r\n",
    ),
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
  flush();
  console.log(`${signal} received: finishing in-flight requests`);
  // Stop accepting; in-flight requests finish, idle keep-alive connections close now.
  server.close(() => {
    flush();
    limiter?.shutdown();
    console.log("closed");
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    flush();
    process.exit(0);
  }, env.SIPCODES_SHUTDOWN_TIMEOUT_MS).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
