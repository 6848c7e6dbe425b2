import type { Q850Cause } from "@sipcodes/core";
import { codeHref, q850Href } from "./_format.ts";
import { Layout, type PageMeta } from "./layout.tsx";

/** `/q850`: every assigned cause value. */
export function Q850ListPage(props: { meta: PageMeta; causes: readonly Q850Cause[] }) {
  return (
    <Layout meta={props.meta}>
      <h1>Q.850 cause values</h1>
      <p>
        The ISDN/ISUP release causes that gateways carry in a SIP Reason header, with the SIP code
        each one is translated to.
      </p>
      <ul class="codes">
        {props.causes.map((c) => (
          <li>
            <a href={q850Href(c.cause)}>
              <span class="num">{c.cause}</span> {c.name}
            </a>
            <span class="muted"> → SIP {c.sip.map((s) => s.code).join(", ")}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** `/q850/{cause}`: one cause and its mappings both ways. */
export function Q850Page(props: { meta: PageMeta; cause: Q850Cause }) {
  const c = props.cause;
  return (
    <Layout meta={props.meta}>
      <p class="meta">
        <a href="/q850">Q.850 causes</a>
      </p>
      <h1>
        Cause {c.cause}: {c.name}
      </h1>
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
      <section aria-labelledby="to-sip">
        <h2 id="to-sip">Sent on to SIP as (RFC 3398)</h2>
        <ul>
          {c.sip.map((s) => (
            <li>
              <a href={codeHref(s.code)}>{s.code}</a>
              {s.condition ? ` when ${s.condition}` : ""}
              {s.userLocationCode !== undefined ? ` (location ${s.userLocationCode})` : ""}
              {c.sipIsDefault ? <span class="tag">RFC 3398 default</span> : null}
            </li>
          ))}
        </ul>
      </section>
      {c.fromSip.length ? (
        <section aria-labelledby="from-sip">
          <h2 id="from-sip">SIP codes translated to this cause</h2>
          <p>
            {c.fromSip.map((code, i) => (
              <>
                {i ? ", " : ""}
                <a href={codeHref(code)}>{code}</a>
              </>
            ))}
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
