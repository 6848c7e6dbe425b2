// Standard (RFC) entries for the 6xx global failure codes.
import type { CodeEntry } from "../../schema/catalogue.ts";

export const globalFailureCodes = [
  {
    code: 600,
    phrase: "Busy Everywhere",
    registered: true,
    rfcs: ["RFC 3261 §21.6.1"],
    summary:
      "The called party was reached but is busy, and no other location or voicemail will take the call.",
    meaning:
      "The callee's system was contacted and reports that the user is busy and does not want to take a call now. " +
      "Unlike 486, it claims to know that no other device, location or voicemail would accept the call either, so a forking proxy stops trying other branches. " +
      "It may say in Retry-After when calling again could work. Gateways map it to Q.850 cause 17 (user busy).",
    causes: [
      {
        text: "The callee is on another call and has no voicemail, call waiting or forward-on-busy, so their system declares busy for all locations.",
        direction: "both",
      },
      {
        text: "The customer PBX or SBC is configured to answer busy with 600 rather than 486, for example when all trunk channels or licences are in use.",
        direction: "inbound",
      },
      {
        text: "A phone in do-not-disturb mode is set to reject with 600 so that no other device rings.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "If 600 ends calls that should have reached voicemail or another device, check the PBX busy handling: 486 would let other branches be tried.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Look for a Retry-After header and a Reason header with cause 17 to confirm a genuine user-busy condition.",
        actor: "operator",
      },
      { text: "Try again later, or reach the person another way.", actor: "end-user" },
    ],
    endUser:
      "The person you are calling is busy and cannot take calls right now. Please try again later.",
    outcome: "busy",
    retry: {
      retryable: true,
      retryAfter: "optional",
      note: "A later attempt can succeed once the callee is free; the response may suggest when with Retry-After.",
    },
    related: [
      {
        code: 486,
        note: "486 is busy at this location only, so other devices or voicemail may still be tried.",
      },
      {
        code: 603,
        note: "603 is a deliberate refusal without saying why; 600 says the user is busy.",
      },
    ],
    keywords: ["engaged", "line busy", "Q.850 17"],
  },
  {
    code: 603,
    phrase: "Decline",
    registered: true,
    rfcs: ["RFC 3261 §21.6.2"],
    summary: "The called party's system was reached and explicitly refused the call.",
    meaning:
      "The callee's device or system was contacted successfully and the user, or a rule acting for them, does not want to take the call or to take part. " +
      "No reason is given, and because it is a global failure no other location should be tried. It may carry Retry-After to suggest a better time. " +
      "Gateways map it to Q.850 cause 21 (call rejected), and a cause 21 from the PSTN with location 'user' may come back as 603. " +
      "The code is also widely reused by carriers for their own refusals, so the reason phrase is worth reading.",
    causes: [
      {
        text: "The called person pressed reject or decline on their phone or app; many devices send 603 for this, others 486.",
        direction: "both",
      },
      {
        text: "A call-screening, blocklist or anonymous-call-rejection rule on the callee's PBX or service refused the caller.",
        direction: "both",
      },
      {
        text: "Some carriers and trunking platforms send 603 for their own policy refusals, such as fraud controls, spend or cost limits, or blocked destinations; the reason phrase usually names the rule.",
        direction: "outbound",
      },
      {
        text: "The destination network released the call with Q.850 cause 21 (call rejected) at the user side, mapped to 603.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Read the reason phrase and any Reason or Warning header: a phrase other than 'Decline' often points to a platform rule (spend limit, fraud block, barred destination) rather than the callee.",
        actor: "operator",
      },
      {
        text: "If many outbound calls to different numbers get 603 at once, suspect a carrier policy or account limit and ask the carrier which rule fired.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "If the customer PBX declines calls unexpectedly, check its blocklists, anonymous-call rejection and do-not-disturb settings.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "The person may not want to take calls now; try again later or contact them another way.",
        actor: "end-user",
      },
    ],
    endUser: "The call was declined. Please try again later or contact the person another way.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "optional",
      note: "Do not retry automatically: the refusal was deliberate. The callee may suggest a better time with Retry-After, and a platform policy refusal lasts until the policy changes.",
    },
    related: [
      {
        code: 486,
        note: "486 means the line is in use; 603 means the call was refused on purpose.",
      },
      {
        code: 403,
        note: "403 is a refusal by a server or network policy; 603 comes from or on behalf of the callee.",
      },
      {
        code: 607,
        note: "607 also refuses the call, but marks it as unwanted so call-analytics services can learn from it.",
      },
    ],
    keywords: ["reject button", "Q.850 21", "cost limit exceeded", "blacklist"],
  },
  {
    code: 604,
    phrase: "Does Not Exist Anywhere",
    registered: true,
    rfcs: ["RFC 3261 §21.6.3"],
    summary: "The server knows for certain that the called user or number does not exist anywhere.",
    meaning:
      "The responding server has authoritative knowledge that the user in the request address does not exist at all, not only within its own domain. " +
      "It is therefore pointless to try other routes or locations. Gateways map it to Q.850 cause 1 (unallocated number). " +
      "In practice many networks send 404 for the same situation, so 604 is less common.",
    causes: [
      {
        text: "The dialled number is not allocated, or has been disconnected, according to the destination carrier's or a number-portability database.",
        direction: "outbound",
      },
      {
        text: "The customer PBX is configured to answer unknown extensions or DIDs with 604 instead of 404.",
        direction: "inbound",
      },
      {
        text: "A directory or ENUM lookup returned an authoritative 'no such number' result.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check the dialled number format (country code, prefixes, leading zeros) after all PBX and SBC number translations.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Do not fail over to other carriers for this code unless you have reason to doubt the answer; the number is reported as non-existent everywhere.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "If callers reach a valid DID and get 604, check that the number is provisioned on the customer PBX and routed to the right trunk.",
        actor: "operator",
        direction: "inbound",
      },
      { text: "Check the number and dial it again.", actor: "end-user" },
    ],
    endUser: "The number you dialled does not exist. Please check the number and try again.",
    outcome: "not-found",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same number will keep failing; only a corrected number can succeed.",
    },
    related: [
      {
        code: 404,
        note: "404 only says the user was not found here; other routes or locations might still know it.",
      },
      {
        code: 410,
        note: "410 says the user existed once but is gone, while 604 says it does not exist anywhere.",
      },
    ],
    keywords: [
      "invalid number",
      "not in service",
      "disconnected number",
      "Q.850 1",
      "wrong number",
    ],
  },
  {
    code: 606,
    phrase: "Not Acceptable",
    registered: true,
    rfcs: ["RFC 3261 §21.6.4"],
    summary:
      "The callee's system was reached but cannot accept the proposed session (media, codec, bandwidth) anywhere.",
    meaning:
      "The callee's user agent was contacted, but some part of the session description (media types, codecs, bandwidth, addressing or security) is not acceptable, " +
      "and the failure applies to every location, not just this one. A Warning header may say which part was refused. " +
      "Gateways map it to Q.850 cause 31 (normal, unspecified) by default, or 65 (bearer capability not implemented) if the Warning points to an unavailable bearer.",
    causes: [
      {
        text: "The offer and the callee's system have no codec in common, and the callee's equipment reports this with 606 instead of 488.",
        direction: "both",
      },
      {
        text: "A fax (T.38) or video re-INVITE was refused because the far end does not support that media at all.",
        direction: "both",
      },
      {
        text: "One side requires SRTP or a particular transport while the other offers only plain RTP, or the reverse.",
        direction: "both",
      },
      {
        text: "The offer asks for more bandwidth, or more media streams, than the callee's system allows.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Read the Warning header and compare the SDP offer with the codecs, media types and encryption each side supports; align codec lists on the PBX and SBC or enable transcoding.",
        actor: "operator",
      },
      {
        text: "For fax failures, check T.38 settings and whether falling back to G.711 pass-through is allowed.",
        actor: "operator",
      },
      {
        text: "Ask which codecs, fax modes and encryption options the trunk supports.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be connected because the two phones could not agree on how to carry the call. Please try again later or from a different phone.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same offer will be refused again; only a changed session description can succeed.",
    },
    related: [
      {
        code: 488,
        note: "488 refuses the offer at this location only; 606 says no location would accept it.",
      },
      { code: 415, note: "415 rejects the type of message body, not the session it describes." },
    ],
    keywords: ["media mismatch", "incompatible", "Q.850 65", "Q.850 31", "no common codec"],
  },
  {
    code: 607,
    phrase: "Unwanted",
    registered: true,
    rfcs: ["RFC 8197"],
    summary:
      "The called user marked the call as unwanted (spam, robocall), rather than just declining it.",
    meaning:
      "The called party, typically through a button or app, rejected the call and indicated that calls like this are not wanted. " +
      "Like any 6xx it ends the call without trying other locations, but it also tells the network and call-analytics services that the calling identity was reported, " +
      "so they can use it as a spam signal. It is driven by the user, unlike 608, where a machine or intermediary made the decision.",
    causes: [
      {
        text: "The called person pressed a 'report spam' or 'block caller' button on their phone, app or PBX portal.",
        direction: "both",
      },
      {
        text: "The callee's service automatically rejects a caller the user previously marked as unwanted.",
        direction: "both",
      },
      {
        text: "The customer's outbound caller ID is being reported by recipients, often because of high-volume campaigns or calls that look like robocalls.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "If outbound calls from a customer get 607 often, review their calling patterns, consent lists and caller ID use before their numbers gain a spam reputation.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Make sure outbound calls carry a caller ID the customer is entitled to use, with full STIR/SHAKEN attestation where available.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Do not retry or fail over on 607: the callee has said they do not want the call.",
        actor: "operator",
      },
      {
        text: "The person chose not to take this call; please do not call again unless they ask you to.",
        actor: "end-user",
      },
    ],
    endUser: "The person you called chose not to take this call.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The callee refused the call as unwanted; repeating it will be refused again and may worsen the caller's reputation.",
    },
    related: [
      {
        code: 603,
        note: "603 is a plain refusal; 607 also reports the call as unwanted, for spam analytics.",
      },
      {
        code: 608,
        note: "608 means a network intermediary blocked the call, not the called person.",
      },
    ],
    keywords: ["nuisance call", "telemarketing", "RFC8197"],
  },
  {
    code: 608,
    phrase: "Rejected",
    registered: true,
    rfcs: ["RFC 8688"],
    summary:
      "An intermediary on the path, such as a call-analytics service, rejected the call; the callee never saw it.",
    meaning:
      "A server between the caller and the callee, usually a call-analytics or anti-fraud engine, refused the call on the callee's behalf. " +
      "The decision was made by a machine or operator policy, not by the called user. Because legitimate callers can be blocked by mistake, " +
      "the response may carry a Call-Info header with purpose 'jwscard' pointing to a signed jCard that says who blocked the call and how to contact them to dispute it.",
    causes: [
      {
        text: "The terminating carrier's analytics engine scored the calling number as likely spam, robocall or fraud.",
        direction: "outbound",
      },
      {
        text: "The call failed identity checks (missing or low STIR/SHAKEN attestation, a number that should not originate calls) and the network blocked it.",
        direction: "outbound",
      },
      {
        text: "The platform's own inbound screening service rejected a call from the PSTN before it reached the customer PBX.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Look for a Call-Info header in the 608 and decode the jCard: it names the party that blocked the call and how to request a review.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Check the customer's caller ID, attestation level and calling patterns, and register legitimate numbers with the analytics providers where such a process exists.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Ask the carrier which analytics service blocked the call and how to dispute the decision.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "If the block seems wrong, contact your phone provider and ask them to have your number reviewed.",
        actor: "end-user",
      },
    ],
    endUser:
      "Your call was blocked by a call-screening service on the network. If you think this is a mistake, please contact your phone provider.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same call will be blocked again until the blocking decision is reviewed or the calling identity changes.",
    },
    related: [
      {
        code: 607,
        note: "607 comes from the called user marking the call unwanted; 608 comes from an intermediary.",
      },
      {
        code: 603,
        note: "603 is a refusal by or for the callee with no analytics meaning; carriers may also use it for policy blocks.",
      },
      {
        code: 403,
        note: "403 is a general policy refusal with no standard way to dispute it; 608 can tell the caller whom to contact.",
      },
    ],
    keywords: ["call blocking", "robocall mitigation", "false positive", "RFC8688"],
  },
] satisfies CodeEntry[];
