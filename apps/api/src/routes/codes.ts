import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { DEFAULT_PROFILE, explain, renderMarkdown, renderText } from "@sipcodes/core";
import {
  explanationBody,
  listCodes,
  notesText,
  requestNotes,
  resolveProfile,
} from "../catalogue.ts";
import {
  BoundedMap,
  contentTypes,
  formatByAgent,
  header,
  negotiate,
  type Representation,
  type RepresentationCache,
  send,
  VARY,
  wantsTerminalText,
} from "../http.ts";
import { ApiError } from "../problem.ts";
import {
  CacheHeaders,
  ConditionalHeaders,
  defineRoute,
  notModified,
  problems,
  readQuery,
  validate,
} from "../route.ts";
import { CodeList, CodeListQuery, CodeParams, CodeQuery, Explanation } from "../schemas.ts";

const textContent = {
  "text/plain": { schema: { type: "string" as const } },
  "text/markdown": { schema: { type: "string" as const } },
};

export const listRoute = createRoute({
  method: "get",
  operationId: "listCodes",
  path: "/codes",
  tags: ["codes"],
  summary: "The catalogue of SIP response codes",
  description:
    "Every code the catalogue knows, in code order; with `q`, search hits best first. Cacheable: ETag and Cache-Control.",
  request: { query: CodeListQuery, headers: ConditionalHeaders },
  responses: {
    200: {
      description: "The codes",
      headers: CacheHeaders,
      content: { "application/json": { schema: CodeList } },
    },
    304: notModified,
    ...problems(400),
  },
});

export const codeRoute = createRoute({
  method: "get",
  operationId: "getCode",
  path: "/codes/{code}",
  tags: ["codes"],
  summary: "One SIP response code, explained",
  description:
    "A code from 100 to 699. A code the catalogue does not know is explained by its class's x00 code and flagged with `fallback`; anything outside 100-699 is a 404 problem. `Accept: text/plain` (or text/markdown) returns the rendering for a terminal.",
  request: { params: CodeParams, query: CodeQuery, headers: ConditionalHeaders },
  responses: {
    200: {
      description: "The explanation",
      headers: CacheHeaders,
      content: { "application/json": { schema: Explanation }, ...textContent },
    },
    304: notModified,
    ...problems(400, 404),
  },
});

export interface RouteDeps {
  cache: RepresentationCache;
}

/** The options of a request without a query string, parsed once. */
const noQuery = CodeQuery.parse({});

export function codesRoutes({ cache }: RouteDeps) {
  const app = new OpenAPIHono();

  defineRoute(app, listRoute, (c) => {
    const q = readQuery(c, CodeListQuery);
    const profile = q.profile ? resolveProfile(q.profile, ["query", "profile"]) : undefined;
    const limit = q.limit ?? 20;
    const key = `codes|${q.class ?? ""}|${profile?.id ?? ""}|${q.q ?? ""}|${q.q ? limit : ""}`;
    const render = () => JSON.stringify(listCodes({ class: q.class, profile, q: q.q, limit }));
    return send(c, cache.get(key, render, contentTypes.json, undefined));
  });

  // The hot path, all synchronous. A URL already answered as JSON is one map
  // lookup away from its bytes; otherwise: validate, normalise, look up or render.
  // One map per kind of Accept: absent or */* (format by User-Agent, private) or explicit JSON.
  const byUrlAgent = new BoundedMap<string, Representation>(1000);
  const byUrlJson = new BoundedMap<string, Representation>(1000);
  defineRoute(app, codeRoute, (c) => {
    const accept = header(c, "accept");
    const defaultAccept =
      (accept === undefined || accept === "*/*" || accept === "application/json") &&
      !wantsTerminalText(c, accept);
    const byUrl = formatByAgent(accept) ? byUrlAgent : byUrlJson;
    if (defaultAccept) {
      const known = byUrl.get(c.req.url);
      if (known) return send(c, known);
    }
    const raw = validate(CodeParams, c.req.param(), "path").code;
    const q = c.req.url.includes("?") ? readQuery(c, CodeQuery) : noQuery;
    const code = Number(raw);
    if (code < 100 || code > 699) {
      throw new ApiError(
        "unknown_code",
        `${code} is not a SIP response code: codes run from 100 to 699`,
      );
    }
    const profile = q.profile ? resolveProfile(q.profile, ["query", "profile"]) : undefined;
    const format = negotiate(c);
    // The format followed the User-Agent: private, and the key says so.
    const byAgent = formatByAgent(accept);
    // Normalised, so /v1/codes/486 and /v1/codes/486?profile=rfc share a cache entry and ETag.
    const key = `code|${code}|${profile?.id ?? DEFAULT_PROFILE}|${q.direction ?? ""}|${q.audience ?? "operator"}|${q.subCode ?? ""}|${q.view}|${format}|${byAgent ? "agent" : "accept"}`;
    const render = () => {
      const e = explain(code, {
        ...(profile ? { profile: profile.id } : {}),
        ...(q.direction ? { direction: q.direction } : {}),
        ...(q.audience ? { audience: q.audience } : {}),
        ...(q.subCode ? { subCode: q.subCode } : {}),
      });
      const full = q.view === "full";
      if (format === "text") {
        return `${renderText(e, { glossary: full })}\n${notesText(requestNotes(e, q.subCode, profile))}`;
      }
      if (format === "markdown") {
        return renderMarkdown(e) + notesText(requestNotes(e, q.subCode, profile));
      }
      return JSON.stringify(explanationBody(e, { full, profile, subCode: q.subCode }));
    };
    const rep = byAgent
      ? cache.get(key, render, contentTypes[format], VARY, "private")
      : cache.get(key, render, contentTypes[format], "Accept");
    if (defaultAccept) byUrl.set(c.req.url, rep);
    return send(c, rep);
  });

  return app;
}
