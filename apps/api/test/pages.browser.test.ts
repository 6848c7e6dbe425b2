// The pages in a real browser (the system Chromium through playwright-core),
// against the Node build and the Workers build (workerd): the flows a person
// follows, with JavaScript off to show none is needed, and axe on every main page.
import AxeBuilder from "@axe-core/playwright";
import { explain, listCodes } from "@sipcodes/core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
        return await use(await context.newPage());
      } finally {
        await context.close();
      }
    }

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

    it("copies the caller sentence with the copy button when JavaScript is on", async () => {
      const context = await newContext(browser);
      try {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], {
          origin: new URL(api.base).origin,
        });
        const page = await context.newPage();
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
