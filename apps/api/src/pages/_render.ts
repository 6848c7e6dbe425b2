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
export function renderPage(node: Element): string {
  const out = (node as unknown as JSXNode).toString();
  if (typeof out !== "string") throw new Error("a page rendered asynchronously");
  return `<!doctype html>${out}`;
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
