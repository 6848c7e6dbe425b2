import type { Child } from "hono/jsx";
import { CSS } from "./style.ts";

/** What every page says about itself: the head's title, description and canonical address. */
export interface PageMeta {
  title: string;
  description: string;
  /** Path plus normalised query of the canonical URL, e.g. `/codes/603?profile=jola`. */
  path: string;
  /** The public base URL, without a trailing slash. */
  base: string;
  /** Keeps search engines off pages that are answers to one request (search results, explain). */
  noindex?: boolean;
}

// The copy button is an enhancement: it stays hidden unless the clipboard API is there,
// and the text it copies is ordinary selectable text either way.
export const COPY_SCRIPT = `document.querySelectorAll("button[data-copy]").forEach(function(b){var t=document.getElementById(b.getAttribute("data-copy"));var s=document.getElementById(b.getAttribute("data-status"));if(!t||!navigator.clipboard)return;b.hidden=false;b.addEventListener("click",function(){navigator.clipboard.writeText(t.innerText.trim()).then(function(){if(s)s.textContent="Copied to the clipboard."},function(){if(s)s.textContent="Copying failed: select the text and copy it yourself."})})})`;

// Search as you type, also an enhancement: the form works as a plain GET without it. It asks
// the server for the same page the form would load and swaps in its results.
export const LIVE_SEARCH_SCRIPT = `(function(){var f=document.querySelector("form[data-live]"),o=document.getElementById("results");if(!f||!o||!window.fetch||!window.DOMParser)return;var i=f.querySelector("input[name=q]"),t,n=0;i.addEventListener("input",function(){clearTimeout(t);t=setTimeout(function(){var q=i.value.trim(),k=++n,a=f.getAttribute("action")||"/",u=q?a+"?q="+encodeURIComponent(q):a;fetch(u,{headers:{accept:"text/html"}}).then(function(r){return r.ok?r.text():null}).then(function(h){if(!h||k!==n)return;var d=new DOMParser().parseFromString(h,"text/html"),r=d.getElementById("results");if(!r)return;o.innerHTML=r.innerHTML;document.title=d.title;history.replaceState(null,"",u)})},250)})})()`;

export function Layout(props: {
  meta: PageMeta;
  copy?: boolean;
  liveSearch?: boolean;
  children: Child;
}) {
  const { meta } = props;
  const url = `${meta.base}${meta.path}`;
  const title = `${meta.title} · sipcodes`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={meta.description} />
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={url} />
        <meta property="og:type" content="website" />
        <meta property="og:site_name" content="sipcodes" />
        <meta property="og:title" content={meta.title} />
        <meta property="og:description" content={meta.description} />
        <meta property="og:url" content={url} />
        <meta name="color-scheme" content="light dark" />
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to the content
        </a>
        <header>
          <a class="brand" href="/">
            sipcodes
          </a>
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/">Search codes</a>
              </li>
              <li>
                <a href="/explain">Explain a trace</a>
              </li>
              <li>
                <a href="/q850">Q.850 causes</a>
              </li>
              <li>
                <a href="/glossary">Glossary</a>
              </li>
              <li>
                <a href="/profiles">Profiles</a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer>
          <p>
            Pages rendered from the sipcodes catalogue. The same answers as JSON:{" "}
            <a href="/openapi.json">the API</a>.
          </p>
        </footer>
        {props.copy ? <script dangerouslySetInnerHTML={{ __html: COPY_SCRIPT }} /> : null}
        {props.liveSearch ? (
          <script dangerouslySetInnerHTML={{ __html: LIVE_SEARCH_SCRIPT }} />
        ) : null}
      </body>
    </html>
  );
}
