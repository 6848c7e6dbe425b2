import {
  BUILTIN_PROFILE_IDS,
  findGlossaryTerm,
  listCodes,
  listGlossaryTerms,
} from "@sipcodes/core";
import { describe, expect, it } from "vitest";
import { createApp } from "./app.ts";

const app = createApp();
// biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies freely
type Body = any;
const get = async (path: string): Promise<Body> => {
  const res = await app.request(path);
  expect(res.status, path).toBe(200);
  return res.json();
};

describe("the API answers with the core's views", () => {
  it("defines Direct Routing once, the same under every profile, as the core does", async () => {
    const core = findGlossaryTerm("Direct Routing");
    expect(core).toBeDefined();
    for (const profile of BUILTIN_PROFILE_IDS) {
      expect(await get(`/v1/glossary/Direct%20Routing?profile=${profile}`)).toEqual(
        findGlossaryTerm("Direct Routing", { profile }),
      );
      expect(await get(`/v1/glossary/teams%20direct%20routing?profile=${profile}`)).toEqual(core);
    }
  });

  it("lists the glossary a profile adds to, and finds a profile's own term only through it", async () => {
    const body = await get("/v1/glossary?profile=teams");
    expect(body.terms).toEqual(listGlossaryTerms({ profile: "teams" }));
    expect(body.count).toBe(body.terms.length);
    expect((await app.request("/v1/glossary/Media%20bypass")).status).toBe(404);
    expect((await get("/v1/glossary/media%20bypass?profile=teams")).term).toBe("Media bypass");
  });

  it("defines an explanation's terms with view=full through the profile", async () => {
    const body = await get("/v1/codes/504?profile=teams&view=full");
    expect(body.glossary.map((g: { term: string }) => g.term)).toEqual(body.terms);
    const definition = body.glossary.find((g: { term: string }) => g.term === "Health Dashboard");
    expect(definition?.definition).toBe(
      findGlossaryTerm("Health Dashboard", { profile: "teams" })?.definition,
    );
  });

  it("lists the codes a profile changes, and search hits, as listCodes gives them", async () => {
    expect((await get("/v1/codes?profile=jola")).codes).toEqual(
      listCodes({ profile: "jola", changedOnly: true }),
    );
    expect((await get("/v1/codes?class=6xx&profile=teams")).codes).toEqual(
      listCodes({ profile: "teams", class: "6xx", changedOnly: true }),
    );
    expect((await get("/v1/codes?q=busy&class=6xx&limit=2")).codes).toEqual(
      listCodes({ query: "busy", class: "6xx", limit: 2 }),
    );
  });

  it("reads a Teams sub-code outside Microsoft's table by the profile's rules", async () => {
    const sbc = await get("/v1/codes/486?profile=teams&subCode=560486");
    expect(sbc.subCode).toMatchObject({ generatedBy: "customer-sbc", inferred: true });
    expect(sbc.subCode.meaning).toMatch(/\(486\) on an outbound call/);
    const rules = (await get("/v1/profiles/teams")).subCodeRules;
    expect(rules.map((r: { match: string }) => r.match)).toEqual([
      "560xxx",
      "540xxx",
      "569xxx",
      "xxxxxx",
    ]);
  });
});
