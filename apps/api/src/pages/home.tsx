import {
  type CodeClass,
  classNames,
  DEFAULT_PROFILE,
  defaultRegistry,
  type ListedCode,
  listCodes,
} from "@sipcodes/core";
import { codeHref } from "./_format.ts";
import { OverlayTag } from "./explanation.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

const CLASSES = Object.keys(classNames) as CodeClass[];

/** Codes as links; a search hit found in a profile's text links to the code under that profile. */
function CodeList(props: { codes: readonly ListedCode[] }) {
  return (
    <ul class="codes">
      {props.codes.map((c) => {
        const profile =
          c.matchedIn && c.matchedIn !== DEFAULT_PROFILE
            ? defaultRegistry().get(c.matchedIn)
            : undefined;
        return (
          <li>
            <a href={codeHref(c.code, profile?.id)}>
              <span class="num">{c.code}</span> {c.profilePhrase ?? c.phrase}
            </a>
            {c.registered ? null : <span class="tag">not registered</span>}
            {profile ? <OverlayTag name={profile.name} /> : null}
            <br />
            <span class="muted">{c.summary}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function SearchForm(props: { q?: string | undefined; live?: boolean }) {
  return (
    <search>
      <form class="inline" method="get" action="/" data-live={props.live ? "" : undefined}>
        <div class="field grow">
          <label for="q">Code, reason phrase or words from a symptom</label>
          <input
            type="search"
            id="q"
            name="q"
            value={props.q ?? ""}
            maxlength={200}
            placeholder="603, busy here, no route, codec"
          />
        </div>
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

/** `/`: a search box, the hits for `?q=`, and every code by class. */
export function HomePage(props: { meta: PageMeta; q?: string | undefined }) {
  const hits = props.q ? listCodes({ query: props.q, limit: 50 }) : undefined;
  return (
    <Layout meta={props.meta} liveSearch>
      <h1>{hits ? `Codes matching “${props.q}”` : "SIP response codes, explained"}</h1>
      <p>
        What a SIP status code means on a call, why it happens, what to check, and what to tell the
        person who made the call. Search by number, by the reason phrase a device printed, or by
        what you saw.
      </p>
      <SearchForm q={props.q} live />
      <div id="results" aria-live="polite">
        {hits ? (
          <section aria-labelledby="hits">
            <h2 id="hits">
              {hits.length === 0
                ? "No codes match"
                : `${hits.length} ${hits.length === 1 ? "code" : "codes"} found`}
            </h2>
            {hits.length === 0 ? (
              <p>Try fewer words, a three-digit code, or the phrase from the status line.</p>
            ) : (
              <CodeList codes={hits} />
            )}
          </section>
        ) : null}
      </div>
      <section aria-labelledby="all">
        <h2 id="all">Every code, by class</h2>
        <nav aria-label="Classes">
          <p>
            {CLASSES.map((k, i) => (
              <>
                {i ? " · " : ""}
                <a href={`#class-${k}`}>{k}</a>
              </>
            ))}
          </p>
        </nav>
        {CLASSES.map((k) => (
          <section aria-labelledby={`class-${k}`}>
            <h3 id={`class-${k}`}>
              {k} {classNames[k]}
            </h3>
            <CodeList codes={listCodes({ class: k })} />
          </section>
        ))}
      </section>
    </Layout>
  );
}
