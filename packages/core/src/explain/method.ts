// How a response reads when it answers a request other than INVITE.
import type { Outcome } from "../schema/catalogue.ts";

export interface MethodReading {
  summary: string;
  /** What the response means for the call the request belonged to. */
  outcome?: Outcome;
  endUser?: string;
}

/**
 * Readings by "<METHOD> <class>" (or "<METHOD> <code>", which wins). A
 * response's code means what its request asked: a 200 to CANCEL says the
 * CANCEL was received, not that a call was answered (RFC 3261 §9.2).
 */
const readings: Readonly<Record<string, MethodReading>> = {
  "CANCEL 2xx": {
    summary:
      "The CANCEL was accepted: the far end will end the unanswered INVITE, normally with 487 Request Terminated. Nothing was answered.",
    outcome: "cancelled",
    endUser: "The call attempt was cancelled before it was answered.",
  },
  "CANCEL 481": {
    summary:
      "The CANCEL matched no pending INVITE: the INVITE had already got its final response, or the CANCEL's Via branch, Call-ID or CSeq differ from it.",
  },
  "BYE 2xx": {
    summary: "The BYE was accepted: the call has ended normally.",
    outcome: "answered",
    endUser: "The call has ended.",
  },
  "BYE 481": {
    summary:
      "The BYE named a call the far end no longer has: it was already ended, or the BYE's tags or Call-ID do not match it.",
  },
  "REGISTER 2xx": {
    summary:
      "The registration was accepted; the Contact and Expires in the response say what is bound and for how long.",
  },
  "REGISTER 401": {
    summary:
      "The registrar asks for credentials; a REGISTER sent again with an Authorization header normally follows.",
  },
  "REGISTER 403": {
    summary:
      "The registrar refused the registration: wrong credentials, an account not allowed to register from this address, or a disabled account.",
  },
  "OPTIONS 2xx": {
    summary:
      "The far end answered the OPTIONS keep-alive or capability query: it is reachable and says what it supports.",
  },
  "OPTIONS 4xx": {
    summary:
      "The far end is reachable (it answered) but refused the OPTIONS query; many SBCs still count any response as alive.",
  },
  "OPTIONS 5xx": {
    summary:
      "The far end answered the OPTIONS query with a server failure: reachable, but saying it cannot take traffic now.",
  },
  "ACK 2xx": { summary: "An ACK takes no response; a response carrying CSeq ACK is malformed." },
};

/** The reading of `code` for a request `method`, or undefined for INVITE and unlisted pairs. */
export function methodReading(method: string, code: number): MethodReading | undefined {
  if (method === "INVITE") return undefined;
  return readings[`${method} ${code}`] ?? readings[`${method} ${Math.floor(code / 100)}xx`];
}
