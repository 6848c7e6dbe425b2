import { defaultRegistry, type Explanation } from "@sipcodes/core";
import { ExplanationView } from "./explanation.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

export interface ViewOptions {
  profile: string;
  direction?: "inbound" | "outbound" | undefined;
  audience?: "operator" | "end-user" | undefined;
}

/** The profile, direction and audience choosers: a plain GET form, so it works without JS. */
export function OptionsFields(props: { options: ViewOptions }) {
  const { options } = props;
  return (
    <>
      <div class="field">
        <label for="profile">Profile</label>
        <select id="profile" name="profile">
          {defaultRegistry()
            .list()
            .map((p) => (
              <option value={p.id} selected={p.id === options.profile}>
                {p.name}
              </option>
            ))}
        </select>
      </div>
      <div class="field">
        <label for="direction">Direction of the call</label>
        <select id="direction" name="direction">
          <option value="" selected={!options.direction}>
            either
          </option>
          <option value="inbound" selected={options.direction === "inbound"}>
            inbound
          </option>
          <option value="outbound" selected={options.direction === "outbound"}>
            outbound
          </option>
        </select>
      </div>
      <div class="field">
        <label for="audience">What to show</label>
        <select id="audience" name="audience">
          <option value="operator" selected={options.audience !== "end-user"}>
            everything (operator)
          </option>
          <option value="end-user" selected={options.audience === "end-user"}>
            only what the caller hears
          </option>
        </select>
      </div>
    </>
  );
}

/** `/codes/{code}`: one code through a profile, with the standard meaning to mark the overlay. */
export function CodePage(props: {
  meta: PageMeta;
  e: Explanation;
  standard: Explanation;
  options: ViewOptions;
}) {
  const { e } = props;
  return (
    <Layout meta={props.meta} copy>
      <p class="meta">
        <a href={`/#class-${e.class}`}>
          {e.class} {e.className}
        </a>
      </p>
      <h1>
        {e.code} {e.phrase}
      </h1>
      {e.profilePhrase ? (
        <p class="overlay">
          Sent by {e.profile.name} as “{e.profilePhrase}”
        </p>
      ) : null}
      <form class="inline" method="get" action={`/codes/${e.code}`} aria-label="View options">
        <OptionsFields options={props.options} />
        <button type="submit">Show</button>
      </form>
      {e.profile.id !== props.standard.profile.id ? (
        <p class="note">
          Shown as {e.profile.name} uses the code. Text marked with the profile's name is that
          platform's own; the rest is the standard meaning.
        </p>
      ) : null}
      <ExplanationView e={e} standard={props.standard} level={2} id="code" />
    </Layout>
  );
}
