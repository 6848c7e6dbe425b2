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

/**
 * Starts the system Chromium headless. Playwright's launch() gives it a fresh
 * temporary profile and removes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** A fresh context: its own cookies, storage and permissions; JavaScript and colour scheme as asked. */
export function newContext(
  browser: Browser,
  { javaScript = true, dark = false }: { javaScript?: boolean; dark?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled: javaScript,
    colorScheme: dark ? "dark" : "light",
    viewport: { width: 1100, height: 900 },
  });
}
