import {
  DEFAULT_PROFILE,
  defaultRegistry,
  listCodeEntries,
  listGlossaryTerms,
  listQ850Causes,
  summarizeProfile,
} from "@sipcodes/core";
import { codeHref, q850Href, termHref } from "./_format.ts";

const xmlEscape = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/**
 * Every page worth a search engine's visit: the index pages, each code, each
 * code a profile changes (under that profile), each Q.850 cause, each
 * glossary term (and the terms a profile adds, under it).
 */
export function sitemapPaths(): string[] {
  const paths = ["/", "/explain", "/q850", "/glossary", "/profiles"];
  for (const entry of listCodeEntries()) paths.push(codeHref(entry.code));
  const profiles = defaultRegistry()
    .list()
    .filter((p) => p.id !== DEFAULT_PROFILE);
  for (const profile of profiles) {
    for (const code of summarizeProfile(profile).codes) paths.push(codeHref(code, profile.id));
  }
  for (const cause of listQ850Causes()) paths.push(q850Href(cause.cause));
  const shared = listGlossaryTerms();
  for (const term of shared) paths.push(termHref(term.term));
  const sharedNames = new Set(shared.map((t) => t.term));
  for (const profile of profiles) {
    paths.push(`/glossary?profile=${encodeURIComponent(profile.id)}`);
    for (const term of listGlossaryTerms({ profile })) {
      if (!sharedNames.has(term.term)) paths.push(termHref(term.term, profile.id));
    }
  }
  return paths;
}

/** The sitemap (sitemaps.org 0.9) with absolute URLs under `base`. */
export function sitemap(base: string): string {
  const urls = sitemapPaths()
    .map((path) => `<url><loc>${xmlEscape(`${base}${path}`)}</loc></url>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}
