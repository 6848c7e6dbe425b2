import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineClientTests } from "./client.ts";
import { defineContractTests } from "./contract.ts";
import { defineDocsTests, defineEdgeTests } from "./edge.ts";
import { defineFuzzTests } from "./fuzz.ts";
import type { Target } from "./harness.ts";
import { defineInputTests } from "./inputs.ts";

const PROBLEM = "application/problem+json";

// biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies freely
type Body = any;

/** The JSON body of a response, for assertions. */
export async function read(res: Response | Promise<Response>): Promise<Body> {
  return (await res).json();
}

/** Fails with the body in the message, which says far more than a bare status. */
export async function expectProblem(res: Response, status: number, code: string) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe(PROBLEM);
  const problem = JSON.parse(text);
  expect(problem).toMatchObject({ status, code });
  // Absolute (RFC 9457 §3.1.1), on the server that answered.
  expect(problem.type).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/problems/${code}$`));
  expect(typeof problem.title).toBe("string");
  expect(typeof problem.detail).toBe("string");
  expect(typeof problem.instance).toBe("string");
  return problem as { errors?: { path: (string | number)[]; message: string }[]; instance: string };
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object") return false;
  return Object.values(value as object).some(hasNull);
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The behaviour every runtime must show; run against the Node server and the Workers build. */
export function defineApiSuite(
  name: string,
  start: () => Promise<Target>,
  fuzzRuns = Number(process.env.SIPCODES_FUZZ_RUNS ?? 400),
) {
  describe(`API on ${name}`, () => {
    let api: Target;
    beforeAll(async () => {
      api = await start();
    });
    afterAll(async () => {
      await api?.stop();
    });

    describe("GET /v1/codes/{code}", () => {
      it("explains 486 as lean JSON: no nulls, glossary terms by name only", async () => {
        const res = await api.request("/v1/codes/486");
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("application/json");
        const body = await read(res);
        expect(body).toMatchObject({
          code: 486,
          phrase: "Busy Here",
          class: "4xx",
          outcome: "busy",
        });
        expect(hasNull(body)).toBe(false);
        expect(body.glossary).toBeUndefined();
        expect(body.terms).toEqual(expect.arrayContaining(["PBX"]));
        expect(body.terms.every((t: unknown) => typeof t === "string")).toBe(true);
      });

      it("adds the definitions of the terms with view=full", async () => {
        const body = await read(await api.request("/v1/codes/486?view=full"));
        expect(body.glossary.length).toBe(body.terms.length);
        expect(body.glossary[0]).toEqual({
          term: expect.any(String),
          definition: expect.any(String),
        });
      });

      it("explains an unknown code inside 100-699 by its class and flags the fallback", async () => {
        const body = await read(await api.request("/v1/codes/499"));
        expect(body.code).toBe(499);
        expect(body.registered).toBe(false);
        expect(body.fallback).toMatchObject({ explainedAs: 400 });
      });

      it.each(["799", "99", "0", "1000", "000000"])(
        "returns a 404 problem for code %s",
        async (code) => {
          await expectProblem(await api.request(`/v1/codes/${code}`), 404, "unknown_code");
        },
      );

      it("returns a 400 problem with the path of a code that is not a number", async () => {
        const problem = await expectProblem(
          await api.request("/v1/codes/abc"),
          400,
          "validation_failed",
        );
        expect(problem.errors?.[0]?.path).toEqual(["path", "code"]);
      });

      it("returns a 400 problem listing every invalid query parameter", async () => {
        const res = await api.request("/v1/codes/486?direction=sideways&audience=boss&view=huge");
        const problem = await expectProblem(res, 400, "validation_failed");
        expect(problem.errors?.map((e) => e.path).sort()).toEqual([
          ["query", "audience"],
          ["query", "direction"],
          ["query", "view"],
        ]);
      });

      it("returns a 400 unknown_profile problem for a profile that does not exist", async () => {
        const problem = await expectProblem(
          await api.request("/v1/codes/486?profile=nope"),
          400,
          "unknown_profile",
        );
        expect(problem.errors?.[0]?.path).toEqual(["query", "profile"]);
      });

      it("applies profile, direction and audience", async () => {
        const body = await read(
          await api.request("/v1/codes/603?profile=jola&direction=outbound&audience=end-user"),
        );
        expect(body.profile.id).toBe("jola");
        expect(body.direction).toBe("outbound");
        expect(body.audience).toBe("end-user");
        expect(body.operator).toBeUndefined();
      });

      it("reads a Teams sub-code", async () => {
        const body = await read(await api.request("/v1/codes/486?profile=teams&subCode=560486"));
        expect(body.subCode).toMatchObject({ subCode: "560486", generatedBy: "customer-sbc" });
      });

      it("renders for a terminal with Accept: text/plain, and Markdown with text/markdown", async () => {
        const text = await api.request("/v1/codes/486", { headers: { accept: "text/plain" } });
        expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(await text.text()).toMatch(/^486 Busy Here\n/);
        const md = await api.request("/v1/codes/486", { headers: { accept: "text/markdown" } });
        expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
        expect(await md.text()).toContain("486");
        const any = await api.request("/v1/codes/486", { headers: { accept: "*/*" } });
        expect(any.headers.get("content-type")).toBe("application/json");
      });

      it("answers plain curl with the terminal rendering, and JSON when curl asks for it", async () => {
        const curl = { "user-agent": "curl/8.5.0", accept: "*/*" };
        for (let i = 0; i < 2; i++) {
          // Twice: the second answer comes from the URL cache, which must not hand curl JSON.
          const text = await api.request("/v1/codes/486", { headers: curl });
          expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
          expect(await text.text()).toMatch(/^486 Busy Here\n/);
        }
        const json = await api.request("/v1/codes/486", {
          headers: { ...curl, accept: "application/json" },
        });
        expect(json.headers.get("content-type")).toBe("application/json");
        const script = await api.request("/v1/codes/486", {
          headers: { "user-agent": "python-requests/2.32" },
        });
        expect(script.headers.get("content-type")).toBe("application/json");
        const explained = await api.request("/v1/explain", {
          method: "POST",
          headers: { ...curl, "content-type": "text/plain" },
          body: "SIP/2.0 603 MaxPeak Cost Exceeded\r\n\r\n",
        });
        expect(await explained.text()).toMatch(/^603 MaxPeak Cost Exceeded\n/);
      });

      it("is cacheable: ETag per query and representation, 304 on If-None-Match", async () => {
        const a = await api.request("/v1/codes/486");
        const etag = a.headers.get("etag");
        // On Node the answer is gzip (fetch asks for it), and its tag says so.
        expect(etag).toMatch(/^"[0-9a-z]+(?:-gz)?"$/);
        expect(a.headers.get("cache-control")).toMatch(/^private, max-age=\d+/);
        expect(a.headers.get("vary")).toMatch(/^Accept, User-Agent(?:, Accept-Encoding)?$/);
        const same = await api.request("/v1/codes/486?profile=rfc&view=lean");
        expect(same.headers.get("etag")).toBe(etag);
        const other = await api.request("/v1/codes/486?audience=end-user");
        expect(other.headers.get("etag")).not.toBe(etag);
        const text = await api.request("/v1/codes/486", { headers: { accept: "text/plain" } });
        expect(text.headers.get("etag")).not.toBe(etag);
        const cached = await api.request("/v1/codes/486", { headers: { "if-none-match": etag! } });
        expect(cached.status).toBe(304);
        expect(cached.headers.get("etag")).toBe(etag);
        expect(await cached.text()).toBe("");
        const weak = await api.request("/v1/codes/486", {
          headers: { "if-none-match": `"x", W/${etag}` },
        });
        expect(weak.status).toBe(304);
        const stale = await api.request("/v1/codes/486", {
          headers: { "if-none-match": '"1999x"' },
        });
        expect(stale.status).toBe(200);
      });

      it("answers HEAD with the headers and no body", async () => {
        const res = await api.request("/v1/codes/486", { method: "HEAD" });
        expect(res.status).toBe(200);
        expect(res.headers.get("etag")).toBeTruthy();
        expect(await res.text()).toBe("");
      });

      it("allows cross-origin reads", async () => {
        const res = await api.request("/v1/codes/486", {
          headers: { origin: "https://example.org" },
        });
        expect(res.headers.get("access-control-allow-origin")).toBe("*");
        const pre = await api.request("/v1/codes/486", {
          method: "OPTIONS",
          headers: { origin: "https://example.org", "access-control-request-method": "GET" },
        });
        expect(pre.status).toBe(204);
        expect(pre.headers.get("access-control-allow-origin")).toBe("*");
        expect(pre.headers.get("access-control-allow-methods")).toContain("GET");
      });
    });

    describe("profile coverage: phrase and direction", () => {
      it("gives the standard 603 for an inbound call under jola, with the note", async () => {
        const body = await read(api.request("/v1/codes/603?profile=jola&direction=inbound"));
        expect(body.summary).not.toMatch(/per-minute cost/);
        expect(body.profile).toMatchObject({
          id: "jola",
          notApplied: [{ profile: "jola", reason: "direction" }],
        });
        expect(body.profile.note).toMatch(/outbound calls only/);
        const outbound = await read(api.request("/v1/codes/603?profile=jola&direction=outbound"));
        expect(outbound.summary).toMatch(/per-minute cost/);
        expect(outbound.profile.notApplied).toBeUndefined();
      });

      it("keeps the note in the text rendering", async () => {
        const res = await api.request("/v1/codes/603?profile=jola&direction=inbound", {
          headers: { accept: "text/plain" },
        });
        expect(await res.text()).toMatch(/outbound calls only/);
      });

      it("gives the standard meaning for a phrase that is neither the standard one nor jola's", async () => {
        const res = await api.request(
          "/v1/explain",
          json({ input: "SIP/2.0 603 Network Blocked", profile: "jola" }),
        );
        expect(res.status).toBe(200);
        const body = await read(res);
        expect(body.received).toEqual({ phrase: "Network Blocked", matches: "other" });
        expect(body.summary).not.toMatch(/per-minute cost/);
        expect(body.profile.notApplied).toEqual([{ profile: "jola", reason: "phrase" }]);
        expect(body.profile.note).toMatch(/only to its own phrase/);
      });

      it("applies the direction rule through POST /v1/explain too", async () => {
        const body = await read(
          api.request("/v1/explain", json({ input: "603", profile: "jola", direction: "inbound" })),
        );
        expect(body.profile.notApplied).toEqual([{ profile: "jola", reason: "direction" }]);
      });
    });

    describe("GET /v1/codes", () => {
      it("lists the catalogue in code order, lean", async () => {
        const body = await read(await api.request("/v1/codes"));
        expect(body.count).toBe(body.codes.length);
        expect(body.count).toBeGreaterThan(60);
        const codes = body.codes.map((c: { code: number }) => c.code);
        expect(codes).toEqual([...codes].sort((a, b) => a - b));
        expect(hasNull(body)).toBe(false);
        expect(Object.keys(body.codes[0]).sort()).toEqual(
          ["class", "code", "outcome", "phrase", "registered", "summary"].sort(),
        );
      });

      it("filters by class, profile and search words", async () => {
        const six = await read(await api.request("/v1/codes?class=6xx"));
        expect(six.codes.every((c: { class: string }) => c.class === "6xx")).toBe(true);
        const jola = await read(await api.request("/v1/codes?profile=jola"));
        expect(jola.count).toBeGreaterThan(0);
        expect(jola.count).toBeLessThan(20);
        const search = await read(await api.request("/v1/codes?q=codec&limit=3"));
        expect(search.codes[0].code).toBe(488);
        expect(search.codes.length).toBeLessThanOrEqual(3);
        expect(search.codes[0].score).toBeGreaterThan(0);
      });

      it("returns a 400 problem for class 7xx", async () => {
        await expectProblem(await api.request("/v1/codes?class=7xx"), 400, "validation_failed");
      });
    });

    describe("POST /v1/explain", () => {
      it("explains a status line sent as JSON, with the profile its phrase belongs to", async () => {
        const res = await api.request(
          "/v1/explain",
          json({ input: "SIP/2.0 603 MaxPeak Cost Exceeded" }),
        );
        expect(res.status).toBe(200);
        const body = await read(res);
        expect(body.code).toBe(603);
        expect(body.received).toMatchObject({ matches: "profile", profile: "jola" });
      });

      it("explains a pasted SIP response sent as text/plain, reading its Reason header", async () => {
        const message =
          'SIP/2.0 480 Temporarily Unavailable\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nReason: Q.850;cause=18;text="No user responding"\r\nRetry-After: 120\r\n\r\n';
        const res = await api.request("/v1/explain?audience=operator", {
          method: "POST",
          headers: { "content-type": "text/plain; charset=utf-8" },
          body: message,
        });
        const body = await read(res);
        expect(body.code).toBe(480);
        expect(body.q850).toMatchObject({ cause: 18, source: "reason-header" });
        expect(body.retry.after).toMatchObject({ seconds: 120 });
      });

      it("renders text for Accept: text/plain", async () => {
        const res = await api.request("/v1/explain", {
          ...json({ input: 486 }),
          headers: { "content-type": "application/json", accept: "text/plain" },
        });
        expect(await res.text()).toMatch(/^486 Busy Here\n/);
      });

      it("returns a 400 invalid_json problem for malformed JSON", async () => {
        const res = await api.request("/v1/explain", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"input":',
        });
        await expectProblem(res, 400, "invalid_json");
      });

      it("returns a 400 problem with paths for a body that breaks the schema", async () => {
        const res = await api.request(
          "/v1/explain",
          json({ input: "486", audiance: "operator", direction: 3 }),
        );
        const problem = await expectProblem(res, 400, "validation_failed");
        expect(problem.errors?.map((e) => e.path)).toEqual(
          expect.arrayContaining([["body", "direction"]]),
        );
      });

      it.each([
        ["application/x-www-form-urlencoded", "input=486"],
        ["application/xml", "<input>486</input>"],
      ])("returns a 415 problem for %s", async (type, body) => {
        const res = await api.request("/v1/explain", {
          method: "POST",
          headers: { "content-type": type },
          body,
        });
        await expectProblem(res, 415, "unsupported_media_type");
      });

      it("returns a 415 problem when there is no Content-Type", async () => {
        const res = await api.request("/v1/explain", {
          method: "POST",
          body: new Uint8Array([52, 56, 54]),
        });
        await expectProblem(res, 415, "unsupported_media_type");
      });

      it("returns a 413 problem for a body over 128 KiB", async () => {
        const res = await api.request("/v1/explain", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "4".repeat(128 * 1024 + 1),
        });
        await expectProblem(res, 413, "content_too_large");
      });

      it("returns a 413 input_too_large problem for an input over 65,536 characters", async () => {
        const res = await api.request(
          "/v1/explain",
          json({ input: `SIP/2.0 486 Busy\r\nX: ${"a".repeat(70_000)}` }),
        );
        await expectProblem(res, 413, "input_too_large");
      });

      it.each([
        ["hello", "invalid_input"],
        ["", "empty_input"],
        ["799", "code_out_of_range"],
        ["INVITE sip:bob@example.com SIP/2.0", "not_a_response"],
        ["HTTP/1.1 404 Not Found", "not_sip"],
      ])("returns a 422 problem for input %j", async (input, code) => {
        await expectProblem(await api.request("/v1/explain", json({ input })), 422, code);
      });
    });

    describe("POST /v1/explain/batch", () => {
      it("answers one result or one problem per input, in order", async () => {
        const res = await api.request(
          "/v1/explain/batch",
          json({
            inputs: [
              "486",
              799,
              { input: "603", profile: "nope" },
              { input: "SIP/2.0 404 Not Found", direction: "outbound" },
            ],
            audience: "end-user",
          }),
        );
        expect(res.status).toBe(200);
        const body = await read(res);
        expect(body).toMatchObject({ count: 4, failed: 2 });
        expect(body.results.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3]);
        expect(body.results[0].explanation).toMatchObject({ code: 486, audience: "end-user" });
        expect(body.results[1].problem).toMatchObject({ code: "code_out_of_range", status: 422 });
        expect(body.results[2].problem).toMatchObject({ code: "unknown_profile" });
        expect(body.results[3].explanation).toMatchObject({ code: 404, direction: "outbound" });
      });

      it("takes 1,000 inputs and refuses 1,001", async () => {
        const inputs = Array.from({ length: 1000 }, (_, i) => String(100 + (i % 600)));
        const ok = await api.request("/v1/explain/batch", json({ inputs }));
        expect(ok.status).toBe(200);
        expect((await read(ok)).results).toHaveLength(1000);
        const res = await api.request("/v1/explain/batch", json({ inputs: [...inputs, "486"] }));
        const problem = await expectProblem(res, 400, "validation_failed");
        expect(problem.errors?.[0]?.path).toEqual(["body", "inputs"]);
      });

      it("returns a 415 problem for text/plain", async () => {
        const res = await api.request("/v1/explain/batch", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "486",
        });
        await expectProblem(res, 415, "unsupported_media_type");
      });
    });

    describe("reference routes", () => {
      it("explains Q.850 cause 17 with its SIP mappings", async () => {
        const body = await read(await api.request("/v1/q850/17"));
        expect(body).toMatchObject({ cause: 17, name: "User busy", sip: [{ code: 486 }] });
        const list = await read(await api.request("/v1/q850"));
        expect(list.count).toBe(list.causes.length);
      });

      it("adds the platform's own answer for a cause under a profile with a cause table", async () => {
        const fs = await read(await api.request("/v1/profiles/freeswitch"));
        const rows: { cause: number; sip: number }[] = fs.causeMappings;
        expect(rows.length).toBeGreaterThan(10);
        let differing = 0;
        for (const row of rows.slice(0, 40)) {
          const body = await read(await api.request(`/v1/q850/${row.cause}?profile=freeswitch`));
          if (!body.name) continue; // a platform row for a cause Q.850 leaves unassigned
          expect(body.platform).toMatchObject({
            profile: "freeswitch",
            cause: row.cause,
            sip: row.sip,
            listed: true,
          });
          const rfc = body.sip.flatMap((s: { code: number; userLocationCode?: number }) => [
            s.code,
            ...(s.userLocationCode ? [s.userLocationCode] : []),
          ]);
          expect(body.platform.differs).toBe(!rfc.includes(row.sip));
          if (body.platform.differs) differing++;
        }
        // FreeSWITCH's table is not RFC 3398's: some rows must differ.
        expect(differing).toBeGreaterThan(0);
        const plain = await read(await api.request("/v1/q850/17?profile=rfc"));
        expect(plain.platform).toBeUndefined();
        expect((await read(await api.request("/v1/q850/17"))).platform).toBeUndefined();
        await expectProblem(await api.request("/v1/q850/17?profile=nope"), 400, "unknown_profile");
      });

      it.each(["0", "128", "999"])("returns a 404 problem for Q.850 cause %s", async (cause) => {
        await expectProblem(await api.request(`/v1/q850/${cause}`), 404, "unknown_q850_cause");
      });

      it("lists the profiles and returns one as data", async () => {
        const list = await read(await api.request("/v1/profiles"));
        expect(list.profiles.map((p: { id: string }) => p.id)).toEqual(
          expect.arrayContaining(["rfc", "jola", "teams"]),
        );
        const teams = await read(await api.request("/v1/profiles/teams"));
        expect(teams).toMatchObject({ id: "teams", extends: "rfc" });
        expect(Object.keys(teams.codes).length).toBeGreaterThan(0);
        await expectProblem(await api.request("/v1/profiles/nope"), 404, "unknown_profile");
      });

      it("lists the glossary and finds a term by alias in any case", async () => {
        const list = await read(await api.request("/v1/glossary"));
        expect(list.count).toBeGreaterThan(20);
        const sbc = await api.request("/v1/glossary/sbc");
        expect((await read(sbc)).term).toBe("SBC");
        await expectProblem(await api.request("/v1/glossary/flux-capacitor"), 404, "unknown_term");
      });
    });

    describe("errors and meta", () => {
      it("answers /healthz", async () => {
        const res = await api.request("/healthz");
        expect(await read(res)).toMatchObject({ status: "ok" });
        expect(res.headers.get("cache-control")).toBe("no-store");
      });

      it("returns a 404 problem for an unknown route", async () => {
        const problem = await expectProblem(await api.request("/v2/nothing?x=1"), 404, "not_found");
        expect(problem.instance).toBe("/v2/nothing");
      });

      it.each([
        ["DELETE", "/v1/codes/486", "GET, HEAD, OPTIONS"],
        ["GET", "/v1/explain", "POST, OPTIONS"],
        ["PUT", "/v1/explain/batch", "POST, OPTIONS"],
      ])("returns a 405 problem with Allow for %s %s", async (method, path, allow) => {
        const res = await api.request(path, { method });
        expect(res.headers.get("allow")).toBe(allow);
        await expectProblem(res, 405, "method_not_allowed");
      });

      it("describes each problem type at its type URI", async () => {
        const body = await read(await api.request("/problems/unknown_code"));
        expect(body).toMatchObject({ code: "unknown_code", status: 404 });
        await expectProblem(await api.request("/problems/nope"), 404, "unknown_problem_type");
      });

      it("sends CORS headers on POST responses too, exposing ETag, X-Request-Id and RateLimit-*", async () => {
        for (const path of ["/v1/explain", "/v1/explain/batch"]) {
          const body = path.endsWith("batch") ? { inputs: [486] } : { input: 486 };
          const res = await api.request(path, {
            ...json(body),
            headers: { "content-type": "application/json", origin: "https://example.org" },
          });
          expect(res.status).toBe(200);
          expect(res.headers.get("access-control-allow-origin")).toBe("*");
          const exposed = res.headers.get("access-control-expose-headers") ?? "";
          for (const name of ["ETag", "X-Request-Id", "RateLimit-Remaining"]) {
            expect(exposed).toContain(name);
          }
        }
      });
    });

    defineInputTests(() => api);
    defineEdgeTests(() => api);
    defineDocsTests(() => api);
    defineContractTests(() => api);
    defineClientTests(() => api);
    defineFuzzTests(() => api, fuzzRuns);
  });
}
