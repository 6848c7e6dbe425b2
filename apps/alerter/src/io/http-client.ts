import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AttemptResult } from "../domain/backoff.ts";
import { parseRetryAfter } from "../domain/backoff.ts";
import { type AllowList, BlockedDestinationError, checkLiteral, guardedLookup } from "./ssrf.ts";

export interface PostOptions {
  timeoutMs: number;
  allow: AllowList;
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Keep the answer's body (its first 64 KiB) in the result. */
  readBody?: boolean;
}

/**
 * POSTs a JSON body once. Redirects are never followed (a 3xx is returned as
 * it is); private destinations are refused before connecting; the whole
 * exchange is bounded by `timeoutMs`; at most 64 KiB of the answer is read.
 */
export function postJson(
  rawUrl: string,
  body: string,
  options: PostOptions,
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(rawUrl);
      checkLiteral(url, options.allow);
    } catch (error) {
      resolve({ kind: "error", message: (error as Error).message, permanent: true });
      return;
    }
    const payload = Buffer.from(body);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    let settled = false;
    const done = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(url, {
      method: "POST",
      lookup: guardedLookup(options.allow) as never,
      agent: false,
      headers: {
        "content-type": "application/json",
        "content-length": String(payload.length),
        "user-agent": "sipcodes-alerter",
        ...options.headers,
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    options.signal?.addEventListener("abort", () => req.destroy(new Error("aborted")), {
      once: true,
    });
    req.on("error", (error) => {
      done({
        kind: "error",
        message: error.message,
        permanent: error instanceof BlockedDestinationError,
      });
    });
    req.on("response", (res: IncomingMessage) => {
      let read = 0;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (options.readBody && read <= 65_536) chunks.push(chunk);
        if (read > 65_536) res.destroy();
      });
      const finish = () =>
        done({
          kind: "response",
          status: res.statusCode ?? 0,
          retryAfterMs: parseRetryAfter(res.headers["retry-after"], Date.now()),
          ...(options.readBody ? { body: Buffer.concat(chunks).toString("utf8") } : {}),
        });
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", finish);
    });
    req.end(payload);
  });
}
