import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { NotificationPayload } from "../src/domain/notification.ts";
import {
  e2eConfig,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  T0,
  tempDir,
  waitFor,
} from "./helpers.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const receiver = await Receiver.start();
  cleanups.push(() => receiver.close());
  const { alerter, secrets } = await startTestAlerter(tmp.dir, e2eConfig(receiver.url));
  cleanups.push(() => alerter.close());
  return { alerter, secrets, receiver };
}

const basic = (token: string) => `Basic ${Buffer.from(`noc:${token}`).toString("base64")}`;
const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = "application/x-www-form-urlencoded";

/** Logs in through the form; the session cookie and the page's form token. */
async function login(url: string, token: string) {
  const res = await fetch(`${url}/ui/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, origin: url, "sec-fetch-site": "same-origin" },
    body: form({ token, next: "/ui" }),
  });
  expect(res.status).toBe(303);
  const cookie = cookieOf(res);
  const page = await (await fetch(`${url}/ui/silences`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf!, setCookie: res.headers.get("set-cookie")! };
}

function post(url: string, path: string, cookie: string, fields: Record<string, string>) {
  return fetch(`${url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, cookie, origin: url, "sec-fetch-site": "same-origin" },
    body: form(fields),
  });
}

describe("the status page's protection", () => {
  it("answers 401 without credentials, and sends a browser to the login form", async () => {
    const { alerter } = await setup();
    for (const path of ["/ui", "/ui/notifications", "/ui/silences"]) {
      const res = await fetch(`${alerter.url}${path}`);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect(res.headers.get("content-type")).toMatch(/problem\+json/);
    }
    const wrong = await fetch(`${alerter.url}/ui`, {
      headers: { authorization: basic("x".repeat(20)) },
    });
    expect(wrong.status).toBe(401);
    const browser = await fetch(`${alerter.url}/ui/silences`, {
      redirect: "manual",
      headers: { accept: "text/html" },
    });
    expect(browser.status).toBe(303);
    expect(browser.headers.get("location")).toBe("/ui/login?next=%2Fui%2Fsilences");
    const post = await fetch(`${alerter.url}/ui/silences`, { method: "POST", body: "" });
    expect(post.status).toBe(401);
  });

  it("logs in with the management token and sets a signed, HttpOnly, SameSite=Strict cookie", async () => {
    const { alerter, secrets } = await setup();
    const bad = await fetch(`${alerter.url}/ui/login`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: form({ token: secrets.ingestToken }),
    });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toMatch(/not the management token/);

    const { cookie, setCookie } = await login(alerter.url, secrets.apiToken);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\/ui/);
    expect(setCookie).toMatch(/Max-Age=43200/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here
    expect((await fetch(`${alerter.url}/ui`, { headers: { cookie } })).status).toBe(200);
    // A changed byte in the cookie is no session.
    const forged = cookie.replace(/.$/, (ch) => (ch === "A" ? "B" : "A"));
    expect((await fetch(`${alerter.url}/ui`, { headers: { cookie: forged } })).status).toBe(401);
    // Behind an https proxy the cookie is Secure.
    const https = await fetch(`${alerter.url}/ui/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, "x-forwarded-proto": "https" },
      body: form({ token: secrets.apiToken }),
    });
    expect(https.headers.get("set-cookie")).toMatch(/; Secure/);
    // The form token is per session: another session's is refused.
    const other = await login(alerter.url, secrets.apiToken);
    expect((await post(alerter.url, "/ui/logout", cookie, { csrf: other.csrf })).status).toBe(403);
    // Logging out removes the cookie.
    const out = await post(alerter.url, "/ui/logout", other.cookie, { csrf: other.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/ui/login");
    expect(out.headers.get("set-cookie")).toMatch(/^sipcodes_ui=; .*Max-Age=0/);
  });

  it("serves every page with a CSP that allows no script and only its own stylesheet, unframed and uncached", async () => {
    const { alerter, secrets } = await setup();
    for (const path of ["/ui", "/ui/notifications", "/ui/silences", "/ui/login"]) {
      const res = await fetch(`${alerter.url}${path}`, {
        headers: { authorization: basic(secrets.apiToken) },
      });
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toMatch(/default-src 'none'/);
      expect(csp).not.toMatch(/script-src|unsafe-inline/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const page = await res.text();
      expect(page).not.toMatch(/<script/);
      const style = /<style>([^<]*)<\/style>/.exec(page)![1]!;
      const hash = createHash("sha256").update(style).digest("base64");
      expect(csp).toContain(`style-src 'sha256-${hash}'`);
      expect(page).not.toMatch(/ style="/);
    }
    // Basic credentials get a session too (its cookie carries the form token's seed).
    const res = await fetch(`${alerter.url}/ui`, {
      headers: { authorization: basic(secrets.apiToken) },
    });
    expect(res.headers.get("set-cookie")).toMatch(/^sipcodes_ui=/);
  });

  it("refuses a form without the session's token, or from another site, with a 403 page", async () => {
    const { alerter, secrets } = await setup();
    const { cookie, csrf } = await login(alerter.url, secrets.apiToken);
    const fields = {
      "m0.name": "trunk",
      "m0.op": "=",
      "m0.value": "T1",
      duration: "60",
      createdBy: "noc@example.com",
      comment: "maintenance",
    };
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ["no token", { cookie, origin: alerter.url }, fields],
      ["wrong token", { cookie, origin: alerter.url }, { ...fields, csrf: `${csrf}x` }],
      ["other origin", { cookie, origin: "https://evil.example" }, { ...fields, csrf }],
      ["null origin", { cookie, origin: "null" }, { ...fields, csrf }],
      ["cross-site fetch", { cookie, "sec-fetch-site": "cross-site" }, { ...fields, csrf }],
      ["same-site fetch", { cookie, "sec-fetch-site": "same-site" }, { ...fields, csrf }],
    ];
    for (const [what, headers, body] of cases) {
      // A browser gets the 403 page, anything else the problem.
      const page = await fetch(`${alerter.url}/ui/silences`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": FORM, accept: "text/html", ...headers },
        body: form(body),
      });
      expect(page.status, what).toBe(403);
      expect(await page.text(), what).toMatch(/<h1>Forbidden<\/h1>/);
      const problem = await fetch(`${alerter.url}/ui/silences`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": FORM, ...headers },
        body: form(body),
      });
      expect(problem.status, what).toBe(403);
      expect(problem.headers.get("content-type"), what).toMatch(/problem\+json/);
      expect(((await problem.json()) as { type: string }).type, what).toMatch(/forbidden$/);
    }
    // Login from another site is refused as well.
    const login2 = await fetch(`${alerter.url}/ui/login`, {
      method: "POST",
      headers: { "content-type": FORM, origin: "https://evil.example" },
      body: form({ token: secrets.apiToken }),
    });
    expect(login2.status).toBe(403);
    expect((await alerter.engine.listSilences(0, true)).length).toBe(0);
    // The same form with its token is accepted.
    const ok = await post(alerter.url, "/ui/silences", cookie, { ...fields, csrf });
    expect(ok.status).toBe(303);
  });
});

describe("silences from the status page", () => {
  it("creates a silence the management API lists and the engine applies, and expires it", async () => {
    const { alerter, secrets, receiver } = await setup();
    const api = { authorization: `Bearer ${secrets.apiToken}` };
    await sendEvents(alerter.url, secrets.ingestSecret, scenario.baseline());
    const { cookie, csrf } = await login(alerter.url, secrets.apiToken);

    const bad = await post(alerter.url, "/ui/silences", cookie, {
      csrf,
      "m0.name": "trunk",
      "m0.op": "=~",
      "m0.value": "T(1",
      duration: "60",
      createdBy: "noc@example.com",
      comment: "maintenance",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Matcher 1, value: bad regex/);

    const created = await post(alerter.url, "/ui/silences", cookie, {
      csrf,
      "m0.name": "trunk",
      "m0.op": "=",
      "m0.value": "T1",
      "m1.name": "",
      duration: "1440",
      createdBy: "noc@example.com",
      comment: "carrier maintenance",
    });
    expect(created.status).toBe(303);
    const id = /created=(sil_[0-9a-f-]+)/.exec(created.headers.get("location")!)![1]!;
    const listed = (await (await fetch(`${alerter.url}/v1/silences`, { headers: api })).json()) as {
      silences: {
        id: string;
        active: boolean;
        matchers: unknown;
        startsAt: number;
        endsAt: number;
        createdBy: string;
      }[];
    };
    expect(listed.silences).toEqual([
      expect.objectContaining({
        id,
        active: true,
        matchers: [{ name: "trunk", op: "=", value: "T1" }],
        createdBy: "noc@example.com",
      }),
    ]);
    // Starts at the engine's now (the event clock: the last evaluation) and lasts the chosen day.
    const s = listed.silences[0]!;
    expect(s.startsAt).toBe(alerter.engine.now());
    expect(s.startsAt).toBeGreaterThan(T0 + 170 * 60_000);
    expect(s.endsAt - s.startsAt).toBe(24 * 3600_000);
    const page = await (await fetch(`${alerter.url}/ui/silences`, { headers: { cookie } })).text();
    expect(page).toContain(`data-silence="${id}"`);

    // The engine applies it: the spike fires, but nothing is sent.
    await sendEvents(alerter.url, secrets.ingestSecret, scenario.spike());
    const alerts = (await (await fetch(`${alerter.url}/v1/alerts`, { headers: api })).json()) as {
      active: { state: string }[];
    };
    expect(alerts.active.map((a) => a.state)).toEqual(["firing"]);
    const incidents = await (await fetch(`${alerter.url}/ui`, { headers: { cookie } })).text();
    expect(incidents).toContain("trunk:T1");
    expect(incidents).toMatch(/<svg class="spark"[^>]*role="img"/);
    expect(incidents).toMatch(/<path class="rate" d="M[\d.]+ [\d.]+L/);
    expect(incidents).toMatch(/<path class="threshold" d="M/);

    const expired = await post(alerter.url, `/ui/silences/${id}/expire`, cookie, { csrf });
    expect(expired.status).toBe(303);
    const after = (await (await fetch(`${alerter.url}/v1/silences`, { headers: api })).json()) as {
      silences: unknown[];
    };
    expect(after.silences).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
    await fetch(`${alerter.url}/v1/admin/evaluate`, {
      method: "POST",
      headers: { ...api, "content-type": "application/json" },
      body: JSON.stringify({ now: T0 + 196 * 60_000 }),
    });
    const notice = await waitFor(() => receiver.requests[0], "the notice after the silence ended");
    expect((JSON.parse(notice.body) as NotificationPayload).status).toBe("firing");
    const again = await post(alerter.url, `/ui/silences/${id}/expire`, cookie, { csrf });
    expect(again.status).toBe(303); // already ended: expiring it again changes nothing
    const unknown = await post(alerter.url, "/ui/silences/sil_nope/expire", cookie, { csrf });
    expect(unknown.status).toBe(404);
  });
});
