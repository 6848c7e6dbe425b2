import { type Explanation, platformCauseMapping } from "@sipcodes/core";
import { codeHref, q850Href, rfcHref, termHref } from "./_format.ts";

/**
 * The heading level of an explanation's sections: h2 on a code page, h4 inside
 * a list of results, h5 under a call of the whole-call view.
 */
type Level = 2 | 4 | 5;

/** The explanation's profile, when its platform has its own answer for the cause (so the cause page shows it). */
function causeTableOf(e: Explanation, cause: number): string | undefined {
  return platformCauseMapping(cause, { profile: e.profile.id }) ? e.profile.id : undefined;
}

function Heading(props: { level: 2 | 3 | 4 | 5 | 6; id: string; children: string }) {
  const { id, children } = props;
  switch (props.level) {
    case 2:
      return <h2 id={id}>{children}</h2>;
    case 3:
      return <h3 id={id}>{children}</h3>;
    case 4:
      return <h4 id={id}>{children}</h4>;
    case 5:
      return <h5 id={id}>{children}</h5>;
    default:
      return <h6 id={id}>{children}</h6>;
  }
}

function H(props: { level: Level; id: string; children: string }) {
  return <Heading level={props.level} id={props.id} children={props.children} />;
}

/** A heading one level below the sections. */
function Sub(props: { level: Level; id: string; children: string }) {
  return <Heading level={(props.level + 1) as 3 | 5 | 6} id={props.id} children={props.children} />;
}

/** Marks text that a profile gives, as opposed to the standard meaning. */
export function OverlayTag(props: { name: string }) {
  return <span class="tag overlay-tag">{props.name}</span>;
}

export interface ExplanationViewProps {
  e: Explanation;
  /**
   * The same code explained with the standard meanings; what differs from it
   * is the profile's overlay and is marked with the profile's name.
   */
  standard: Explanation | undefined;
  level: Level;
  /** Prefix for element ids, so several explanations fit on one page. */
  id: string;
}

/** One explanation from the core, laid out: every word comes from `e`. */
export function ExplanationView({ e, standard, level, id }: ExplanationViewProps) {
  const profileName = e.profile.name;
  const overlaid = standard !== undefined && e.profile.id !== standard.profile.id;
  const differs = (a: string | undefined, b: string | undefined) =>
    overlaid && a !== undefined && a !== b;
  const standardCauses = new Set(standard?.operator?.causes.map((c) => c.text));
  const standardActions = new Set(standard?.operator?.actions.map((a) => a.text));
  const profileLink = e.profile.id === standard?.profile.id ? undefined : e.profile.id;
  const sayId = `${id}-say`;
  return (
    <>
      <p class={differs(e.summary, standard?.summary) ? "lead overlay" : "lead"}>
        {e.summary}
        {differs(e.summary, standard?.summary) ? <OverlayTag name={profileName} /> : null}
      </p>
      <dl class="facts">
        <dt>Class</dt>
        <dd>
          {e.class} {e.className}
        </dd>
        <dt>Outcome</dt>
        <dd>{e.outcome}</dd>
        <dt>Profile</dt>
        <dd>
          <a href={`/profiles#${e.profile.id}`}>{profileName}</a>
        </dd>
        {e.direction ? (
          <>
            <dt>Direction</dt>
            <dd>{e.direction}</dd>
          </>
        ) : null}
        {e.received ? (
          <>
            <dt>Phrase received</dt>
            <dd>
              “{e.received.phrase}” ({e.received.matches}
              {e.received.profile ? `, ${e.received.profile}` : ""})
            </dd>
          </>
        ) : null}
      </dl>
      {e.profile.note ? <p class="note">{e.profile.note}</p> : null}
      {e.fallback ? (
        <p class="note">
          {e.fallback.note}{" "}
          <a href={codeHref(e.fallback.explainedAs, profileLink)}>{e.fallback.explainedAs}</a>
        </p>
      ) : null}

      {e.operator ? (
        <section aria-labelledby={`${id}-operator`}>
          <H level={level} id={`${id}-operator`}>
            For operators
          </H>
          <p
            class={differs(e.operator.meaning, standard?.operator?.meaning) ? "overlay" : undefined}
          >
            {e.operator.meaning}
            {differs(e.operator.meaning, standard?.operator?.meaning) ? (
              <OverlayTag name={profileName} />
            ) : null}
          </p>
          {e.operator.causes.length ? (
            <>
              <Sub level={level} id={`${id}-causes`}>
                Likely causes
              </Sub>
              <ul aria-labelledby={`${id}-causes`}>
                {e.operator.causes.map((c) => {
                  const own = overlaid && !standardCauses.has(c.text);
                  return (
                    <li class={own ? "overlay" : undefined}>
                      {c.text}
                      {c.direction !== "both" ? <span class="tag">{c.direction}</span> : null}
                      {own ? <OverlayTag name={profileName} /> : null}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
          {e.operator.actions.length ? (
            <>
              <Sub level={level} id={`${id}-actions`}>
                What to do
              </Sub>
              <ul aria-labelledby={`${id}-actions`}>
                {e.operator.actions.map((a) => {
                  const own = overlaid && !standardActions.has(a.text);
                  return (
                    <li class={own ? "overlay" : undefined}>
                      {a.text}
                      <span class="tag">by {a.actor}</span>
                      {a.direction ? <span class="tag">{a.direction}</span> : null}
                      {own ? <OverlayTag name={profileName} /> : null}
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby={`${id}-caller`}>
        <H level={level} id={`${id}-caller`}>
          For the caller
        </H>
        <blockquote class="say" id={sayId}>
          <p>{e.endUser.message}</p>
        </blockquote>
        {differs(e.endUser.message, standard?.endUser.message) ? (
          <p class="meta">
            The sentence is {profileName}'s own. <OverlayTag name={profileName} />
          </p>
        ) : null}
        <p class="copy">
          <button
            type="button"
            class="secondary"
            data-copy={sayId}
            data-status={`${id}-copied`}
            hidden
          >
            Copy the sentence
          </button>{" "}
          <span id={`${id}-copied`} role="status" aria-live="polite" />
        </p>
        {e.endUser.actions?.length ? (
          <ul>
            {e.endUser.actions.map((a) => (
              <li>{a}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-labelledby={`${id}-retry`}>
        <H level={level} id={`${id}-retry`}>
          Retrying
        </H>
        <dl class="facts">
          <dt>Same request again</dt>
          <dd class={e.retry.retryable ? "yes" : "no"}>
            {e.retry.retryable ? "can succeed" : "will fail the same way"}
          </dd>
          <dt>Retry-After header</dt>
          <dd>{e.retry.retryAfter}</dd>
          {e.retry.after ? (
            <>
              <dt>Retry-After received</dt>
              <dd>
                {e.retry.after.seconds} s
                {e.retry.after.comment ? ` (${e.retry.after.comment})` : ""}
              </dd>
            </>
          ) : null}
        </dl>
        <p>{e.retry.note}</p>
      </section>

      {e.q850 || e.fromQ850?.length ? (
        <section aria-labelledby={`${id}-q850`}>
          <H level={level} id={`${id}-q850`}>
            Q.850 (ISDN/ISUP cause)
          </H>
          {e.q850 ? (
            <div class="note">
              <p>
                <a href={q850Href(e.q850.cause, causeTableOf(e, e.q850.cause))}>
                  Cause {e.q850.cause}: {e.q850.name}
                </a>{" "}
                <span class="tag">
                  {e.q850.source === "reason-header"
                    ? "from the Reason header"
                    : "RFC 3398 mapping"}
                </span>
              </p>
              {e.q850.text ? <p>Text received: “{e.q850.text}”</p> : null}
              <p>{e.q850.explanation}</p>
              {e.q850.note ? <p>{e.q850.note}</p> : null}
            </div>
          ) : null}
          {e.fromQ850?.length ? (
            <p>
              Causes that map to this code:{" "}
              {e.fromQ850.map((cause, i) => (
                <>
                  {i ? ", " : ""}
                  <a href={q850Href(cause, causeTableOf(e, cause))}>{cause}</a>
                </>
              ))}
            </p>
          ) : null}
        </section>
      ) : null}

      {e.subCode ? (
        <section aria-labelledby={`${id}-subcode`}>
          <H level={level} id={`${id}-subcode`}>
            {`Sub-code ${e.subCode.subCode}`}
          </H>
          {e.subCode.text ? <p>“{e.subCode.text}”</p> : null}
          <p>{e.subCode.meaning}</p>
          {e.subCode.action ? <p>{e.subCode.action}</p> : null}
          <p class="meta">
            Generated by: {e.subCode.generatedBy}
            {e.subCode.inferred ? " (read by the vendor's numbering rule)" : ""}
          </p>
        </section>
      ) : null}

      {e.warnings?.length ? (
        <section aria-labelledby={`${id}-warnings`}>
          <H level={level} id={`${id}-warnings`}>
            Warning headers
          </H>
          <ul>
            {e.warnings.map((w) => (
              <li>
                <span class="mono">
                  {w.code} {w.agent} “{w.text}”
                </span>
                {w.meaning ? <p>{w.meaning}</p> : null}
                {w.action ? <p>{w.action}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {e.related?.length ? (
        <section aria-labelledby={`${id}-related`}>
          <H level={level} id={`${id}-related`}>
            Related codes
          </H>
          <ul class="codes">
            {e.related.map((r) => (
              <li>
                <a href={codeHref(r.code, profileLink)}>
                  <span class="num">{r.code}</span> {r.phrase}
                </a>
                <br />
                <span class="muted">{r.note}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {e.terms?.length ? (
        <section aria-labelledby={`${id}-terms`}>
          <H level={level} id={`${id}-terms`}>
            Terms used here
          </H>
          <p>
            {e.terms.map((t, i) => (
              <>
                {i ? " · " : ""}
                <a href={termHref(t, profileLink)}>{t}</a>
              </>
            ))}
          </p>
        </section>
      ) : null}

      {e.references.length ? (
        <section aria-labelledby={`${id}-refs`}>
          <H level={level} id={`${id}-refs`}>
            References
          </H>
          <ul>
            {e.references.map((r) => {
              const href = rfcHref(r);
              return <li>{href ? <a href={href}>{r}</a> : r}</li>;
            })}
          </ul>
        </section>
      ) : null}

      {e.skipped?.length ? (
        <section aria-labelledby={`${id}-skipped`}>
          <H level={level} id={`${id}-skipped`}>
            Not read
          </H>
          <ul>
            {e.skipped.map((s) => (
              <li class="mono">{s}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
