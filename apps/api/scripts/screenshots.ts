// Screenshots of the main pages for the README, in apps/api/docs/, taken with
// the same Chromium setup as the browser tests (test/browser.ts) against the
// built Node server. Run: pnpm --filter @sipcodes/api screenshots
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { chromiumMissing, launchChromium, newContext } from "../test/browser.ts";
import { apiRoot, startNode } from "../test/harness.ts";

const missing = chromiumMissing();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const TRACE = [
  "SIP/2.0 100 Trying",
  "",
  "SIP/2.0 480 Temporarily Unavailable",
  'Reason: Q.850;cause=18;text="No user responding"',
  "Retry-After: 120",
  "",
  "SIP/2.0 603 MaxPeak Cost Exceeded",
  "",
].join("\n");

execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: apiRoot, stdio: "inherit" });
const api = await startNode();
const browser = await launchChromium();
try {
  const shots: { file: string; path: string; dark?: boolean; trace?: boolean }[] = [
    { file: "code-page-light.png", path: "/codes/603?profile=jola" },
    { file: "code-page-dark.png", path: "/codes/603?profile=jola", dark: true },
    { file: "search.png", path: "/?q=busy" },
    { file: "explain.png", path: "/explain", trace: true },
  ];
  for (const shot of shots) {
    const context = await newContext(browser, { dark: shot.dark ?? false });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1000, height: 1100 });
    await page.goto(new URL(shot.path, api.base).href);
    if (shot.trace) {
      await page.getByLabel(/Text to explain/).fill(TRACE);
      await page.getByRole("button", { name: "Explain" }).click();
      await page.waitForURL(/\/explain$/);
      await page.getByRole("heading", { level: 2, name: "3 messages" }).scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, -120);
    }
    const file = join(apiRoot, "docs", shot.file);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await api.stop();
}
