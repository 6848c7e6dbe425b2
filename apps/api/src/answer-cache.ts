/**
 * The Node server's cache of whole answers to GET requests, in front of the
 * app: what the app wrote for a request (status 200, its headers and body
 * bytes, after compression) is kept and written again for the next request
 * that the answer's own `Vary` says would get the same bytes, without
 * building a Request, routing, validating or making a Response. The edge
 * (request id, rate limit, CORS, access log, metrics) still runs for every
 * request; its headers are not part of what is kept.
 *
 * An answer is kept only when it says it may be reused: status 200, a strong
 * ETag (the app's ETags are hashes of the bytes served), a Cache-Control
 * without no-store or no-cache, a Vary without `*`, and a body written in one
 * piece. The key is the Host and the request target, so answers that embed
 * the request's origin (the OpenAPI `servers`, page links) stay per host; the
 * headers named in Vary are then compared one by one. Requests with a body,
 * or a conditional or range request, go to the app, which answers them.
 *
 * Bounded in entries and bytes; the oldest entry goes first. The catalogue
 * cannot change while the process runs, so nothing else expires an entry.
 */

export interface AnswerCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/** What the app wrote: the headers it passed to writeHead, and the one body chunk. */
export interface KeptAnswer {
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Uint8Array;
  /** The request headers the answer varies on (lower case), and the values it was made for. */
  readonly vary: readonly string[];
  readonly values: readonly (string | undefined)[];
}

type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Request headers that make a request conditional, partial, carry a body or
 * credentials (RFC 9111 §3.5: an answer to an authorized request is not
 * reused for another): never from the cache.
 */
const BYPASS = [
  "authorization",
  "cookie",
  "if-none-match",
  "if-modified-since",
  "if-match",
  "if-unmodified-since",
  "if-range",
  "range",
  "content-length",
  "transfer-encoding",
] as const;

/** The key of a request, or undefined when the cache must not answer or keep it. */
export function answerKey(
  method: string | undefined,
  url: string | undefined,
  headers: RequestHeaders,
) {
  if (method !== "GET" || url === undefined) return undefined;
  for (const name of BYPASS) if (headers[name] !== undefined) return undefined;
  const cacheControl = headers["cache-control"];
  if (typeof cacheControl === "string" && /no-cache|no-store/i.test(cacheControl)) return undefined;
  const host = headers.host;
  return `${typeof host === "string" ? host : ""} ${url}`;
}

const requestValue = (headers: RequestHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
};

/** The Vary names of an answer's headers, or undefined when it varies on everything (`*`). */
function varyNames(vary: string | string[] | undefined): string[] | undefined {
  if (vary === undefined) return [];
  const names = (Array.isArray(vary) ? vary.join(",") : vary)
    .split(",")
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  return names.includes("*") ? undefined : [...new Set(names)];
}

function headerOf(headers: Readonly<Record<string, string | string[]>>, name: string) {
  for (const [key, v] of Object.entries(headers))
    if (key.toLowerCase() === name) return Array.isArray(v) ? v.join(", ") : String(v);
  return undefined;
}

/** Whether what the app wrote may be kept and written again for an equal request. */
export function keepable(status: number, headers: Readonly<Record<string, string | string[]>>) {
  if (status !== 200) return false;
  const etag = headerOf(headers, "etag");
  if (etag === undefined || etag.startsWith("W/")) return false;
  const cacheControl = headerOf(headers, "cache-control");
  if (cacheControl === undefined || /no-store|no-cache/i.test(cacheControl)) return false;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower === "set-cookie" || lower === "transfer-encoding" || lower === "content-range")
      return false;
  }
  return varyNames(headerOf(headers, "vary")) !== undefined;
}

export interface AnswerCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export class AnswerCache {
  /** Per key, the answers kept for each set of Vary values (usually one). */
  readonly #entries = new Map<string, KeptAnswer[]>();
  readonly #limits: AnswerCacheLimits;
  #count = 0;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(limits: AnswerCacheLimits) {
    this.#limits = limits;
  }

  /** The kept answer for this request, if any. */
  get(key: string, headers: RequestHeaders): KeptAnswer | undefined {
    const list = this.#entries.get(key);
    if (list) {
      for (const kept of list) {
        let same = true;
        for (let i = 0; i < kept.vary.length; i++) {
          if (requestValue(headers, kept.vary[i] as string) !== kept.values[i]) {
            same = false;
            break;
          }
        }
        if (same) {
          this.#hits++;
          return kept;
        }
      }
    }
    this.#misses++;
    return undefined;
  }

  /** Keeps what the app wrote for this request, when it may be reused. */
  set(
    key: string,
    request: RequestHeaders,
    status: number,
    headers: Readonly<Record<string, string | string[]>>,
    body: Uint8Array,
  ): void {
    if (!keepable(status, headers)) return;
    const vary = varyNames(headerOf(headers, "vary")) as string[];
    if (body.byteLength > this.#limits.maxBytes / 16) return;
    const values = vary.map((name) => requestValue(request, name));
    // Lower-case names, and the length of the body kept (@hono/node-server may
    // have left it to Node, which only knows it while writing that answer).
    const own: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers))
      own[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
    own["content-length"] = String(body.byteLength);
    const kept: KeptAnswer = { headers: own, body, vary, values };
    const list = this.#entries.get(key) ?? [];
    // A second answer for the same Vary values (two requests raced) replaces the first.
    const same = list.findIndex((k) => k.values.every((v, i) => v === values[i]));
    if (same >= 0) {
      this.#bytes -= (list[same] as KeptAnswer).body.byteLength;
      list.splice(same, 1);
      this.#count--;
    }
    list.push(kept);
    this.#entries.delete(key);
    this.#entries.set(key, list);
    this.#count++;
    this.#bytes += body.byteLength;
    this.#evict();
  }

  #evict(): void {
    while (this.#count > this.#limits.maxEntries || this.#bytes > this.#limits.maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) return;
      const [key, list] = oldest.value;
      const gone = list.shift();
      if (gone) {
        this.#count--;
        this.#bytes -= gone.body.byteLength;
      }
      if (list.length === 0) this.#entries.delete(key);
    }
  }

  snapshot(): AnswerCacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#count, bytes: this.#bytes };
  }
}
