import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Target } from "./harness.ts";

const templates = [
  "/v1/codes/{}",
  "/v1/codes",
  "/v1/explain",
  "/v1/explain/batch",
  "/v1/q850/{}",
  "/v1/q850",
  "/v1/profiles/{}",
  "/v1/profiles",
  "/v1/glossary/{}",
  "/v1/glossary",
  "/problems/{}",
  "/healthz",
  "/openapi.json",
  "/",
  "/{}",
  "/v1/{}/{}",
];

/** Path segments: plausible values, odd numbers, percent-encoded text, and raw junk. */
const segment = fc.oneof(
  fc.integer({ min: -1000, max: 100_000 }).map(String),
  fc.constantFrom(
    "486",
    "499",
    "teams",
    "SBC",
    "17",
    "",
    "..",
    ".",
    "%",
    "%zz",
    "%E0%A4%A",
    "%00",
    "a%2Fb",
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 12 }).map(encodeURIComponent),
);

const path = fc
  .tuple(
    fc.constantFrom(...templates),
    segment,
    segment,
    fc.constantFrom("", "", "", "", "/", "//", "?", "#x"),
  )
  .map(([template, a, b, tail]) => {
    let i = 0;
    return template.replaceAll("{}", () => (i++ === 0 ? a : b)) + tail;
  });

const queryKey = fc.oneof(
  fc.constantFrom(
    "profile",
    "direction",
    "audience",
    "view",
    "class",
    "q",
    "limit",
    "subCode",
    "input",
  ),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    "rfc",
    "teams",
    "jola",
    "nope",
    "inbound",
    "outbound",
    "operator",
    "end-user",
    "full",
    "lean",
    "4xx",
    "7xx",
    "0",
    "-1",
    "101",
    "1e3",
    "%",
    "%%",
    "",
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 5 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}` : ""));

const sipMessage = fc
  .tuple(
    fc.integer({ min: 0, max: 1000 }),
    fc.string({ maxLength: 30 }),
    fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }),
  )
  .map(([code, phrase, headers]) => `SIP/2.0 ${code} ${phrase}\r\n${headers.join("\r\n")}\r\n\r\n`);

const input = fc.oneof(
  fc.integer({ min: -10, max: 1000 }),
  fc.double(),
  fc.string({ maxLength: 40 }),
  sipMessage,
  fc.constantFrom(
    "Q.850;cause=16",
    "Q.850;cause=999",
    "SIP;cause=486",
    "SIP;text=x",
    "486 Busy Here",
    "INVITE sip:a@b SIP/2.0",
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

const body = fc.oneof(
  input.map((value) => JSON.stringify({ input: value })),
  fc
    .record(
      { input, profile: queryValue, direction: queryValue, audience: queryValue, view: queryValue },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.array(input, { maxLength: 5 }).map((inputs) => JSON.stringify({ inputs })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  sipMessage,
  fc.string({ unit: "binary", maxLength: 100 }),
);

const headerText = fc.string({ unit: fc.constantFrom(...'abcxyz019 ,;=/*.-"W'), maxLength: 30 });

const request = fc.record({
  method: fc.constantFrom(
    "GET",
    "GET",
    "GET",
    "HEAD",
    "POST",
    "POST",
    "PUT",
    "DELETE",
    "PATCH",
    "OPTIONS",
  ),
  path,
  query,
  accept: fc.option(
    fc.oneof(
      fc.constantFrom(
        "text/plain",
        "text/markdown",
        "application/json",
        "*/*",
        "text/*;q=0.5, application/json;q=0.1",
        "image/png",
      ),
      headerText,
    ),
    { nil: undefined },
  ),
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(
        "application/json",
        "text/plain",
        "text/plain; charset=latin1",
        "application/problem+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ),
      headerText,
    ),
    { nil: undefined },
  ),
  ifNoneMatch: fc.option(fc.oneof(fc.constant("*"), headerText), { nil: undefined }),
  body,
});

/** Throws random requests at the server: none may get a 5xx, and every error must be a problem document. */
export function defineFuzzTests(getApi: () => Target, numRuns: number) {
  describe("any request", () => {
    it("never gets a 5xx, and every 4xx is an application/problem+json document", async () => {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers: Record<string, string> = {};
          if (r.accept !== undefined) headers.accept = r.accept;
          if (r.contentType !== undefined) headers["content-type"] = r.contentType;
          if (r.ifNoneMatch !== undefined) headers["if-none-match"] = r.ifNoneMatch;
          const hasBody = r.method !== "GET" && r.method !== "HEAD";
          const url = getApi().base.replace(/\/$/, "") + r.path + r.query;
          const res = await fetch(url, {
            method: r.method,
            headers,
            ...(hasBody ? { body: r.body } : {}),
            redirect: "manual",
          });
          const text = await res.text();
          const where = `${r.method} ${r.path}${r.query} -> ${res.status} ${text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get("content-type"), where).toBe("application/problem+json");
            if (r.method !== "HEAD") {
              const problem = JSON.parse(text);
              expect(problem.status, where).toBe(res.status);
              expect(problem.type, where).toMatch(
                /^http:\/\/127\.0\.0\.1:\d+\/problems\/[a-z0-9_]+$/,
              );
            }
          }
        }),
        { numRuns },
      );
    });
  });
}
