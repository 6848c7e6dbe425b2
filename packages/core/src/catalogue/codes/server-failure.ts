// 5xx: the server that answered failed, not the request itself (RFC 3261 §21.5 and extensions).
import type { CodeEntry } from "../../schema/catalogue.ts";

export const serverFailureCodes = [
  {
    code: 500,
    phrase: "Server Internal Error",
    registered: true,
    rfcs: ["RFC 3261 §21.5.1"],
    aliases: ["Internal Server Error"],
    summary: "The server hit an unexpected problem and could not process the request.",
    meaning:
      "A catch-all failure: whatever answered could not finish handling the request because something went wrong on its side, " +
      "and it did not pick a more specific code. It says nothing certain about the called user. " +
      "Many devices send the HTTP-style wording 'Internal Server Error' for the same code. " +
      "The server may add Retry-After when it expects the condition to pass, and RFC 3261 also uses this code, with a short random Retry-After, " +
      "when a second INVITE arrives in a dialog before the first has been answered. " +
      "Gateways use it as the default for ISDN causes they cannot map (cause 127 interworking, 111 protocol error), and map it back to cause 41.",
    causes: [
      {
        text: "The called number is not set up on the customer's PBX or CPE (no inbound route or DID entry), and the PBX answers 500 instead of 404.",
        direction: "inbound",
      },
      {
        text: "A software fault on the PBX, SBC or proxy: a dialplan or routing-script error, a failed database or API lookup, or a crashed module.",
        direction: "both",
      },
      {
        text: "A second INVITE or re-INVITE arrived in a dialog while an earlier one was still unanswered; the receiver rejects it with 500 and a Retry-After of a few seconds.",
        direction: "both",
      },
      {
        text: "A PSTN gateway received a release with a cause it has no mapping for (for example 127 interworking or 111 protocol error) and fell back to 500.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check that the dialled number exists on the customer's PBX in the format the trunk delivers it (E.164 or national), and that an inbound route points it somewhere.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Read the PBX or SBC logs at the time of the call and the Reason header in the response; the real fault is usually logged there.",
        actor: "operator",
      },
      {
        text: "If it repeats for one destination or route, send the Call-ID, time and called number to the carrier.",
        actor: "carrier",
        direction: "outbound",
      },
      { text: "Try the call again in a few minutes.", actor: "end-user" },
    ],
    endUser:
      "The call could not be connected because of a technical problem. Please try again in a few minutes.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "optional",
      note: "Often transient; honour Retry-After if present. A missing number on the PBX will keep failing until it is configured.",
    },
    related: [
      {
        code: 503,
        note: "503 says the server is overloaded or in maintenance and knows it; 500 is an unexpected fault.",
      },
      {
        code: 404,
        note: "A correctly configured PBX answers 404 for a number it does not know; 500 for that case hides the real reason.",
      },
      {
        code: 502,
        note: "502 means a server further along sent back something unusable; 500 means the responder itself failed.",
      },
    ],
    keywords: ["crash", "exception", "DID", "inbound route", "unconfigured number"],
  },
  {
    code: 501,
    phrase: "Not Implemented",
    registered: true,
    rfcs: ["RFC 3261 §21.5.2"],
    summary: "The server does not support the method or feature the request needs.",
    meaning:
      "The responder does not know how to handle the request method at all, for any user or address. " +
      "It differs from 405, where the method is understood but not allowed for the target. " +
      "On calls it usually shows up for mid-call requests (UPDATE, INFO, REFER, PRACK, MESSAGE) sent to equipment that lacks them, " +
      "or from a gateway that received ISDN cause 79 (service not implemented) or 29 (facility rejected); it maps back to cause 79.",
    causes: [
      {
        text: "A mid-call request such as UPDATE, INFO, REFER or MESSAGE was sent to a PBX, phone or gateway that does not implement it.",
        direction: "both",
      },
      {
        text: "A keep-alive OPTIONS or a SUBSCRIBE/NOTIFY was sent to a device or trunk that does not handle that method.",
        direction: "both",
      },
      {
        text: "The PSTN side rejected a requested service (ISDN cause 79 or 29) and the gateway translated it to 501.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Compare the method in the failed request with the Allow header the far side advertises, and stop sending methods it does not list.",
        actor: "operator",
      },
      {
        text: "For failed transfers or DTMF, switch the PBX or SBC to a mechanism the other side supports (re-INVITE instead of UPDATE, RFC 2833 events instead of INFO).",
        actor: "operator",
      },
      {
        text: "If the carrier answers 501 to ordinary calls, ask which feature or header triggers it.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The feature you tried to use is not supported on this line. Please contact your phone service provider if you need it.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The server lacks the capability, so the same request will fail again.",
    },
    related: [
      {
        code: 405,
        note: "405 means the method is known but not allowed for this target; 501 means it is not supported at all.",
      },
      {
        code: 420,
        note: "420 rejects an extension named in Require; 501 rejects the method itself.",
      },
    ],
    keywords: ["unsupported method", "UPDATE", "INFO", "REFER", "Allow"],
  },
  {
    code: 502,
    phrase: "Bad Gateway",
    registered: true,
    rfcs: ["RFC 3261 §21.5.3"],
    summary: "A gateway or proxy got an invalid answer from the next server it tried.",
    meaning:
      "The responder was acting as a gateway or proxy and the server after it returned something it could not use. " +
      "The fault lies further along the path than the server that sent the 502. " +
      "Gateways also use it for ISDN cause 27 (destination out of order), where the callee's line or terminal cannot be reached " +
      "for a technical reason, and map it back to cause 38 (network out of order).",
    causes: [
      {
        text: "The next hop sent a malformed or unparseable response, or one the SBC could not translate to the other leg.",
        direction: "both",
      },
      {
        text: "The called line or handset is out of order on the PSTN side (ISDN cause 27) and the gateway reports it as 502.",
        direction: "outbound",
      },
      {
        text: "An interconnect partner further downstream failed, and the upstream carrier passes that on as 502.",
        direction: "outbound",
      },
      {
        text: "The customer's SBC or PBX returned a response the platform's edge could not accept (wrong headers, broken SDP).",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Trace the call across each hop to see which server returned the bad answer; the 502 sender is rarely the culprit.",
        actor: "operator",
      },
      {
        text: "If a single destination keeps failing, ask the carrier whether the number's network is out of order.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "Check the customer's SBC or PBX logs for errors on the responses it sends back.",
        actor: "operator",
        direction: "inbound",
      },
      { text: "Try again later, or reach the person another way.", actor: "end-user" },
    ],
    endUser: "The network could not reach the number you called right now. Please try again later.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Can succeed once the downstream fault clears or another route is used.",
    },
    related: [
      {
        code: 504,
        note: "504 means the next server did not answer in time; 502 means it answered with something unusable.",
      },
      {
        code: 500,
        note: "500 is a failure inside the responder itself; 502 points further along the path.",
      },
      {
        code: 503,
        note: "503 means a server is overloaded or has no route; 502 means a downstream answer was invalid.",
      },
    ],
    keywords: ["downstream", "interconnect", "out of order", "cause 27"],
  },
  {
    code: 503,
    phrase: "Service Unavailable",
    registered: true,
    rfcs: ["RFC 3261 §21.5.4"],
    summary:
      "The server cannot take the request right now: overload, maintenance, no route or no free channel.",
    meaning:
      "The responder is temporarily unable to process requests, typically because it is overloaded, being maintained, " +
      "has no usable route or has run out of channels. It may say how long to wait in Retry-After; " +
      "a client that gets 503 without Retry-After should treat it like 500, and should try another server for the same destination if DNS gives one. " +
      "A proxy should not pass a 503 upstream unless it knows every further request would also fail, so proxies often send 503 themselves " +
      "after all downstream gateways have failed. Gateways map ISDN resource causes (34, 38, 41, 42, 47, 58, 88) to 503 and 503 back to cause 41.",
    causes: [
      {
        text: "The carrier, SBC or PBX is over its call-rate (CPS) or concurrent-call limit, or its session licence is exhausted.",
        direction: "both",
      },
      {
        text: "Every route or gateway for the destination failed or is marked down (for example a Kamailio dispatcher set with no active member, or least-cost routing that ran out of options).",
        direction: "outbound",
      },
      {
        text: "The customer's SBC or PBX is in maintenance, restarting or draining calls, or has no free trunk channels.",
        direction: "inbound",
      },
      {
        text: "The PSTN side had no circuit, or reported congestion or a temporary failure (ISDN cause 34, 42 or 41), and the gateway translated it to 503.",
        direction: "outbound",
      },
      {
        text: "Asterisk or FreeSWITCH reported congestion for the dialled channel, which they send as 503.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check call-rate, channel and licence counters on the SBC and PBX at the time of the failures; clusters at peak hours point to capacity.",
        actor: "operator",
      },
      {
        text: "Make sure the customer's equipment lists a second server or failover route, and that it fails over on 503.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "If 503s come from the carrier for many destinations, ask whether it is in maintenance or congested and whether more capacity can be added.",
        actor: "carrier",
        direction: "outbound",
      },
      { text: "Wait a few minutes and call again.", actor: "end-user" },
    ],
    endUser:
      "The service is busy or briefly unavailable. Please wait a few minutes and try your call again.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "optional",
      note: "Retry after the Retry-After delay if given, preferably through another server or route; without it, handle as a 500.",
    },
    related: [
      {
        code: 500,
        note: "500 is an unexpected fault; 503 is a known, temporary inability. A 503 without Retry-After is handled like 500.",
      },
      {
        code: 486,
        note: "486 means the called user's own line is busy; 503 means the network or server has no capacity.",
      },
      {
        code: 480,
        note: "480 says the user cannot be reached at the moment; 503 says the server itself cannot serve the call.",
      },
    ],
    keywords: ["overload", "congestion", "maintenance", "capacity", "CPS", "failover", "no route"],
  },
  {
    code: 504,
    phrase: "Server Time-out",
    registered: true,
    rfcs: ["RFC 3261 §21.5.5"],
    summary: "The server gave up waiting for another server it needed to reach.",
    meaning:
      "The responder tried to contact a further server (the next hop, a DNS server, a location or routing service) " +
      "and got no answer in time, or could not open the connection at all. " +
      "The request was not refused; it could not be delivered. Some platforms, Microsoft Teams Direct Routing among them, " +
      "also use 504 for DNS, TCP and TLS failures towards the next hop. " +
      "Gateways map ISDN cause 102 (recovery on timer expiry) to 504 and back.",
    causes: [
      {
        text: "The customer's PBX or SBC is offline, behind a firewall, or not answering on the signalling port, so the platform's INVITE times out.",
        direction: "inbound",
      },
      {
        text: "The next hop's name does not resolve, or DNS itself did not respond.",
        direction: "both",
      },
      {
        text: "The TLS connection to the next hop failed: expired or untrusted certificate, wrong name in the certificate, or no common cipher.",
        direction: "both",
      },
      {
        text: "A carrier gateway waited too long for the PSTN to confirm the called number (ISUP timer expiry, cause 102).",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check that the customer's equipment is up and reachable on its signalling IP and port from the platform, including firewall and NAT rules.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Verify DNS records and the TLS certificate chain and expiry of the next hop.",
        actor: "operator",
      },
      {
        text: "If timeouts come from the carrier for many numbers, report them with Call-IDs and times.",
        actor: "carrier",
        direction: "outbound",
      },
      { text: "Please try the call again shortly.", actor: "end-user" },
    ],
    endUser:
      "The call could not get through because part of the network did not respond. Please try again shortly.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Can succeed once the unreachable server is back or another route is tried.",
    },
    related: [
      {
        code: 408,
        note: "408 means the request itself timed out with no final answer, often a callee that never responded; 504 means a server could not reach another server.",
      },
      {
        code: 503,
        note: "503 is a server saying it cannot serve the call; 504 is a server saying the next one never answered.",
      },
      {
        code: 502,
        note: "502 means the next server answered with something invalid; 504 means it did not answer at all.",
      },
    ],
    keywords: ["timeout", "unreachable", "DNS", "TLS", "certificate", "firewall"],
  },
  {
    code: 505,
    phrase: "Version Not Supported",
    registered: true,
    rfcs: ["RFC 3261 §21.5.6"],
    summary: "The server does not support the SIP version written in the request line.",
    meaning:
      "The first line of the request named a protocol version the responder does not handle. Every current implementation uses SIP/2.0, " +
      "so in practice this means the request line was damaged or generated wrongly rather than a genuine version mismatch. " +
      "Gateways map it to ISDN cause 127 (interworking).",
    causes: [
      {
        text: "A router SIP ALG or a badly written script rewrote or corrupted the request line, so the version token is no longer 'SIP/2.0'.",
        direction: "both",
      },
      {
        text: "Very old or non-standard equipment sends a version string other than SIP/2.0 (for example lower case or with extra spaces).",
        direction: "both",
      },
      {
        text: "A UDP message was truncated or mangled in transit and the receiver parsed garbage as the request line.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Capture the raw request as it leaves the sender and as it arrives, and compare the first line.",
        actor: "operator",
      },
      {
        text: "Turn off the SIP ALG on the customer's router or firewall.",
        actor: "end-user",
      },
      {
        text: "Fix or update the device or script that builds the request line.",
        actor: "operator",
      },
    ],
    endUser:
      "Your phone system sent the call in a form the network could not read. Please ask your phone administrator to check it.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same malformed request will be rejected again; the sender must be fixed.",
    },
    related: [
      {
        code: 400,
        note: "400 covers any badly formed request; 505 is the specific case of an unsupported version in the request line.",
      },
    ],
    keywords: ["SIP/2.0", "request line", "ALG", "malformed"],
  },
  {
    code: 513,
    phrase: "Message Too Large",
    registered: true,
    rfcs: ["RFC 3261 §21.5.7"],
    summary: "The request was longer than the server is able to handle.",
    meaning:
      "The responder could not process the request because the message as a whole exceeded what it can accept. " +
      "Usually this is an INVITE that grew too big: long SDP with many codecs or ICE candidates, many Via or Record-Route entries, " +
      "or large Identity headers, often sent over UDP where fragments get lost. RFC 3261 expects large requests to go over TCP instead of UDP. " +
      "Gateways map it to ISDN cause 127.",
    causes: [
      {
        text: "A large INVITE was sent over UDP and exceeded the path MTU, so it was fragmented and partly lost or refused.",
        direction: "both",
      },
      {
        text: "The SDP offers a long codec list, video, or many ICE candidates, making the INVITE bigger than the receiver's buffer.",
        direction: "both",
      },
      {
        text: "Headers piled up along the path: STIR/SHAKEN Identity, several Via and Record-Route entries, or custom X- headers added by each hop.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Move the trunk to TCP or TLS, or let the SBC switch to TCP for large messages.",
        actor: "operator",
      },
      {
        text: "Shorten the codec list and strip headers the far side does not need on the SBC.",
        actor: "operator",
      },
      {
        text: "Ask the carrier what message size it accepts on UDP.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be set up because of a technical limit on the line. Please ask your phone administrator to check it.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same message will be refused again; it must be made smaller or sent over TCP.",
    },
    related: [
      {
        code: 413,
        note: "413 complains about the body (usually the SDP) being too large; 513 about the whole message.",
      },
      {
        code: 414,
        note: "414 is limited to an over-long Request-URI.",
      },
    ],
    keywords: ["MTU", "fragmentation", "UDP", "TCP", "packet size"],
  },
  {
    code: 555,
    phrase: "Push Notification Service Not Supported",
    registered: true,
    rfcs: ["RFC 8599"],
    summary: "The server does not support the push notification service named in the registration.",
    meaning:
      "A mobile client registered with push parameters (pn-provider and related URI parameters) so the server can wake it with a push message " +
      "before delivering a call. The proxy does not support the push service the client named, so it rejects the registration. " +
      "It concerns mobile softphones, not trunks, and the client can register again without push or with a service the server supports.",
    causes: [
      {
        text: "A mobile softphone asked for a push provider (for example Apple or Firebase) that the platform's proxy has not been set up for.",
        direction: "inbound",
      },
      {
        text: "The proxy supports RFC 8599 push in principle but the push service or its credentials are not configured for this domain.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Enable and configure the requested push provider on the proxy, or configure the app to use a provider the platform supports.",
        actor: "operator",
      },
      {
        text: "Update the app, or contact the provider if incoming calls do not arrive while the app is in the background.",
        actor: "end-user",
      },
    ],
    endUser:
      "Your phone app could not turn on call notifications. Please update the app or contact your provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same registration will be refused until the server supports the provider or the client drops the push parameters.",
    },
    related: [
      {
        code: 403,
        note: "403 refuses the registration outright; 555 only rejects the push service requested with it.",
      },
    ],
    keywords: ["push", "APNs", "FCM", "mobile app", "pn-provider", "REGISTER"],
  },
  {
    code: 580,
    phrase: "Precondition Failure",
    registered: true,
    rfcs: ["RFC 3312"],
    summary:
      "The call was refused because a required precondition, usually network resources, could not be met.",
    meaning:
      "Preconditions let the two sides agree that a call only alerts once something is in place, most often the bandwidth or QoS reservation " +
      "for the media path. A 580 says the responder cannot satisfy a precondition the session needed, so the call is not set up. " +
      "It is common in IMS and VoLTE networks, where resource reservation is tied to the radio bearer, and rare on plain SIP trunks.",
    causes: [
      {
        text: "Resource or QoS reservation for the media failed in the mobile or IMS network (for example no dedicated bearer could be set up).",
        direction: "outbound",
      },
      {
        text: "The offer marks preconditions as mandatory but the far side cannot provide what the SDP asks for.",
        direction: "both",
      },
      {
        text: "An SBC between an IMS core and a trunk does not handle precondition attributes consistently on both legs.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check the precondition attributes (a=curr, a=des, a=conf) in the SDP on both legs and whether the SBC passes or strips them.",
        actor: "operator",
      },
      {
        text: "Where the trunk does not need them, have the SBC remove preconditions from offers sent towards it.",
        actor: "operator",
      },
      {
        text: "If it affects calls to mobile numbers, report the pattern to the carrier.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The network could not reserve what it needed to connect your call. Please try again in a moment.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Can succeed when resources free up; a configuration mismatch will keep failing.",
    },
    related: [
      {
        code: 488,
        note: "488 rejects the media offer itself; 580 rejects a precondition attached to it.",
      },
      {
        code: 420,
        note: "420 means the precondition extension is not supported at all; 580 means it is supported but cannot be met.",
      },
    ],
    keywords: ["QoS", "preconditions", "IMS", "VoLTE", "resource reservation", "bearer"],
  },
] satisfies CodeEntry[];
