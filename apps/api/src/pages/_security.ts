/**
 * The security headers of every HTML page: a Content-Security-Policy that
 * allows only this page's own inline stylesheet and scripts, by their SHA-256
 * (so the cached bytes and their ETag stay the same for every request, which
 * a per-request nonce would break), plus nosniff, a referrer policy and no
 * framing. The hashes are computed once, from the very strings the layout
 * inlines, so an edit of the CSS or a script cannot leave a stale hash.
 */
import { hash } from "fast-sha256";
import { COPY_SCRIPT, LIVE_SEARCH_SCRIPT } from "./layout.tsx";
import { CSS } from "./style.ts";

const encoder = new TextEncoder();

/** A CSP source expression for an inline element's exact text (CSP 3 §8.4). */
export function sha256Source(text: string): string {
  const digest = hash(encoder.encode(text));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256Source(CSS)}`,
  `script-src ${sha256Source(COPY_SCRIPT)} ${sha256Source(LIVE_SEARCH_SCRIPT)}`,
  // Search as you type fetches the same page; the explain form posts to this server.
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Sent with every HTML page, its error pages included. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
});
