// Codes that are not in the IANA registry but still turn up in real traces.
import type { CodeEntry } from "../../schema/catalogue.ts";

export const unregisteredCodes = [
  {
    code: 409,
    phrase: "Conflict",
    registered: false,
    origin: "RFC 2543 (obsoleted); removed in RFC 3261",
    rfcs: ["RFC 2543"],
    summary: "A legacy code: the request clashes with the current state of what it addresses.",
    meaning:
      "The original SIP specification borrowed this code from HTTP for a request that could not be carried out because it conflicted " +
      "with existing state; its main use was a REGISTER whose 'action' parameter disagreed with registrations already held. " +
      "RFC 3261 dropped both the parameter and the code, so a modern device should not send it. " +
      "When it appears today it comes from old equipment or from software that reuses the HTTP meaning for a duplicate or clashing request.",
    causes: [
      {
        text: "An old RFC 2543-era phone, gateway or registrar is still in service and answers a REGISTER this way.",
        direction: "both",
      },
      {
        text: "A registrar or provisioning back end built on HTTP habits rejects a registration that clashes with an existing binding for the same account.",
        direction: "both",
      },
      {
        text: "An application server refuses a second, overlapping request (for example a duplicate conference or transfer action) with the HTTP code.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Identify the device from the Server or User-Agent header and check for a firmware update that follows RFC 3261.",
        actor: "operator",
      },
      {
        text: "Look for two devices registering with the same account and remove the duplicate.",
        actor: "operator",
      },
      {
        text: "Restart the phone if it keeps failing to register.",
        actor: "end-user",
      },
    ],
    endUser:
      "Your phone could not complete its request because of a setting conflict. Please restart it, and contact your administrator if it continues.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The conflict must be cleared first; sending the same request again will clash again.",
    },
    related: [
      {
        code: 400,
        note: "RFC 3261 equipment would normally reject an unacceptable request with 400 or 403 instead.",
      },
      {
        code: 491,
        note: "491 is the standard answer when two requests on one dialog overlap; it asks the sender to retry after a delay.",
      },
    ],
    keywords: ["legacy", "RFC 2543", "duplicate registration"],
  },
  {
    code: 411,
    phrase: "Length Required",
    registered: false,
    origin: "RFC 2543 (obsoleted); removed in RFC 3261",
    rfcs: ["RFC 2543"],
    summary: "A legacy code: the server would not accept a request that lacked a Content-Length.",
    meaning:
      "Taken over from HTTP by the original SIP specification, it told the sender that the request had to state its body length. " +
      "RFC 3261 removed the code and instead made Content-Length mandatory on TCP and TLS, where a missing length is treated as a malformed message (400). " +
      "Seeing it today points to very old equipment, or to a request really sent without a Content-Length header.",
    causes: [
      {
        text: "A request went over TCP or TLS without a Content-Length header, and an older stack on the other end replied with 411.",
        direction: "both",
      },
      {
        text: "A proxy or script rewrote the body (for example SDP changes) and dropped or broke the Content-Length header.",
        direction: "both",
      },
      {
        text: "A legacy RFC 2543 phone or gateway is still in use.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Capture the request and check that Content-Length is present and matches the body size.",
        actor: "operator",
      },
      {
        text: "Fix the sending device or SBC rule that leaves the header out after modifying the message.",
        actor: "operator",
      },
    ],
    endUser:
      "Your phone system sent the call in a form the other side could not accept. Please ask your administrator to check it.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The request must be resent with a correct Content-Length.",
    },
    related: [
      {
        code: 400,
        note: "Current SIP stacks report a missing or wrong Content-Length as 400.",
      },
      {
        code: 413,
        note: "413 means the body was too large, not that its length was missing.",
      },
    ],
    keywords: ["Content-Length", "legacy", "RFC 2543", "TCP"],
  },
  {
    code: 477,
    phrase: "Unfortunately error on sending to next hop occurred",
    registered: false,
    origin: "Kamailio/OpenSIPS (SER core error table), sent by the tm or sl module",
    rfcs: [],
    aliases: ["Unfortunately error on sending to next hop occured"],
    summary: "A Kamailio/OpenSIPS proxy could not send the request on to the next hop.",
    meaning:
      "Produced by SER-derived proxies (Kamailio, OpenSIPS) when relaying fails at the transport level: the proxy knew where to send the request " +
      "but the send itself failed, for example because a TCP or TLS connection could not be opened. " +
      "The text normally ends with a tag such as '(477/SL)' or '(477/TM)' naming the module that replied. " +
      "Nothing reached the destination, so it says nothing about the called user.",
    causes: [
      {
        text: "The next hop refused or did not accept a TCP or TLS connection (service down, wrong port, firewall).",
        direction: "both",
      },
      {
        text: "The TLS handshake with the next hop failed because of a certificate or protocol mismatch.",
        direction: "both",
      },
      {
        text: "The message was too large for UDP, the proxy tried to switch to TCP, and the destination only listens on UDP.",
        direction: "both",
      },
      {
        text: "The proxy had no usable network route or socket towards the destination address.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Read the proxy log around the failure; Kamailio logs the underlying send or connect error just before the 477.",
        actor: "operator",
      },
      {
        text: "Check that the destination is up and reachable from the proxy on the transport and port in use.",
        actor: "operator",
      },
      {
        text: "If the next hop is the carrier's gateway, confirm with the carrier that it accepts connections from the platform's addresses.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be passed on through the network. Please try again in a few minutes.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Can succeed once the next hop is reachable again.",
    },
    related: [
      {
        code: 478,
        note: "478 means the destination could not be resolved to an address; 477 means it resolved but sending failed.",
      },
      {
        code: 503,
        note: "A proxy with failover normally tries another route and may answer 503 once none is left.",
      },
      {
        code: 408,
        note: "408 means a request was sent but nothing came back in time; 477 means it could not be sent at all.",
      },
    ],
    keywords: ["kamailio", "opensips", "t_relay", "send failed", "connection refused"],
  },
  {
    code: 478,
    phrase: "Unresolvable destination",
    registered: false,
    origin: "Kamailio/OpenSIPS (SER core error table), sent by the tm or sl module",
    rfcs: [],
    aliases: ["Unresolveable destination"],
    summary: "A Kamailio/OpenSIPS proxy could not turn the destination into an address to send to.",
    meaning:
      "Produced by SER-derived proxies when the target of the request (the Request-URI host or the outbound proxy) cannot be resolved, " +
      "which nearly always means a DNS lookup failed or returned nothing usable. " +
      "As with 477, the text usually carries a '(478/SL)' or '(478/TM)' tag. The request never left the proxy.",
    causes: [
      {
        text: "The host name in the Request-URI or trunk configuration does not exist in DNS, often a typo or an expired domain.",
        direction: "both",
      },
      {
        text: "The name exists but has no SRV, A or AAAA records the proxy can use.",
        direction: "both",
      },
      {
        text: "The proxy's DNS resolver is unreachable or timing out.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Resolve the destination host from the proxy itself (SRV, then A/AAAA) and correct the name or the records.",
        actor: "operator",
      },
      {
        text: "Check the resolver settings and reachability of the DNS servers on the proxy host.",
        actor: "operator",
      },
      {
        text: "If the name belongs to the carrier, ask it to confirm the published DNS records.",
        actor: "carrier",
        direction: "outbound",
      },
    ],
    endUser:
      "The call could not be routed because of a network address problem. Please try again later.",
    outcome: "network-failure",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Succeeds only after DNS is fixed or recovers; a misspelt name will keep failing.",
    },
    related: [
      {
        code: 477,
        note: "477 means the destination resolved but the send failed; 478 means it could not be resolved.",
      },
      {
        code: 504,
        note: "Other servers report DNS failures towards the next hop as 504.",
      },
      {
        code: 404,
        note: "404 means the destination was reached and the user is unknown there.",
      },
    ],
    keywords: ["kamailio", "opensips", "DNS", "NXDOMAIN", "SRV", "resolve"],
  },
  {
    code: 479,
    phrase: "We don't forward to private IP addresses",
    registered: false,
    origin:
      "SER/OpenSER/OpenSIPS/Kamailio sample NAT routing scripts (script convention, not a module)",
    rfcs: [],
    summary: "A proxy refused to route a request to a private (RFC 1918) address.",
    meaning:
      "Not produced by any module: it comes from a routing block found in widely copied SER, OpenSER and OpenSIPS example configurations, " +
      "which rejects requests whose target is in 10/8, 172.16/12 or 192.168/16, because such an address cannot be reached across the internet. " +
      "The wording varies with whoever wrote the script. It usually means a device behind NAT registered or advertised its private address " +
      "and the proxy has no way to reach it.",
    causes: [
      {
        text: "A phone or PBX behind NAT registered with its private address in Contact and the proxy does not fix NATed contacts.",
        direction: "inbound",
      },
      {
        text: "The trunk or route is configured with a private IP that the platform cannot reach.",
        direction: "both",
      },
      {
        text: "A Request-URI or Route header carries an internal address leaked by a PBX or SBC.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Enable NAT handling on the customer's device (public address, STUN or an outbound proxy) so it advertises a reachable address.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Turn on NAT contact fixing on the proxy, or register the device through an SBC.",
        actor: "operator",
      },
      {
        text: "Correct any route or trunk that points at a private address.",
        actor: "operator",
      },
    ],
    endUser:
      "The call could not reach your phone because of a network setup problem. Please contact your phone administrator.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The address must be corrected; the proxy will refuse the same target again.",
    },
    related: [
      {
        code: 480,
        note: "480 means the user is not reachable right now; 479 means the address on file is one the proxy will never route to.",
      },
      {
        code: 478,
        note: "478 is a failure to resolve a name; 479 is a deliberate refusal of a private address.",
      },
    ],
    keywords: ["NAT", "RFC 1918", "private IP", "Contact", "kamailio", "opensips"],
  },
  {
    code: 490,
    phrase: "Request Updated",
    registered: false,
    origin:
      "Expired IETF draft, never published as an RFC; kept as a constant in pjsip and sofia-sip",
    rfcs: [],
    summary: "A code from an abandoned draft; it has no standard meaning.",
    meaning:
      "It was proposed in a SIP working-group draft around the time the UPDATE method was being written and was never standardised. " +
      "Some stacks, such as pjsip and sofia-sip, still list it, so it can appear in traces. " +
      "The name suggests the original request was replaced by a newer one, but there is no agreed definition, " +
      "so the behaviour of the device that sent it is the only reliable guide.",
    causes: [
      {
        text: "An endpoint built on a stack that still lists the code sent it, usually around a mid-call UPDATE or re-INVITE.",
        direction: "both",
      },
      {
        text: "Custom application logic picked the code from a stack's table to signal that a request was superseded.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Identify the sender from its User-Agent or Server header and check its documentation for what it means by 490.",
        actor: "operator",
      },
      {
        text: "Look at the requests sent just before it on the same dialog; a newer request may have taken over.",
        actor: "operator",
      },
    ],
    endUser: "Something went wrong while the call was being set up. Please try calling again.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "No standard semantics; if the request was replaced, the newer one carries on and this one should not be resent.",
    },
    related: [
      {
        code: 491,
        note: "491 Request Pending is the standard code for overlapping requests on a dialog.",
      },
    ],
    keywords: ["draft", "pjsip", "sofia-sip", "UPDATE"],
  },
] satisfies CodeEntry[];
