import { Labels } from "../domain/labels.ts";
import type { Silence } from "../domain/silence.ts";
import { utc } from "./_format.ts";
import { Layout } from "./layout.tsx";

/** How many matcher rows the form offers. */
export const MATCHER_ROWS = 3;
/** The lengths a silence made on the page can have, in minutes. */
export const DURATIONS = [30, 60, 120, 240, 480, 1440, 4320, 10080] as const;
const OPS = ["=", "!=", "=~", "!~"] as const;

const durationLabel = (m: number) =>
  m < 60 ? `${m} minutes` : m < 1440 ? `${m / 60} hours` : `${m / 1440} days`;

/** What the form was filled in with (to show it again beside its errors). */
export interface SilenceDraft {
  matchers: { name: string; op: string; value: string }[];
  duration: string;
  createdBy: string;
  comment: string;
}

export const emptyDraft = (): SilenceDraft => ({
  matchers: [],
  duration: "120",
  createdBy: "",
  comment: "",
});

function matcherText(s: Silence): string {
  return s.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(", ");
}

function SilenceTable(props: {
  silences: readonly Silence[];
  now: number;
  formToken: string;
  caption: string;
}) {
  return (
    <section class="table" tabindex={0} aria-label={props.caption}>
      <table>
        <caption class="muted">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Matchers</th>
            <th scope="col">From</th>
            <th scope="col">Until</th>
            <th scope="col">By</th>
            <th scope="col">Comment</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.silences.map((s) => {
            const live = s.endsAt > props.now;
            return (
              <tr data-silence={s.id}>
                <td class="mono">{matcherText(s)}</td>
                <td class="num">{utc(s.startsAt)}</td>
                <td class="num">{utc(s.endsAt)}</td>
                <td>{s.createdBy}</td>
                <td>{s.comment}</td>
                <td>
                  {live ? (
                    <form class="inline" method="post" action={`/ui/silences/${s.id}/expire`}>
                      <input type="hidden" name="csrf" value={props.formToken} />
                      <button
                        type="submit"
                        class="secondary"
                        aria-label={`Expire ${matcherText(s)}`}
                      >
                        Expire
                      </button>
                    </form>
                  ) : (
                    <span class="muted">expired</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function SilencesPage(props: {
  version: string;
  formToken: string;
  now: number;
  silences: readonly Silence[];
  draft: SilenceDraft;
  errors: readonly string[];
  created?: string | undefined;
}) {
  const { draft } = props;
  const live = props.silences.filter((s) => s.endsAt > props.now);
  const ended = props.silences.filter((s) => s.endsAt <= props.now).slice(0, 20);
  return (
    <Layout title="Silences" current="silences" formToken={props.formToken} version={props.version}>
      <h1>Silences</h1>
      {props.created ? (
        <p class="note" role="status">
          Silence <span class="mono">{props.created}</span> created.
        </p>
      ) : null}
      <h2>Active and scheduled</h2>
      {live.length === 0 ? (
        <p class="note">No silence is active.</p>
      ) : (
        <SilenceTable
          silences={live}
          now={props.now}
          formToken={props.formToken}
          caption="Alerts matching every matcher of one of these are not notified."
        />
      )}
      <h2 id="new">New silence</h2>
      {props.errors.length > 0 ? (
        <div class="problem" role="alert">
          <p class="error">The silence was not created:</p>
          <ul>
            {props.errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form class="stack" method="post" action="/ui/silences" aria-labelledby="new">
        <input type="hidden" name="csrf" value={props.formToken} />
        <p class="muted">
          Matchers compare an alert's labels; a regex (<code>=~</code>, <code>!~</code>) must match
          the whole value. Leave a row's label empty to skip it. The silence starts now, by the
          alerter's clock.
        </p>
        {Array.from({ length: MATCHER_ROWS }, (_, i) => {
          const m = draft.matchers[i] ?? { name: "", op: "=", value: "" };
          return (
            <fieldset>
              <legend>Matcher {i + 1}</legend>
              <div class="field">
                <label for={`m${i}-name`}>Label</label>
                <select id={`m${i}-name`} name={`m${i}.name`}>
                  <option value="" selected={m.name === ""}>
                    (none)
                  </option>
                  {Labels.map((l) => (
                    <option value={l} selected={m.name === l}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for={`m${i}-op`}>Operator</label>
                <select id={`m${i}-op`} name={`m${i}.op`}>
                  {OPS.map((o) => (
                    <option value={o} selected={m.op === o}>
                      {o}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for={`m${i}-value`}>Value</label>
                <input id={`m${i}-value`} name={`m${i}.value`} value={m.value} maxlength={500} />
              </div>
            </fieldset>
          );
        })}
        <div class="field">
          <label for="duration">Lasts</label>
          <select id="duration" name="duration">
            {DURATIONS.map((d) => (
              <option value={String(d)} selected={draft.duration === String(d)}>
                {durationLabel(d)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="createdBy">Created by</label>
          <input
            id="createdBy"
            name="createdBy"
            value={draft.createdBy}
            required
            maxlength={200}
            autocomplete="email"
          />
        </div>
        <div class="field">
          <label for="comment">Why</label>
          <textarea id="comment" name="comment" required maxlength={2000}>
            {draft.comment}
          </textarea>
        </div>
        <div>
          <button type="submit">Create the silence</button>
        </div>
      </form>
      <h2>Ended</h2>
      {ended.length === 0 ? (
        <p class="note">No silence has ended yet.</p>
      ) : (
        <SilenceTable
          silences={ended}
          now={props.now}
          formToken={props.formToken}
          caption="The 20 most recent silences that are over."
        />
      )}
    </Layout>
  );
}
