import type { GlossaryEntry, Profile } from "@sipcodes/core";
import { queryOf, termHref } from "./_format.ts";
import { ProfileChooser } from "./_profile-chooser.tsx";
import { OverlayTag } from "./explanation.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

/** `/glossary`: every term a reader of the profile can look up; terms the profile adds are marked. */
export function GlossaryPage(props: {
  meta: PageMeta;
  terms: readonly GlossaryEntry[];
  shared: ReadonlySet<string>;
  profile: Profile;
  profiles: readonly Profile[];
}) {
  const id = props.profile.id;
  return (
    <Layout meta={props.meta}>
      <h1>Glossary</h1>
      <p>The words the explanations use, in plain terms.</p>
      <ProfileChooser
        action="/glossary"
        label="Terms as used by"
        profile={props.profile}
        profiles={props.profiles}
      />
      <dl class="terms">
        {props.terms.map((t) => (
          <>
            <dt>
              <a href={termHref(t.term, id)}>{t.term}</a>
              {props.shared.has(t.term) ? null : <OverlayTag name={props.profile.name} />}
            </dt>
            <dd>{t.definition}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
}

/** `/glossary/{term}`: one term. */
export function TermPage(props: {
  meta: PageMeta;
  entry: GlossaryEntry;
  profile: Profile;
  own: boolean;
}) {
  const { entry } = props;
  return (
    <Layout meta={props.meta}>
      <p class="meta">
        <a href={`/glossary${queryOf({ profile: props.profile.id })}`}>Glossary</a>
      </p>
      <h1>{entry.term}</h1>
      {entry.aliases?.length ? <p class="meta">Also written: {entry.aliases.join(", ")}</p> : null}
      <p class={props.own ? "lead overlay" : "lead"}>
        {entry.definition}
        {props.own ? <OverlayTag name={props.profile.name} /> : null}
      </p>
    </Layout>
  );
}
