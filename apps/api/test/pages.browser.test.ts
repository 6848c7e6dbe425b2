// The pages in a real browser (the system Chromium through playwright-core),
// against the Node build and the Workers build (workerd): the flows a person
// follows, with JavaScript off to show none is needed, and axe on every main page.
import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { type CallsResult, explain, listCodes } from "@sipcodes/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CALLEES,
  type CapturedCalls,
  captureCalls,
  peersOrSkip,
} from "../../cli/test/_kamailio-calls.ts";
import { chromiumMissing, launchChromium, newContext } from "./browser.ts";
import { startNode, startWorkers, type Target } from "./harness.ts";

const missing = chromiumMissing();
if (missing) {
  if (process.env.CI) throw new Error(`CI must run the browser tests: ${missing}`);
  console.warn(`skipping the browser tests: ${missing}`);
}

/** The main pages, each checked with axe in light and dark. */
const MAIN_PAGES = [
  "/",
  "/?q=busy",
  "/codes/486",
  "/codes/603?profile=jola",
  "/codes/480?audience=end-user",
  "/q850",
  "/q850/17",
  "/q850/44?profile=freeswitch",
  "/q850?profile=asterisk",
  "/glossary",
  "/glossary/SBC",
  "/profiles",
  "/explain",
  "/codes/799",
];

const TRACE = [
  "INVITE sip:+441234567890@trunk.example SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1",
  "",
  "SIP/2.0 100 Trying",
  "",
  "SIP/2.0 480 Temporarily Unavailable",
  'Reason: Q.850;cause=18;text="No user responding"',
  "",
  "SIP/2.0 603 MaxPeak Cost Exceeded",
  "",
].join("\n");

// Real calls for the whole-call view: Kamailio answers them and tshark captures them, once for
// both runtimes (the same helper the capture tests of the CLI and POST /v1/explain use).
const callPeers = missing === undefined && peersOrSkip(["tshark", "kamailio"]);
let captured: Promise<CapturedCalls> | undefined;
const calls = () => {
  captured ??= captureCalls();
  return captured;
};
/** tshark's own text rendering (-V) of one call of the capture: what a person would paste. */
const tsharkText = (pcap: string, callId: string) =>
  execFileSync("tshark", ["-r", pcap, "-Y", `sip.Call-ID == "${callId}"`, "-V"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });

/** Collects what Chromium reports about Content-Security-Policy on this page. */
function watchCsp(page: Page): string[] {
  const found: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) found.push(m.text());
  });
  return found;
}

/** Serious and critical axe violations of the page as it is now, one line each. */
async function axeProblems(page: Page, where: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.passes.length, where).toBeGreaterThan(10);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
}

const runtimes: [string, () => Promise<Target>][] = [
  ["Node (dist/node.mjs)", () => startNode()],
  ["Workers (workerd via wrangler)", () => startWorkers()],
];

for (const [name, start] of runtimes) {
  describe.skipIf(missing !== undefined)(`pages in Chromium on ${name}`, () => {
    let api: Target;
    let browser: Browser;
    beforeAll(async () => {
      [api, browser] = await Promise.all([start(), launchChromium()]);
    });
    afterAll(async () => {
      await Promise.all([browser?.close(), api?.stop()]);
    });

    const url = (path: string) => new URL(path, api.base).href;

    async function withPage<T>(
      options: { javaScript?: boolean; dark?: boolean },
      use: (page: Page) => Promise<T>,
    ): Promise<T> {
      const context = await newContext(browser, options);
      try {
        const page = await context.newPage();
        const violations = watchCsp(page);
        const result = await use(page);
        // Every page's Content-Security-Policy allows all it does: Chromium reported nothing.
        expect(violations).toEqual([]);
        return result;
      } finally {
        await context.close();
      }
    }

    it("reports a CSP violation when a page runs what its policy does not allow", async () => {
      const context = await newContext(browser);
      try {
        const page = await context.newPage();
        const violations = watchCsp(page);
        await page.goto(url("/codes/486"));
        // An inline script the policy has no hash for: Chromium refuses it and says so.
        await page.evaluate(() => {
          type Doc = {
            createElement(tag: string): { textContent: string };
            body: { append(node: unknown): void };
          };
          const doc = (globalThis as unknown as { document: Doc }).document;
          const el = doc.createElement("script");
          el.textContent = "window.injected = 1";
          doc.body.append(el);
        });
        await expect.poll(() => violations.length).toBeGreaterThan(0);
        expect(await page.evaluate(() => "injected" in globalThis)).toBe(false);
      } finally {
        await context.close();
      }
    });

    it("searches with the form and opens a code, JavaScript off", async () => {
      await withPage({ javaScript: false }, async (page) => {
        await page.goto(url("/"));
        await page.getByLabel("Code, reason phrase or words from a symptom").fill("busy here");
        await page.getByRole("button", { name: "Search" }).click();
        await page.waitForURL(/\?q=busy\+here$/);
        const hits = page.getByRole("region", { name: /codes? found/ });
        await hits.getByRole("link", { name: /^486 Busy Here/ }).click();
        await page.waitForURL(/\/codes\/486$/);
        await expect.poll(() => page.locator("h1").textContent()).toBe("486 Busy Here");
        const sentence = explain(486).endUser.message;
        expect(await page.locator("blockquote.say").textContent()).toBe(sentence);
        // No JavaScript: the copy button stays hidden and the sentence is plain selectable text.
        expect(await page.getByRole("button", { name: "Copy the sentence" }).count()).toBe(0);
        const select = await page
          .locator("blockquote.say")
          .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).userSelect);
        expect(select).not.toBe("none");
      });
    });

    it("searches as you type when JavaScript is on, with the same hits as the form", async () => {
      await withPage({}, async (page) => {
        await page.goto(url("/"));
        await page
          .getByLabel("Code, reason phrase or words from a symptom")
          .pressSequentially("no route");
        const hits = page.getByRole("region", { name: /codes? found/ });
        await hits.waitFor();
        await page.waitForURL(/\?q=no%20route$/);
        const live = await hits.getByRole("link").allInnerTexts();
        const expected = listCodes({ query: "no route", limit: 50 }).map((h) => String(h.code));
        expect(live.map((t) => t.split(/\s/)[0])).toEqual(expected);
        expect(await page.title()).toContain("no route");
      });
    });

    it("switches profile, direction and audience with the form, JavaScript off", async () => {
      await withPage({ javaScript: false }, async (page) => {
        await page.goto(url("/codes/603"));
        const jola = explain(603, { profile: "jola", direction: "outbound" });
        await page.getByLabel("Profile").selectOption("jola");
        await page.getByLabel("Direction of the call").selectOption("outbound");
        await page.getByRole("button", { name: "Show" }).click();
        await page.waitForURL(/\/codes\/603\?profile=jola&direction=outbound&audience=operator$/);
        await expect
          .poll(() =>
            page.getByText(`Sent by ${jola.profile.name} as “${jola.profilePhrase}”`).count(),
          )
          .toBe(1);
        // The summary is the profile's own and is marked with its name.
        const summary = page.locator("p.lead");
        expect(await summary.textContent()).toContain(jola.summary);
        expect(await summary.locator(".overlay-tag").textContent()).toBe(jola.profile.name);
        expect(await page.locator("link[rel=canonical]").getAttribute("href")).toBe(
          url("/codes/603?profile=jola&direction=outbound"),
        );
        await page.getByLabel("What to show").selectOption("end-user");
        await page.getByRole("button", { name: "Show" }).click();
        await page.waitForURL(/audience=end-user$/);
        expect(await page.getByRole("heading", { name: "For operators" }).count()).toBe(0);
        expect(await page.locator("blockquote.say").textContent()).toBe(
          explain(603, { profile: "jola", direction: "outbound", audience: "end-user" }).endUser
            .message,
        );
      });
    });

    it("explains a pasted trace, one section per response, JavaScript off", async () => {
      await withPage({ javaScript: false }, async (page) => {
        await page.goto(url("/explain"));
        await page.getByLabel(/Text to explain/).fill(TRACE);
        await page.getByRole("button", { name: "Explain" }).click();
        await page.waitForURL(/\/explain$/);
        await expect
          .poll(() => page.getByRole("heading", { level: 2, name: "3 messages" }).count())
          .toBe(1);
        const heads = await page.getByRole("heading", { level: 3 }).allInnerTexts();
        expect(heads).toEqual([
          "100 Trying",
          "480 Temporarily Unavailable",
          "603 MaxPeak Cost Exceeded",
        ]);
        const e480 = explain(
          'SIP/2.0 480 Temporarily Unavailable\nReason: Q.850;cause=18;text="No user responding"\n',
        );
        const article = page.getByRole("article", { name: "480 Temporarily Unavailable" });
        expect(await article.textContent()).toContain(e480.q850!.explanation);
        expect(await article.getByRole("link", { name: /Cause 18/ }).getAttribute("href")).toBe(
          "/q850/18",
        );
        // The paste is kept in the form, to change and send again.
        expect(await page.getByLabel(/Text to explain/).inputValue()).toBe(TRACE);
      });
    });

    it.skipIf(!callPeers)(
      "tells a pasted tshark trace of a real call call by call, JavaScript off",
      async () => {
        const { pcap } = await calls();
        const trace = tsharkText(pcap, "cancel-1@test");
        // What the API says of the same text: the page must tell the same story.
        const api1 = await api.request("/v1/explain", {
          method: "POST",
          headers: { "content-type": "text/plain", accept: "application/json" },
          body: trace,
        });
        const { calls: expected } = (await api1.json()) as CallsResult;
        const call = expected[0];
        expect(call?.outcome).toBe("cancelled");
        await withPage({ javaScript: false }, async (page) => {
          await page.goto(url("/explain"));
          await page.getByLabel(/Text to explain/).fill(trace);
          await page.getByRole("button", { name: "Explain" }).click();
          await page.waitForURL(/\/explain$/);
          const article = page.getByRole("article", { name: /^Call c1:/ });
          await article.waitFor();
          expect(await article.locator("p.verdict").textContent()).toBe(call?.verdict);
          // The ladder: one row per step, with time offsets, in the order of the capture.
          const rows = article.locator("table.ladder tbody tr");
          expect(await rows.count()).toBe(call?.events.length);
          const firstRow = await rows.first().innerText();
          expect(firstRow).toMatch(/\+0\.000 s/);
          expect(firstRow).toContain("INVITE");
          const messages = await rows.locator("td:nth-child(4) strong").allInnerTexts();
          expect(messages).toEqual(
            (call?.events ?? []).map((e) =>
              e.kind === "request"
                ? e.method
                : `${e.code} ${e.phrase}${e.method === "INVITE" ? "" : ` (${e.method})`}`,
            ),
          );
          expect(messages).toContain("CANCEL");
          // Who cancelled, and the Reason the caller's client sent.
          const facts = await article.locator("dl.call-facts").innerText();
          expect(facts).toMatch(/CANCEL\s+sent by the caller/);
          expect(facts).toContain('SIP cause 200 "Call completed elsewhere"');
          expect(facts).toMatch(/Ringing\s+\d+\.\d s/);
          // The final response, explained.
          expect(
            await article.getByRole("heading", { name: /^The final response: 487/ }).count(),
          ).toBe(1);
          expect(await article.locator("blockquote.say").textContent()).toBe(
            call?.final?.explanation?.endUser.message,
          );
        });
        // axe runs as a script in the page, so its check needs JavaScript on.
        await withPage({}, async (page) => {
          await page.goto(url("/explain"));
          await page.getByLabel(/Text to explain/).fill(trace);
          await page.getByRole("button", { name: "Explain" }).click();
          await page.getByRole("article", { name: /^Call c1:/ }).waitFor();
          expect(await axeProblems(page, "pasted call")).toEqual([]);
        });
      },
      120_000,
    );

    it.skipIf(!callPeers)(
      "tells an uploaded pcap of five real calls, and the same URL answers JSON",
      async () => {
        const { pcap } = await calls();
        await withPage({ dark: true }, async (page) => {
          await page.goto(url("/explain"));
          await page.getByLabel(/Or a capture file/).setInputFiles(pcap);
          await page.getByRole("button", { name: "Explain" }).click();
          await page.waitForURL(/\/explain$/);
          await expect
            .poll(() =>
              page.getByRole("heading", { level: 2, name: "5 calls in the pcap input" }).count(),
            )
            .toBe(1);
          const blocked = page.getByRole("article", { name: new RegExp(`→ \\${CALLEES.blocked}`) });
          expect(await blocked.locator("p.verdict").textContent()).toMatch(/^603 Network Blocked/);
          // The redress contact of the block, read from the Call-Info header Kamailio added.
          expect(await blocked.locator("dl.call-facts").innerText()).toContain(
            "https://redress.example.net/jcard.json",
          );
          const unanswered = page.getByRole("article", {
            name: new RegExp(`→ \\${CALLEES.unanswered}`),
          });
          // The unanswered INVITE went out again and again: the retransmissions are counted.
          expect(await unanswered.locator("dl.call-facts").innerText()).toMatch(
            /were retransmissions|was a retransmission/,
          );
          expect(await axeProblems(page, "uploaded capture (dark)")).toEqual([]);
        });
        // The same URL with Accept: application/json gives the calls as JSON.
        const form = new FormData();
        form.set("trace", "");
        const { readFileSync } = await import("node:fs");
        form.set("capture", new File([readFileSync(pcap)], "calls.pcap"));
        const res = await api.request("/explain", {
          method: "POST",
          body: form,
          headers: { accept: "application/json" },
        });
        expect(res.headers.get("content-type")).toBe("application/json");
        const json = (await res.json()) as CallsResult;
        expect(json.format).toBe("pcap");
        expect(json.calls.map((c) => c.outcome).sort()).toEqual(
          ["answered", "busy", "cancelled", "no-response", "rejected"].sort(),
        );
      },
      120_000,
    );

    it("copies the caller sentence with the copy button when JavaScript is on", async () => {
      const context = await newContext(browser);
      try {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], {
          origin: new URL(api.base).origin,
        });
        const page = await context.newPage();
        const violations = watchCsp(page);
        await page.goto(url("/codes/486"));
        await page.getByRole("button", { name: "Copy the sentence" }).click();
        await expect
          .poll(() => page.getByRole("status").first().textContent())
          .toBe("Copied to the clipboard.");
        expect(
          await page.evaluate(() =>
            (
              globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
            ).navigator.clipboard.readText(),
          ),
        ).toBe(explain(486).endUser.message);
        expect(violations).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it("prints black on white without the navigation and the forms, even in dark mode", async () => {
      await withPage({ dark: true }, async (page) => {
        await page.goto(url("/codes/486"));
        await page.emulateMedia({ media: "print" });
        expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
        expect(await page.getByRole("form", { name: "View options" }).isVisible()).toBe(false);
        expect(await page.locator("blockquote.say").isVisible()).toBe(true);
        const colours = await page.locator("body").evaluate((el) => {
          const style = el.ownerDocument.defaultView?.getComputedStyle(el);
          return [style?.color, style?.backgroundColor];
        });
        expect(colours).toEqual(["rgb(0, 0, 0)", "rgb(255, 255, 255)"]);
      });
    });

    for (const dark of [false, true]) {
      it(`has no serious or critical axe violations on any main page (${dark ? "dark" : "light"})`, async () => {
        await withPage({ dark }, async (page) => {
          const found: string[] = [];
          for (const path of MAIN_PAGES) {
            await page.goto(url(path));
            const result = await new AxeBuilder({ page }).analyze();
            for (const v of result.violations) {
              if (v.impact === "serious" || v.impact === "critical") {
                found.push(
                  `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
                );
              }
            }
            // And the page did run axe: it checked something.
            expect(result.passes.length, path).toBeGreaterThan(10);
          }
          expect(found).toEqual([]);
        });
      }, 180_000); // axe over every main page takes tens of seconds on a busy CI machine
    }
  });
}
