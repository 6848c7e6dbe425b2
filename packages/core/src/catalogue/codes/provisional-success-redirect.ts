// Standard (RFC) entries for the 1xx provisional, 2xx success and 3xx redirection codes.
import type { CodeEntry } from "../../schema/catalogue.ts";

export const provisionalSuccessRedirectCodes = [
  {
    code: 100,
    phrase: "Trying",
    registered: true,
    rfcs: ["RFC 3261 §21.1.1"],
    summary:
      "The next hop has received the request and is working on it; nothing is known yet about the called party.",
    meaning:
      "A hop-by-hop acknowledgement: the next server (proxy, SBC or the PBX itself) confirms that the INVITE arrived and that it has started processing it. " +
      "Its main job is to stop the sender retransmitting the INVITE over UDP. It says nothing about whether the callee exists or is ringing, " +
      "and a stateful proxy does not pass it further upstream; each hop sends its own. After a 100 the sender waits for a ringing, " +
      "progress or final response, and its own no-answer or post-dial timer decides how long.",
    causes: [
      {
        text: "The carrier's edge proxy or SBC accepted the customer's INVITE and is now routing it towards the destination network.",
        direction: "outbound",
      },
      {
        text: "The customer's PBX or SBC received a call from the trunk and is looking up the dialled number before it rings anything.",
        direction: "inbound",
      },
      {
        text: "A downstream hop is slow (route lookup, number-portability query, database or ENUM dip), so a 100 is the only answer for several seconds.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "If calls sit on 100 with no 18x or final response, follow the call hop by hop: the stall is beyond the element that sent the 100, not before it.",
        actor: "operator",
      },
      {
        text: "If the INVITE is retransmitted several times before any 100 appears, the first hop is not reachable or not answering: check firewall rules, NAT, the signalling port and transport.",
        actor: "operator",
      },
      {
        text: "Check the post-dial-delay or no-progress timer on the PBX or SBC so that a call stuck after 100 is released with a clear cause and, where configured, failed over to another route.",
        actor: "operator",
        direction: "outbound",
      },
    ],
    endUser: "Your call is being connected. Please wait a moment.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call is still in progress, so there is nothing to retry yet.",
    },
    related: [
      {
        code: 180,
        note: "180 means the called device is alerting; 100 only means the next hop received the request.",
      },
      {
        code: 183,
        note: "183 reports progress from further along the path, often with early audio; 100 comes from the adjacent hop only.",
      },
    ],
    keywords: ["post-dial delay", "PDD", "retransmission", "stuck call", "timer B"],
  },
  {
    code: 180,
    phrase: "Ringing",
    registered: true,
    rfcs: ["RFC 3261 §21.1.2"],
    summary: "The called device has been found and is alerting the user.",
    meaning:
      "The far end reports that the callee's phone (or a group of phones) is alerting. Without a session description the caller's own equipment is expected " +
      "to play the ringing tone locally. If the 180 carries SDP, the caller may instead wait for early audio from the far end, which can leave it silent " +
      "if none is sent. A 180 can be repeated or followed by 183 while the call is set up, and it can be sent reliably with PRACK (RFC 3262). " +
      "The call is not answered and not billed until a 200 OK arrives.",
    causes: [
      {
        text: "The handset, softphone or ring group the number points to is ringing.",
        direction: "both",
      },
      {
        text: "The destination carrier converted an ISUP Address Complete message with 'subscriber free' into a 180 for the trunk.",
        direction: "outbound",
      },
      {
        text: "The PBX sends 180 as soon as it starts an IVR, queue or forwarding step, even though no phone is actually ringing yet.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Expect the caller's phone or PBX to generate the ringback tone itself; if callers hear silence, check whether the 180 carried SDP and whether the far end really sent audio.",
        actor: "operator",
      },
      {
        text: "If callers report ringing but the callee's phone never rang, check what the customer PBX does after sending 180 (queue, forwarding, hunt group) and its no-answer timer.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Wait for the other person to answer, or hang up and try later if nobody picks up.",
        actor: "end-user",
      },
    ],
    endUser: "The phone you are calling is ringing.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call is still ringing, so there is nothing to retry.",
    },
    related: [
      {
        code: 183,
        note: "183 usually carries early audio from the network (ringback, announcements); with a plain 180 the caller plays ringback itself.",
      },
      {
        code: 200,
        note: "200 means the call was answered; ringing alone is never an answer and is not billed.",
      },
      { code: 181, note: "181 says the call is being forwarded before it rings somewhere else." },
    ],
    keywords: ["ring tone", "ACM", "local ringback", "rings but no answer"],
  },
  {
    code: 181,
    phrase: "Call Is Being Forwarded",
    registered: true,
    rfcs: ["RFC 3261 §21.1.3"],
    summary: "A server on the path is forwarding the call to a different destination.",
    meaning:
      "An informational update: a proxy or the callee's system is sending the call on to another target, typically because of call forwarding. " +
      "The caller does not have to do anything; the forwarding is carried out on its behalf, and ringing, progress or a final response from the new target " +
      "is expected next. Sending 181 is optional, so many networks forward calls without ever reporting it.",
    causes: [
      {
        text: "The called user has unconditional, busy or no-answer forwarding set up on their PBX or on the carrier's network.",
        direction: "outbound",
      },
      {
        text: "The destination carrier translated an ISUP call-progress message that signalled a diversion into a 181.",
        direction: "outbound",
      },
      {
        text: "The customer PBX forwards an incoming call to a mobile or external number and reports it upstream before placing the new leg.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Expect a later 180 or 183 from the forwarded destination; look at Diversion or History-Info headers in the next messages to see where the call went.",
        actor: "operator",
      },
      {
        text: "When a PBX forwards calls back out to the PSTN, make sure the outbound leg keeps a valid caller ID and diversion information, or the carrier may reject it.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Stay on the line; the call is trying to reach the person at another number.",
        actor: "end-user",
      },
    ],
    endUser: "Your call is being forwarded to another number. Please hold on.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call is still being set up, so there is nothing to retry.",
    },
    related: [
      {
        code: 302,
        note: "302 hands the new address back to the caller to dial itself; with 181 the network forwards the call for the caller.",
      },
      {
        code: 180,
        note: "180 means a device is alerting; 181 only says the call is moving on to another target.",
      },
    ],
    keywords: ["CFU", "CFB", "CFNA", "redirecting"],
  },
  {
    code: 182,
    phrase: "Queued",
    registered: true,
    rfcs: ["RFC 3261 §21.1.4"],
    summary:
      "The callee cannot take the call right now, so it has been placed in a queue instead of being refused.",
    meaning:
      "The called party is temporarily unable to accept the call, but the server chose to hold it in a queue rather than reject it. " +
      "The reason phrase may say more, for example how many calls are ahead. A final response follows once the call leaves the queue, " +
      "either answered or refused. It is rarely seen on trunks: most PBX and contact-centre queues answer the call with 200 and play music instead.",
    causes: [
      {
        text: "A contact-centre or ACD platform holds the call unanswered until an agent is free and reports the queue position with 182.",
        direction: "both",
      },
      {
        text: "A hosted PBX queues calls to a busy extension or hunt group rather than returning busy.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Expect a long wait before the final response; check that post-dial and no-answer timers on the PBX and SBC are long enough for queued calls.",
        actor: "operator",
      },
      {
        text: "Remember that a queued call is not answered, so neither side is billed and the caller hears only what their own equipment plays.",
        actor: "operator",
      },
      { text: "Stay on the line; your call will be taken in turn.", actor: "end-user" },
    ],
    endUser:
      "Your call is waiting in a queue. Please stay on the line and it will be answered in turn.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call is waiting in a queue, so there is nothing to retry.",
    },
    related: [
      {
        code: 180,
        note: "180 means a phone is alerting; 182 means no phone is ringing yet because the call is waiting its turn.",
      },
      {
        code: 486,
        note: "486 refuses the call because the callee is busy; 182 keeps it waiting instead.",
      },
    ],
    keywords: ["waiting line", "call center", "hold music"],
  },
  {
    code: 183,
    phrase: "Session Progress",
    registered: true,
    rfcs: ["RFC 3261 §21.1.5"],
    summary:
      "The call is progressing; usually early audio (ringback or an announcement) is being sent before answer.",
    meaning:
      "A catch-all progress report for information that no other provisional code covers. On trunks it nearly always carries SDP and opens early media: " +
      "the far end streams audio before the call is answered, such as network ringback, a busy or 'number not in service' announcement, or an IVR prompt. " +
      "The caller should play that audio instead of generating its own ringing. A 183 without SDP simply reports progress. " +
      "It may be sent reliably with PRACK (RFC 3262). The call is not answered until a 200 OK.",
    causes: [
      {
        text: "The destination carrier plays ringback or a recorded announcement in-band, mapped from an ISUP Address Complete or Call Progress message that signals in-band information.",
        direction: "outbound",
      },
      {
        text: "A mobile network plays its own tones or a 'the person you are calling is not available' message before releasing the call.",
        direction: "outbound",
      },
      {
        text: "The customer PBX starts an IVR, queue music or custom ringback for the caller before the call is answered.",
        direction: "inbound",
      },
      {
        text: "An SBC or PBX converts an incoming 180 with SDP into 183 on the other leg, or is configured to always send progress with media.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Expect the caller to hear ringback or announcements from the far end; if callers hear silence, check that early media passes NAT and firewalls and that codecs match at this stage.",
        actor: "operator",
      },
      {
        text: "Make sure the PBX does not ignore early media (for example Asterisk progressinband or FreeSWITCH ignore_early_media settings) when carriers send announcements.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "When a call fails after a 183, record or listen to the early audio: the carrier's announcement often explains the failure better than the final code.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Listen to any message played; it may explain why the call cannot be completed.",
        actor: "end-user",
      },
    ],
    endUser:
      "Your call is being connected. You may hear ringing or a recorded message before someone answers.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call is still being set up, so there is nothing to retry.",
    },
    related: [
      {
        code: 180,
        note: "180 normally asks the caller to play ringing itself; 183 normally brings the audio from the far end.",
      },
      {
        code: 200,
        note: "Hearing audio after 183 does not mean the call was answered; only 200 starts the conversation and billing.",
      },
    ],
    keywords: ["one-way audio", "no ringback", "SIT tone"],
  },
  {
    code: 199,
    phrase: "Early Dialog Terminated",
    registered: true,
    rfcs: ["RFC 6228"],
    summary:
      "One branch of a forked call has ended before answer, while the call as a whole continues.",
    meaning:
      "When a call is forked to several destinations, each can open its own early dialog (for example by sending 180 or 183). " +
      "A 199 tells the caller that one of those early dialogs has been closed, usually because that branch sent a final error response, " +
      "so it can release resources tied to it such as an early-media stream. The call is still alive on the remaining branches. " +
      "It is only sent to callers that announced support with the '199' option tag in the Supported header, so it is seldom seen on trunks.",
    causes: [
      {
        text: "A forking proxy or PBX rang several devices at once (ring group, simultaneous ring) and one of them rejected or stopped ringing.",
        direction: "both",
      },
      {
        text: "A carrier's find-me or parallel-ringing service dropped one of its branches while others are still alerting.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "No action is needed for the call itself; expect further provisional or final responses from the remaining branches.",
        actor: "operator",
      },
      {
        text: "If early audio stops or changes part-way through setup, look for a 199 to see which branch ended and why.",
        actor: "operator",
      },
    ],
    endUser: "Your call is still trying to reach the person you called. Please keep holding.",
    outcome: "provisional",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Not a final answer: the call continues on other branches, so there is nothing to retry.",
    },
    related: [
      {
        code: 183,
        note: "183 opens an early dialog, often with audio; 199 reports that one such early dialog has closed.",
      },
      {
        code: 487,
        note: "487 ends the whole call attempt after a cancel; 199 concerns only one branch of a forked call.",
      },
    ],
    keywords: ["parallel ringing", "hunt group", "sequential ringing"],
  },
  {
    code: 200,
    phrase: "OK",
    registered: true,
    rfcs: ["RFC 3261 §21.2.1"],
    summary: "The request succeeded; for a call, the called party answered.",
    meaning:
      "For an INVITE, 200 means the call was answered: a dialog is established, the SDP in it fixes the media, billing normally starts, " +
      "and the caller must confirm with an ACK. For other requests it simply means success: a registration accepted, an OPTIONS keep-alive answered, " +
      "a BYE or re-INVITE accepted. Note that an answer by voicemail, a fax machine, an IVR or an answering network service is still a 200.",
    causes: [
      { text: "The called person picked up the phone.", direction: "both" },
      {
        text: "Voicemail, an auto-attendant, a queue or a fax machine answered the call on the user's behalf.",
        direction: "both",
      },
      {
        text: "A network service answered the call to play an announcement or collect input, which makes the call billable even though no person spoke.",
        direction: "outbound",
      },
      {
        text: "A non-call request succeeded: the PBX registration, an OPTIONS health check, a re-INVITE for hold or a BYE was accepted.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "If answered calls drop after about 30 seconds, the ACK to the 200 is not reaching the answering side: check the Contact and Record-Route addresses, NAT and SIP ALG.",
        actor: "operator",
      },
      {
        text: "If the call connects but audio is missing in one direction, compare the address, port and codec in the 200's SDP with what actually arrives.",
        actor: "operator",
      },
      {
        text: "Use answer-seizure and average call-duration figures to spot answers by voicemail or network announcements that inflate answered-call counts.",
        actor: "operator",
        direction: "outbound",
      },
    ],
    endUser: "Your call was connected.",
    outcome: "answered",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request succeeded; sending it again would start a second call or repeat the operation.",
    },
    related: [
      {
        code: 183,
        note: "Audio heard after 183 is early media before answer; only 200 marks the answer.",
      },
      {
        code: 202,
        note: "202 only says a request was accepted for later processing and is now treated like 200.",
      },
    ],
    keywords: ["pickup", "off-hook", "ASR", "ACD", "call drops after 30 seconds"],
  },
  {
    code: 202,
    phrase: "Accepted",
    registered: true,
    rfcs: ["RFC 6665 §8.3.1", "RFC 3515"],
    summary:
      "Deprecated success code: the request was accepted but may not have been acted on yet.",
    meaning:
      "Originally used for event subscriptions and for REFER (call transfer) to say that a request was accepted without promising it had been carried out. " +
      "RFC 6665 deprecates it: new implementations must not send it to SUBSCRIBE or NOTIFY, and any element that receives it must treat it exactly as a 200. " +
      "On trunks and PBXs it is seen mostly as the answer to a REFER, meaning the transfer request was taken and its progress will follow in NOTIFY messages. " +
      "It is never a response to INVITE, so it has nothing to do with answering a call.",
    causes: [
      {
        text: "A phone or PBX accepted a blind or attended transfer request (REFER) and will report the result of the new call in NOTIFY messages.",
        direction: "both",
      },
      {
        text: "An older device or presence server still answers subscriptions (busy lamp field, message waiting) with 202 instead of 200.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Treat 202 exactly as 200; if a transfer accepted with 202 does not complete, follow the NOTIFY messages to see how the new call ended.",
        actor: "operator",
      },
      {
        text: "If a device rejects or mishandles 202 on subscriptions, update its firmware or configure the server to send 200.",
        actor: "operator",
      },
    ],
    endUser: "Your request was accepted and is being carried out.",
    outcome: "answered",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request was accepted; repeating it would only start the same operation again.",
    },
    related: [
      {
        code: 200,
        note: "200 is the current success code; a 202 must be handled exactly like it.",
      },
      {
        code: 204,
        note: "204 also answers a subscription, but says no notification with full state will follow.",
      },
    ],
    keywords: ["blind transfer", "consultative transfer", "BLF", "Refer-To"],
  },
  {
    code: 204,
    phrase: "No Notification",
    registered: true,
    rfcs: ["RFC 5839"],
    summary:
      "A subscription refresh succeeded and, since nothing changed, no notification with the full state will be sent.",
    meaning:
      "Part of conditional event notification. A subscriber that already knows the current state of a resource can refresh its subscription " +
      "quoting the entity tag it holds; if the state has not changed, the notifier answers 204 to confirm the subscription and skips sending the same state again. " +
      "It saves traffic for presence, busy-lamp and similar event packages and has no relation to calls.",
    causes: [
      {
        text: "A phone or presence client refreshed a busy-lamp, presence or dialog subscription and the monitored state is unchanged.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "No action is needed; the subscription is active and the subscriber's cached state is still correct.",
        actor: "operator",
      },
      {
        text: "If lamp or presence displays go stale, check that the subscriber really holds the latest entity tag and that later state changes still produce NOTIFY messages.",
        actor: "operator",
      },
    ],
    endUser: "Nothing has changed since the last update, so there is nothing new to show.",
    outcome: "answered",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The refresh succeeded; there is nothing to retry.",
    },
    related: [
      {
        code: 200,
        note: "200 to a subscription is followed by a NOTIFY with the current state; 204 says that NOTIFY is skipped.",
      },
      {
        code: 202,
        note: "202 is the deprecated acceptance code for subscriptions and is handled as 200.",
      },
    ],
    keywords: ["conditional notification", "etag", "Suppress-If-Match", "BLF"],
  },
  {
    code: 300,
    phrase: "Multiple Choices",
    registered: true,
    rfcs: ["RFC 3261 §21.3.1"],
    summary:
      "The address resolves to several possible destinations, listed for the caller to choose from.",
    meaning:
      "The server found more than one place where the callee might be reached and returns them all in Contact headers instead of trying them itself. " +
      "The caller (or its proxy) is expected to pick one or try them in turn. It is uncommon on PSTN trunks, which rarely act on redirects, " +
      "so in practice it usually ends the call unless the receiving side has been configured to follow redirections.",
    causes: [
      {
        text: "A redirect server or location service returned every registered contact of the user rather than forking the call itself.",
        direction: "both",
      },
      {
        text: "A customer PBX configured for redirect-style routing answers an incoming call with a list of alternative numbers.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Look at the Contact headers to see the offered targets; decide whether the platform should follow them, since trunks do not follow redirects unless configured to.",
        actor: "operator",
      },
      {
        text: "If a customer PBX sends redirects, ask the customer to forward calls by placing a new call instead, or enable redirect handling with strict limits on allowed destinations.",
        actor: "operator",
        direction: "inbound",
      },
      { text: "Try another number you have for the person.", actor: "end-user" },
    ],
    endUser:
      "The call could not choose between several numbers for this person. Please try again or use another number you have for them.",
    outcome: "redirected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Repeating the request gives the same answer; a new request has to go to one of the listed addresses.",
    },
    related: [
      {
        code: 302,
        note: "302 normally gives one temporary new address; 300 lists several alternatives to choose from.",
      },
      {
        code: 380,
        note: "380 suggests a different kind of service rather than other addresses for the same user.",
      },
    ],
    keywords: ["3xx", "several contacts", "forking alternatives"],
  },
  {
    code: 301,
    phrase: "Moved Permanently",
    registered: true,
    rfcs: ["RFC 3261 §21.3.2"],
    summary:
      "The user is no longer at this address; the new permanent address is in the Contact header.",
    meaning:
      "The callee can no longer be found at the requested address, and the caller should use the address given in Contact, " +
      "both now and in future, for example by updating a directory or address book. Like other redirects it only leads to a connected call " +
      "if the caller's side is willing to follow it; most PSTN trunks are not configured to.",
    causes: [
      {
        text: "A user or service moved to another domain or number, and the old system redirects callers to the new one.",
        direction: "both",
      },
      {
        text: "A PBX or hosted platform migration left redirect rules in place for numbers that were moved.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check the Contact header for the new address and update routing tables, speed dials or directories that still use the old one.",
        actor: "operator",
      },
      {
        text: "Do not follow permanent redirects from customer equipment blindly; allow them only to destinations the customer is permitted to call.",
        actor: "operator",
        direction: "inbound",
      },
      { text: "Find the person's new number and update your contacts.", actor: "end-user" },
    ],
    endUser:
      "This number has moved permanently. Please find the person's new number and update your contacts.",
    outcome: "redirected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The old address will keep giving this answer; calls should go to the new address instead.",
    },
    related: [
      {
        code: 302,
        note: "302 is a temporary move, so the original address should still be used next time.",
      },
      { code: 410, note: "410 says the user is gone and gives no new address." },
    ],
    keywords: ["3xx", "relocated", "number change"],
  },
  {
    code: 302,
    phrase: "Moved Temporarily",
    registered: true,
    rfcs: ["RFC 3261 §21.3.3"],
    summary:
      "The callee is temporarily reachable elsewhere; the new address is in the Contact header.",
    meaning:
      "The server tells the caller to try the address in Contact for this call, while keeping the original address for future calls; an expiry may say how long the new address holds. " +
      "This is the standard way a PBX or redirect server implements call forwarding without staying in the call path. " +
      "Whether the call continues depends on the receiving side: PBXs often follow 302 automatically, but carriers and SIP trunks usually do not follow redirects " +
      "unless explicitly configured to, partly because a redirect could send the call, and its cost, to any destination.",
    causes: [
      {
        text: "The customer PBX forwards an incoming call (unconditional, busy or no-answer forwarding) by answering with 302 and the forwarding number.",
        direction: "inbound",
      },
      {
        text: "The called user's PBX or hosted service redirects the call to a mobile or another site.",
        direction: "outbound",
      },
      {
        text: "A routing, least-cost-routing or number-portability redirect server returns the route or routing number in a 302 for the platform to dial.",
        direction: "both",
      },
      {
        text: "A load balancer or dispatcher in front of a cluster (for example Kamailio or OpenSIPS used as a redirect server) points the sender at a specific node.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "For customer PBXs that forward with 302, either enable redirect following on their trunk with a restricted list of allowed destinations, or have the PBX forward by placing a new outbound call.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Read the Contact and Diversion headers to see where the call was being sent; check that the new target is reachable and permitted by the customer's calling plan.",
        actor: "operator",
      },
      {
        text: "On Asterisk, Dial() follows forwards unless told to ignore them; check the equivalent setting on other PBXs and SBCs so redirects are handled on purpose, not by default.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Ask whether the trunk follows redirects, and whether forwarded calls are billed as a new outbound call.",
        actor: "carrier",
      },
    ],
    endUser:
      "The person you are calling has forwarded their calls, but the call could not follow. Please try another number for them or try again later.",
    outcome: "redirected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Repeating the request gives the same redirect; a new request has to go to the Contact address.",
    },
    related: [
      {
        code: 301,
        note: "301 is a permanent move: the caller should stop using the old address altogether.",
      },
      {
        code: 181,
        note: "181 means the network is forwarding the call itself; 302 leaves the forwarding to the caller.",
      },
      {
        code: 305,
        note: "305 redirects the request through a different proxy rather than to a different user address.",
      },
    ],
    keywords: ["3xx", "toll fraud", "LNP", "call deflection"],
  },
  {
    code: 305,
    phrase: "Use Proxy",
    registered: true,
    rfcs: ["RFC 3261 §21.3.4"],
    summary: "The request must be sent again through the proxy named in the Contact header.",
    meaning:
      "The callee's side says the resource may only be reached through a particular proxy, whose address it gives in Contact, and the caller should repeat this one request via that proxy. " +
      "Only a user agent server may send it. Because it lets a remote party steer signalling through an arbitrary server, many proxies, SBCs and carriers refuse to act on it, " +
      "so on trunks it usually ends the call.",
    causes: [
      {
        text: "A PBX or user agent requires all calls to arrive through its own front-end proxy or SBC and the request came in directly.",
        direction: "both",
      },
      {
        text: "A misconfigured or legacy device answers with 305 after a routing change moved it behind a new proxy.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check which proxy the Contact header names and correct the static route or outbound proxy setting so requests reach that destination through it in the first place.",
        actor: "operator",
      },
      {
        text: "Do not configure the SBC to follow 305 from untrusted parties; it can be abused to divert signalling.",
        actor: "operator",
      },
    ],
    endUser:
      "The call could not be completed because of a network routing setting. Please try again later, and contact your phone provider if it keeps happening.",
    outcome: "redirected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same request on the same path gets the same answer; it must be sent through the named proxy.",
    },
    related: [
      {
        code: 302,
        note: "302 gives a new user address to call; 305 keeps the address but names the proxy to go through.",
      },
    ],
    keywords: ["3xx", "proxy redirect", "signalling diversion"],
  },
  {
    code: 380,
    phrase: "Alternative Service",
    registered: true,
    rfcs: ["RFC 3261 §21.3.5"],
    summary:
      "The call failed as requested, but an alternative service that might work is described in the message body.",
    meaning:
      "The server could not complete the call as asked but offers an alternative, which it describes in the response body rather than as a simple new address. " +
      "Its best-known use is in mobile IMS networks: when a phone places what the network recognises as an emergency call without marking it as one, " +
      "the network answers 380 so that the phone retries it as an emergency call. On fixed SIP trunks it is rare.",
    causes: [
      {
        text: "An IMS or VoLTE core detected an emergency number dialled as a normal call and asked the device to retry it as an emergency call.",
        direction: "outbound",
      },
      {
        text: "An application server offers a different service (for example voicemail or a text channel) and describes it in the body.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Read the message body to see which alternative is offered; most PBXs and trunks cannot act on it and will treat the call as failed.",
        actor: "operator",
      },
      {
        text: "If it appears on emergency calls, check how the PBX routes and marks emergency numbers towards the carrier.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Ask which alternative service the network expects and how it should be reached.",
        actor: "carrier",
      },
    ],
    endUser:
      "This call cannot go through as dialled, but another service may be able to help. Please try again later or contact your phone provider.",
    outcome: "redirected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Repeating the same request gives the same answer; the alternative described in the body has to be used instead.",
    },
    related: [
      {
        code: 300,
        note: "300 offers alternative addresses for the same user; 380 offers a different kind of service.",
      },
      {
        code: 488,
        note: "488 refuses the media offered, while 380 rejects the service as requested and proposes another.",
      },
    ],
    keywords: ["3xx", "112", "911", "emergency retry", "P-CSCF"],
  },
] satisfies CodeEntry[];
