// The HTML pages through app.request (in-process): statuses, headers, caching,
// the sitemap, error pages, and that the words on a page are the core's.

import { createHash } from "node:crypto";
import {
  type Call,
  causeTableOwner,
  defaultRegistry,
  explain,
  explainCalls,
  getQ850Cause,
  listCodeEntries,
  listCodes,
  listGlossaryTerms,
  listQ850Causes,
  MAX_INPUT_LENGTH,
  platformCauseMapping,
  readTrace,
} from "@sipcodes/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { readEnv } from "../src/env.ts";
import { CallsResult } from "../src/schemas.ts";

const HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const browser = { accept: HTML_ACCEPT };
const app = createApp();
const get = (path: string, headers: Record<string, string> = browser) =>
  app.request(path, { headers });

/** The text of an HTML document with tags dropped and hono's entities decoded. */
function textOf(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ");
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies freely
const json = async (res: Response): Promise<any> => res.json();

const squash = (text: string) => text.replace(/\s+/g, " ");

function attr(html: string, pattern: RegExp): string | undefined {
  return pattern.exec(html)?.[1]?.replaceAll("&amp;", "&");
}

const canonical = (html: string) => attr(html, /<link rel="canonical" href="([^"]+)"/);

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { ...browser, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

describe("pages: every main page", () => {
  const pages = [
    "/",
    "/?q=busy",
    "/codes/486",
    "/codes/603?profile=jola",
    "/q850",
    "/q850/17",
    "/glossary",
    "/glossary/SBC",
    "/profiles",
    "/explain",
  ];
  it.each(pages)(
    "serves %s as an HTML document with lang, title, description and OpenGraph",
    async (path) => {
      const res = await get(path);
      const html = await res.text();
      expect(res.status, html.slice(0, 300)).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
      expect(html).toMatch(/<title>[^<]{5,} · sipcodes<\/title>/);
      expect(attr(html, /<meta name="description" content="([^"]+)"/)?.length).toBeGreaterThan(20);
      expect(html).toMatch(/<meta property="og:title" content="[^"]+"/);
      expect(html).toContain('<a class="skip" href="#main">');
      expect(html).toMatch(/<main id="main"/);
      expect(canonical(html)).toMatch(/^http:\/\/localhost\//);
    },
  );

  it("keeps GET / as the JSON index for clients that do not ask for HTML", async () => {
    for (const headers of [{}, { accept: "application/json" }, { accept: "*/*" }]) {
      const res = await get("/", headers);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await json(res)).openapi).toBe("/openapi.json");
    }
  });

  it("answers HEAD on a page with the headers and no body", async () => {
    const res = await app.request("/codes/486", { method: "HEAD", headers: browser });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBeTruthy();
    expect(await res.text()).toBe("");
  });
});

describe("pages: search", () => {
  it("lists the core's hits for ?q=, best first, each linking to its code page", async () => {
    const html = await (await get("/?q=busy")).text();
    const links = [...html.matchAll(/<a href="(\/codes\/\d+[^"]*)"><span class="num">/g)].map(
      (m) => m[1],
    );
    const hits = listCodes({ query: "busy", limit: 50 }).map((h) => `/codes/${h.code}`);
    expect(links.slice(0, hits.length)).toEqual(hits);
    expect(html).toContain('<meta name="robots" content="noindex"');
  });

  it("links a hit found in a profile's own text to the code under that profile, marked", async () => {
    const [hit] = listCodes({ query: "MaxPeak", limit: 1 });
    expect(hit?.matchedIn).toBe("jola");
    const html = await (await get("/?q=MaxPeak")).text();
    expect(html).toContain(`<a href="/codes/${hit!.code}?profile=jola">`);
    expect(html).toContain(
      `<span class="tag overlay-tag">${defaultRegistry().get("jola")!.name}</span>`,
    );
  });

  it("refuses a query over 200 characters with a 400 page", async () => {
    const res = await get(`/?q=${"a".repeat(201)}`);
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain("at most 200 characters");
  });
});

describe("pages: the code page", () => {
  it("shows the core's explanation of 486: summary, operator text, causes, actions, caller sentence, retry", async () => {
    const e = explain(486);
    const text = textOf(await (await get("/codes/486")).text());
    expect(text).toContain(`486 Busy Here`);
    expect(text).toContain(squash(e.summary));
    expect(text).toContain(squash(e.operator!.meaning));
    for (const c of e.operator!.causes) expect(text).toContain(squash(c.text));
    for (const a of e.operator!.actions) expect(text).toContain(squash(a.text));
    expect(text).toContain(squash(e.endUser.message));
    expect(text).toContain(squash(e.retry.note));
    expect(await (await get("/codes/486")).text()).not.toContain('class="tag overlay-tag"');
  });

  it("links related codes, Q.850 causes, glossary terms and RFCs at rfc-editor.org", async () => {
    const e = explain(486);
    const html = await (await get("/codes/486")).text();
    for (const r of e.related ?? []) expect(html).toContain(`href="/codes/${r.code}"`);
    for (const cause of e.fromQ850 ?? []) expect(html).toContain(`href="/q850/${cause}"`);
    expect(e.q850).toBeDefined();
    expect(html).toContain(`href="/q850/${e.q850!.cause}"`);
    for (const term of e.terms ?? [])
      expect(html).toContain(`href="/glossary/${encodeURIComponent(term)}"`);
    expect(html).toContain('href="https://www.rfc-editor.org/rfc/rfc3261#section-21.4.24"');
  });

  it("marks what the Jola profile changes on 603, and only that", async () => {
    const e = explain(603, { profile: "jola" });
    const standard = explain(603);
    const html = await (await get("/codes/603?profile=jola")).text();
    const text = textOf(html);
    expect(text).toContain(`Sent by ${e.profile.name} as “${e.profilePhrase}”`);
    expect(text).toContain(squash(e.summary));
    const tag = `<span class="tag overlay-tag">${e.profile.name}</span>`;
    // The summary and meaning are Jola's own: tagged. A cause the standard text also has: not.
    expect(html).toMatch(new RegExp(`${e.summary.slice(0, 30)}[^<]*${tag}`));
    const shared = e.operator!.causes.find((c) =>
      standard.operator!.causes.some((s) => s.text === c.text),
    );
    if (shared) {
      const li = html.slice(html.indexOf(shared.text.slice(0, 40)));
      expect(li.slice(0, li.indexOf("</li>"))).not.toContain('class="tag overlay-tag"');
    }
    const plain = await (await get("/codes/603")).text();
    expect(plain).not.toContain('class="tag overlay-tag"');
  });

  it("applies direction and audience: end-user drops the operator section but keeps the caller sentence", async () => {
    const e = explain(603, { profile: "jola", direction: "outbound", audience: "end-user" });
    const html = await (
      await get("/codes/603?profile=jola&direction=outbound&audience=end-user")
    ).text();
    expect(html).not.toContain("For operators");
    expect(textOf(html)).toContain(squash(e.endUser.message));
    expect(html).toContain('<option value="end-user" selected="">');
    expect(html).toContain('<option value="outbound" selected="">');
  });

  it("explains an unknown code inside 100-699 through its class, with the core's note", async () => {
    const e = explain(499);
    const text = textOf(await (await get("/codes/499")).text());
    expect(text).toContain(squash(e.fallback!.note));
  });

  it("stays within 30 KB of HTML and CSS for every code under every profile and audience", async () => {
    let largest = { path: "", bytes: 0 };
    for (const entry of listCodeEntries()) {
      for (const profile of defaultRegistry().ids()) {
        const path = `/codes/${entry.code}?profile=${profile}`;
        const bytes = (await (await get(path)).arrayBuffer()).byteLength;
        if (bytes > largest.bytes) largest = { path, bytes };
      }
    }
    expect(largest.bytes, largest.path).toBeLessThanOrEqual(30 * 1024);
    expect(largest.bytes).toBeGreaterThan(5 * 1024);
  });
});

describe("pages: Q.850 causes through a platform's cause table", () => {
  it("shows what FreeSWITCH answers for cause 44, beside RFC 3398, in the core's words", async () => {
    const res = await get("/q850/44?profile=freeswitch");
    expect(res.status).toBe(200);
    const html = await res.text();
    const mapping = platformCauseMapping(44, { profile: "freeswitch" });
    expect(mapping?.sip).toBe(503);
    const text = textOf(html);
    expect(text).toContain(`What ${mapping?.name} answers`);
    expect(text).toContain(mapping?.note);
    expect(text).toContain("differs from RFC 3398");
    expect(html).toContain('href="/codes/503?profile=freeswitch"');
    expect(canonical(html)).toMatch(/\/q850\/44\?profile=freeswitch$/);
    // The chooser offers the standard profile and those with a table, the current one selected.
    const options = [...html.matchAll(/<option value="([^"]+)"( selected)?/g)].map(
      (m) => `${m[1]}${m[2] ? "*" : ""}`,
    );
    const withTable = defaultRegistry()
      .list()
      .filter((p) => causeTableOwner({ profile: p.id }))
      .map((p) => p.id);
    expect(withTable.length).toBeGreaterThanOrEqual(2);
    expect(options).toEqual(
      ["rfc", ...withTable].map((id) => (id === "freeswitch" ? `${id}*` : id)),
    );
  });

  it("marks a cause the platform's table does not list as its fallback", async () => {
    const text = textOf(await (await get("/q850/111?profile=freeswitch")).text());
    expect(platformCauseMapping(111, { profile: "freeswitch" })?.listed).toBe(false);
    expect(text).toContain("its fallback");
  });

  it("says when the profile has no cause table, and shows RFC 3398 alone", async () => {
    const text = textOf(await (await get("/q850/17?profile=teams")).text());
    expect(text).toMatch(/no cause table for .+ that covers cause 17: only the RFC 3398 mapping/);
    expect(text).not.toContain(" answers SIP");
    const plain = textOf(await (await get("/q850/17")).text());
    expect(plain).not.toContain("no cause table");
  });

  it("lists each cause with the platform's code, and keeps the profile on every link", async () => {
    const html = await (await get("/q850?profile=asterisk")).text();
    for (const cause of listQ850Causes()) {
      expect(html).toContain(`href="/q850/${cause.cause}?profile=asterisk"`);
      const m = platformCauseMapping(cause.cause, { profile: "asterisk" });
      if (m) expect(textOf(html)).toContain(`${m.name}: ${m.sip}`);
    }
  });

  it("links a code page's causes to the platform's view of them", async () => {
    const html = await (await get("/codes/486?profile=freeswitch")).text();
    expect(html).toContain('href="/q850/17?profile=freeswitch"');
    expect(await (await get("/codes/486?profile=jola")).text()).toContain('href="/q850/17"');
  });

  it("refuses an unknown profile with a 400 page", async () => {
    expect((await get("/q850/17?profile=nope")).status).toBe(400);
  });

  it("says what RFC 3398 does for the causes it sends on as no status code (16 and 44)", async () => {
    const untranslatable = textOf(await (await get("/q850/44")).text());
    expect(untranslatable).toContain("No SIP response: RFC 3398 calls this cause untranslatable");
    const clearing = textOf(await (await get("/q850/16")).text());
    expect(clearing).toContain("No error response: RFC 3398 expects the call to end with a BYE");
    const list = textOf(await (await get("/q850")).text());
    expect(list).toMatch(/16 Normal call clearing → BYE or CANCEL, no error response/);
    expect(list).toMatch(/44 .+ → no SIP response \(untranslatable\)/);
    expect(list).not.toMatch(/→ SIP (?!\d)/);
  });
});

describe("pages: canonical URLs, caching", () => {
  it("canonicalises the query: the default profile and audience are dropped, the order fixed", async () => {
    const a = await (await get("/codes/486?profile=rfc&audience=operator&utm_source=x")).text();
    expect(canonical(a)).toBe("http://localhost/codes/486");
    const b = await (await get("/codes/603?audience=end-user&profile=jola")).text();
    expect(canonical(b)).toBe("http://localhost/codes/603?profile=jola&audience=end-user");
  });

  it("takes canonical links from the configured public base URL", async () => {
    const configured = createApp({ publicUrl: "https://sip.example.org/docs" });
    const html = await (await configured.request("/codes/486", { headers: browser })).text();
    expect(canonical(html)).toBe("https://sip.example.org/docs/codes/486");
    expect(html).toContain(
      '<meta property="og:url" content="https://sip.example.org/docs/codes/486"',
    );
    const map = await (await configured.request("/sitemap.xml")).text();
    expect(map).toContain("<loc>https://sip.example.org/docs/codes/486</loc>");
    expect(map).not.toContain("localhost");
  });

  it("reads SIPCODES_PUBLIC_URL through env.ts: http(s) only, trailing slash dropped, empty means unset", () => {
    expect(readEnv({ SIPCODES_PUBLIC_URL: "https://sip.example.org/" }).SIPCODES_PUBLIC_URL).toBe(
      "https://sip.example.org",
    );
    expect(readEnv({ SIPCODES_PUBLIC_URL: "" }).SIPCODES_PUBLIC_URL).toBeUndefined();
    expect(() => readEnv({ SIPCODES_PUBLIC_URL: "ftp://sip.example.org" })).toThrow(
      /SIPCODES_PUBLIC_URL/,
    );
    expect(() => readEnv({ SIPCODES_PUBLIC_URL: "sip.example.org" })).toThrow(
      /SIPCODES_PUBLIC_URL/,
    );
  });

  it("falls back to the request's origin", async () => {
    const html = await (
      await app.request("http://sip.test:8080/q850/17", { headers: browser })
    ).text();
    expect(canonical(html)).toBe("http://sip.test:8080/q850/17");
  });

  it("is cacheable like the JSON routes: ETag per page, Cache-Control, 304 on If-None-Match", async () => {
    const a = await get("/codes/486");
    const etag = a.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-z]+"$/); // a hash of the bytes served
    expect(a.headers.get("cache-control")).toBe(
      "public, max-age=3600, stale-while-revalidate=3600",
    );
    expect((await get("/codes/486?profile=rfc")).headers.get("etag")).toBe(etag);
    expect((await get("/codes/486?profile=jola")).headers.get("etag")).not.toBe(etag);
    expect((await get("/v1/codes/486")).headers.get("etag")).not.toBe(etag);
    const cached = await get("/codes/486", { ...browser, "if-none-match": etag! });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("etag")).toBe(etag);
    expect(await cached.text()).toBe("");
    const weak = await get("/codes/486", { ...browser, "if-none-match": `"x", W/${etag}` });
    expect(weak.status).toBe(304);
    for (const path of ["/", "/q850/17", "/glossary", "/profiles", "/explain", "/sitemap.xml"]) {
      const first = await get(path);
      const tag = first.headers.get("etag");
      expect(tag, path).toBeTruthy();
      expect((await get(path, { ...browser, "if-none-match": tag! })).status, path).toBe(304);
    }
  });

  it("uses the configured max-age", async () => {
    const short = createApp({ cacheMaxAge: 60 });
    const res = await short.request("/codes/486", { headers: browser });
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=60");
  });

  it("varies / on Accept, since it answers JSON or HTML", async () => {
    expect((await get("/")).headers.get("vary")).toBe("Accept");
  });
});

describe("pages: sitemap", () => {
  it("lists every code, cause, glossary term and profile page, each once, each answering 200", async () => {
    const res = await get("/sitemap.xml", {});
    expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
    const xml = await res.text();
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
    );
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) =>
      m[1]!.replaceAll("&amp;", "&"),
    );
    expect(new Set(locs).size).toBe(locs.length);
    const paths = new Set(locs.map((l) => l.replace("http://localhost", "")));
    for (const entry of listCodeEntries()) expect(paths.has(`/codes/${entry.code}`)).toBe(true);
    for (const cause of listQ850Causes()) expect(paths.has(`/q850/${cause.cause}`)).toBe(true);
    for (const term of listGlossaryTerms()) {
      expect(paths.has(`/glossary/${encodeURIComponent(term.term)}`), term.term).toBe(true);
    }
    for (const profile of defaultRegistry().list()) {
      for (const code of Object.keys(profile.codes)) {
        expect(paths.has(`/codes/${code}?profile=${profile.id}`)).toBe(true);
      }
    }
    for (const path of ["/", "/explain", "/profiles", "/glossary", "/q850"])
      expect(paths.has(path)).toBe(true);
    for (const path of paths) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-type"), path).toMatch(/^text\/html/);
    }
  });

  it("points robots.txt at the sitemap", async () => {
    expect(await (await get("/robots.txt", {})).text()).toContain(
      "Sitemap: http://localhost/sitemap.xml",
    );
  });
});

describe("pages: 404 and 400", () => {
  it("answers a browser with an HTML 404 page that says what was wrong", async () => {
    for (const [path, detail] of [
      ["/codes/799", "799 is not a SIP response code: codes run from 100 to 699"],
      ["/q850/200", "Q.850 assigns no cause 200"],
      ["/glossary/flux-capacitor", 'the glossary has no term "flux-capacitor"'],
      ["/no/such/page", "no route for GET /no/such/page"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      expect(textOf(html)).toContain(detail);
      expect(html).toContain('<meta name="robots" content="noindex"');
      expect(html).toContain('name="q"'); // a way on: the search form
    }
  });

  it("answers a browser with an HTML 400 page listing each invalid parameter", async () => {
    const res = await get("/codes/486?direction=sideways&audience=boss");
    expect(res.status).toBe(400);
    const text = textOf(await res.text());
    expect(text).toContain("query.direction:");
    expect(text).toContain("query.audience:");
    const profile = await get("/codes/486?profile=nope");
    expect(profile.status).toBe(400);
    expect(textOf(await profile.text())).toContain('unknown profile "nope"');
    const code = await get("/codes/abc");
    expect(code.status).toBe(400);
    expect(textOf(await code.text())).toContain("a SIP response code: digits only");
  });

  it("keeps problem+json for clients that do not ask for HTML, on pages and on /v1", async () => {
    for (const [path, status, code] of [
      ["/codes/799", 404, "unknown_code"],
      ["/codes/486?profile=nope", 400, "unknown_profile"],
      ["/no/such/page", 404, "not_found"],
      ["/v1/codes/799", 404, "unknown_code"],
    ] as const) {
      for (const headers of [{}, { accept: "application/json" }]) {
        const res = await get(path, headers);
        expect(res.status, path).toBe(status);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect((await json(res)).code).toBe(code);
      }
    }
  });

  it("answers other methods on a page with a 405 that names the methods it takes", async () => {
    const res = await app.request("/codes/486", { method: "DELETE", headers: browser });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(textOf(await res.text())).toContain(
      "DELETE is not allowed on /codes/486; it takes GET, HEAD",
    );
    const api = await app.request("/glossary", { method: "POST" });
    expect(api.status).toBe(405);
    expect(api.headers.get("content-type")).toBe("application/problem+json");
    const explain = await app.request("/explain", { method: "PUT" });
    expect(explain.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("never answers a 5xx for odd paths, queries or headers", async () => {
    const segment = fc.string({ maxLength: 20 }).map(encodeURIComponent);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/codes/", "/q850/", "/glossary/", "/", "/profiles", "/explain?", "/?q="),
        segment,
        fc.dictionary(
          fc.constantFrom("profile", "direction", "audience", "q", "x"),
          fc.string({ maxLength: 300 }),
        ),
        fc.constantFrom(HTML_ACCEPT, "application/json", "*/*", "text/html;q=0"),
        async (prefix, tail, query, accept) => {
          const qs = new URLSearchParams(query).toString();
          const url = `${prefix}${tail}${qs ? `${prefix.includes("?") ? "&" : "?"}${qs}` : ""}`;
          const res = await get(url, { accept });
          expect(res.status, url).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("pages: explain", () => {
  const trace = [
    "INVITE sip:+441234567890@trunk.example SIP/2.0",
    "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1",
    "",
    "SIP/2.0 100 Trying",
    "",
    "SIP/2.0 480 Temporarily Unavailable",
    'Reason: Q.850;cause=18;text="No user responding"',
    "Retry-After: 120",
    "",
    "SIP/2.0 603 MaxPeak Cost Exceeded",
    "",
  ].join("\r\n");

  it("shows the limit on the form", async () => {
    const html = await (await get("/explain")).text();
    expect(html).toContain(`maxlength="${MAX_INPUT_LENGTH}"`);
    expect(textOf(html)).toContain(`up to ${MAX_INPUT_LENGTH.toLocaleString("en")} characters`);
  });

  it("explains each response in a pasted trace, skipping requests", async () => {
    const res = await app.request("/explain", form({ trace }));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    const text = textOf(html);
    const heads = [...html.matchAll(/<h3 id="m\d+">([^<]+)<\/h3>/g)].map((m) => m[1]);
    expect(heads).toEqual([
      "100 Trying",
      "480 Temporarily Unavailable",
      "603 MaxPeak Cost Exceeded",
    ]);
    const e480 = explain(
      'SIP/2.0 480 Temporarily Unavailable\r\nReason: Q.850;cause=18;text="No user responding"\r\nRetry-After: 120\r\n',
    );
    expect(text).toContain(squash(e480.q850!.explanation));
    expect(text).toContain("120 s");
    const e603 = explain("SIP/2.0 603 MaxPeak Cost Exceeded");
    expect(text).toContain(squash(e603.profile.note!));
    expect(text).toContain(squash(getQ850Cause(18)!.name));
    // The paste comes back in the form, so it can be changed and sent again.
    expect(html).toContain("MaxPeak Cost Exceeded\r\n</textarea>");
  });

  it("answers JSON with Accept: application/json, one result or problem per message", async () => {
    const init = form({ trace: `${trace}\r\nSIP/2.0 999 Nope\r\n`, audience: "end-user" });
    const res = await app.request("/explain", {
      ...init,
      headers: { ...init.headers, accept: "application/json" },
    });
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await json(res);
    expect(body.count).toBe(4);
    expect(body.failed).toBe(1);
    expect(body.results[2].explanation.code).toBe(603);
    expect(body.results[2].explanation.audience).toBe("end-user");
    expect(body.results[3].problem.code).toMatch(/^[a-z_]+$/);
  });

  it("refuses a paste over the limit with a 413 page that names the limit", async () => {
    const res = await app.request(
      "/explain",
      form({ trace: `SIP/2.0 486 Busy Here\r\n${"x".repeat(MAX_INPUT_LENGTH)}` }),
    );
    expect(res.status).toBe(413);
    expect(textOf(await res.text())).toContain(
      `up to ${MAX_INPUT_LENGTH.toLocaleString("en")} characters`,
    );
    // Over the form body limit: refused before the body is parsed.
    const huge = await app.request("/explain", form({ trace: "%".repeat(MAX_INPUT_LENGTH * 2) }));
    expect(huge.status).toBe(413);
    expect(textOf(await huge.text())).toContain("this form takes up to");
  });

  it("refuses other content types with 415, bad options with 400, never a 5xx", async () => {
    const json = await app.request("/explain", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ trace }),
    });
    expect(json.status).toBe(415);
    expect(json.headers.get("content-type")).toBe("application/problem+json");
    const bad = await app.request("/explain", form({ trace, profile: "nope" }));
    expect(bad.status).toBe(400);
    expect(textOf(await bad.text())).toContain('unknown profile "nope"');
  });

  it("says when the text holds nothing to explain", async () => {
    const res = await app.request("/explain", form({ trace: "# only a comment\r\n" }));
    expect(res.status).toBe(200);
    expect(textOf(await res.text())).toContain("Nothing to explain");
  });
});

describe("pages: explain, whole calls", () => {
  const caller = "<sip:+12025550142@carrier.example>;tag=a1";
  const callee = "<sip:+13105550199@gw.example>";
  const msg = (start: string, cseq: string, extra: string[] = [], to = callee) =>
    [
      start,
      "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bKcall1",
      `From: ${caller}`,
      `To: ${to}`,
      "Call-ID: page-call-1@test",
      `CSeq: ${cseq}`,
      ...extra,
      "Content-Length: 0",
      "",
      "",
    ].join("\r\n");
  // A call that rings and is cancelled by the caller with a Reason, plus one refused call.
  const trace = [
    msg("INVITE sip:+13105550199@gw.example SIP/2.0", "1 INVITE"),
    msg("SIP/2.0 100 Trying", "1 INVITE"),
    msg("SIP/2.0 180 Ringing", "1 INVITE", [], `${callee};tag=b1`),
    msg("CANCEL sip:+13105550199@gw.example SIP/2.0", "1 CANCEL", [
      'Reason: SIP;cause=200;text="Call completed elsewhere"',
    ]),
    msg("SIP/2.0 200 OK", "1 CANCEL", [], `${callee};tag=b1`),
    msg("SIP/2.0 487 Request Terminated", "1 INVITE", [], `${callee};tag=b1`),
    msg("SIP/2.0 487 Request Terminated", "1 INVITE", [], `${callee};tag=b1`),
    msg("ACK sip:+13105550199@gw.example SIP/2.0", "1 ACK", [], `${callee};tag=b1`),
    msg("INVITE sip:+13105550100@gw.example SIP/2.0", "1 INVITE").replace(
      "page-call-1@test",
      "page-call-2@test",
    ),
    msg("SIP/2.0 603 Decline", "1 INVITE", [], `${callee};tag=c1`).replace(
      "page-call-1@test",
      "page-call-2@test",
    ),
  ].join("");
  const expected = () => {
    const read = readTrace(trace);
    if (!read) throw new Error("the fixture is no trace");
    return explainCalls(read.messages, { profile: "rfc" });
  };

  it("tells a trace of calls call by call: ladder, who cancelled and why, the final response", async () => {
    const res = await app.request("/explain", form({ trace }));
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    const { calls } = expected();
    expect(calls).toHaveLength(2);
    const [cancelled, refused] = calls as [Call, Call];
    expect(cancelled.outcome).toBe("cancelled");
    expect(text).toContain(squash(cancelled.verdict));
    expect(text).toContain(squash(refused.verdict));
    // One ladder row per folded step, the retransmitted 487 counted once with its copy.
    const ladder = html.split('<table class="ladder">')[1]?.split("</table>")[0] ?? "";
    expect([...ladder.matchAll(/<tr class="(request|response)">/g)]).toHaveLength(
      cancelled.events.length,
    );
    expect(ladder).toContain("487 Request Terminated");
    expect(ladder).toContain("1×");
    expect(text).toContain("sent by the caller");
    expect(text).toContain('SIP cause 200 "Call completed elsewhere"');
    // The refused call's final response, explained as the code page explains it.
    const e603 = refused.final?.explanation;
    expect(e603?.code).toBe(603);
    expect(text).toContain(squash(e603?.endUser.message ?? "missing"));
    expect(text).toContain(squash(e603?.operator?.actions[0]?.text ?? "missing"));
  });

  it("answers the same calls as JSON with Accept: application/json", async () => {
    const init = form({ trace });
    const res = await app.request("/explain", {
      ...init,
      headers: { ...init.headers, accept: "application/json" },
    });
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = CallsResult.parse(await res.json());
    const { calls, skipped } = expected();
    expect(body).toEqual({ format: "sip", calls, skipped, warnings: [] });
  });

  it("takes a capture file as multipart and refuses a file that is no capture", async () => {
    const data = new FormData();
    data.set("trace", "");
    data.set("capture", new File([new TextEncoder().encode("hello, not a pcap")], "x.pcap"));
    const res = await app.request("/explain", { method: "POST", body: data });
    expect(res.status).toBe(422);
    expect(textOf(await res.text())).toMatch(/capture/i);
    const empty = new FormData();
    empty.set("trace", " ");
    const none = await app.request("/explain", { method: "POST", body: empty });
    expect(none.status).toBe(400);
    expect(textOf(await none.text())).toContain("paste a trace, or choose a capture file");
  });

  it("keeps one explanation for a single pasted response with a Call-ID", async () => {
    const one = msg("SIP/2.0 486 Busy Here", "1 INVITE");
    const html = await (await app.request("/explain", form({ trace: one }))).text();
    expect(html).not.toContain('<table class="ladder">');
    expect([...html.matchAll(/<h3 id="m\d+">([^<]+)<\/h3>/g)].map((m) => m[1])).toEqual([
      "486 Busy Here",
    ]);
  });
});

describe("pages: security headers", () => {
  /** The CSP source of a text by node:crypto, independent of the app's own hashing. */
  const source = (text: string) =>
    `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
  const inline = (html: string, tag: "style" | "script") =>
    [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] ?? "");

  it("sends a CSP that allows exactly the page's inline style and scripts, on every page", async () => {
    const responses: [string, Response][] = [];
    for (const path of [
      "/",
      "/?q=busy",
      "/codes/486",
      "/codes/603?profile=jola&audience=end-user",
      "/q850",
      "/q850/17",
      "/glossary",
      "/glossary/SBC",
      "/profiles",
      "/explain",
      "/codes/799",
      "/glossary/nope",
    ]) {
      responses.push([path, await get(path)]);
    }
    responses.push(["POST /explain", await app.request("/explain", form({ trace: "486" }))]);
    responses.push([
      "POST /explain (calls)",
      await app.request(
        "/explain",
        form({ trace: "INVITE sip:a@b SIP/2.0\r\nCall-ID: x1\r\nCSeq: 1 INVITE\r\n\r\n" }),
      ),
    ]);
    for (const [path, res] of responses) {
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      const directives = new Map(
        csp.split(";").map((d) => {
          const [name = "", ...values] = d.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get("default-src"), path).toEqual(["'none'"]);
      expect(directives.get("frame-ancestors"), path).toEqual(["'none'"]);
      expect(csp, path).not.toContain("unsafe-inline");
      const html = await res.text();
      const styles = inline(html, "style");
      expect(styles.length, path).toBe(1);
      for (const css of styles) expect(directives.get("style-src"), path).toContain(source(css));
      for (const js of inline(html, "script"))
        expect(directives.get("script-src"), path).toContain(source(js));
      // No inline event handlers or style attributes, which a hash cannot allow.
      expect(html, path).not.toMatch(/ on[a-z]+="/);
      expect(html, path).not.toMatch(/ style="/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    }
  });
});

describe("pages: under a path prefix", () => {
  const prefixed = createApp({ publicUrl: "https://example.test/sipcodes" });
  const fetchPage = (path: string) => prefixed.request(path, { headers: browser });

  it("links and posts within the prefix, and every such link answers", async () => {
    const seen = new Set<string>();
    for (const path of ["/", "/codes/486?profile=jola", "/explain", "/glossary", "/q850/17"]) {
      const res = await fetchPage(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<link rel="canonical" href="https://example.test/sipcodes${path}"`);
      const targets = [...html.matchAll(/ (?:href|action)="([^"]+)"/g)]
        .map((m) => m[1] ?? "")
        .filter((t) => !/^(?:https?:)?\/\//.test(t) && !t.startsWith("#"));
      expect(targets.length, path).toBeGreaterThan(5);
      for (const target of targets) {
        expect(target, `${path} links to ${target}`).toMatch(/^\/sipcodes\//);
        seen.add(target.replace(/#.*$/, ""));
      }
    }
    // The proxy strips the prefix; what is left is a page this app serves.
    for (const target of seen) {
      const res = await fetchPage(target.slice("/sipcodes".length));
      expect(res.status, target).toBe(200);
    }
  });
});
