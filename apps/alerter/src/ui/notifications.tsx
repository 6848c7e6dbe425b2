import type { MessageStatus, OutboxMessage } from "../io/store.ts";
import { utc } from "./_format.ts";
import { Layout } from "./layout.tsx";

function lastResult(m: OutboxMessage): string {
  const parts = [m.lastStatus === null ? "" : `HTTP ${m.lastStatus}`, m.lastError ?? ""];
  const text = parts.filter(Boolean).join(": ");
  return text || "—";
}

function Messages(props: { messages: readonly OutboxMessage[]; caption: string; dead?: boolean }) {
  return (
    <section class="table" tabindex={0} aria-label={props.caption}>
      <table>
        <caption class="muted">{props.caption}</caption>
        <thead>
          <tr>
            {props.dead ? <th scope="col">Id</th> : null}
            <th scope="col">Queued</th>
            <th scope="col">Destination</th>
            <th scope="col">Kind</th>
            <th scope="col">Announces</th>
            <th scope="col">Delivery</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last result</th>
            <th scope="col">{props.dead ? "Dead since" : "Delivered"}</th>
          </tr>
        </thead>
        <tbody>
          {props.messages.map((m) => (
            <tr>
              {props.dead ? <td class="mono">{m.id}</td> : null}
              <td class="num">{utc(m.createdAt)}</td>
              <td>{m.destination}</td>
              <td>{m.kind}</td>
              <td class={`state state-${m.state}`}>{m.state}</td>
              <td class={`state state-${m.status}`}>{m.status}</td>
              <td class="num">{m.attempts}</td>
              <td>{lastResult(m)}</td>
              <td class="num">{utc(props.dead ? m.deadAt : m.deliveredAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function NotificationsPage(props: {
  version: string;
  formToken: string;
  recent: readonly OutboxMessage[];
  dead: readonly OutboxMessage[];
  counts: Record<MessageStatus, number>;
  limit: number;
}) {
  const { counts } = props;
  return (
    <Layout
      title="Notifications"
      current="notifications"
      formToken={props.formToken}
      version={props.version}
    >
      <h1>Notifications</h1>
      <p>
        In the outbox: {counts.pending} pending, {counts.delivered} delivered, {counts.dead} dead,{" "}
        {counts.superseded} superseded.
      </p>
      <h2>Recent</h2>
      {props.recent.length === 0 ? (
        <p class="note">Nothing was queued yet.</p>
      ) : (
        <Messages
          messages={props.recent}
          caption={`The ${props.limit} newest messages of every delivery state, newest first.`}
        />
      )}
      <h2>Dead letters</h2>
      {props.dead.length === 0 ? (
        <p class="note">No dead letters.</p>
      ) : (
        <>
          <p>
            Replay one with <code>POST /v1/dead-letters/&lt;id&gt;/replay</code>.
          </p>
          <Messages
            messages={props.dead}
            caption="Messages that were not delivered before their deadline."
            dead
          />
        </>
      )}
    </Layout>
  );
}
