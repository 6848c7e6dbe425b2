import type { Context } from "hono";
import type { JSXNode } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import { header } from "../http.ts";
import { type ApiError, problemTypes } from "../problem.ts";

export const HTML = "text/html; charset=utf-8";

/** What a JSX expression evaluates to. */
export type Element = HtmlEscapedString | Promise<HtmlEscapedString>;

/**
 * A page as a string, synchronously: the pages have no async components, so
 * hono/jsx returns a string and the page can go through the same cache and
 * 304 path as the JSON routes.
 */
export function renderPage(node: Element, base: string): string {
  const out = (node as unknown as JSXNode).toString();
  if (typeof out !== "string") throw new Error("a page rendered asynchronously");
  return `<!doctype html>${withBasePath(out, basePathOf(base))}`;
}

/** The path of the public base URL (`/sipcodes` of https://example.net/sipcodes), or "". */
export function basePathOf(base: string): string {
  const slash = base.indexOf("/", base.indexOf("//") + 2);
  return slash < 0 ? "" : base.slice(slash).replace(/\/+$/, "");
}

/**
 * The pages link within the site by absolute paths (`/codes/486`); behind a
 * proxy that serves the site under a path (SIPCODES_PUBLIC_URL's path), each
 * such link and form target gets that path in front. Only the attributes the
 * pages write: href, action, and no protocol-relative `//` URL.
 */
export function withBasePath(html: string, basePath: string): string {
  if (basePath === "") return html;
  return html.replaceAll(/ (href|action)="\/(?!\/)/g, ` $1="${basePath}/`);
}

/** True when the client lists text/html in Accept, as browsers do. */
export function acceptsHtml(c: Context): boolean {
  return header(c, "accept")?.includes("text/html") ?? false;
}

/** The public base URL of the site: the configured one, else the request's origin. */
export function baseUrl(c: Context, configured: string | undefined): string {
  if (configured) return configured;
  const url = c.req.url;
  const end = url.indexOf("/", url.indexOf("//") + 2);
  return end < 0 ? url : url.slice(0, end);
}

/** The path of the request, without its query. */
export function pathOf(c: Context): string {
  const url = c.req.url;
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start < 0 ? "/" : url.slice(start, end < 0 ? undefined : end);
}

/** The title a problem's page shows: the problem type's title from the shared table. */
export function problemTitle(error: ApiError): string {
  return problemTypes[error.code].title;
}

/** The issue lines of a validation problem, each "where: what". */
export function issueLines(error: ApiError): string[] {
  return (error.errors ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);
}
