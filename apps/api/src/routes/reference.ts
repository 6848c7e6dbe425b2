import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  defaultRegistry,
  getQ850Cause,
  listQ850Causes,
  platformCauseMapping,
  summarizeProfile,
} from "@sipcodes/core";
import { findTerm, glossaryFor, resolveProfile } from "../catalogue.ts";
import { contentTypes, type RepresentationCache, send } from "../http.ts";
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
import {
  CauseParams,
  Glossary,
  GlossaryEntry,
  GlossaryQuery,
  Profile,
  ProfileList,
  ProfileParams,
  Q850Cause,
  Q850List,
  Q850Query,
  TermParams,
} from "../schemas.ts";

const json = <T>(schema: T, description: string) => ({
  description,
  headers: CacheHeaders,
  content: { "application/json": { schema } },
});

export const q850ListRoute = createRoute({
  method: "get",
  operationId: "listQ850Causes",
  path: "/q850",
  tags: ["q850"],
  summary: "The assigned Q.850 cause values",
  request: { headers: ConditionalHeaders },
  responses: { 200: json(Q850List, "Every assigned cause"), 304: notModified, ...problems(400) },
});

export const q850Route = createRoute({
  method: "get",
  operationId: "getQ850Cause",
  path: "/q850/{cause}",
  tags: ["q850"],
  summary: "One Q.850 cause, with its RFC 3398 mappings to and from SIP",
  request: { params: CauseParams, query: Q850Query, headers: ConditionalHeaders },
  responses: { 200: json(Q850Cause, "The cause"), 304: notModified, ...problems(400, 404) },
});

export const profilesRoute = createRoute({
  method: "get",
  operationId: "listProfiles",
  path: "/profiles",
  tags: ["profiles"],
  summary: "The built-in provider profiles",
  request: { headers: ConditionalHeaders },
  responses: {
    200: json(ProfileList, "Every profile, summarised"),
    304: notModified,
    ...problems(400),
  },
});

export const profileRoute = createRoute({
  method: "get",
  operationId: "getProfile",
  path: "/profiles/{id}",
  tags: ["profiles"],
  summary: "One profile, as its data: the codes it changes, its sub-codes and terms",
  request: { params: ProfileParams, headers: ConditionalHeaders },
  responses: { 200: json(Profile, "The profile"), 304: notModified, ...problems(400, 404) },
});

export const glossaryRoute = createRoute({
  method: "get",
  operationId: "listGlossaryTerms",
  path: "/glossary",
  tags: ["glossary"],
  summary: "The glossary of terms the explanations use",
  request: { query: GlossaryQuery, headers: ConditionalHeaders },
  responses: { 200: json(Glossary, "Every term"), 304: notModified, ...problems(400) },
});

export const termRoute = createRoute({
  method: "get",
  operationId: "getGlossaryTerm",
  path: "/glossary/{term}",
  tags: ["glossary"],
  summary: "One glossary term, by name or alias (any case)",
  request: { params: TermParams, query: GlossaryQuery, headers: ConditionalHeaders },
  responses: {
    200: json(GlossaryEntry, "The term"),
    304: notModified,
    ...problems(400, 404),
  },
});

export function referenceRoutes({ cache }: { cache: RepresentationCache }) {
  const app = new OpenAPIHono();
  const cached = (key: string, value: () => unknown) =>
    cache.get(key, () => JSON.stringify(value()), contentTypes.json, undefined);

  defineRoute(app, q850ListRoute, (c) =>
    send(
      c,
      cached("q850", () => {
        const causes = listQ850Causes().map((q) => ({
          cause: q.cause,
          name: q.name,
          class: q.class,
          sip: q.sip.map((s) => s.code),
        }));
        return { count: causes.length, causes };
      }),
    ),
  );

  defineRoute(app, q850Route, (c) => {
    const raw = validate(CauseParams, c.req.param(), "path").cause;
    const q = readQuery(c, Q850Query);
    const profile = q.profile ? resolveProfile(q.profile, ["query", "profile"]) : undefined;
    const cause = getQ850Cause(Number(raw));
    if (!cause) {
      throw new ApiError(
        "unknown_q850_cause",
        Number(raw) >= 1 && Number(raw) <= 127
          ? `Q.850 assigns no meaning to cause ${Number(raw)}`
          : `${raw} is not a Q.850 cause value: they run from 1 to 127`,
      );
    }
    return send(
      c,
      cached(`q850|${cause.cause}|${profile?.id ?? ""}`, () => {
        // FreeSWITCH's or Asterisk's own answer for the cause, where the profile has a table.
        const platform = profile
          ? platformCauseMapping(cause.cause, { profile: profile.id })
          : undefined;
        return platform ? { ...cause, platform } : cause;
      }),
    );
  });

  defineRoute(app, profilesRoute, (c) =>
    send(
      c,
      cached("profiles", () => {
        const profiles = defaultRegistry().list().map(summarizeProfile);
        return { count: profiles.length, profiles };
      }),
    ),
  );

  defineRoute(app, profileRoute, (c) => {
    const { id } = validate(ProfileParams, c.req.param(), "path");
    const profile = resolveProfile(id, ["path", "id"], 404);
    return send(
      c,
      cached(`profile|${profile.id}`, () => profile),
    );
  });

  defineRoute(app, glossaryRoute, (c) => {
    const q = readQuery(c, GlossaryQuery);
    const profile = q.profile ? resolveProfile(q.profile, ["query", "profile"]) : undefined;
    return send(
      c,
      cached(`glossary|${profile?.id ?? ""}`, () => {
        const terms = glossaryFor(profile);
        return { count: terms.length, terms };
      }),
    );
  });

  defineRoute(app, termRoute, (c) => {
    const { term } = validate(TermParams, c.req.param(), "path");
    const q = readQuery(c, GlossaryQuery);
    const profile = q.profile ? resolveProfile(q.profile, ["query", "profile"]) : undefined;
    const entry = findTerm(term, profile);
    if (!entry) {
      throw new ApiError("unknown_term", `"${term}" is not a glossary term or alias`);
    }
    return send(
      c,
      cached(`term|${entry.term}|${profile?.id ?? ""}`, () => entry),
    );
  });

  return app;
}
