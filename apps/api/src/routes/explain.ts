import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type ExplainOptions,
  type Explanation,
  holdsCalls,
  readTrace,
  renderMarkdown,
  renderText,
  safeExplain,
} from "@sipcodes/core";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  CAPTURE_BODY_LIMIT,
  CAPTURE_TYPES,
  type CallsBody,
  callsFromCapture,
  callsFromTrace,
  callsText,
} from "../calls.ts";
import { explanationBody, notesText, requestNotes, resolveProfile } from "../catalogue.ts";
import { contentTypes, negotiate, VARY } from "../http.ts";
import { ApiError, fromCoreError, problemBody } from "../problem.ts";
import { defineRoute, EdgeHeaders, problems, readQuery, validate } from "../route.ts";
import {
  BatchRequest,
  BatchResponse,
  CallsResult as CallsResultSchema,
  ExplainQuery,
  ExplainRequest,
  Explanation as ExplanationSchema,
} from "../schemas.ts";

/** Largest body POST /v1/explain accepts: a 64 KiB SIP message, JSON-escaped, fits. */
export const EXPLAIN_BODY_LIMIT = 128 * 1024;
/** Largest body POST /v1/explain/batch accepts. */
export const BATCH_BODY_LIMIT = 1024 * 1024;

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;

function mediaType(c: Context): string {
  return (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * 413 for a body over `maxSize`. A declared Content-Length is checked before
 * anything is read (reading the raw stream, as hono's bodyLimit does, would
 * cost Node's fast body path); a chunked body is counted as it streams.
 */
function limit(maxSize: number): MiddlewareHandler {
  const tooLarge = () => {
    throw new ApiError(
      "content_too_large",
      `the body is larger than this route's limit of ${maxSize} bytes`,
    );
  };
  const streaming = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) {
      return streaming(c, next);
    }
    if (Number(length) > maxSize) tooLarge();
    await next();
  };
}

function unsupported(type: string, accepted: string): ApiError {
  return new ApiError(
    "unsupported_media_type",
    `${type ? `Content-Type ${type} is not accepted` : "the request has no Content-Type"}; send ${accepted}`,
    { headers: { "accept-post": accepted } },
  );
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable";
    throw new ApiError("invalid_json", `the body is not valid JSON: ${reason}`);
  }
}

interface Options {
  profile?: string | undefined;
  direction?: ExplainOptions["direction"] | undefined;
  audience?: ExplainOptions["audience"] | undefined;
  subCode?: string | undefined;
  view?: "lean" | "full" | undefined;
}

const OPTION_KEYS = ["profile", "direction", "audience", "subCode", "view"] as const;

/**
 * The documented precedence: later layers win, key by key, and only where
 * they set the option (a body without `view` keeps the query's `view=full`).
 * Defaults (`view=lean`, the rfc profile) apply after the merge. Returns the
 * merged options and, for each, where it came from (for error paths).
 */
export function mergeOptions(layers: readonly [where: (string | number)[], options: Options][]): {
  options: Options;
  from: Partial<Record<keyof Options, (string | number)[]>>;
} {
  const options: Options = {};
  const from: Partial<Record<keyof Options, (string | number)[]>> = {};
  for (const [where, layer] of layers) {
    for (const key of OPTION_KEYS) {
      const value = layer[key];
      if (value === undefined) continue;
      (options as Record<string, unknown>)[key] = value;
      from[key] = [...where, key];
    }
  }
  return { options, from };
}

/** Output of one batch over this many bytes is refused (413 would blame the request body). */
export const BATCH_OUTPUT_LIMIT = 4 * 1024 * 1024;

function coreOptions(o: Options): ExplainOptions {
  return {
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.direction !== undefined ? { direction: o.direction } : {}),
    ...(o.audience !== undefined ? { audience: o.audience } : {}),
    ...(o.subCode !== undefined ? { subCode: o.subCode } : {}),
  };
}

const textContent = {
  "text/plain": { schema: { type: "string" as const } },
  "text/markdown": { schema: { type: "string" as const } },
};

export const explainRoute = createRoute({
  method: "post",
  operationId: "explain",
  path: "/explain",
  tags: ["explain"],
  summary: "Explain a code, status line, SIP response or Reason header",
  description:
    "JSON `{ input, profile?, direction?, audience?, subCode?, view? }`, or the pasted text itself as text/plain (options then go in the query string). Body limit 128 KiB (16 MiB for a trace or capture). `Accept: text/plain` returns the rendering for a terminal. A trace of whole calls as text/plain (raw SIP with Call-IDs, sngrep, ngrep, siptrace, tshark -V / -T json / -T ek) or a capture as application/vnd.tcpdump.pcap or application/octet-stream (pcap, pcapng, HEP; body limit 16 MiB) is answered with the calls (CallsResult): each grouped by Call-ID, with its steps, timings, final response explained and what to do.",
  request: {
    query: ExplainQuery,
    body: {
      required: true,
      content: {
        "application/json": { schema: ExplainRequest },
        "text/plain": { schema: { type: "string", example: "SIP/2.0 486 Busy Here\r\n" } },
        "application/vnd.tcpdump.pcap": { schema: { type: "string", format: "binary" } },
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
      },
    },
  },
  responses: {
    200: {
      description: "The explanation",
      headers: EdgeHeaders,
      content: {
        "application/json": { schema: z.union([ExplanationSchema, CallsResultSchema]) },
        ...textContent,
      },
    },
    ...problems(400, 413, 415, 422),
  },
});

export const batchRoute = createRoute({
  method: "post",
  operationId: "explainBatch",
  path: "/explain/batch",
  tags: ["explain"],
  summary: "Explain up to 1,000 inputs at once",
  description:
    "One result per input, in order: `explanation` or `problem`. An input may be a string, a number, or an object with options of its own. Body limit 1 MiB.",
  request: {
    query: ExplainQuery,
    body: { required: true, content: { "application/json": { schema: BatchRequest } } },
  },
  responses: {
    200: {
      description: "One result per input",
      headers: EdgeHeaders,
      content: { "application/json": { schema: BatchResponse } },
    },
    ...problems(400, 413, 415, 422),
  },
});

export function explainRoutes() {
  const app = new OpenAPIHono();

  const small = limit(EXPLAIN_BODY_LIMIT);
  const large = limit(CAPTURE_BODY_LIMIT);
  const bodyLimitFor: MiddlewareHandler = (c, next) =>
    (CAPTURE_TYPES.has(mediaType(c)) || mediaType(c) === "text/plain" ? large : small)(c, next);
  const sendCalls = (c: Context, body: CallsBody) =>
    negotiate(c) === "json"
      ? c.body(JSON.stringify(body), 200, { "content-type": "application/json", vary: VARY })
      : c.body(callsText(body), 200, { "content-type": contentTypes.text, vary: VARY });

  defineRoute(app, explainRoute, bodyLimitFor, async (c) => {
    const query = readQuery(c, ExplainQuery);
    const type = mediaType(c);
    let input: ExplainRequest["input"];
    const layers: [(string | number)[], Options][] = [[["query"], query]];
    if (CAPTURE_TYPES.has(type)) {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const { options } = mergeOptions(layers);
      if (options.profile) resolveProfile(options.profile, ["query", "profile"]);
      return sendCalls(c, callsFromCapture(bytes, coreOptions(options)));
    }
    if (type === "text/plain") {
      input = await c.req.text();
      // Cheap test first: only text with a Call-ID or a trace header can hold calls.
      const trace = /call-id|^i[ \t]*:|_source|"layers"|bytes on wire| -> /im.test(input)
        ? readTrace(input)
        : undefined;
      if (trace && holdsCalls(trace)) {
        const { options } = mergeOptions(layers);
        if (options.profile) resolveProfile(options.profile, ["query", "profile"]);
        return sendCalls(c, callsFromTrace(trace.format, trace.messages, coreOptions(options)));
      }
      // Only a trace of calls may use the capture limit; one message keeps the small one.
      if (new TextEncoder().encode(input).length > EXPLAIN_BODY_LIMIT) {
        throw new ApiError(
          "content_too_large",
          `the body is larger than this route's limit of ${EXPLAIN_BODY_LIMIT} bytes (a trace of whole calls may be up to ${CAPTURE_BODY_LIMIT})`,
        );
      }
    } else if (JSON_TYPE.test(type)) {
      const { input: given, ...options } = validate(ExplainRequest, await readJson(c), "body");
      input = given;
      layers.push([["body"], options]);
    } else {
      throw unsupported(
        type,
        "application/json, text/plain, application/vnd.tcpdump.pcap, application/octet-stream",
      );
    }
    const { options, from } = mergeOptions(layers);
    const profile = options.profile
      ? resolveProfile(options.profile, from.profile ?? ["query", "profile"])
      : undefined;
    const result = safeExplain(input, coreOptions(options));
    if (!result.success) throw fromCoreError(result.error);
    const e: Explanation = result.data;
    const format = negotiate(c);
    const full = options.view === "full";
    const notes = () => notesText(requestNotes(e, options.subCode, profile));
    const text =
      format === "text"
        ? `${renderText(e, { glossary: full })}\n${notes()}`
        : format === "markdown"
          ? renderMarkdown(e) + notes()
          : JSON.stringify(explanationBody(e, { full, profile, subCode: options.subCode }));
    return c.body(text, 200, { "content-type": contentTypes[format], vary: VARY });
  });

  defineRoute(app, batchRoute, limit(BATCH_BODY_LIMIT), async (c) => {
    const query = readQuery(c, ExplainQuery);
    const type = mediaType(c);
    if (!JSON_TYPE.test(type)) throw unsupported(type, "application/json");
    const { inputs, ...batch } = validate(BatchRequest, await readJson(c), "body");
    const shared = mergeOptions([
      [["query"], query],
      [["body"], batch],
    ]);
    if (shared.options.profile !== undefined) {
      resolveProfile(shared.options.profile, shared.from.profile ?? ["body", "profile"]);
    }
    const instance = new URL(c.req.url).pathname;
    let failed = 0;
    let bytes = 0;
    const parts: string[] = [];
    for (const [index, item] of inputs.entries()) {
      const { input, ...own } = typeof item === "object" ? item : { input: item };
      const { options, from } = mergeOptions([
        [["query"], shared.options],
        [["body", "inputs", index], own],
      ]);
      let part: string;
      try {
        const profile =
          options.profile !== undefined
            ? resolveProfile(options.profile, from.profile ?? ["body", "profile"])
            : undefined;
        const result = safeExplain(input, coreOptions(options));
        if (!result.success) throw fromCoreError(result.error);
        const body = explanationBody(result.data, {
          full: options.view === "full",
          profile,
          subCode: options.subCode,
        });
        part = JSON.stringify({ index, explanation: body });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        part = JSON.stringify({
          index,
          problem: problemBody(error, `${instance}#/inputs/${index}`),
        });
      }
      bytes += part.length + 1;
      if (bytes > BATCH_OUTPUT_LIMIT) {
        throw new ApiError(
          "output_too_large",
          `the answer would exceed ${BATCH_OUTPUT_LIMIT} bytes after ${index} of ${inputs.length} inputs; send at most ${index} inputs per batch with these options (view=lean is about a third of view=full)`,
        );
      }
      parts.push(part);
    }
    const text = `{"count":${parts.length},"failed":${failed},"results":[${parts.join(",")}]}`;
    return c.body(text, 200, { "content-type": "application/json" });
  });

  return app;
}
