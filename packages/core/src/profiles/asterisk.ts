import type { ProfileInput } from "../schema/profile.ts";

// The table is Asterisk's chan_pjsip (channels/chan_pjsip.c, hangup_cause2sip:
// the SIP status it answers an unanswered INVITE with for each hangup cause);
// a cause it does not list gets no code there, and res_pjsip_session.c
// (ast_sip_session_terminate) then answers 603.
const source = "Asterisk chan_pjsip.c hangup_cause2sip";

/**
 * Asterisk with its chan_pjsip channel driver: the standard meanings of every
 * code, plus its hangup cause → SIP response table, which the core compares
 * with RFC 3398.
 */
export const asteriskProfile = {
  id: "asterisk",
  name: "Asterisk (chan_pjsip)",
  description:
    "Asterisk with its chan_pjsip channel driver. Codes keep their standard meaning; what changes is the SIP response Asterisk sends when a call ends before answer with a given hangup cause, where its table differs from RFC 3398 (500 for a network failure, 603 Decline for any cause it does not list).",
  extends: "rfc",
  codes: {},
  causeMappings: [
    { cause: 1, sip: 404 },
    { cause: 2, sip: 404 },
    { cause: 3, sip: 404 },
    { cause: 17, sip: 486 },
    { cause: 18, sip: 408 },
    { cause: 19, sip: 480 },
    { cause: 20, sip: 480 },
    { cause: 21, sip: 403 },
    { cause: 22, sip: 410 },
    { cause: 27, sip: 502 },
    { cause: 28, sip: 484 },
    { cause: 29, sip: 501 },
    { cause: 31, sip: 480 },
    { cause: 34, sip: 503 },
    {
      cause: 38,
      sip: 500,
      note: `Asterisk uses this cause as its generic failure and answers 500, where RFC 3398's 503 would invite a retry elsewhere (${source}).`,
    },
    { cause: 42, sip: 503 },
    {
      cause: 58,
      sip: 488,
      note: `Asterisk reads this cause as "no codec in common", hence 488 Not Acceptable Here (${source}).`,
    },
    { cause: 66, sip: 503 },
    { cause: 127, sip: 500 },
  ],
  causeDefault: {
    sip: 603,
    note: `A cause chan_pjsip's table does not list (temporary failure, timer expiry and Normal Clearing among them) ends the call with 603 Decline, which tells the caller not to try elsewhere (${source}).`,
  },
} satisfies ProfileInput;
