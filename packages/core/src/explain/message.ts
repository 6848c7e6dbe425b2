// What a whole message adds to the explanation of its code: the standard
// variant its phrase or Call-Info selects, the method its CSeq names, and the
// headers that name a cause or a sender.
import { findVariant } from "../catalogue/variants.ts";
import type { CauseHeaders } from "../parse/headers/index.ts";
import type { ParsedInput } from "../parse/index.ts";
import { normalizePhrase } from "../profiles/registry.ts";
import type { Explanation } from "../schema/explanation.ts";
import { headerFields } from "./headers.ts";
import { methodReading } from "./method.ts";

/** The fields a message's headers, phrase and method add to or change in `b`. */
export function messageFields(
  b: Explanation,
  extra: Partial<Explanation>,
  parsed: ParsedInput,
  causes: CauseHeaders | undefined,
): Partial<Explanation> {
  const after = extra.retry?.after ?? b.retry.after;
  const out: Partial<Explanation> = {};
  const code = b.code;
  const isRequest = parsed.kind === "request";
  const context = isRequest
    ? { ...(parsed.method ? { method: parsed.method } : {}) }
    : parsed.kind === "reason"
      ? {}
      : { code };
  if (causes) Object.assign(out, headerFields(causes, context));
  else if (parsed.kind === "reason" && parsed.reasons.length) {
    // A bare Reason value: the same reading as a Reason header field.
    Object.assign(
      out,
      headerFields(
        {
          reasons: parsed.reasons.map((r) => ({
            protocol: r.protocol,
            cause: r.cause,
            raw: `${r.protocol};cause=${r.cause}`,
            ...(r.text ? { text: r.text } : {}),
            ...(r.location ? { location: r.location } : {}),
          })),
          diagnostics: [],
          hangup: [],
          producer: {},
          callInfo: [],
          codeHeaders: {},
        },
        context,
      ),
    );
  }

  const variant = findVariant(
    code,
    parsed.phrase === undefined ? undefined : normalizePhrase(parsed.phrase),
    (causes?.callInfo ?? []).flatMap((c) => (c.purpose ? [c.purpose] : [])),
    normalizePhrase,
  );
  if (variant) {
    out.variant = { id: variant.id, name: variant.name, brief: variant.brief };
    out.summary = variant.summary;
    out.outcome = variant.outcome;
    out.retry = { ...variant.retry, ...(after ? { after } : {}) };
    out.endUser = {
      message: variant.endUser,
      ...(b.audience === "end-user"
        ? { actions: variant.actions.filter((a) => a.actor === "end-user").map((a) => a.text) }
        : {}),
    };
    if (b.operator)
      out.operator = {
        meaning: variant.meaning,
        causes: [...variant.causes],
        actions: [...variant.actions],
      };
    out.references = [...new Set([...b.references, ...variant.references])];
  }

  // A SIP cause in a bare Reason or a CANCEL: what it says about this branch (200: answered elsewhere).
  const sipReason = out.reasons?.find((r) => r.protocol === "SIP" && r.cause === code);
  const elsewhere =
    (parsed.kind === "reason" || parsed.method === "CANCEL") && sipReason?.meaning && code < 300;
  if (elsewhere && sipReason?.meaning) {
    out.summary = sipReason.meaning;
    out.outcome = "cancelled";
    out.endUser = { message: "The call was answered elsewhere." };
  }

  const method = isRequest ? parsed.method : causes?.cseq?.method;
  if (method && (isRequest || method !== "INVITE")) {
    const reading = isRequest ? undefined : methodReading(method, code);
    const note = isRequest
      ? `This is a ${method} request, explained by the cause its Reason header names (SIP ${code}).`
      : reading?.summary;
    out.request = { method, isRequest, ...(note ? { note } : {}) };
    if (reading) {
      out.summary = reading.summary;
      if (reading.outcome) out.outcome = reading.outcome;
      if (reading.endUser) out.endUser = { message: reading.endUser };
    }
  }
  return out;
}
