import { describe, expect, it } from "vitest";
import type { Target } from "./harness.ts";
import { expectProblem, read } from "./suite.ts";

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body),
});
const text = (body: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "text/plain", accept: "application/json" },
  body,
});

// biome-ignore lint/suspicious/noExplicitAny: reading response bodies
type Body = any;

/**
 * Each option of POST /v1/explain, with a value for the query and another for
 * the body, and how to read which one applied. `base` is what both places
 * need for the option to show (a sub-code needs the Teams profile).
 */
const options: {
  name: string;
  query: string;
  body: string;
  base: Record<string, string>;
  read: (b: Body) => unknown;
}[] = [
  { name: "profile", query: "jola", body: "teams", base: {}, read: (b) => b.profile.requested },
  { name: "direction", query: "inbound", body: "outbound", base: {}, read: (b) => b.direction },
  { name: "audience", query: "end-user", body: "operator", base: {}, read: (b) => b.audience },
  {
    name: "subCode",
    query: "560486",
    body: "560403",
    base: { profile: "teams" },
    read: (b) => b.subCode?.subCode,
  },
  {
    name: "view",
    query: "full",
    body: "lean",
    base: {},
    read: (b) => (b.glossary ? "full" : "lean"),
  },
];

/** Strict, explicit inputs: the same on every runtime. */
export function defineInputTests(getApi: () => Target) {
  describe("strict inputs", () => {
    it.each([
      ["/v1/codes/486?audiance=end-user", "audiance"],
      ["/v1/codes?clas=4xx", "clas"],
      ["/v1/q850?x=1", "x"],
      ["/v1/glossary/SBC?profil=teams", "profil"],
      ["/healthz?verbose", "verbose"],
      ["/v1/explain?views=full", "views"],
    ])("refuses the unknown query key of %s with a 400 naming it", async (path, key) => {
      const init = path.startsWith("/v1/explain") ? json({ input: 486 }) : undefined;
      const problem = await expectProblem(
        await getApi().request(path, init),
        400,
        "validation_failed",
      );
      expect(problem.errors?.[0]?.path).toEqual(["query", key]);
      expect(problem.errors?.[0]?.message).toMatch(/unknown query parameter/);
    });

    it("refuses a repeated query key, even when its first value is valid", async () => {
      const res = await getApi().request("/v1/codes/486?direction=inbound&direction=x");
      const problem = await expectProblem(res, 400, "validation_failed");
      expect(problem.errors?.[0]).toEqual({
        path: ["query", "direction"],
        message: "given more than once; give each query parameter once",
      });
    });

    it.each([
      "/v1/codes?q=%zz",
      "/v1/glossary/%E0%A4%A",
      "/v1/profiles/%zz",
      "/v1/codes/48%6",
      "/nowhere%zz",
    ])("answers bad percent-encoding in %s with a 400 bad_request", async (path) => {
      await expectProblem(await getApi().request(path), 400, "bad_request");
    });

    it("names the rule that was broken", async () => {
      const big = await expectProblem(
        await getApi().request("/v1/codes/1000000000"),
        404,
        "unknown_code",
      );
      expect((big as unknown as { detail: string }).detail).toContain("codes run from 100 to 699");
      for (const limit of ["abc", "1e1", "-1", "1.5", ""]) {
        const res = await getApi().request(`/v1/codes?q=busy&limit=${limit}`);
        const problem = (await expectProblem(res, 400, "validation_failed")) as unknown as {
          detail: string;
        };
        expect(problem.detail, limit).toBe("query.limit: an integer from 1 to 100, digits only");
      }
      const over = await expectProblem(
        await getApi().request("/v1/codes?q=busy&limit=101"),
        400,
        "validation_failed",
      );
      expect((over as unknown as { detail: string }).detail).toBe("query.limit: at most 100");
      const missing = await expectProblem(
        await getApi().request("/v1/explain", json({ profile: "rfc" })),
        400,
        "validation_failed",
      );
      expect(missing.errors?.[0]).toEqual({
        path: ["body", "input"],
        message: "input is required: a code, status line, SIP response or Reason header",
      });
      const wrong = await expectProblem(
        await getApi().request("/v1/explain", json({ input: true })),
        400,
        "validation_failed",
      );
      expect(wrong.errors?.[0]?.message).toBe("input must be a string or a number");
    });

    describe("query and body precedence on POST /v1/explain", () => {
      for (const o of options) {
        it(`${o.name}: a JSON body without it keeps the query's`, async () => {
          const q = new URLSearchParams({ ...o.base, [o.name]: o.query });
          const res = await getApi().request(`/v1/explain?${q}`, json({ input: 486 }));
          expect(o.read(await read(res))).toBe(o.query);
        });
        it(`${o.name}: the JSON body's wins over the query's`, async () => {
          const q = new URLSearchParams({ ...o.base, [o.name]: o.query });
          const res = await getApi().request(
            `/v1/explain?${q}`,
            json({ input: 486, [o.name]: o.body }),
          );
          expect(o.read(await read(res))).toBe(o.body);
        });
        it(`${o.name}: text/plain takes it from the query`, async () => {
          const q = new URLSearchParams({ ...o.base, [o.name]: o.query });
          const res = await getApi().request(`/v1/explain?${q}`, text("SIP/2.0 486 Busy Here"));
          expect(o.read(await read(res))).toBe(o.query);
        });
      }

      it("points an unknown profile at where it came from", async () => {
        const inQuery = await expectProblem(
          await getApi().request("/v1/explain?profile=nope", json({ input: 486 })),
          400,
          "unknown_profile",
        );
        expect(inQuery.errors?.[0]?.path).toEqual(["query", "profile"]);
        const inBody = await expectProblem(
          await getApi().request("/v1/explain?profile=rfc", json({ input: 486, profile: "nope" })),
          400,
          "unknown_profile",
        );
        expect(inBody.errors?.[0]?.path).toEqual(["body", "profile"]);
      });
    });

    describe("subCode", () => {
      it("applies a sub-code the profile reads, with no note", async () => {
        const body = await read(
          getApi().request("/v1/codes/486?profile=teams&subCode=560486&view=lean"),
        );
        expect(body.subCode.subCode).toBe("560486");
        expect(body.notes).toBeUndefined();
      });

      it("answers 200 with a note for a sub-code that does not apply", async () => {
        for (const path of [
          "/v1/codes/486?subCode=560486",
          "/v1/codes/486?profile=teams&subCode=1",
        ]) {
          const res = await getApi().request(path, { headers: { accept: "application/json" } });
          expect(res.status).toBe(200);
          const body = await read(res);
          expect(body.subCode).toBeUndefined();
          expect(body.notes).toEqual([
            {
              parameter: "subCode",
              value: expect.any(String),
              note: expect.stringMatching(/is not applied/),
            },
          ]);
        }
        const explained = await read(
          getApi().request("/v1/explain", json({ input: 486, subCode: "77" })),
        );
        expect(explained.notes[0]).toMatchObject({ parameter: "subCode", value: "77" });
        const plain = await getApi().request("/v1/codes/486?subCode=77", {
          headers: { accept: "text/plain" },
        });
        expect(await plain.text()).toMatch(/Note: sub-code 77 is not applied/);
      });
    });

    describe("batch", () => {
      it("accepts view, and every option single explain accepts, in query, body and item", async () => {
        const res = await getApi().request(
          "/v1/explain/batch?audience=end-user",
          json({
            view: "full",
            inputs: [486, { input: 603, view: "lean" }, { input: 486, subCode: "5" }],
          }),
        );
        const body = await read(res);
        expect(body.results[0].explanation.glossary.length).toBeGreaterThan(0);
        expect(body.results[0].explanation.audience).toBe("end-user");
        expect(body.results[1].explanation.glossary).toBeUndefined();
        expect(body.results[2].explanation.notes[0].parameter).toBe("subCode");
      });

      it("refuses an answer over its output limit with a 422 that says how many inputs fit", async () => {
        const inputs = Array.from({ length: 1000 }, (_, i) => String(100 + (i % 600)));
        const res = await getApi().request("/v1/explain/batch", json({ inputs, view: "full" }));
        const problem = (await expectProblem(res, 422, "output_too_large")) as unknown as {
          detail: string;
        };
        expect(problem.detail).toMatch(/send at most \d+ inputs/);
        const lean = await getApi().request("/v1/explain/batch", json({ inputs }));
        expect(lean.status).toBe(200);
      });
    });
  });
}
