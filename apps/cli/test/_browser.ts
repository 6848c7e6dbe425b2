import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium, as .ci/run installs it; SIPCODES_CHROMIUM points at another. */
export const CHROMIUM = process.env.SIPCODES_CHROMIUM ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y --no-install-recommends chromium\` (as .ci/run does), or point SIPCODES_CHROMIUM at one`;
}

/** The system Chromium, headless, in a fresh temporary profile that close() removes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
