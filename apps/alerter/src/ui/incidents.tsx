import type { Incident, IncidentMember } from "@sipcodes/detect";
import { labelsOf } from "../domain/grouping.ts";
import { utc } from "./_format.ts";
import { Layout } from "./layout.tsx";
import type { ScopeHistory } from "./scope-history.ts";
import { percent, Sparkline, sparkTop } from "./sparkline.tsx";

/** The silence form, filled in with an incident root's labels. */
function silenceHref(incident: Incident): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(labelsOf(incident.root.rule, incident.root.scope))) {
    if (value !== undefined) params.set(name, value);
  }
  return `/ui/silences?${params}`;
}

/** `45 minutes`, `2 hours 5 minutes`. */
function span(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [
    h ? `${h} hour${h > 1 ? "s" : ""}` : "",
    m ? `${m} minute${m > 1 ? "s" : ""}` : "",
  ];
  return parts.filter(Boolean).join(" ") || "0 minutes";
}

function Spark(props: { history: ScopeHistory; member: IncidentMember; id: string }) {
  const { member } = props;
  const series = props.history.view(member.rule, member.scope.key);
  if (!series || series.points.every((p) => p.rate === null)) {
    return <span class="muted">No history yet</span>;
  }
  const { points } = series;
  const first = points[0]!.minute;
  const last = points[points.length - 1]!.minute;
  const label = `${member.rule} on ${member.scope.key}, last ${span(points.length)}: rate over ${series.windowMinutes}-minute windows, now ${percent(member.reading.rate)}, threshold ${percent(member.reading.threshold)}.`;
  return (
    <figure class="spark">
      <Sparkline id={props.id} label={label} points={points} />
      <figcaption class="legend">
        {utc((first + 1) * 60_000).slice(11, 16)}–{utc((last + 1) * 60_000).slice(11, 16)} UTC,
        scale 0–{percent(sparkTop(points))}
      </figcaption>
    </figure>
  );
}

export function IncidentsPage(props: {
  version: string;
  formToken: string;
  incidents: readonly Incident[];
  history: ScopeHistory;
  hours: number;
  lastEvaluation: number | null;
  role?: "evaluator" | "standby" | undefined;
  /** Redis mode: the node holding the evaluator lease (null: none now). */
  leader?: string | null | undefined;
  /** The committed state could not be read: the list below is not "no incident". */
  unavailable?: boolean;
}) {
  const active = props.incidents.filter((i) => i.status === "firing");
  return (
    <Layout
      title="Incidents"
      current="incidents"
      formToken={props.formToken}
      version={props.version}
    >
      <h1>Active incidents</h1>
      <p class="muted">
        Last evaluation: {utc(props.lastEvaluation)}.
        {props.role === "standby"
          ? ` This node is a standby: it shows what the evaluator (${props.leader ? `node ${props.leader}` : "no node holds the lease now"}) last committed; the sparklines are drawn on the evaluator.`
          : ""}
      </p>
      {props.unavailable ? (
        <p class="problem" role="alert">
          The evaluator's committed state cannot be read now: the incidents are not known here.
        </p>
      ) : active.length === 0 ? (
        <p class="note">No incident is firing.</p>
      ) : (
        <>
          <p class="legend">
            Sparklines show up to the last {props.hours} hours the alerter has seen, one point a
            minute: <span class="rate-key">solid</span> the scope's rate,{" "}
            <span class="threshold-key">dashed</span> the threshold it must stay under.
          </p>
          {active.map((incident, n) => (
            <section class="incident" aria-labelledby={`incident-${n}`}>
              <h2 id={`incident-${n}`}>
                {incident.root.rule} on <span class="mono">{incident.root.scope.key}</span>
              </h2>
              <p class="muted">
                Incident <span class="mono">{incident.id}</span>, opened {utc(incident.openedAt)},
                updated {utc(incident.updatedAt)}; codes {incident.codes.join(", ")}.{" "}
                <a href={silenceHref(incident)}>Silence this incident</a>
              </p>
              <h3>Affected scopes</h3>
              <section
                class="table"
                tabindex={0}
                aria-label={`Affected scopes of ${incident.root.rule} on ${incident.root.scope.key}`}
              >
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Scope</th>
                      <th scope="col">Rule</th>
                      <th scope="col">Role</th>
                      <th scope="col">Status</th>
                      <th scope="col">Rate</th>
                      <th scope="col">Threshold</th>
                      <th scope="col">Calls</th>
                      <th scope="col">Last hours</th>
                    </tr>
                  </thead>
                  <tbody>
                    {incident.members.map((m, k) => (
                      <tr>
                        <td class="mono">{m.scope.key}</td>
                        <td>{m.rule}</td>
                        <td>{m.role}</td>
                        <td class={`state state-${m.status}`}>{m.status}</td>
                        <td class="num">{percent(m.reading.rate)}</td>
                        <td class="num">{percent(m.reading.threshold)}</td>
                        <td class="num">
                          {m.reading.count} of {m.reading.calls} in {m.reading.windowMinutes} min
                        </td>
                        <td>
                          <Spark history={props.history} member={m} id={`spark-${n}-${k}`} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}
