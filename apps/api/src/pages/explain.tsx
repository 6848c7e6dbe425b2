import type { Explanation } from "@sipcodes/core";
import type { CallsBody } from "../calls.ts";
import { CallsView } from "./calls.tsx";
import { OptionsFields, type ViewOptions } from "./code.tsx";
import { ExplanationView } from "./explanation.tsx";
import { Layout, type PageMeta } from "./layout.tsx";

/** One pasted message and what the core made of it. */
export type MessageResult =
  | { index: number; input: string; explanation: Explanation; standard: Explanation }
  | { index: number; input: string; problem: { title: string; detail: string } };

export interface ExplainPageProps {
  meta: PageMeta;
  options: ViewOptions;
  trace: string;
  /** Largest trace the form takes, in characters. */
  limit: number;
  /** Largest capture file the form takes, in bytes. */
  captureLimit: number;
  /** Absent before anything was pasted. */
  results?: readonly MessageResult[] | undefined;
  /** The whole-call view, when the paste or the upload held calls (then `results` is absent). */
  calls?: CallsBody | undefined;
  /** The standard (RFC) explanation of a code, to mark a profile's overlay. */
  standardOf?: (e: Explanation) => Explanation;
}

const firstLine = (text: string) => text.split(/\r?\n/, 1)[0] ?? "";

/** `/explain`: a form for pasted text; after a POST, one explanation per message in it. */
export function ExplainPage(props: ExplainPageProps) {
  const { results, calls } = props;
  const limitText = props.limit.toLocaleString("en");
  const captureMiB = Math.round(props.captureLimit / 1024 / 1024);
  return (
    <Layout meta={props.meta} copy={results !== undefined || calls !== undefined}>
      <h1>Explain a trace</h1>
      <p>
        Paste what you have: a code, a status line, a Reason header, one SIP response, or a trace of
        whole calls (raw SIP with Call-IDs, sngrep, ngrep, siptrace, tshark text or JSON). Or choose
        a capture file. A trace of calls is told call by call: its messages in order, the timings,
        who ended it and why, and the final response explained. A single response gets its
        explanation.
      </p>
      <form method="post" action="/explain" enctype="multipart/form-data" aria-label="Trace">
        <p>
          <label for="trace">
            <strong>Text to explain</strong> (up to {limitText} characters)
          </label>
        </p>
        <textarea
          id="trace"
          name="trace"
          maxlength={props.limit}
          spellcheck={false}
          aria-describedby="trace-hint"
        >
          {props.trace}
        </textarea>
        <p>
          <label for="capture">
            <strong>Or a capture file</strong> (pcap, pcapng or HEP, up to {captureMiB} MiB)
          </label>{" "}
          <input
            type="file"
            id="capture"
            name="capture"
            accept=".pcap,.pcapng,.cap,.hep,application/vnd.tcpdump.pcap"
          />
        </p>
        <p id="trace-hint" class="muted">
          Nothing you paste or upload is stored: it is explained and sent back in this page only.
        </p>
        <div class="inline">
          <OptionsFields options={props.options} />
          <button type="submit">Explain</button>
        </div>
      </form>
      {calls ? (
        <CallsView body={calls} standardOf={props.standardOf ?? ((e: Explanation) => e)} />
      ) : null}
      {results ? (
        <section aria-labelledby="messages">
          <h2 id="messages">
            {results.length === 0
              ? "Nothing to explain"
              : results.length === 1
                ? "The explanation"
                : `${results.length} messages`}
          </h2>
          {results.length === 0 ? (
            <p>The text held no SIP response, code or Reason header.</p>
          ) : null}
          <ol class="results">
            {results.map((r) => (
              <li>
                <article aria-labelledby={`m${r.index}`}>
                  <h3 id={`m${r.index}`}>
                    {"explanation" in r
                      ? `${r.explanation.code} ${r.explanation.profilePhrase ?? r.explanation.phrase}`
                      : `Message ${r.index + 1}: not explained`}
                  </h3>
                  <pre>{firstLine(r.input)}</pre>
                  {"explanation" in r ? (
                    <ExplanationView
                      e={r.explanation}
                      standard={r.standard}
                      level={4}
                      id={`m${r.index}`}
                    />
                  ) : (
                    <div class="problem">
                      <p>
                        <strong>{r.problem.title}</strong>
                      </p>
                      <p>{r.problem.detail}</p>
                    </div>
                  )}
                </article>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Layout>
  );
}
