// The system Chromium through playwright-core, launched as apps/api/test/browser.ts
// does (an app does not import another app; see the report on sharing this).
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";

/** Where .ci/run (apt-get install chromium) puts the browser; tests install nothing themselves. */
export const CHROMIUM = process.env.SIPCODES_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y --no-install-recommends chromium\` (as .ci/run does), or point SIPCODES_CHROMIUM at one`;
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-quic",
  "--disable-sync",
];

/** Starts the system Chromium headless, with a fresh temporary profile removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A fresh context: its own cookies; JavaScript off unless asked (the pages need none). */
export function newContext(
  browser: Browser,
  { javaScript = false, dark = false }: { javaScript?: boolean; dark?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled: javaScript,
    colorScheme: dark ? "dark" : "light",
    viewport: { width: 1200, height: 900 },
  });
}
