// The status page in a real browser (the system Chromium through playwright-core),
// against a real alerter with a real incident: log in through the form, read the
// incident and its sparkline, create a silence and expire it, with JavaScript off
// to show none is needed; axe on every page, light and dark.
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alerter } from "../src/alerter.ts";
import type { Secrets } from "../src/io/secrets.ts";
import { chromiumMissing, launchChromium, newContext } from "./_browser.ts";
import {
  e2eConfig,
  Receiver,
  scenario,
  sendEvents,
  startTestAlerter,
  tempDir,
  WEBHOOK_SECRET,
  waitFor,
} from "./helpers.ts";

const missing = chromiumMissing();
if (missing) {
  if (process.env.CI) throw new Error(`CI must run the browser tests: ${missing}`);
  console.warn(`skipping the browser tests: ${missing}`);
}

/** Set SIPCODES_SCREENSHOTS=1 to rewrite the README's screenshot from this run. */
const SCREENSHOT = fileURLToPath(new URL("../docs/status-page.png", import.meta.url));

describe.skipIf(missing !== undefined)("the status page in Chromium", () => {
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  let gone: Receiver;
  let alerter: Alerter;
  let secrets: Secrets;
  let browser: Browser;

  beforeAll(async () => {
    tmp = tempDir();
    [receiver, gone, browser] = await Promise.all([
      Receiver.start(),
      Receiver.start(),
      launchChromium(),
    ]);
    // A second destination answers 410: its messages become dead letters at once.
    gone.behave = () => ({ status: 410 });
    const config = e2eConfig(receiver.url);
    config.destinations = [
      ...(config.destinations ?? []),
      { name: "old-hook", type: "webhook", url: `${gone.url}/alerts`, secret: WEBHOOK_SECRET },
    ];
    ({ alerter, secrets } = await startTestAlerter(tmp.dir, config));
    // Three hours at 1 % 603, then 15 minutes at 50 %: the event clock evaluates as they arrive.
    await sendEvents(alerter.url, secrets.ingestSecret, [
      ...scenario.baseline(),
      ...scenario.spike(),
    ]);
    await waitFor(() => receiver.deliveredById().size >= 1, "the firing notice");
    await waitFor(async () => (await alerter.store.counts()).dead >= 1, "the dead letter");
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await alerter?.close();
    await Promise.all([receiver?.close(), gone?.close()]);
    tmp?.cleanup();
  });

  const url = (path: string) => new URL(path, alerter.url).href;

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

  async function logIn(page: Page, path = "/ui") {
    await page.goto(url(path));
    expect(new URL(page.url()).pathname).toBe("/ui/login");
    await page.getByLabel("Management token").fill(secrets.apiToken);
    await page.getByRole("button", { name: "Log in" }).click();
    expect(new URL(page.url()).pathname).toBe(path);
  }

  it("logs in with the form, shows the incident with its sparkline, creates a silence and expires it, JavaScript off", async () => {
    await withPage({ javaScript: false }, async (page) => {
      await logIn(page);
      await expect
        .poll(() => page.getByRole("heading", { level: 1 }).textContent())
        .toBe("Active incidents");
      const incident = page.locator("section.incident");
      await expect.poll(() => incident.count()).toBe(1);
      expect(await incident.getByRole("heading", { level: 2 }).textContent()).toBe(
        "sip-603 on trunk:T1",
      );
      // The sparkline: an image named by its numbers, with a rate line of many points.
      const spark = incident.getByRole("img");
      expect(await spark.getAttribute("aria-labelledby")).toBeTruthy();
      const name = await spark.locator("title").textContent();
      expect(name).toMatch(
        /^sip-603 on trunk:T1, last (\d+ hours? )?\d+ minutes?: .* now \d+\.\d %, threshold \d+\.\d %\.$/,
      );
      expect(Number(await spark.getAttribute("data-points"))).toBeGreaterThan(30);
      const rate = (await spark.locator("path.rate").getAttribute("d")) ?? "";
      expect(rate.match(/L/g)?.length ?? 0).toBeGreaterThan(30);
      expect(await spark.locator("path.threshold").count()).toBe(1);
      // Drawn by the stylesheet: the rate line has the link colour, not the default black.
      const box = await spark.boundingBox();
      expect(box?.width).toBeGreaterThan(100);
      if (process.env.SIPCODES_SCREENSHOTS)
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // Notifications: the delivered firing notice and the dead letter.
      await page.getByRole("link", { name: "Notifications" }).click();
      const recent = page.locator("table").first();
      expect(await recent.textContent()).toMatch(/hook.*firing.*delivered/);
      expect(await page.locator("table").nth(1).textContent()).toMatch(/old-hook.*dead.*HTTP 410/);

      // A silence from the incident's link: its labels are filled in.
      await page.getByRole("link", { name: "Incidents" }).click();
      await page.getByRole("link", { name: "Silence this incident" }).click();
      expect(await page.getByLabel("Value").first().inputValue()).toBe("sip-603");
      await page.getByLabel("Lasts").selectOption("120");
      await page.getByLabel("Created by").fill("noc@example.com");
      await page.getByLabel("Why").fill("carrier maintenance window");
      await page.getByRole("button", { name: "Create the silence" }).click();
      expect(await page.getByRole("status").textContent()).toMatch(
        /^Silence sil_[0-9a-f-]+ created\.$/,
      );
      const row = page.locator("tr[data-silence]").first();
      expect(await row.textContent()).toMatch(/rule="sip-603".*trunk="T1".*noc@example\.com/);
      const id = await row.getAttribute("data-silence");
      // The management API sees the same silence, active.
      const listed = (await (
        await fetch(url("/v1/silences"), {
          headers: { authorization: `Bearer ${secrets.apiToken}` },
        })
      ).json()) as { silences: { id: string; active: boolean }[] };
      expect(listed.silences).toEqual([expect.objectContaining({ id, active: true })]);

      await row.getByRole("button", { name: /^Expire / }).click();
      expect(await page.getByText("No silence is active.").count()).toBe(1);
      const ended = page.locator(`tr[data-silence="${id}"]`);
      expect(await ended.textContent()).toMatch(/expired$/);
      const after = (await (
        await fetch(url("/v1/silences"), {
          headers: { authorization: `Bearer ${secrets.apiToken}` },
        })
      ).json()) as { silences: unknown[] };
      expect(after.silences).toEqual([]);

      // Logging out ends the session in this browser.
      await page.getByRole("button", { name: "Log out" }).click();
      expect(new URL(page.url()).pathname).toBe("/ui/login");
      await page.goto(url("/ui/silences"));
      expect(new URL(page.url()).pathname).toBe("/ui/login");
    });
  }, 120_000);

  it("refuses a form whose token was tampered with, with a 403 page", async () => {
    await withPage({ javaScript: true }, async (page) => {
      await logIn(page, "/ui/silences");
      await page.locator('form[action="/ui/silences"] input[name=csrf]').evaluate((e) => {
        (e as unknown as { value: string }).value = "forged";
      });
      await page.getByLabel("Created by").fill("noc@example.com");
      await page.getByLabel("Why").fill("x");
      const response = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Create the silence" }).click();
      expect((await response).status()).toBe(403);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Forbidden");
    });
  }, 60_000);

  for (const dark of [false, true]) {
    it(`has no serious or critical axe violations on any page (${dark ? "dark" : "light"})`, async () => {
      await withPage({ javaScript: true, dark }, async (page) => {
        const found: string[] = [];
        const check = async (what: string) => {
          const result = await new AxeBuilder({ page }).analyze();
          for (const v of result.violations) {
            if (v.impact === "serious" || v.impact === "critical") {
              found.push(
                `${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
              );
            }
          }
          // And axe did run: it checked something.
          expect(result.passes.length, what).toBeGreaterThan(10);
        };
        await page.goto(url("/ui/login"));
        await check("/ui/login");
        await page.getByLabel("Management token").fill("not-the-token-at-all");
        await page.getByRole("button", { name: "Log in" }).click();
        await check("/ui/login (refused)");
        await logIn(page);
        for (const path of ["/ui", "/ui/notifications", "/ui/silences"]) {
          await page.goto(url(path));
          await check(path);
        }
        // The form sent back with its errors (400: no matcher), and the 403 page.
        await page.getByLabel("Created by").fill("noc@example.com");
        await page.getByLabel("Why").fill("no matcher given");
        await page.getByRole("button", { name: "Create the silence" }).click();
        expect(await page.getByRole("alert").textContent()).toMatch(/not created.*Matchers/);
        await check("/ui/silences (invalid)");
        await page.locator('form[action="/ui/silences"] input[name=csrf]').evaluate((e) => {
          (e as unknown as { value: string }).value = "forged";
        });
        await page.getByRole("button", { name: "Create the silence" }).click();
        expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Forbidden");
        await check("403 page");
        expect(found).toEqual([]);
      });
    }, 180_000);
  }
});
