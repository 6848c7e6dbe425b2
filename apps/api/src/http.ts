import type { Context } from "hono";
import { accepts } from "hono/accepts";

export type Format = "json" | "text" | "markdown";

export const contentTypes: Record<Format, string> = {
  json: "application/json",
  text: "text/plain; charset=utf-8",
  markdown: "text/markdown; charset=utf-8",
};

const offered = ["application/json", "text/plain", "text/markdown"];

type NodeBindings = { incoming?: { headers: Record<string, string | string[] | undefined> } };

/**
 * A request header. On Node it is read from the IncomingMessage that
 * @hono/node-server passes as `c.env.incoming`: asking the Request instead
 * builds a whole Headers object, a measurable share of the hot path. Any
 * other runtime reads the Request.
 */
export function header(
  c: Context,
  name: "accept" | "if-none-match" | "user-agent",
): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (typeof incoming?.headers === "object") {
    const value = incoming.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  }
  return c.req.header(name);
}

/**
 * Command-line HTTP clients that show the body as it is, which a person reads
 * in a terminal. Not HTTPie or xh: they pretty-print JSON themselves.
 */
const TERMINAL_CLIENT = /^(?:curl|Wget)\//i;

/**
 * True when the request names no media type (no Accept, or `*\/*`) and comes
 * from a command-line client such as curl: a person in a shell, who reads the
 * terminal rendering better than JSON.
 */
export function wantsTerminalText(c: Context, accept: string | undefined): boolean {
  if (accept !== undefined && accept !== "*/*") return false;
  const agent = header(c, "user-agent");
  return agent !== undefined && TERMINAL_CLIENT.test(agent);
}

/** What the text-rendering routes vary on. */
export const VARY = "Accept, User-Agent";

/**
 * True when the format of a text-rendering route was picked by the
 * User-Agent (no Accept, or `*\/*`): such an answer is `Cache-Control:
 * private`, since shared caches commonly ignore `Vary: User-Agent`.
 */
export function formatByAgent(accept: string | undefined): boolean {
  return accept === undefined || accept === "*/*";
}

/**
 * Picks the representation for routes that render text. No Accept or `*\/*`
 * gets JSON, so scripts never need a header, except from curl, wget or HTTPie,
 * which get the terminal rendering (`curl host/v1/codes/486` reads well in a
 * shell; `-H 'Accept: application/json'` asks for JSON). Anything unsupported
 * gets JSON.
 */
export function negotiate(c: Context): Format {
  const accept = header(c, "accept");
  if (wantsTerminalText(c, accept)) return "text";
  if (accept === undefined || accept === "*/*" || accept === "application/json") return "json";
  const type = accepts(c, { header: "Accept", supports: offered, default: "application/json" });
  return type === "text/plain" ? "text" : type === "text/markdown" ? "markdown" : "json";
}

/** 32-bit FNV-1a, printed in base 36: short, stable, and the same on Node and Workers. */
export function fnv1a(text: string, seed = 0x811c9dc5): string {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * The strong ETag of a representation: a 64-bit hash (two FNV-1a passes with
 * different seeds) of its body and content type, so any change to the bytes
 * served, a wording fix included, changes it; nothing else does.
 */
export function etagFor(body: string, contentType: string): string {
  const text = `${contentType}\n${body}`;
  return `"${fnv1a(text)}${fnv1a(text, 0x050c5d1f)}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison, and `*` matches any representation. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === etag) return true;
  for (const part of ifNoneMatch.split(",")) {
    const tag = part.trim();
    if (tag === "*" || tag === etag || (tag.startsWith("W/") && tag.slice(2) === etag)) return true;
  }
  return false;
}

/** A response body serialised once, with the headers of its 200 and 304 answers. */
export interface Representation {
  readonly body: string;
  /**
   * The body encoded once, which is what is sent: a string body is encoded
   * again inside every socket write (measured: about 1.5 µs of a 2.7 KB answer,
   * more than the second buffer of the writev the bytes cost).
   */
  readonly bytes: Uint8Array;
  readonly etag: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly notModified: Readonly<Record<string, string>>;
}

export interface CachePolicy {
  /** Seconds a client or shared cache may reuse a catalogue response. */
  maxAge: number;
  /** Most representations kept in memory; the oldest is dropped first. */
  maxEntries: number;
}

const encoder = new TextEncoder();

/** A Map that keeps at most `max` entries, dropping the oldest first, so no input can grow it. */
export class BoundedMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    if (this.#map.size >= this.#max && !this.#map.has(key)) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }
}

/**
 * Serialised catalogue responses by normalised query. Every catalogue answer
 * is a pure function of the catalogue version and the query, so it is built
 * once and then served as bytes. Bounded, so random queries cannot grow it.
 */
export class RepresentationCache {
  readonly #entries: BoundedMap<string, Representation>;
  readonly #cacheControl: string;

  readonly #private: string;

  constructor(policy: CachePolicy) {
    this.#cacheControl = `public, max-age=${policy.maxAge}, stale-while-revalidate=${policy.maxAge}`;
    this.#private = `private, max-age=${policy.maxAge}`;
    this.#entries = new BoundedMap(policy.maxEntries);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached representation for `key`, built by `render` on a miss. */
  get(
    key: string,
    render: () => string,
    contentType: string,
    vary: string | undefined,
    scope: "public" | "private" = "public",
    extra?: Readonly<Record<string, string>>,
  ): Representation {
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const rep = this.build(render(), contentType, vary, scope, extra);
    this.#entries.set(key, rep);
    return rep;
  }

  /** Builds a representation without keeping it (for answers that are not worth caching). */
  build(
    text: string,
    contentType: string,
    vary: string | undefined,
    scope: "public" | "private" = "public",
    /** More headers of the 200 (a page's security headers). */
    extra?: Readonly<Record<string, string>>,
  ): Representation {
    const body = text;
    const bytes = encoder.encode(text);
    const length = bytes.byteLength;
    const etag = etagFor(text, contentType);
    const common: Record<string, string> = {
      etag,
      "cache-control": scope === "private" ? this.#private : this.#cacheControl,
      ...(vary ? { vary } : {}),
    };
    return Object.freeze({
      body,
      bytes,
      etag,
      headers: Object.freeze({
        "content-type": contentType,
        "content-length": String(length),
        ...common,
        ...extra,
      }),
      notModified: Object.freeze(common),
    });
  }
}

/** Answers 304 when If-None-Match matches, else the representation's bytes. */
export function send(c: Context, rep: Representation): Response {
  const ifNoneMatch = header(c, "if-none-match");
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, rep.etag)) {
    return new Response(null, { status: 304, headers: rep.notModified });
  }
  return new Response(rep.bytes, { status: 200, headers: rep.headers });
}
