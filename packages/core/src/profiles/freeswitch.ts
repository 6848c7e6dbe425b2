import type { ProfileInput } from "../schema/profile.ts";

// The table is FreeSWITCH's mod_sofia (src/mod/endpoints/mod_sofia/mod_sofia.c,
// hangup_cause_to_sip: the SIP status it answers an unanswered INVITE with for
// each hangup cause), also published as its "Hangup Cause Code Table" page.
// Causes above 127 are FreeSWITCH's own, and 52 and 54 (call barred) are
// not Q.850 values; both are left out.
const source = "FreeSWITCH mod_sofia.c hangup_cause_to_sip";

/**
 * FreeSWITCH as a PBX or B2BUA: the standard meanings of every code, plus the
 * table from hangup cause (USER_BUSY, CALL_REJECTED...) to SIP response that
 * it uses, which the core compares with RFC 3398.
 */
export const freeswitchProfile = {
  id: "freeswitch",
  name: "FreeSWITCH (mod_sofia)",
  description:
    "FreeSWITCH as a PBX or B2BUA. Codes keep their standard meaning; what changes is the SIP response FreeSWITCH sends when a call ends before answer with a given hangup cause, where its table differs from RFC 3398 (603 for CALL_REJECTED, 480 for any cause it does not list).",
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
    {
      cause: 21,
      sip: 603,
      note: `FreeSWITCH answers every CALL_REJECTED with 603 Decline; RFC 3398 keeps 603 for a rejection located at the user and gives 403 otherwise (${source}).`,
    },
    { cause: 22, sip: 410 },
    { cause: 23, sip: 410 },
    {
      cause: 25,
      sip: 483,
      note: `EXCHANGE_ROUTING_ERROR is read as a routing loop, hence 483 Too Many Hops (${source}).`,
    },
    { cause: 27, sip: 502 },
    { cause: 28, sip: 484 },
    { cause: 29, sip: 501 },
    { cause: 31, sip: 480 },
    { cause: 34, sip: 503 },
    { cause: 38, sip: 503 },
    { cause: 41, sip: 503 },
    { cause: 42, sip: 503 },
    {
      cause: 44,
      sip: 503,
      note: `RFC 3398 calls this cause untranslatable (the switch should try another circuit instead of answering); FreeSWITCH answers 503 (${source}).`,
    },
    { cause: 57, sip: 403 },
    { cause: 58, sip: 503 },
    { cause: 65, sip: 488 },
    { cause: 69, sip: 501 },
    { cause: 79, sip: 501 },
    {
      cause: 88,
      sip: 488,
      note: `FreeSWITCH treats an incompatible destination as a media mismatch, hence 488 Not Acceptable Here (${source}).`,
    },
    { cause: 102, sip: 504 },
  ],
  causeDefault: {
    sip: 480,
    note: `A cause FreeSWITCH's table does not list, NORMAL_CLEARING included, is answered with 480 Temporarily Unavailable (${source}).`,
  },
} satisfies ProfileInput;
