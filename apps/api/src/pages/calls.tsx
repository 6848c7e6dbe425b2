import type { Call, CallEnd, CallStep, Explanation } from "@sipcodes/core";
import type { CallsBody } from "../calls.ts";
import { ExplanationView } from "./explanation.tsx";

/**
 * The whole-call view of a trace or capture: per call its ladder, timings,
 * who ended it and why, and the final response explained. Every fact comes
 * from core's `explainCalls` (the same CallsResult POST /v1/explain answers).
 */
export interface CallsViewProps {
  body: CallsBody;
  /** The standard (RFC) explanation of a final response, to mark a profile's overlay. */
  standardOf: (e: Explanation) => Explanation;
}

const seconds = (ms: number | undefined) =>
  ms === undefined ? undefined : `${(ms / 1000).toFixed(1)} s`;

const offset = (ms: number | undefined) => (ms === undefined ? "" : `+${(ms / 1000).toFixed(3)} s`);

function what(step: CallStep): string {
  if (step.kind === "request") return step.method;
  const head = `${step.code ?? ""}${step.phrase ? ` ${step.phrase}` : ""}`;
  return step.method === "INVITE" ? head : `${head} (${step.method})`;
}

/** Which way a message went: by address when the input had them, else by side. */
function direction(step: CallStep): string {
  if (step.src && step.dst) return `${step.src} → ${step.dst}`;
  if (step.by === "caller") return "caller → callee";
  if (step.by === "callee") return "callee → caller";
  return "";
}

function reasonText(r: CallEnd["reasons"][number]): string {
  if (r.cause === undefined) return r.raw;
  return `${r.protocol} cause ${r.cause}${r.text ? ` "${r.text}"` : ""}${r.location ? `, location ${r.location}${r.locationName ? ` (${r.locationName})` : ""}` : ""}`;
}

function EndFacts({ end }: { end: CallEnd }) {
  return (
    <>
      <dt>{end.method}</dt>
      <dd>
        sent by the {end.by ?? "unknown side"}
        {end.src ? ` (${end.src})` : ""}
        {end.at !== undefined ? ` at ${offset(end.at)}` : ""}
        {end.reasons.length === 0 ? ", with no Reason header" : null}
        {end.reasons.length ? (
          <ul>
            {end.reasons.map((r) => (
              <li>
                Reason: <code>{reasonText(r)}</code>
                {r.meaning ? ` — ${r.meaning}` : ""}
              </li>
            ))}
          </ul>
        ) : null}
      </dd>
    </>
  );
}

function CallView({ call, standardOf }: { call: Call; standardOf: CallsViewProps["standardOf"] }) {
  const id = `call-${call.id}`;
  const final = call.final;
  const e = final?.explanation;
  const timing: [string, string | undefined][] = [
    ["Post-dial delay", seconds(call.pddMs)],
    ["Ringing", seconds(call.ringMs)],
    ["Talk time", seconds(call.talkMs)],
  ];
  return (
    <article aria-labelledby={id} class="call">
      <h3 id={id}>
        Call {call.id}: {call.from ?? "?"} → {call.to ?? "?"}
        {call.method !== "INVITE" ? ` (${call.method})` : ""}
      </h3>
      <p class="lead verdict">{call.verdict}</p>
      <dl class="facts call-facts">
        <dt>Outcome</dt>
        <dd>{call.outcome}</dd>
        {call.why ? (
          <>
            <dt>Why</dt>
            <dd>{call.why}</dd>
          </>
        ) : null}
        <dt>Call-ID</dt>
        <dd>
          <code>{call.callId}</code>
        </dd>
        <dt>Messages</dt>
        <dd>
          {call.messages}
          {call.retransmissions
            ? `, of which ${call.retransmissions} ${call.retransmissions === 1 ? "was a retransmission" : "were retransmissions"} (folded into the ladder)`
            : ", no retransmissions"}
        </dd>
        {timing.map(([name, value]) =>
          value === undefined ? null : (
            <>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </>
          ),
        )}
        {call.earlyMedia ? (
          <>
            <dt>Early media</dt>
            <dd>yes: a 183 or a provisional answer with SDP came before the final response</dd>
          </>
        ) : null}
        {call.challenges ? (
          <>
            <dt>Authentication</dt>
            <dd>
              {call.challenges} challenge{call.challenges > 1 ? "s" : ""} answered with a new
              request
            </dd>
          </>
        ) : null}
        {call.cancel ? <EndFacts end={call.cancel} /> : null}
        {call.bye ? <EndFacts end={call.bye} /> : null}
      </dl>
      <table class="ladder">
        <caption>Messages of call {call.id}, in order</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Direction</th>
            <th scope="col">Kind</th>
            <th scope="col">Message</th>
            <th scope="col">Retransmitted</th>
          </tr>
        </thead>
        <tbody>
          {call.events.map((step) => (
            <tr class={step.kind}>
              <td class="mono">{offset(step.at)}</td>
              <td class="mono">{direction(step)}</td>
              <td>{step.kind}</td>
              <td>
                <strong>{what(step)}</strong>
                {step.cseq !== undefined ? <span class="muted"> CSeq {step.cseq}</span> : null}
              </td>
              <td>{step.retransmissions ? `${step.retransmissions}×` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {e ? (
        <section aria-labelledby={`${id}-final`}>
          <h4 id={`${id}-final`}>
            The final response: {final?.code} {final?.phrase ?? e.phrase}
          </h4>
          <ExplanationView e={e} standard={standardOf(e)} level={5} id={`${id}-final`} />
        </section>
      ) : (
        <p class="note">
          {final
            ? `The final response ${final.code} was not explained.`
            : "No final response in the input."}
        </p>
      )}
    </article>
  );
}

export function CallsView({ body, standardOf }: CallsViewProps) {
  const n = body.calls.length;
  return (
    <section aria-labelledby="calls">
      <h2 id="calls">
        {n === 1 ? "The call" : `${n} calls`} in the {body.format} input
      </h2>
      {body.warnings.length ? (
        <div class="note">
          <p>The reader reported:</p>
          <ul>
            {body.warnings.map((w) => (
              <li>
                {w.message}
                {w.offset !== undefined ? ` (at byte ${w.offset})` : ""}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {body.skipped.length ? (
        <p class="muted">
          {body.skipped.length} message{body.skipped.length > 1 ? "s" : ""} skipped (not SIP, or no
          Call-ID).
        </p>
      ) : null}
      {body.calls.map((call) => (
        <CallView call={call} standardOf={standardOf} />
      ))}
    </section>
  );
}
