/**
 * Compression of the Node server's answers (br or gzip, by Accept-Encoding).
 * A representation the app serves with a strong ETag (every cacheable
 * answer: the ETag is a hash of its bytes) is compressed once per encoding
 * and kept in a bounded cache keyed by that ETag, so a hot compressed answer
 * costs a lookup instead of a brotli pass. Answers without an ETag (POST
 * explain, batch) are compressed each time.
 */
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlib } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const COMPRESSIBLE = /^(?:application\/(?:[\w.+-]*json|problem\+json)|text\/)/;
const MIN_COMPRESS = 1024;

export type Encoding = "br" | "gzip";

/** br or gzip, by the client's Accept-Encoding (q=0 refuses), or undefined for identity. */
export function pickEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const offered = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.find((p) => p.trim().startsWith("q="));
    offered.set(name ?? "", q ? Number(q.trim().slice(2)) : 1);
  }
  const quality = (name: string) => offered.get(name) ?? offered.get("*") ?? 0;
  if (quality("br") > 0) return "br";
  if (quality("gzip") > 0) return "gzip";
  return undefined;
}

const suffix = { br: "-br", gzip: "-gz" } as const;

/** The ETag a compressed representation carries: the identity one with the encoding's suffix. */
export const encodedEtag = (etag: string, encoding: Encoding) =>
  `${etag.slice(0, -1)}${suffix[encoding]}"`;

/** An If-None-Match as the app knows it: compressed ETags turned back into identity ones. */
export const identityIfNoneMatch = (header: string) => header.replaceAll(/-(?:br|gz)"/g, '"');

export interface CompressionStats {
  hits: number;
  misses: number;
  /** Answers compressed without caching (no strong ETag). */
  uncached: number;
  entries: number;
  bytes: number;
}

/** Compressed bodies by encoding and identity ETag, least recently used first out, under a byte budget. */
export class CompressedBodies {
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;
  readonly stats: Omit<CompressionStats, "entries" | "bytes"> = {
    hits: 0,
    misses: 0,
    uncached: 0,
  };

  constructor(
    /** Total bytes of compressed bodies kept. */
    readonly budget = 16 * 1024 * 1024,
  ) {}

  get(key: string): Buffer | undefined {
    const body = this.#entries.get(key);
    if (body) {
      // Most recently used last.
      this.#entries.delete(key);
      this.#entries.set(key, body);
    }
    return body;
  }

  set(key: string, body: Buffer): void {
    if (body.byteLength > this.budget / 4 || this.#entries.has(key)) return;
    this.#entries.set(key, body);
    this.#bytes += body.byteLength;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.budget) break;
      this.#entries.delete(oldest);
      this.#bytes -= old.byteLength;
    }
  }

  snapshot(): CompressionStats {
    return { ...this.stats, entries: this.#entries.size, bytes: this.#bytes };
  }
}

function encode(input: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === "br"
    ? brotli(input, {
        params: {
          [zlib.BROTLI_PARAM_QUALITY]: 5,
          [zlib.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
        },
      })
    : gzipAsync(input, { level: 6 });
}

/** A static asset compressed once at the encoding's best quality (it is kept, not redone). */
export function encodeBest(input: Buffer, encoding: Encoding): Promise<Buffer> {
  return encoding === "br"
    ? brotli(input, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } })
    : gzipAsync(input, { level: 9 });
}

/** Whether `compress` would compress a 200 of this content type and length (NaN: not known yet). */
export function mayCompress(type: string, length: number): boolean {
  return COMPRESSIBLE.test(type) && !(length < MIN_COMPRESS);
}

type PlainHeaders = Readonly<Record<string, string | number | readonly string[] | undefined>>;

/**
 * The headers of an answer sent as it is because the client asked for no
 * encoding we offer: when it could have been compressed (a 200 that
 * `mayCompress`, or a 304 with an ETag), they say `Vary: Accept-Encoding`, so
 * that no cache hands it, or its compressed sibling, to a client that asked
 * otherwise. A plain header object (what the Node server writes), returned as
 * it is or copied with the Vary added; reading a Response's Headers instead
 * would build them, about a fifth of the hot route's throughput.
 */
export function withEncodingVary<H extends PlainHeaders>(status: number, headers: H): H {
  if (status !== 200 && status !== 304) return headers;
  let type = "";
  let length = Number.NaN;
  let etag = false;
  let varyName = "vary";
  let vary = "";
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    switch (name.toLowerCase()) {
      case "content-type":
        type = text;
        break;
      case "content-length":
        length = Number(text);
        break;
      case "etag":
        etag = true;
        break;
      case "vary":
        varyName = name;
        vary = text;
        break;
    }
  }
  const needed = status === 304 ? etag : mayCompress(type, length);
  if (!needed || /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary)) return headers;
  return { ...headers, [varyName]: vary ? `${vary}, Accept-Encoding` : "Accept-Encoding" };
}

/** Compresses a 200 over 1 KiB; the ETag gets the encoding's suffix (a different representation). */
export async function compress(
  pending: Response | Promise<Response>,
  encoding: Encoding,
  cache: CompressedBodies,
): Promise<Response> {
  const res = await pending;
  const etag = res.headers.get("etag");
  if (res.status === 304) {
    if (etag) res.headers.set("etag", encodedEtag(etag, encoding));
    res.headers.append("vary", "Accept-Encoding");
    return res;
  }
  const type = res.headers.get("content-type") ?? "";
  const length = Number(res.headers.get("content-length") ?? Number.NaN);
  // Not `res.body`: reading it turns @hono/node-server's light response into a
  // full one with a stream, which costs more than the lookup. Without a
  // Content-Length the body is read and measured below.
  if (res.status !== 200 || !mayCompress(type, length)) {
    return res;
  }
  // Only a strong ETag names the bytes; a weak one or none is compressed afresh.
  const key = etag && !etag.startsWith("W/") ? `${encoding}|${type}|${etag}` : undefined;
  let output = key ? cache.get(key) : undefined;
  if (output) {
    // The identity body is left unread: it is the app's in-memory bytes, not a socket.
    cache.stats.hits++;
  } else {
    const input = Buffer.from(await res.arrayBuffer());
    if (input.byteLength < MIN_COMPRESS) return new Response(input, res);
    output = await encode(input, encoding);
    if (key) {
      cache.stats.misses++;
      cache.set(key, output);
    } else cache.stats.uncached++;
  }
  const headers = new Headers(res.headers);
  headers.set("content-encoding", encoding);
  headers.set("content-length", String(output.byteLength));
  headers.append("vary", "Accept-Encoding");
  if (etag) headers.set("etag", encodedEtag(etag, encoding));
  return new Response(output, { status: res.status, headers });
}
