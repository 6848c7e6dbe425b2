/**
 * What every request meets before and after the app, on both runtimes: its
 * request id, the per-client rate limit, the CORS headers of actual (not
 * preflight) responses, and the access-log record. Runtime-free: src/node.ts
 * and src/worker.ts each apply it their own way (Node sets the headers on the
 * ServerResponse, so the app's responses keep @hono/node-server's fast path).
 */
import { MemoryStore } from "hono-rate-limiter";
import { ApiError, problemResponse } from "./problem.ts";

/** The response headers browser code may read (beyond the CORS-safelisted ones). */
export const EXPOSED_HEADERS = [
  "ETag",
  "X-Request-Id",
  "RateLimit-Policy",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "Retry-After",
  "Allow",
  "Accept-Post",
];

/** The Access-Control-Allow-Origin for `origin`, or undefined when it may not read the answer. */
export function allowOrigin(
  allowed: "*" | readonly string[],
  origin: string | undefined,
): string | undefined {
  if (allowed === "*") return "*";
  return origin !== undefined && allowed.includes(origin) ? origin : undefined;
}

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Made ids are UUID-shaped (version 4 and variant bits set): 74 random bits
 * drawn once per process (or isolate) and a 48-bit counter, so ids are unique
 * without drawing 122 random bits per request (the cost measured on the hot
 * route). A new prefix is drawn if the counter ever runs out.
 */
let idPrefix = "";
let idCounter = 0;
const ID_COUNTER_MAX = 2 ** 48;

function newPrefix(): string {
  const r = hex(crypto.getRandomValues(new Uint8Array(10)));
  // xxxxxxxx-xxxx-4xxx-[89ab]xxx- : 8 + 4 + 3 + 3 hex digits and 2 bits random.
  const variant = ((Number.parseInt(r.charAt(15), 16) & 0x3) | 0x8).toString(16);
  return `${r.slice(0, 8)}-${r.slice(8, 12)}-4${r.slice(12, 15)}-${variant}${r.slice(16, 19)}-`;
}

/** A new request id: unique per process, random across processes, in UUID form. */
export function newRequestId(): string {
  if (idPrefix === "" || idCounter >= ID_COUNTER_MAX) {
    idPrefix = newPrefix();
    idCounter = 0;
  }
  return idPrefix + (idCounter++).toString(16).padStart(12, "0");
}

/** The caller's X-Request-Id when it is a sane token, else a new one. */
export function requestIdOf(given: string | undefined): string {
  return given !== undefined && REQUEST_ID.test(given) ? given : newRequestId();
}

/** A rate-limit decision: whether to serve, and the RateLimit-* headers (IETF draft 6) to send. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/**
 * Fixed-window counting per client in hono-rate-limiter's MemoryStore (the
 * store its middleware uses; called directly, because the middleware is async
 * and would take the hot route off Hono's synchronous path), with the same
 * RateLimit-* headers the middleware writes.
 */
export class RateLimiter {
  readonly #store = new MemoryStore();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #policy: string;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#policy = `${limit};w=${Math.ceil(windowMs / 1000)}`;
    this.#limitText = String(limit);
    this.#store.init({ windowMs } as Parameters<MemoryStore["init"]>[0]);
  }

  readonly #limitText: string;

  /**
   * Counts one request of `key`; writes the RateLimit-* headers into `headers`
   * (the edge's header object, so no object is made per request) and says
   * whether to serve it.
   */
  count(key: string, headers: Record<string, string>, weight = 1): boolean {
    let hit = this.#store.increment(key) as { totalHits: number; resetTime?: Date };
    for (let i = 1; i < weight; i++) hit = this.#store.increment(key) as typeof hit;
    const { totalHits, resetTime } = hit;
    const reset = resetTime
      ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
      : Math.ceil(this.#windowMs / 1000);
    headers["ratelimit-policy"] = this.#policy;
    headers["ratelimit-limit"] = this.#limitText;
    headers["ratelimit-remaining"] = String(Math.max(0, this.#limit - totalHits));
    headers["ratelimit-reset"] = String(reset);
    const allowed = totalHits <= this.#limit;
    if (!allowed) headers["retry-after"] = String(reset);
    return allowed;
  }

  hit(key: string, weight = 1): RateDecision {
    const headers: Record<string, string> = {};
    const allowed = this.count(key, headers, weight);
    return { allowed, headers };
  }

  shutdown(): void {
    this.#store.shutdown();
  }
}

/** Each this many bytes of a batch body count as one more request against the rate limit. */
export const BATCH_BYTES_PER_REQUEST = 16 * 1024;

/**
 * What one request costs against the rate limit: 1, and for a batch one more
 * per 16 KiB of its declared body (a 1 MiB batch of 1,000 inputs counts 65),
 * so a client cannot buy a thousand answers for the price of one request.
 */
export function requestWeight(path: string, contentLength: string | null | undefined): number {
  if (path !== "/v1/explain/batch" || !contentLength) return 1;
  const bytes = Number(contentLength);
  return Number.isFinite(bytes) && bytes > 0
    ? 1 + Math.min(64, Math.floor(bytes / BATCH_BYTES_PER_REQUEST))
    : 1;
}

/** The 429 problem for a client over its limit. */
export function tooManyRequests(
  path: string,
  headers: Record<string, string>,
  base = "",
): Response {
  return problemResponse(
    new ApiError(
      "too_many_requests",
      headers["ratelimit-limit"]
        ? `this client sent more than ${headers["ratelimit-limit"]} requests in ${headers["ratelimit-policy"]?.split("w=")[1]} s; retry after ${headers["retry-after"]} s`
        : `this client sent more requests than the platform's rate limit allows; retry after ${headers["retry-after"]} s`,
      { headers },
    ),
    path,
    base,
  );
}

/** One access-log line: JSON, one object per request, after its answer. */
export interface AccessRecord {
  time: string;
  level: "info";
  msg: "request";
  id: string;
  method: string;
  path: string;
  route: string;
  status: number;
  ms: number;
  client: string;
  agent?: string | undefined;
}

/** The route template a path belongs to, for log and metric labels (bounded cardinality). */
export function routeMatcher(templates: readonly string[]): (path: string) => string {
  const compiled = templates.map((t) => ({
    t,
    re: new RegExp(`^${t.replaceAll(/[.]/g, "\\.").replaceAll(/\{[^}]+\}/g, "[^/]+")}$`),
  }));
  const cache = new Map<string, string>();
  return (path) => {
    const hit = cache.get(path);
    if (hit) return hit;
    const found = compiled.find((c) => c.re.test(path))?.t ?? "unmatched";
    if (cache.size < 5000) cache.set(path, found);
    return found;
  };
}

/** The path of a request URL or target, without the query. */
export function pathOfTarget(target: string): string {
  let start = 0;
  const scheme = target.indexOf("//");
  if (scheme >= 0 && scheme < 8) start = target.indexOf("/", scheme + 2);
  if (start < 0) return "/";
  const end = target.indexOf("?", start);
  return target.slice(start, end < 0 ? undefined : end) || "/";
}
