import type { ProfileSummary } from "@sipcodes/core";
import { codeHref } from "./_format.ts";
import { Layout, type PageMeta } from "./layout.tsx";

/** `/profiles`: the built-in profiles and the codes each gives its own meaning. */
export function ProfilesPage(props: { meta: PageMeta; profiles: readonly ProfileSummary[] }) {
  return (
    <Layout meta={props.meta}>
      <h1>Profiles</h1>
      <p>
        A profile is how one platform uses SIP codes. Pick one on any code page to see that
        platform's meaning next to the standard one.
      </p>
      {props.profiles.map((p) => (
        <section aria-labelledby={p.id}>
          <h2 id={p.id}>{p.name}</h2>
          <p>{p.description}</p>
          <dl class="facts">
            <dt>Id</dt>
            <dd class="mono">{p.id}</dd>
            {p.extends ? (
              <>
                <dt>Builds on</dt>
                <dd>
                  <a href={`#${p.extends}`}>{p.extends}</a>
                </dd>
              </>
            ) : null}
            {p.subCodes ? (
              <>
                <dt>Vendor sub-codes</dt>
                <dd>{p.subCodes}</dd>
              </>
            ) : null}
          </dl>
          {p.codes.length ? (
            <p>
              Codes with their own meaning:{" "}
              {p.codes.map((code, i) => (
                <>
                  {i ? ", " : ""}
                  <a href={codeHref(code, p.id)}>{code}</a>
                </>
              ))}
            </p>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}
