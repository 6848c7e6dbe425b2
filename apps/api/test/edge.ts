import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { etagFor } from "../src/http.ts";
import type { Target } from "./harness.ts";

const ORIGIN = "https://portal.example";

/** Scalar's browser bundle in the install, which /docs/scalar.js must serve as it is. */
const SCALAR_BUNDLE = new URL(
  "../node_modules/@scalar/api-reference/dist/browser/standalone.js",
  import.meta.url,
);

/** CORS, caching and the edge headers: the same on every runtime. */
export function defineEdgeTests(getApi: () => Target) {
  describe("CORS", () => {
    it.each([
      ["GET", "/healthz"],
      ["GET", "/v1/codes/486"],
      ["GET", "/openapi.json"],
      ["GET", "/v1/nothing"],
      ["POST", "/v1/explain"],
      ["POST", "/v1/explain/batch"],
    ])("lets browser code read %s %s, its ETag and rate-limit headers", async (method, path) => {
      const res = await getApi().request(path, {
        method,
        headers: { origin: ORIGIN, "content-type": "application/json" },
        ...(method === "POST" ? { body: JSON.stringify({ input: 486, inputs: [486] }) } : {}),
      });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      const exposed = (res.headers.get("access-control-expose-headers") ?? "").split(/,\s*/);
      expect(exposed).toEqual(
        expect.arrayContaining(["ETag", "X-Request-Id", "RateLimit-Remaining", "Retry-After"]),
      );
    });

    it.each([
      ["/v1/explain", "POST", "POST, OPTIONS"],
      ["/v1/explain/batch", "POST", "POST, OPTIONS"],
      ["/v1/codes/486", "GET", "GET, HEAD, OPTIONS"],
      ["/healthz", "GET", "GET, HEAD, OPTIONS"],
    ])("answers the preflight of %s, cacheable for a day", async (path, method, allow) => {
      const res = await getApi().request(path, {
        method: "OPTIONS",
        headers: {
          origin: ORIGIN,
          "access-control-request-method": method,
          "access-control-request-headers": "content-type, if-none-match",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-methods")?.split(/,\s*/)).toEqual(
        allow.split(", "),
      );
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain(
        "if-none-match",
      );
      expect(res.headers.get("access-control-max-age")).toBe("86400");
      expect(res.headers.get("access-control-expose-headers")).toContain("ETag");
      expect(res.headers.get("allow")).toBe(allow);
    });
  });

  describe("caching", () => {
    it("tags the bytes served: the ETag is the hash of the body and its type", async () => {
      for (const path of ["/v1/codes/486", "/v1/q850/17", "/v1/profiles/teams", "/openapi.json"]) {
        // Identity, so the bytes read are the bytes tagged on every runtime.
        const res = await getApi().request(path, {
          headers: { accept: "application/json", "accept-encoding": "identity" },
        });
        const body = await res.text();
        const type = res.headers.get("content-type") ?? "";
        expect(res.headers.get("etag"), path).toBe(etagFor(body, type));
      }
    });

    it("is private where the format follows the User-Agent, public where Accept chose it", async () => {
      const byAgent = await getApi().request("/v1/codes/486", {
        headers: { "user-agent": "curl/8.5.0" },
      });
      expect(byAgent.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
      expect(byAgent.headers.get("vary")).toMatch(/^Accept, User-Agent/);
      const browser = await getApi().request("/v1/codes/486", {
        headers: { "user-agent": "Mozilla/5.0", accept: "*/*" },
      });
      expect(browser.headers.get("cache-control")).toMatch(/^private/);
      const chosen = await getApi().request("/v1/codes/486", {
        headers: { "user-agent": "curl/8.5.0", accept: "application/json" },
      });
      expect(chosen.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
      expect(chosen.headers.get("vary")).toMatch(/^Accept(?:, Accept-Encoding)?$/);
      expect(chosen.headers.get("etag")).not.toBe(byAgent.headers.get("etag"));
    });

    it("gives HTTPie and xh JSON (they format it themselves), curl and wget text", async () => {
      for (const [agent, type] of [
        ["HTTPie/3.2.2", "application/json"],
        ["xh/0.22.0", "application/json"],
        ["curl/8.5.0", "text/plain; charset=utf-8"],
        ["Wget/1.21.4", "text/plain; charset=utf-8"],
      ] as const) {
        const res = await getApi().request("/v1/codes/486", {
          headers: { "user-agent": agent, accept: "*/*" },
        });
        expect(res.headers.get("content-type"), agent).toBe(type);
        await res.arrayBuffer();
      }
    });
  });

  describe("request ids and rate-limit headers", () => {
    it("echoes a sane X-Request-Id and makes one otherwise", async () => {
      const mine = await getApi().request("/v1/codes/486", {
        headers: { "x-request-id": "ticket-42.a:b" },
      });
      expect(mine.headers.get("x-request-id")).toBe("ticket-42.a:b");
      const none = await getApi().request("/v1/codes/486");
      expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const bad = await getApi().request("/v1/codes/486", {
        headers: { "x-request-id": "has spaces and;semicolons" },
      });
      expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      const problem = await getApi().request("/v1/codes/799", {
        headers: { "x-request-id": "err-1" },
      });
      expect(problem.headers.get("x-request-id")).toBe("err-1");
    });

    it("sends RateLimit-* headers (IETF draft 6) with every limited answer", async () => {
      const res = await getApi().request("/v1/codes/486");
      expect(res.headers.get("ratelimit-limit")).toBe("1000000");
      expect(res.headers.get("ratelimit-policy")).toMatch(/^1000000;w=60$/);
      expect(Number(res.headers.get("ratelimit-remaining"))).toBeLessThan(1000000);
      expect(Number(res.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    });
  });
}

/** The JSON Schema downloads and the docs page. */
export function defineDocsTests(getApi: () => Target) {
  describe("docs and JSON Schema downloads", () => {
    it("serves the main shapes as JSON Schema 2020-12 that real answers and requests pass", async () => {
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      const schemaOf = async (name: string) => {
        const res = await getApi().request(`/schemas/${name}`);
        expect(res.headers.get("content-type")).toBe("application/schema+json");
        const schema = (await res.json()) as { $id: string; $schema: string };
        expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
        expect(schema.$id).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/schemas/${name}$`));
        return ajv.compile(schema);
      };
      const explanation = await schemaOf("Explanation");
      const body = await (
        await getApi().request("/v1/codes/486?view=full", {
          headers: { accept: "application/json" },
        })
      ).json();
      expect(explanation(body), ajv.errorsText(explanation.errors)).toBe(true);
      expect(explanation({ code: "486" })).toBe(false);
      const problem = await schemaOf("Problem");
      expect(problem(await (await getApi().request("/v1/codes/799")).json())).toBe(true);
      const request = await schemaOf("ExplainRequest");
      expect(request({ input: 486, view: "full" })).toBe(true);
      expect(request({ input: 486, views: "full" })).toBe(false);
      const batch = await schemaOf("BatchRequest");
      expect(batch({ inputs: [] })).toBe(false);
      const unknown = await getApi().request("/schemas/Nope");
      expect(unknown.status).toBe(400);
    });

    it("serves an interactive reference at /docs that reads /openapi.json", async () => {
      const res = await getApi().request("/docs");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain("/openapi.json");
      const sources = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+)"/g)].map(
        (m) => m[1],
      );
      // Offline on both runtimes: every asset the page loads comes from this server, and the
      // page names no other origin (Node reads the bundle; Workers serve it as a static asset).
      expect(sources).toEqual(["/docs/scalar.js"]);
      // Its policy allows this server's bundle and, by hash, exactly its inline scripts.
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toMatch(/frame-ancestors 'none'/);
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1]?.split(" ") ?? [];
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      const inlines = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)];
      expect(inlines.length).toBeGreaterThan(0);
      for (const m of inlines) {
        const digest = createHash("sha256")
          .update(m[1] ?? "")
          .digest("base64");
        expect(scriptSrc).toContain(`'sha256-${digest}'`);
      }
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[\w.-]+\//);
      expect(html).not.toContain("cdn.jsdelivr.net");
      const script = await getApi().request("/docs/scalar.js");
      expect(script.status).toBe(200);
      expect(script.headers.get("content-type")).toMatch(/^(?:text|application)\/javascript/);
      const code = await script.text();
      expect(code.length).toBeGreaterThan(1_000_000);
      // The very bundle of the installed @scalar/api-reference, not a placeholder.
      expect(code).toBe(readFileSync(SCALAR_BUNDLE, "utf8"));
    });
  });
}
