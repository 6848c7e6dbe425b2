import type { PlatformCauseMapping, Profile, Q850Cause } from "@sipcodes/core";
import { codeHref, q850Href } from "./_format.ts";
import { ProfileChooser } from "./_profile-chooser.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

/** The profile a Q.850 page is read through, and the profiles whose cause table it can show. */
export interface Q850View {
  profile: Profile;
  /** The standard profile first, then every profile with a cause table of its own. */
  profiles: readonly Profile[];
  /** The standard profile: no platform table, RFC 3398 alone. */
  standard: boolean;
}

/** What RFC 3398 sends the cause on as, in a few words for the list. */
function rfcTarget(c: Q850Cause): string {
  if (c.sip.length) return `SIP ${c.sip.map((s) => s.code).join(", ")}`;
  return c.untranslatable ? "no SIP response (untranslatable)" : "BYE or CANCEL, no error response";
}

function Chooser(props: { action: string; view: Q850View }) {
  return (
    <ProfileChooser
      action={props.action}
      label="Platform's own cause table"
      profile={props.view.profile}
      profiles={props.view.profiles}
    />
  );
}

/** `/q850`: every assigned cause value, and with a profile what its platform answers for each. */
export function Q850ListPage(props: {
  meta: PageMeta;
  causes: readonly Q850Cause[];
  view: Q850View;
  platform: (cause: number) => PlatformCauseMapping | undefined;
}) {
  const { view } = props;
  const id = view.standard ? undefined : view.profile.id;
  return (
    <Layout meta={props.meta}>
      <h1>Q.850 cause values</h1>
      <p>
        The ISDN/ISUP release causes that gateways carry in a SIP Reason header, with the SIP code
        each one is translated to.
      </p>
      <Chooser action="/q850" view={view} />
      <ul class="codes">
        {props.causes.map((c) => {
          const p = view.standard ? undefined : props.platform(c.cause);
          return (
            <li>
              <a href={q850Href(c.cause, id)}>
                <span class="num">{c.cause}</span> {c.name}
              </a>
              <span class="muted"> → {rfcTarget(c)}</span>
              {p ? (
                <>
                  <span class="muted"> · </span>
                  <span class={p.differs ? "tag" : "muted"}>
                    {p.name}: {p.sip}
                    {p.listed ? "" : " (fallback)"}
                  </span>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Layout>
  );
}

/** `/q850/{cause}`: one cause, its mappings both ways, and with a profile its platform's answer. */
export function Q850Page(props: {
  meta: PageMeta;
  cause: Q850Cause;
  view: Q850View;
  platform: PlatformCauseMapping | undefined;
}) {
  const { cause: c, view, platform } = props;
  const id = view.standard ? undefined : view.profile.id;
  return (
    <Layout meta={props.meta}>
      <p class="meta">
        <a href={id ? `/q850?profile=${encodeURIComponent(id)}` : "/q850"}>Q.850 causes</a>
      </p>
      <h1>
        Cause {c.cause}: {c.name}
      </h1>
      <Chooser action={q850Href(c.cause)} view={view} />
      <dl class="facts">
        <dt>Class</dt>
        <dd>{c.class}</dd>
        <dt>Caused by the user</dt>
        <dd>{c.userCaused ? "yes" : "no"}</dd>
        {c.nationalUse ? (
          <>
            <dt>Use</dt>
            <dd>national use</dd>
          </>
        ) : null}
      </dl>
      {c.explanation ? <p class="lead">{c.explanation}</p> : null}
      {platform ? (
        <section aria-labelledby="platform">
          <h2 id="platform">What {platform.name} answers</h2>
          <p>
            <a href={codeHref(platform.sip, view.profile.id)}>SIP {platform.sip}</a>
            {platform.differs ? <span class="tag">differs from RFC 3398</span> : null}
            {platform.listed ? null : <span class="tag">its fallback</span>}
          </p>
          <p>{platform.note}</p>
        </section>
      ) : view.standard ? null : (
        <p class="note">
          sipcodes has no cause table for {view.profile.name} that covers cause {c.cause}: only the
          RFC 3398 mapping is shown.
        </p>
      )}
      <section aria-labelledby="to-sip">
        <h2 id="to-sip">Sent on to SIP as (RFC 3398)</h2>
        {c.sip.length ? null : (
          <p>
            {c.untranslatable
              ? "No SIP response: RFC 3398 calls this cause untranslatable, and the switch that meets it should try another circuit instead of answering."
              : "No error response: RFC 3398 expects the call to end with a BYE (after answer) or a CANCEL (before it), not a status code."}
          </p>
        )}
        {c.sip.length ? (
          <ul>
            {c.sip.map((s) => (
              <li>
                <a href={codeHref(s.code, id)}>{s.code}</a>
                {s.condition ? ` when ${s.condition}` : ""}
                {s.userLocationCode !== undefined ? ` (location ${s.userLocationCode})` : ""}
                {c.sipIsDefault ? <span class="tag">RFC 3398 default</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {c.fromSip.length ? (
        <section aria-labelledby="from-sip">
          <h2 id="from-sip">SIP codes translated to this cause</h2>
          <p>
            {c.fromSip.map((code, i) => (
              <>
                {i ? ", " : ""}
                <a href={codeHref(code, id)}>{code}</a>
              </>
            ))}
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
