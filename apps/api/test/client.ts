import { createSipcodesClient, type Explanation, type Problem } from "@sipcodes/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Target } from "./harness.ts";

/**
 * Every operation of the document, called through the generated client
 * (@sipcodes/client) against the real server. `expectTypeOf` lines are
 * checked by `tsc` (the API's typecheck includes test/): they fail the build
 * if the generated types drift from what the answers hold.
 */
export function defineClientTests(getApi: () => Target) {
  describe("the typed client (@sipcodes/client)", () => {
    const client = () => createSipcodesClient({ baseUrl: getApi().base.replace(/\/$/, "") });

    it("calls every operation of the document and reads typed answers", async () => {
      const called = new Set<string>();
      const api = client();

      const code = await api.GET("/v1/codes/{code}", {
        params: { path: { code: 486 }, query: { profile: "teams", subCode: "560486" } },
      });
      called.add("getCode");
      expect(code.response.status).toBe(200);
      expectTypeOf(code.data).toEqualTypeOf<Explanation | undefined>();
      const explanation = code.data as Explanation;
      expectTypeOf(explanation.code).toEqualTypeOf<number>();
      expect(explanation.code).toBe(486);
      expect(explanation.subCode?.subCode).toBe("560486");

      const missing = await api.GET("/v1/codes/{code}", { params: { path: { code: 799 } } });
      expectTypeOf(missing.error).toEqualTypeOf<Problem | undefined>();
      expect(missing.error?.code).toBe("unknown_code");

      const list = await api.GET("/v1/codes", { params: { query: { q: "busy", limit: 3 } } });
      called.add("listCodes");
      expectTypeOf(list.data!.codes[0]!.code).toEqualTypeOf<number>();
      expect(list.data?.codes.length).toBeLessThanOrEqual(3);

      const one = await api.POST("/v1/explain", {
        params: { query: { view: "full" } },
        body: { input: "SIP/2.0 603 MaxPeak Cost Exceeded" },
      });
      called.add("explain");
      // A JSON input is answered with an Explanation; a capture or call trace with the calls.
      const explained = one.data && "code" in one.data ? one.data : undefined;
      expect(explained?.code).toBe(603);
      expect(explained?.glossary?.length).toBeGreaterThan(0);

      const batch = await api.POST("/v1/explain/batch", {
        body: { inputs: ["486", 799, { input: 404, view: "full" }] },
      });
      called.add("explainBatch");
      expectTypeOf(batch.data!.failed).toEqualTypeOf<number>();
      expect(batch.data).toMatchObject({ count: 3, failed: 1 });

      const causes = await api.GET("/v1/q850");
      called.add("listQ850Causes");
      expect(causes.data?.count).toBeGreaterThan(50);
      const cause = await api.GET("/v1/q850/{cause}", { params: { path: { cause: 17 } } });
      called.add("getQ850Cause");
      expectTypeOf(cause.data!.cause).toEqualTypeOf<number>();
      expect(cause.data?.cause).toBe(17);

      const profiles = await api.GET("/v1/profiles");
      called.add("listProfiles");
      expect(profiles.data?.profiles.map((p) => p.id)).toContain("teams");
      const profile = await api.GET("/v1/profiles/{id}", { params: { path: { id: "jola" } } });
      called.add("getProfile");
      expect(profile.data?.id).toBe("jola");

      const glossary = await api.GET("/v1/glossary", { params: { query: { profile: "teams" } } });
      called.add("listGlossaryTerms");
      expect(glossary.data?.count).toBeGreaterThan(20);
      const term = await api.GET("/v1/glossary/{term}", { params: { path: { term: "sbc" } } });
      called.add("getGlossaryTerm");
      expect(term.data?.term).toBe("SBC");

      const health = await api.GET("/healthz");
      called.add("getHealth");
      expect(health.data?.status).toBe("ok");
      const index = await api.GET("/");
      called.add("getIndex");
      expect(index.data?.openapi).toBe("/openapi.json");
      const type = await api.GET("/problems/{type}", {
        params: { path: { type: "invalid_json" } },
      });
      called.add("getProblemType");
      expect(type.data?.status).toBe(400);
      const schema = await api.GET("/schemas/{name}", {
        params: { path: { name: "Explanation" } },
        parseAs: "json",
      });
      called.add("getJsonSchema");
      expect(schema.response.status).toBe(200);
      const doc = await api.GET("/openapi.json");
      called.add("getOpenApiDocument");
      const paths = (doc.data as { paths: Record<string, Record<string, { operationId: string }>> })
        .paths;

      // Conditional requests through the client: the documented header, a 304 back.
      const etag = code.response.headers.get("etag") ?? "";
      const again = await api.GET("/v1/codes/{code}", {
        params: {
          path: { code: 486 },
          query: { profile: "teams", subCode: "560486" },
          header: { "If-None-Match": etag },
        },
      });
      expect(again.response.status).toBe(304);

      const operations = Object.values(paths).flatMap((ops) =>
        Object.values(ops).map((op) => op.operationId),
      );
      expect([...called].sort()).toEqual([...operations].sort());
    });
  });
}
