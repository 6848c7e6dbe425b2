import { CATALOGUE_VERSION } from "@sipcodes/core";
import type { Context } from "hono";
import { accepts } from "hono/accepts";

/**
 * Bumped when a representation changes without a catalogue change (a new
 * field, a different rendering), so ETags of old responses stop matching.
 */
export const API_REVISION = 1;

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

/** Command-line HTTP clients, which a person reads in a terminal. */
const TERMINAL_CLIENT = /^(?:curl|Wget|HTTPie|xh)\//i;

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
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/** The ETag of a representation: the catalogue version plus a hash of the normalised query. */
export function etagFor(key: string): string {
  return `"${CATALOGUE_VERSION}-${fnv1a(`${API_REVISION}|${key}`)}"`;
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
  /**
   * Kept as a string: Node then writes status line, headers and body in one
   * write, where a Uint8Array body costs a second buffer in a writev.
   */
  readonly body: string;
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

  constructor(policy: CachePolicy) {
    this.#cacheControl = `public, max-age=${policy.maxAge}, stale-while-revalidate=${policy.maxAge}`;
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
  ): Representation {
    const hit = this.#entries.get(key);
    if (hit) return hit;
    const rep = this.build(key, render(), contentType, vary);
    this.#entries.set(key, rep);
    return rep;
  }

  /** Builds a representation without keeping it (for answers that are not worth caching). */
  build(key: string, text: string, contentType: string, vary: string | undefined): Representation {
    const body = text;
    const length = encoder.encode(text).byteLength;
    const etag = etagFor(key);
    const common: Record<string, string> = {
      etag,
      "cache-control": this.#cacheControl,
      ...(vary ? { vary } : {}),
      "access-control-allow-origin": "*",
    };
    return Object.freeze({
      body,
      etag,
      headers: Object.freeze({
        "content-type": contentType,
        "content-length": String(length),
        ...common,
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
  return new Response(rep.body, { status: 200, headers: rep.headers });
}
