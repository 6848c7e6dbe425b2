// Standard (RFC) entries for the registered SIP response codes 400 to 429.
import type { CodeEntry } from "../../schema/catalogue.ts";

export const client400To429Codes = [
  {
    code: 400,
    phrase: "Bad Request",
    registered: true,
    rfcs: ["RFC 3261 §21.4.1"],
    summary:
      "The receiver could not parse the request: a header, URI or body is malformed or missing.",
    meaning:
      "The far end rejected the request because it is not well-formed SIP, so it never got as far as looking at the called number. " +
      "A mandatory header may be missing or duplicated, a URI or display name may break the grammar, or the body may disagree with Content-Length. " +
      "Well-behaved servers put the specific problem in the reason phrase (for example naming the missing header), so read the full response line rather than just the number. " +
      "Gateways towards the PSTN usually translate it to Q.850 cause 41 (temporary failure), which can make a permanent configuration fault look transient.",
    causes: [
      {
        text: "The PBX builds a broken From, To or Contact header, for example an unquoted display name with special characters or a number containing spaces.",
        direction: "outbound",
      },
      {
        text: "Header manipulation rules on an SBC remove a mandatory header or produce invalid syntax while rewriting caller ID or routing headers.",
        direction: "both",
      },
      {
        text: "A router's SIP ALG rewrites addresses inside the message and leaves Content-Length or the SDP inconsistent.",
        direction: "both",
      },
      {
        text: "A large INVITE over UDP is fragmented and a truncated copy reaches the far end.",
        direction: "both",
      },
      {
        text: "The customer's PBX cannot parse something the carrier sends, such as a tel URI, an unusual header or a multipart body.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Take a packet capture and read the full reason phrase and any Warning header; they often name the faulty header.",
        actor: "operator",
      },
      {
        text: "Compare the rejected message with one that works, paying attention to recently changed header manipulation or caller-ID rules.",
        actor: "operator",
      },
      {
        text: "Turn off SIP ALG on the customer's router and move to TCP or TLS if large messages are being fragmented over UDP.",
        actor: "operator",
      },
      {
        text: "If the message looks valid, identify from the capture which part of it the carrier side refuses and why.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be set up because of a technical problem between the phone systems. Please try again, and tell your provider if it keeps happening.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same malformed message will be refused every time; the sender must fix it first.",
    },
    related: [
      {
        code: 488,
        note: "488 means the message and SDP were understood, but none of the offered media could be accepted.",
      },
      {
        code: 415,
        note: "415 means the body type itself is not supported, not that the message is badly formed.",
      },
      {
        code: 500,
        note: "500 points to a fault inside the server, whereas 400 blames the content of the request.",
      },
    ],
    keywords: ["parse failure", "broken header", "invalid message"],
  },
  {
    code: 401,
    phrase: "Unauthorized",
    registered: true,
    rfcs: ["RFC 3261 §21.4.2"],
    summary:
      "The receiver wants the sender to prove who it is with username and password (digest).",
    meaning:
      "A user agent or registrar answers this way to demand credentials, offering a challenge in the WWW-Authenticate header. " +
      "The sender is expected to repeat the request with an Authorization header computed from its username and password. " +
      "On trunks and phones this is a routine step, seen on almost every REGISTER and often on INVITE, and it is not a failure by itself. " +
      "It becomes a problem when the request that already carries credentials is challenged again, or when the sender has no credentials to offer. " +
      "Towards the PSTN a gateway that cannot authenticate reports Q.850 cause 21 (call rejected).",
    causes: [
      {
        text: "Normal digest challenge on a REGISTER or INVITE; the sender answers it and the request goes through.",
        direction: "both",
      },
      {
        text: "The PBX answers the challenge with the wrong password, or with the extension number where the carrier expects a separate authentication username.",
        direction: "outbound",
      },
      {
        text: "Registration works but calls use different credentials or a different realm, so authenticated INVITEs keep being challenged.",
        direction: "outbound",
      },
      {
        text: "The customer's PBX does not recognise the carrier's signalling address and challenges the incoming call, which the carrier cannot answer (Asterisk does this for unmatched requests).",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check in the trace whether a second 401 follows the request that already has an Authorization header; only that case needs fixing.",
        actor: "operator",
      },
      {
        text: "Verify the authentication username, password and realm on the trunk against what the carrier issued.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Configure the PBX to trust the carrier's signalling IP addresses (for example an identify or ACL rule) so incoming calls are not challenged.",
        actor: "operator",
        direction: "inbound",
      },
    ],
    endUser:
      "The call could not be connected because the phone system could not confirm its login details. If it keeps happening, please contact your phone provider.",
    outcome: "auth-required",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Resending unchanged fails again; the request must be repeated with credentials that answer the challenge.",
    },
    related: [
      {
        code: 407,
        note: "407 comes from a proxy and uses Proxy-Authenticate; 401 comes from the end system or registrar and uses WWW-Authenticate.",
      },
      {
        code: 403,
        note: "403 means the request is refused whatever credentials are sent; some servers send it after a wrong password instead of challenging again.",
      },
    ],
    keywords: ["auth failure", "login failed", "bad credentials", "registration rejected"],
  },
  {
    code: 402,
    phrase: "Payment Required",
    registered: true,
    rfcs: ["RFC 3261 §21.4.3"],
    summary:
      "Reserved by the standard; in practice carriers use it for accounts out of credit or unpaid.",
    meaning:
      "RFC 3261 registers the code but leaves its use for the future, so no standard behaviour is attached to it. " +
      "Carriers and hosted platforms have adopted it to say that the account has to be funded before the call can proceed: a prepaid balance has run out, a spending cap has been reached, or the account is suspended for non-payment. " +
      "RFC 3398 maps it to Q.850 cause 21 (call rejected) on the PSTN side.",
    causes: [
      { text: "The prepaid balance on the trunk account is exhausted.", direction: "outbound" },
      {
        text: "A daily or monthly spending limit, or a per-call cost cap, has been hit.",
        direction: "outbound",
      },
      {
        text: "The account or number has been suspended by the provider for an unpaid invoice.",
        direction: "both",
      },
      {
        text: "A downstream carrier refused the destination for billing reasons and the code was passed back unchanged.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check the account balance, spending limits and billing status in the provider's portal.",
        actor: "operator",
      },
      {
        text: "If it only happens for certain destinations, look for a pattern by prefix and raise it with the carrier.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Confirm the account status and any limits applied on the platform side.",
        actor: "carrier",
      },
    ],
    endUser:
      "This call could not be made because of a billing issue on the account. Please contact whoever manages your phone service.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Retrying is pointless until the account is funded or the limit is raised.",
    },
    related: [
      {
        code: 403,
        note: "Many carriers send 403 for credit and barring problems too; 402 names payment explicitly.",
      },
      {
        code: 603,
        note: "Some platforms reject calls over a cost limit with 603 and their own reason phrase rather than 402.",
      },
    ],
    keywords: ["no funds", "top-up", "arrears", "low balance"],
  },
  {
    code: 403,
    phrase: "Forbidden",
    registered: true,
    rfcs: ["RFC 3261 §21.4.4"],
    summary:
      "The receiver understood the request but refuses it by policy; sending credentials will not help.",
    meaning:
      "The far end knows exactly what is being asked and has decided not to allow it. " +
      "Unlike 401 and 407 there is no challenge to answer: the refusal is about who is sending, from where, with which caller ID, or to which destination. " +
      "On trunks it usually comes from an access rule (source IP not trusted, trunk not matched), an identity check (the presented number is not allowed) or a barring rule. " +
      "PSTN networks send it for Q.850 cause 21 (call rejected) and for closed user group and bearer restrictions (causes 55, 57, 87); a gateway maps a received 403 back to cause 21. " +
      "The reason phrase and Warning header are often the only clue to which rule fired.",
    causes: [
      {
        text: "The PBX sends from a public IP address the carrier has not put on the trunk's allow list, or traffic leaves through a different NAT address than the one registered.",
        direction: "outbound",
      },
      {
        text: "Registration and call credentials do not line up: the INVITE comes from an address or account other than the one that registered, or the server gives up after a failed login with 403 instead of another challenge.",
        direction: "outbound",
      },
      {
        text: "The caller ID in From or P-Asserted-Identity is not a number the account owns or has verified, or is in a format the carrier does not accept, or withheld caller ID is not permitted.",
        direction: "outbound",
      },
      {
        text: "The destination is barred: international, premium-rate or other ranges blocked on the account, often by fraud controls.",
        direction: "outbound",
      },
      {
        text: "The customer's PBX or firewall refuses calls from the carrier's signalling addresses because they are not in its trusted list, or the called party's network rejected the call.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Read the reason phrase and Warning header; carriers usually say whether the IP, the caller ID or the destination was refused.",
        actor: "operator",
      },
      {
        text: "Check the source IP the carrier sees and the caller ID format (usually E.164) against what is provisioned on the trunk.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Add the carrier's signalling IP addresses to the PBX and firewall trusted lists.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "If the number and caller ID are correct, review the destination barring or fraud rule applied to the account.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "This call was not allowed. The number may be blocked on your account or not permitted from this line; please contact your phone provider if you need to reach it.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same request will be refused again until the policy or configuration behind it changes.",
    },
    related: [
      {
        code: 401,
        note: "401 and 407 ask for credentials and can be answered; 403 is final whatever credentials are sent.",
      },
      {
        code: 603,
        note: "603 is a refusal by the called user or their device, while 403 is usually a network or server policy.",
      },
      {
        code: 404,
        note: "404 means the number is unknown; 403 means it is known but the call to it is not allowed.",
      },
    ],
    keywords: ["acl", "whitelist", "ip authorisation", "cli validation", "access denied"],
  },
  {
    code: 404,
    phrase: "Not Found",
    registered: true,
    rfcs: ["RFC 3261 §21.4.5"],
    summary:
      "The receiver handles the dialled domain but has no user or number matching the request.",
    meaning:
      "The request reached a system responsible for the destination domain, and that system has no record of the requested user or number. " +
      "On trunks this is most often a number that is not provisioned where the call lands, or a number written in a format the receiver does not match (national versus E.164, extra prefixes). " +
      "It is also how PSTN gateways report Q.850 cause 1 (unallocated number) and causes 2 and 3 (no route to network or destination), so a 404 can mean either that the number does not exist or that nobody had a route for it. " +
      "A received 404 is mapped back to cause 1 on the PSTN side.",
    causes: [
      {
        text: "The DID is not set up on the customer's PBX: no inbound route, extension or dial-plan entry matches it.",
        direction: "inbound",
      },
      {
        text: "The carrier delivers the number in E.164 (for example with a leading +) while the PBX inbound route expects national format, or the other way round.",
        direction: "inbound",
      },
      {
        text: "The PBX sends the dialled number in a format the carrier does not accept: no country code, an outside-line prefix such as 9 left in, or extra characters.",
        direction: "outbound",
      },
      {
        text: "The number is not in service on the PSTN (Q.850 cause 1), or it has been ported and routing data is out of date.",
        direction: "outbound",
      },
      {
        text: "The platform or carrier has no route for the destination prefix (Q.850 cause 3).",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Compare the number in the Request-URI and To header with the PBX inbound routes, character for character, including a leading +.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Normalise dialled numbers to E.164 before they leave the PBX and check the Reason header: cause 1 means the number is not in use, cause 3 means no route.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "If the number is valid and correctly formatted, check routing and porting data for it.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "Check the number and dial it again with the full area or country code.",
        actor: "end-user",
        direction: "outbound",
      },
    ],
    endUser:
      "The number you dialled could not be found. Please check it and try again, including the area or country code.",
    outcome: "not-found",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same number in the same format will not be found later unless provisioning or routing changes.",
    },
    related: [
      {
        code: 484,
        note: "484 means the number is too short or incomplete, whereas 404 means a complete number matched nothing.",
      },
      {
        code: 480,
        note: "480 means the user exists but cannot be reached right now; 404 means no such user is known.",
      },
      {
        code: 604,
        note: "604 claims the user exists nowhere at all, so no other route should be tried; 404 only speaks for this server.",
      },
    ],
    keywords: ["ddi", "unassigned number", "invalid number", "wrong number format"],
  },
  {
    code: 405,
    phrase: "Method Not Allowed",
    registered: true,
    rfcs: ["RFC 3261 §21.4.6"],
    summary: "The receiver knows the request type but does not allow it for this address.",
    meaning:
      "The method (INVITE, REGISTER, REFER, OPTIONS, MESSAGE and so on) is recognised, but the target refuses to accept it here. " +
      "The response has to carry an Allow header listing the methods the target does accept, which is the quickest way to see what to change. " +
      "It typically appears with side features such as registration, transfers, keepalives or messaging rather than with ordinary call setup. " +
      "On the PSTN side it maps to Q.850 cause 63 (service or option not available).",
    causes: [
      {
        text: "The PBX sends REGISTER to a trunk that is authenticated by IP address and does not take registrations.",
        direction: "outbound",
      },
      {
        text: "A transfer sends REFER to a carrier or device that does not allow it.",
        direction: "both",
      },
      {
        text: "OPTIONS keepalives, MESSAGE, SUBSCRIBE or PUBLISH requests are sent to an endpoint that only handles calls.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Read the Allow header in the response to see which methods the far end accepts.",
        actor: "operator",
      },
      {
        text: "Disable the feature that sends the refused method, for example registration on an IP-authenticated trunk, or switch transfers to be handled inside the PBX.",
        actor: "operator",
      },
      {
        text: "Confirm which methods the trunk supports if the refused one is needed.",
        actor: "carrier",
      },
    ],
    endUser:
      "Your phone system asked for something the other side does not allow, so it could not be completed. If this affects your calls, please contact your phone provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The method stays refused at this address; use one listed in the Allow header instead.",
    },
    related: [
      {
        code: 501,
        note: "501 means the server does not implement the method at all; 405 means it knows it but will not allow it here.",
      },
      {
        code: 489,
        note: "489 refuses a subscription because the event package is unknown, while the SUBSCRIBE method itself is allowed.",
      },
    ],
    keywords: ["unsupported method", "blind transfer", "presence"],
  },
  {
    code: 406,
    phrase: "Not Acceptable",
    registered: true,
    rfcs: ["RFC 3261 §21.4.7"],
    summary:
      "The receiver can only answer with content the sender said, in its Accept headers, it cannot take.",
    meaning:
      "The sender listed in Accept (or Accept-Encoding, Accept-Language) which kinds of response content it can handle, and the receiver has nothing in those forms to give back. " +
      "It is about what the response would contain, not about the request body. " +
      "It is rare on voice trunks and mostly appears with subscriptions or messaging where formats vary. " +
      "RFC 3398 maps it to Q.850 cause 79 (service or option not implemented), after the gateway has tried to fix the problem.",
    causes: [
      {
        text: "A presence or busy-lamp subscription accepts only one document format and the server produces another.",
        direction: "both",
      },
      {
        text: "A device or SBC sends a restrictive Accept header, for example one that leaves out application/sdp on an INVITE.",
        direction: "both",
      },
      {
        text: "An Accept-Encoding or Accept-Language header rules out everything the server can return.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Inspect the Accept headers in the request and widen them to include the formats the far end can produce.",
        actor: "operator",
      },
      {
        text: "Check SBC header rules that add or rewrite Accept headers.",
        actor: "operator",
      },
    ],
    endUser:
      "A feature of your phone system could not work with the other side. Please let your phone provider know if something is not working.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Only a request with different Accept headers can succeed.",
    },
    related: [
      {
        code: 415,
        note: "415 is about the body the sender sent; 406 is about the body it would get back.",
      },
      {
        code: 488,
        note: "488 refuses the media described in the SDP, not the content format of the message.",
      },
    ],
    keywords: ["content negotiation", "unsupported format", "blf"],
  },
  {
    code: 407,
    phrase: "Proxy Authentication Required",
    registered: true,
    rfcs: ["RFC 3261 §21.4.8"],
    summary: "A proxy on the path wants the sender to authenticate before it forwards the request.",
    meaning:
      "This is the proxy counterpart of 401: a server in the middle of the path, rather than the final destination, demands credentials and puts its challenge in Proxy-Authenticate. " +
      "The sender resends the request with a Proxy-Authorization header. " +
      "Carrier proxies and platforms such as Kamailio, OpenSIPS and FreeSWITCH commonly challenge outgoing INVITEs this way, so one 407 per call is normal. " +
      "It only signals a fault when the request that already carries credentials is challenged again, or when the sender has none configured. " +
      "A gateway unable to authenticate reports Q.850 cause 21 (call rejected) to the PSTN.",
    causes: [
      {
        text: "Routine challenge on an outgoing INVITE; the PBX answers it and the call proceeds.",
        direction: "outbound",
      },
      {
        text: "The trunk has no outbound credentials set, or uses a wrong password or authentication username, so the challenge cannot be answered correctly.",
        direction: "outbound",
      },
      {
        text: "The PBX answers with credentials for a different realm, or reuses an expired nonce, and is challenged in a loop.",
        direction: "outbound",
      },
      {
        text: "The customer's PBX does not trust the carrier's addresses and challenges incoming INVITEs, which the carrier cannot answer.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check whether a second 407 follows the INVITE that carries Proxy-Authorization; a single challenge followed by success is normal.",
        actor: "operator",
      },
      {
        text: "Verify the outbound authentication username, password and realm on the trunk.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Let incoming calls from the carrier's signalling IPs in without a challenge, for example with an ACL or an IP-matched trunk.",
        actor: "operator",
        direction: "inbound",
      },
    ],
    endUser:
      "The call could not be connected because the phone system could not confirm its login details. If it keeps happening, please contact your phone provider.",
    outcome: "auth-required",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request must be resent with Proxy-Authorization; sending it unchanged is challenged again.",
    },
    related: [
      {
        code: 401,
        note: "401 comes from the destination or registrar with WWW-Authenticate; 407 from a proxy on the way with Proxy-Authenticate.",
      },
      {
        code: 403,
        note: "403 means the request is refused outright; no credentials will change it.",
      },
    ],
    keywords: ["auth failure", "login failed", "bad credentials", "authentication loop"],
  },
  {
    code: 408,
    phrase: "Request Timeout",
    registered: true,
    rfcs: ["RFC 3261 §21.4.9"],
    summary:
      "No final answer came back in time: the far end never responded or the destination could not be reached.",
    meaning:
      "The server could not produce a final response within the time it allows, for instance because it could not reach or locate the user. " +
      "A SIP stack also generates 408 locally when its own transaction timer expires with no answer at all, so the code may come from the far end or from the sender's own equipment; the trace tells which. " +
      "PSTN gateways use it for Q.850 cause 18 (no user responding), and a received 408 is translated to cause 102 (recovery on timer expiry). " +
      "It often points to reachability problems rather than a person not answering.",
    causes: [
      {
        text: "The called phone or network never responded, for example a mobile that is switched off or out of coverage (Q.850 cause 18).",
        direction: "outbound",
      },
      {
        text: "The customer's PBX is offline, its registration has gone stale, or a firewall drops the carrier's INVITE, so the carrier's timer runs out.",
        direction: "inbound",
      },
      {
        text: "Requests arrive but responses are lost on the way back, typically through NAT, a SIP ALG or a wrong Via or Contact address.",
        direction: "both",
      },
      {
        text: "Large INVITEs over UDP are fragmented and the fragments are dropped, so the far end never sees the request.",
        direction: "both",
      },
      {
        text: "The platform's own ringing or routing timer expired before any device or downstream carrier gave a final answer.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check in the trace whether the 408 was received from the far end or created locally after no response at all.",
        actor: "operator",
      },
      {
        text: "Confirm the PBX is reachable from the carrier's signalling IPs: firewall rules, port forwarding, registration refresh and SIP ALG turned off.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Group failures by destination and raise a range that times out repeatedly with the carrier, with example calls.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Try the call again a little later.",
        actor: "end-user",
      },
    ],
    endUser:
      "The person you called did not answer, or their phone could not be reached in time. Please try again later.",
    outcome: "no-answer",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "The same request may succeed later once the far end or the path to it responds.",
    },
    related: [
      {
        code: 480,
        note: "480 is a definite answer that the user is unavailable now; 408 means no answer came back in time.",
      },
      {
        code: 487,
        note: "487 means the caller gave up and cancelled; 408 means the network or callee timed out.",
      },
      {
        code: 504,
        note: "504 says a server timed out waiting for another server, pointing to the network between them.",
      },
    ],
    keywords: ["timer b", "no reply", "one-way signalling"],
  },
  {
    code: 410,
    phrase: "Gone",
    registered: true,
    rfcs: ["RFC 3261 §21.4.10"],
    summary:
      "The number or user used to exist here but no longer does, and no new address is known.",
    meaning:
      "The server is saying the destination has been removed for good and it has no forwarding address to offer. " +
      "It is stronger than 404: the server knew this user and knows it is not coming back. " +
      "PSTN networks use it for Q.850 cause 22 (number changed) and cause 23 (redirection to new destination), and a received 410 is mapped to cause 22.",
    causes: [
      {
        text: "The dialled number has been disconnected or changed by its owner (Q.850 cause 22).",
        direction: "outbound",
      },
      {
        text: "The number was ported away or ceased and the network keeps a record saying so.",
        direction: "outbound",
      },
      {
        text: "A DID was removed from the customer's account or PBX but callers still use it.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check the Reason header for cause 22 or 23 and treat the number as no longer valid.",
        actor: "operator",
      },
      {
        text: "If the number should still be active, check porting status and provisioning with the carrier.",
        actor: "carrier",
      },
      {
        text: "Find the person's current number, for example from a recent message or their website.",
        actor: "end-user",
        direction: "outbound",
      },
    ],
    endUser:
      "The number you called is no longer in use. Please check whether the person or business has a new number.",
    outcome: "not-found",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The condition is permanent; calling the same number again will give the same result.",
    },
    related: [
      {
        code: 404,
        note: "404 only says the number is unknown here; 410 says it existed and is gone for good.",
      },
      {
        code: 301,
        note: "301 also reports a permanent move but supplies the new address in Contact.",
      },
    ],
    keywords: ["dead number", "number withdrawn", "cancelled number"],
  },
  {
    code: 412,
    phrase: "Conditional Request Failed",
    registered: true,
    rfcs: ["RFC 3903"],
    summary: "A PUBLISH refresh or change referred to a publication the server no longer holds.",
    meaning:
      "Defined with the PUBLISH method for event state such as presence. " +
      "A client that refreshes, modifies or removes earlier published state names it with an entity tag in SIP-If-Match; the server returns 412 when that tag does not match any current publication. " +
      "The client has to start over with a fresh PUBLISH that carries the full state and no SIP-If-Match. " +
      "It has nothing to do with call setup on a normal trunk, although some platforms reuse the number for their own purposes.",
    causes: [
      {
        text: "The publication expired before the client refreshed it, for example after a network outage.",
        direction: "both",
      },
      {
        text: "The presence server restarted or failed over and lost the state it had stored.",
        direction: "both",
      },
      {
        text: "A phone or client keeps an old entity tag and does not start a new publication after the error.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Make sure the client sends a new initial PUBLISH after a 412 instead of repeating the conditional one.",
        actor: "operator",
      },
      {
        text: "Check publication expiry times against the refresh interval the client uses.",
        actor: "operator",
      },
    ],
    endUser:
      "Your status (such as available or busy) may not be shown correctly to others for a moment. It normally fixes itself; contact support if it does not.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same conditional request will keep failing; a new, unconditional publication is needed.",
    },
    related: [
      {
        code: 489,
        note: "489 refuses the event package itself; 412 refuses one stale publication of a known package.",
      },
      {
        code: 423,
        note: "423 rejects a PUBLISH or REGISTER whose expiry time is too short, not one with a stale tag.",
      },
    ],
    keywords: ["etag", "blf", "presence refresh"],
  },
  {
    code: 413,
    phrase: "Request Entity Too Large",
    registered: true,
    rfcs: ["RFC 3261 §21.4.11"],
    summary: "The request body is bigger than the receiver is willing to handle.",
    meaning:
      "The receiver refuses to process the request because of the size of its body, typically a long SDP or a multipart body. " +
      "If the condition is only temporary the server should add Retry-After to say when to try again; without it the limit should be treated as fixed. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking) after the gateway has tried to correct the request.",
    causes: [
      {
        text: "The SDP offers many codecs, video streams, crypto lines or ICE candidates and exceeds an SBC's size limit.",
        direction: "both",
      },
      {
        text: "A multipart body carries SDP together with ISUP, location or other attachments the receiver will not accept at that size.",
        direction: "both",
      },
      {
        text: "A large MESSAGE or NOTIFY body, such as a long text or a presence list, goes over the server's limit.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Trim the codec list and remove unused media lines or attachments from the offer.",
        actor: "operator",
      },
      {
        text: "Confirm the message and body size limits on the carrier edge and compare them with the failing message.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call could not be set up because of a technical problem between the phone systems. Please let your provider know if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "optional",
      note: "Retry unchanged only if the response carried Retry-After; otherwise the body must be made smaller.",
    },
    related: [
      {
        code: 513,
        note: "513 objects to the size of the whole message, often because it is too big for UDP, not just the body.",
      },
      {
        code: 414,
        note: "414 is the same idea applied to an overlong Request-URI.",
      },
    ],
    keywords: ["oversized", "payload too big", "message size"],
  },
  {
    code: 414,
    phrase: "Request-URI Too Long",
    registered: true,
    rfcs: ["RFC 3261 §21.4.12"],
    summary: "The address in the request line is longer than the receiver is willing to read.",
    meaning:
      "The server refuses to interpret the Request-URI because of its length. " +
      "This normally means something has been added to the URI that should not be there, or the same thing has been added many times. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking).",
    causes: [
      {
        text: "Routing rules between two systems keep adding a prefix or parameter to the number, so a loop grows the URI until it is refused.",
        direction: "both",
      },
      {
        text: "A PBX or SBC appends many URI parameters, tokens or headers encoded in the URI.",
        direction: "both",
      },
      {
        text: "A dial string with garbage or pasted text is sent as the number.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Look at the Request-URI in the trace; repeated prefixes or parameters point to a routing loop that needs fixing.",
        actor: "operator",
      },
      {
        text: "Strip unnecessary URI parameters on the SBC before sending to the carrier.",
        actor: "operator",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be set up because of a technical problem with how the number was sent. Please check the number and try again.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same URI will be refused again; it has to be shortened.",
    },
    related: [
      {
        code: 413,
        note: "413 objects to the size of the body; 414 to the length of the request address.",
      },
      {
        code: 400,
        note: "400 covers URIs that are malformed; 414 is for URIs that are valid but too long.",
      },
    ],
    keywords: ["long uri", "oversized uri", "prefix loop"],
  },
  {
    code: 415,
    phrase: "Unsupported Media Type",
    registered: true,
    rfcs: ["RFC 3261 §21.4.13"],
    summary:
      "The receiver does not understand the format of the request body (its Content-Type or encoding).",
    meaning:
      "The request carried a body in a format, encoding or language the receiver does not support, so it refuses the request. " +
      "'Media type' here means the MIME type of the body, such as application/sdp, not the audio or video format of the call; codec mismatches produce 488 instead. " +
      "The receiver should list what it does support in Accept, Accept-Encoding and Accept-Language headers. " +
      "RFC 3398 maps it to Q.850 cause 79 (service or option not implemented).",
    causes: [
      {
        text: "The INVITE has no Content-Type header, or labels the SDP with a wrong type.",
        direction: "both",
      },
      {
        text: "A multipart body with ISUP or other attachments is sent to a device that only understands plain application/sdp.",
        direction: "inbound",
      },
      {
        text: "The body is compressed or uses an encoding the receiver does not handle.",
        direction: "both",
      },
      {
        text: "INFO, NOTIFY or MESSAGE requests use a body type the far end does not support, for example a DTMF or presence format.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Compare the request's Content-Type with the Accept header in the 415 and send one of the listed types.",
        actor: "operator",
      },
      {
        text: "Configure the SBC to strip unsupported body parts, such as ISUP attachments, before they reach the PBX.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Switch DTMF to RFC 2833/4733 events if INFO bodies are being refused.",
        actor: "operator",
      },
    ],
    endUser:
      "The call could not be set up because the phone systems could not understand each other. Please let your provider know if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same body will be refused again; it must be sent in a supported format.",
    },
    related: [
      {
        code: 488,
        note: "488 means the SDP was read but no codec or media setting could be agreed.",
      },
      {
        code: 406,
        note: "406 is about the format of the reply the sender will accept, not the body it sent.",
      },
      {
        code: 400,
        note: "400 means the message is malformed, not that its body format is unsupported.",
      },
    ],
    keywords: ["dtmf info", "sip-i"],
  },
  {
    code: 416,
    phrase: "Unsupported URI Scheme",
    registered: true,
    rfcs: ["RFC 3261 §21.4.14"],
    summary:
      "The receiver does not handle the kind of address (URI scheme) used in the request line.",
    meaning:
      "The Request-URI uses a scheme the server does not know or will not process, so it cannot even start to route the request. " +
      "On trunks the usual suspects are tel URIs sent to a server that only takes sip URIs, and sips URIs sent to a system without TLS support. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking).",
    causes: [
      {
        text: "The PBX or SBC sends a tel: URI where the carrier expects sip:.",
        direction: "outbound",
      },
      {
        text: "A sips: URI is used towards a peer that does not support secure SIP.",
        direction: "both",
      },
      {
        text: "The carrier or an IMS network sends a tel: or other URI the customer's PBX cannot route.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Configure the SBC or PBX to present the number as a sip: URI with the user part set to the number.",
        actor: "operator",
      },
      {
        text: "Agree with the carrier whether TLS and sips: are used on the trunk.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call could not be set up because of a technical problem with how the number was sent. Please let your provider know if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same scheme will be refused again; the address has to be rewritten.",
    },
    related: [
      {
        code: 400,
        note: "400 is for URIs that break the syntax; 416 for well-formed URIs of an unsupported kind.",
      },
      {
        code: 404,
        note: "404 means the address was understood but no such user exists.",
      },
    ],
    keywords: ["bad scheme", "e.164 uri"],
  },
  {
    code: 417,
    phrase: "Unknown Resource-Priority",
    registered: true,
    rfcs: ["RFC 4412"],
    summary:
      "The request asked for a priority level or namespace that the receiver does not recognise.",
    meaning:
      "Resource-Priority lets emergency, government or military services ask for preferential treatment during congestion. " +
      "A server that insists on understanding the priority (for example when the request also requires the resource-priority extension, or when it runs in a strict mode) answers 417 if the namespace or value is unknown. " +
      "The response lists the namespaces and values it does support in Accept-Resource-Priority. " +
      "Servers in a lenient mode simply ignore unknown values and process the request normally.",
    causes: [
      {
        text: "An SBC or PBX adds a Resource-Priority header with a namespace the carrier does not support.",
        direction: "outbound",
      },
      {
        text: "Priority calls from a government or emergency network reach equipment configured to reject unknown priorities strictly.",
        direction: "inbound",
      },
      {
        text: "The priority value is mistyped or outside the range defined for its namespace.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Compare the Resource-Priority header with the Accept-Resource-Priority list in the response.",
        actor: "operator",
      },
      {
        text: "Remove the header if priority service is not actually used, or switch the gateway to lenient handling of unknown values.",
        actor: "operator",
      },
      {
        text: "Confirm which priority namespaces the interconnect supports.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call could not be set up because of a technical problem between the phone systems. Please try again or contact your provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same priority value will be refused again; it must be changed or removed.",
    },
    related: [
      {
        code: 420,
        note: "420 rejects an unknown extension named in Require; 417 rejects an unknown priority value.",
      },
      {
        code: 403,
        note: "403 may be used when the priority is understood but the caller is not entitled to it.",
      },
    ],
    keywords: ["gets", "wps", "mlpp", "precedence", "ets"],
  },
  {
    code: 420,
    phrase: "Bad Extension",
    registered: true,
    rfcs: ["RFC 3261 §21.4.15"],
    summary:
      "The sender required an extension (in Require or Proxy-Require) that the receiver does not support.",
    meaning:
      "By listing an option tag in Require or Proxy-Require the sender said the receiver must support that extension or refuse the request, and the receiver refused. " +
      "The unsupported tags are listed in the Unsupported header of the response. " +
      "Most often the sender could have offered the extension in Supported instead of demanding it. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking).",
    causes: [
      {
        text: "The PBX demands reliable provisional responses (Require: 100rel) and the carrier does not do PRACK.",
        direction: "outbound",
      },
      {
        text: "An attended transfer sends an INVITE with Require: replaces to a system that cannot replace calls.",
        direction: "both",
      },
      {
        text: "Session timers are required (Require: timer) towards equipment without session-timer support.",
        direction: "both",
      },
      {
        text: "The carrier or an IMS core requires preconditions or another extension the customer's PBX does not implement.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Read the Unsupported header to see which option tag was refused.",
        actor: "operator",
      },
      {
        text: "Change the PBX or SBC so the extension is only offered in Supported, for example setting 100rel or session timers to supported rather than required.",
        actor: "operator",
      },
      {
        text: "Enable the refused extension on the trunk if the customer really needs it.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call could not be set up because the phone systems did not agree on a technical feature. Please let your provider know if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request must be resent without requiring the unsupported extension.",
    },
    related: [
      {
        code: 421,
        note: "421 is the reverse: the receiver requires an extension the sender did not offer.",
      },
      {
        code: 400,
        note: "400 is about a malformed message, not an unsupported feature.",
      },
    ],
    keywords: ["feature mismatch", "sip extension"],
  },
  {
    code: 421,
    phrase: "Extension Required",
    registered: true,
    rfcs: ["RFC 3261 §21.4.16"],
    summary:
      "The receiver will only process the request if the sender supports a certain extension.",
    meaning:
      "The receiver needs an extension that the sender did not list in its Supported header, and it names that extension in a Require header in the response. " +
      "The standard discourages servers from doing this unless they really cannot serve the request otherwise, since it breaks interworking with simpler clients. " +
      "It mostly shows up on interconnects with IMS or mobile networks. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking).",
    causes: [
      {
        text: "The carrier requires reliable provisional responses (100rel) and the PBX did not offer them.",
        direction: "outbound",
      },
      {
        text: "An IMS network requires preconditions or another extension the PBX or SBC does not advertise.",
        direction: "outbound",
      },
      {
        text: "The customer's PBX is set to require an extension, such as session timers, that the carrier's INVITE does not include.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Read the Require header in the response and enable that extension on the PBX or SBC, or on the carrier leg of the SBC.",
        actor: "operator",
      },
      {
        text: "Relax PBX settings that make an extension mandatory for incoming calls.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Drop the requirement on the trunk if the customer's equipment cannot support the extension.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be set up because the phone systems did not agree on a technical feature. Please let your provider know if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request must be resent indicating support for the required extension.",
    },
    related: [
      {
        code: 420,
        note: "420 is the reverse: the sender required something the receiver does not support.",
      },
      {
        code: 422,
        note: "422 is specific to session timers and asks for a longer interval, not for an extension.",
      },
    ],
    keywords: ["prack", "feature mismatch", "volte"],
  },
  {
    code: 422,
    phrase: "Session Interval Too Small",
    registered: true,
    rfcs: ["RFC 4028 §6"],
    summary:
      "The session-timer interval offered (Session-Expires) is below the receiver's minimum (Min-SE).",
    meaning:
      "With session timers, the two sides agree how often an active call must be refreshed, so that stuck calls can be cleared. " +
      "If the Session-Expires value in an INVITE or UPDATE is shorter than what a proxy or the far end will accept, it answers 422 and states its minimum in a Min-SE header. " +
      "The sender is then expected to send the request again straight away with a Session-Expires at least that large and a matching Min-SE, so a 422 followed by a successful retry is normal. " +
      "Calls only fail when the sender does not retry, or when the two sides' limits cannot be reconciled. " +
      "The standard sets 90 seconds as the lowest allowed minimum and recommends 30 minutes as a default interval.",
    causes: [
      {
        text: "The PBX offers a short Session-Expires, for example 90 or 300 seconds, to a carrier whose Min-SE is higher.",
        direction: "outbound",
      },
      {
        text: "The carrier sends a Session-Expires below the minimum configured on the customer's PBX or SBC.",
        direction: "inbound",
      },
      {
        text: "The sender's stack ignores the 422 and does not resend with the Min-SE value, so the call fails.",
        direction: "both",
      },
      {
        text: "A session refresh (re-INVITE or UPDATE) mid-call uses a shorter interval than the one already agreed.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Compare the Session-Expires in the request with the Min-SE in the 422 and check that a retry with the larger value follows.",
        actor: "operator",
      },
      {
        text: "Raise the PBX or SBC Session-Expires to at least the carrier's Min-SE (1800 seconds is a common safe value).",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Lower the Min-SE required on the PBX or SBC so that normal carrier values are accepted.",
        actor: "operator",
        direction: "inbound",
      },
    ],
    endUser:
      "The call could not be set up because the phone systems did not agree on a technical setting. Please try again, and tell your provider if it keeps happening.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same interval will be refused again; the sender should resend at once with Session-Expires raised to the Min-SE value.",
    },
    related: [
      {
        code: 423,
        note: "423 is the same idea for registration and subscription expiry times, using Min-Expires.",
      },
      {
        code: 420,
        note: "420 with 'timer' in Unsupported means the far end does not do session timers at all.",
      },
    ],
    keywords: ["timer negotiation", "keepalive timer", "rfc4028"],
  },
  {
    code: 423,
    phrase: "Interval Too Brief",
    registered: true,
    rfcs: ["RFC 3261 §21.4.17"],
    summary:
      "A registration or subscription asked for an expiry time shorter than the server allows.",
    meaning:
      "A registrar (or a server handling SUBSCRIBE or PUBLISH) refuses requests whose expiry is so short that frequent refreshes would load it. " +
      "The response carries Min-Expires with the shortest interval the server accepts, and the client should retry with an expiry at least that long. " +
      "It affects trunk and phone registration rather than individual calls, but a trunk that cannot register will then fail calls in both directions. " +
      "RFC 3398 maps it to Q.850 cause 127 (interworking).",
    causes: [
      {
        text: "The PBX registers its trunk with a very short expiry to keep a NAT binding open, below the carrier's minimum.",
        direction: "both",
      },
      {
        text: "Phones or busy-lamp subscriptions use a short Expires value the server refuses.",
        direction: "both",
      },
      {
        text: "The client ignores Min-Expires and keeps retrying with the same short interval.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Set the registration expiry on the PBX to at least the Min-Expires value returned by the server.",
        actor: "operator",
      },
      {
        text: "Keep NAT bindings open with OPTIONS or keepalive packets instead of very short registrations.",
        actor: "operator",
      },
    ],
    endUser:
      "Your phone system could not sign in to the phone service because of a setting. Please contact your provider if calls are not working.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same expiry will be refused again; retry with at least the Min-Expires value.",
    },
    related: [
      {
        code: 422,
        note: "422 applies the same idea to session-timer intervals during calls, using Min-SE.",
      },
      {
        code: 401,
        note: "401 on a REGISTER is the normal login challenge, not an interval problem.",
      },
    ],
    keywords: ["reg expiry", "register interval", "nat keepalive"],
  },
  {
    code: 424,
    phrase: "Bad Location Information",
    registered: true,
    rfcs: ["RFC 6442"],
    summary:
      "The caller's location information in the request was malformed, unusable or could not be fetched.",
    meaning:
      "SIP can carry the caller's location, either inline as a PIDF-LO document or as a reference in the Geolocation header, mainly for emergency calls. " +
      "A receiver that needs that location answers 424 when it cannot parse it, cannot retrieve it from the reference, or finds it unsuitable for its purpose. " +
      "A Geolocation-Error header in the response gives a code and text that say what went wrong.",
    causes: [
      {
        text: "An emergency call is sent with a malformed or incomplete location document.",
        direction: "outbound",
      },
      {
        text: "The location is given by reference and the receiver cannot dereference it, for example because the location server is unreachable or refuses access.",
        direction: "outbound",
      },
      {
        text: "The location is too coarse or in a format the emergency network does not accept.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Read the Geolocation-Error code and fix the location data or its provisioning in the PBX or SBC.",
        actor: "operator",
      },
      {
        text: "Check that the location server referenced in the call is reachable from the emergency network.",
        actor: "operator",
      },
      {
        text: "Confirm the location format and content the emergency routing service expects.",
        actor: "carrier",
      },
    ],
    endUser:
      "Your address information could not be passed on with the call. If you are calling for an emergency, stay on the line or give your address; please report this to your provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The location must be corrected or made reachable before the request can succeed.",
    },
    related: [
      {
        code: 400,
        note: "400 covers a malformed SIP message in general; 424 is specific to the location it carries.",
      },
    ],
    keywords: ["e911", "ng911", "ng112", "civic address"],
  },
  {
    code: 425,
    phrase: "Bad Alert Message",
    registered: true,
    rfcs: ["RFC 8876"],
    summary:
      "An emergency alert sent without a voice call (a CAP message) was malformed or not acceptable.",
    meaning:
      "Some devices, such as alarms, sensors or vehicle systems, can send emergency alerts to a control centre as data rather than as a call, using Common Alerting Protocol content in SIP. " +
      "The receiver answers 425 when that alert content is broken, incomplete or unsupported. " +
      "An AlertMsg-Error header in the response identifies the problem. " +
      "It is not seen on ordinary voice traffic.",
    causes: [
      {
        text: "The alert document is not valid or is missing fields the receiving centre needs.",
        direction: "outbound",
      },
      {
        text: "The alert uses an event type or feature the receiving centre does not support.",
        direction: "outbound",
      },
      {
        text: "A signature or other security element on the alert could not be validated.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Read the AlertMsg-Error header and fix the alert content produced by the sending device or gateway.",
        actor: "operator",
      },
      {
        text: "Confirm the alert format the receiving emergency network accepts.",
        actor: "carrier",
      },
    ],
    endUser:
      "An automatic emergency alert from your equipment was not accepted. If there is an emergency, please call the emergency number directly.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same alert will be refused again; its content must be fixed.",
    },
    related: [
      {
        code: 424,
        note: "424 objects to location information; 425 to the alert message itself.",
      },
      {
        code: 400,
        note: "400 is for a malformed SIP message in general.",
      },
    ],
    keywords: ["ecall", "alert payload", "non-interactive emergency"],
  },
  {
    code: 428,
    phrase: "Use Identity Header",
    registered: true,
    rfcs: ["RFC 8224"],
    summary:
      "The receiver's policy requires a signed caller identity (Identity header), and the request had none.",
    meaning:
      "Under STIR, the originating network signs the calling number and places the signature in an Identity header so later networks can verify it. " +
      "A verifier whose policy insists on that signature answers 428 when the request arrives without one. " +
      "The code was first defined by RFC 4474 and carried over by RFC 8224, which replaced it. " +
      "In STIR/SHAKEN deployments unsigned calls are more often passed with lower trust than refused, so a 428 usually reflects a deliberate, strict policy on the interconnect.",
    causes: [
      {
        text: "The carrier or upstream platform does not sign calls from this trunk, and the next network requires a signature.",
        direction: "outbound",
      },
      {
        text: "An SBC or other intermediate system strips the Identity header, for example through header manipulation or size limits.",
        direction: "both",
      },
      {
        text: "The customer's PBX or SBC is configured to refuse unsigned incoming calls.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check in the trace whether an Identity header was present when the call left the platform and where it was lost.",
        actor: "operator",
      },
      {
        text: "Make sure SBC header rules pass the Identity header through unchanged.",
        actor: "operator",
      },
      {
        text: "Sign calls from the trunk with an appropriate attestation level.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call was refused because your caller ID could not be verified by the other network. Please try again later or contact your phone provider.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The call will be refused again until it is sent with a valid Identity header.",
    },
    related: [
      {
        code: 438,
        note: "438 means an Identity header was present but failed verification; 428 means none was sent.",
      },
      {
        code: 403,
        note: "403 is a general policy refusal and does not say that a signature is missing.",
      },
      {
        code: 608,
        note: "608 reports a call blocked by call-analytics or spam filtering, not a missing signature.",
      },
    ],
    keywords: ["passport", "robocall", "caller id spoofing"],
  },
  {
    code: 429,
    phrase: "Provide Referrer Identity",
    registered: true,
    rfcs: ["RFC 3892"],
    summary:
      "The transfer target wants proof of who requested the transfer (a signed Referred-By token).",
    meaning:
      "During a transfer, the party that was asked to place the new call (via REFER) tells the transfer target who made the request in a Referred-By header, optionally protected by a signed token. " +
      "A transfer target whose policy demands that signed token refuses the new request with 429 when no valid one is supplied. " +
      "The party placing the call reports this back to the one that requested the transfer, which may try again with a token. " +
      "This SIP code has nothing to do with HTTP 429 'Too Many Requests'; overload and rate limiting in SIP are signalled with 503 and Retry-After, and a 429 used for rate limiting is a vendor's own convention.",
    causes: [
      {
        text: "A call transfer reaches a target that only accepts transfers with an authenticated referrer, and the REFER carried no signed token.",
        direction: "both",
      },
      {
        text: "An SBC or PBX in the path rewrote or dropped the Referred-By header or its token.",
        direction: "both",
      },
      {
        text: "A platform is borrowing the number to signal rate limiting, as in HTTP, rather than the registered meaning.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check whether the response comes from a transfer; if it appears on ordinary calls, ask the sender what they mean by it.",
        actor: "operator",
      },
      {
        text: "Handle the transfer inside the PBX (bridging the call) instead of passing REFER through to the far end.",
        actor: "operator",
      },
      {
        text: "Confirm whether the interconnect requires referrer identity for transfers.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call could not be transferred. Please try the transfer again or call the other person directly.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The transfer must be repeated with a valid referrer identity token.",
    },
    related: [
      {
        code: 401,
        note: "401 asks the sender to prove its own identity with a password; 429 asks for proof of who requested the transfer.",
      },
      {
        code: 503,
        note: "503 with Retry-After is the proper SIP signal for overload or rate limits, which some confuse with HTTP 429.",
      },
    ],
    keywords: ["blind transfer", "s/mime", "throttling"],
  },
] satisfies CodeEntry[];
