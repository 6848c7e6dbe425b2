import type { CodeEntry } from "../../schema/catalogue.ts";

/** Registered 4xx codes from 430 to 499, in code order. */
export const client430To499Codes = [
  {
    code: 430,
    phrase: "Flow Failed",
    registered: true,
    rfcs: ["RFC 5626"],
    summary:
      "An edge proxy could not deliver the request because the connection to the registered device has gone.",
    meaning:
      "Part of SIP Outbound (RFC 5626), where a device keeps long-lived connections ('flows') open to edge proxies and registers through them. " +
      "When the home proxy routes a request over one of those flows and the edge proxy finds that connection closed or dead, the edge proxy answers 430. " +
      "The home proxy is expected to drop that binding and try another flow the device registered, if there is one. " +
      "The code is meant for proxy-to-proxy use; a user agent that receives it should handle it as if it were a 400.",
    causes: [
      {
        text: "The phone or softphone lost its TCP/TLS connection to the edge proxy (network change, Wi-Fi to mobile handover, NAT or firewall idle timeout) and has not re-registered yet.",
        direction: "inbound",
      },
      {
        text: "The edge proxy restarted or failed over and lost its table of open connections, so every flow it held is now stale.",
        direction: "inbound",
      },
      {
        text: "Keep-alives (CRLF pings or STUN) are disabled or too infrequent, so a middlebox silently dropped the connection.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Check that the home proxy removes the failed binding and tries the device's other flows instead of failing the call outright.",
        actor: "operator",
      },
      {
        text: "Verify keep-alive intervals on devices and edge proxies are shorter than the shortest NAT or firewall idle timeout on the path.",
        actor: "operator",
      },
      {
        text: "If it happens repeatedly for one device, look at the edge proxy's connection log to see who closed the flow and when.",
        actor: "operator",
      },
    ],
    endUser:
      "We couldn't reach the phone you are calling because its connection to the network dropped. Please try again in a moment.",
    outcome: "unavailable",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The flow is dead, so the same request over it will fail; once the device re-registers, a new call can reach it.",
    },
    related: [
      {
        code: 480,
        note: "480 says the user is unavailable; 430 says one specific connection to the user's device has failed.",
      },
      {
        code: 439,
        note: "439 is the registration-time counterpart: the first hop cannot do SIP Outbound at all.",
      },
    ],
    keywords: ["sip outbound", "flow token", "reg-id", "keepalive", "edge proxy"],
  },
  {
    code: 433,
    phrase: "Anonymity Disallowed",
    registered: true,
    rfcs: ["RFC 5079"],
    summary: "The called party does not accept calls that hide the caller's identity.",
    meaning:
      "The request was recognised as anonymous (for example a From of anonymous@anonymous.invalid, or Privacy: id) and the called user's policy " +
      "refuses such calls. This is the SIP form of the 'anonymous call rejection' service. " +
      "The call can succeed only if the caller makes their identity visible and calls again; the code tells the caller exactly that, " +
      "rather than giving a generic refusal.",
    causes: [
      {
        text: "The customer's PBX or an extension has anonymous call rejection turned on and the caller withheld their number.",
        direction: "inbound",
      },
      {
        text: "The customer's PBX sends outbound calls with the number withheld (Privacy: id, or an anonymous From) to a subscriber who blocks anonymous callers.",
        direction: "outbound",
      },
      {
        text: "A trunk or PBX rule marks every call as private by mistake, for example a privacy flag set on the whole trunk instead of per user.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check the From, P-Asserted-Identity and Privacy headers of the rejected INVITE to confirm the call really left as anonymous.",
        actor: "operator",
      },
      {
        text: "If the customer did not intend to withhold the number, correct the privacy setting on the PBX trunk or user.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Call again with your number shown (remove any number-withholding prefix).",
        actor: "end-user",
      },
    ],
    endUser:
      "The person you are calling does not accept calls from hidden numbers. Please call again with your number shown.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "An unchanged anonymous call will be refused again; it must be resent with the caller's identity visible.",
    },
    related: [
      {
        code: 403,
        note: "403 is a general refusal; 433 names anonymity as the only reason, so showing the number fixes it.",
      },
      {
        code: 603,
        note: "603 is the callee declining the call itself, whatever number it came from.",
      },
    ],
    keywords: ["acr", "withheld", "private number", "clir", "caller id blocked"],
  },
  {
    code: 436,
    phrase: "Bad Identity Info",
    registered: true,
    rfcs: ["RFC 8224"],
    aliases: ["Bad Identity-Info"],
    summary:
      "The verifier could not fetch or read the certificate that the caller's Identity header points to.",
    meaning:
      "Used with signed caller identity (RFC 8224, the basis of STIR/SHAKEN). The Identity header carries a reference (the 'info' parameter, " +
      "the x5u URL in SHAKEN) to the signer's certificate. The verifying side answers 436 when that reference cannot be resolved: the URL is " +
      "unreachable, returns an error, or does not hold a usable certificate. RFC 4474 first registered the code with a hyphenated phrase. " +
      "Many carriers do not reject on a failed check and only mark the call as unverified, so 436 appears only where policy enforces it.",
    causes: [
      {
        text: "The certificate repository behind the x5u URL is down, slow, or blocked by a firewall, so the terminating carrier's fetch fails.",
        direction: "outbound",
      },
      {
        text: "The URL in the Identity header is wrong, not HTTPS, or serves something other than a certificate (an HTML error page, a moved file).",
        direction: "outbound",
      },
      {
        text: "The operator's own verification service enforces STIR/SHAKEN and cannot retrieve the certificate of an incoming call.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Fetch the x5u URL from the Identity header yourself (from outside your network) and confirm it returns the PEM certificate chain quickly.",
        actor: "operator",
      },
      {
        text: "Ask the signing provider to fix its certificate repository if the URL belongs to the upstream carrier.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "Make sure your verification service can reach external certificate URLs and has a sensible fetch timeout and cache.",
        actor: "operator",
        direction: "inbound",
      },
    ],
    endUser:
      "Your call couldn't be completed because the network could not confirm your caller ID. Please try again later or contact your phone provider.",
    outcome: "rejected",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "If the certificate server was only briefly unreachable, the same call may verify later; a wrong URL will keep failing.",
    },
    related: [
      {
        code: 437,
        note: "437 means the certificate was fetched but could not be trusted or used.",
      },
      { code: 438, note: "438 means the signature itself did not check out against the request." },
      { code: 428, note: "428 asks for an Identity header that was missing altogether." },
    ],
    keywords: ["stir", "shaken", "x5u", "certificate url", "passport", "attestation"],
  },
  {
    code: 437,
    phrase: "Unsupported Credential",
    registered: true,
    rfcs: ["RFC 8224"],
    aliases: ["Unsupported Certificate"],
    summary: "The signer's certificate was obtained but the verifier cannot accept or validate it.",
    meaning:
      "Also part of signed caller identity (RFC 8224, STIR/SHAKEN). The verifier retrieved the credential named in the Identity header but could " +
      "not use it: it is of a type the verifier does not support, it does not chain to an authority the verifier trusts, or it is otherwise " +
      "not valid for this purpose. RFC 4474 originally registered the code as 'Unsupported Certificate'. " +
      "As with the other identity codes, many networks log the failure and deliver the call instead of rejecting it.",
    causes: [
      {
        text: "The signing certificate was issued by a certification authority that is not on the terminating carrier's trust list (for example not an approved SHAKEN STI-CA).",
        direction: "outbound",
      },
      {
        text: "The certificate has expired or been revoked, or the repository serves an incomplete chain without the intermediate certificate.",
        direction: "outbound",
      },
      {
        text: "The operator's verification service is missing a current trust-anchor list and rejects valid certificates from other providers.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Inspect the certificate at the x5u URL: check issuer, expiry date and that the full chain is served.",
        actor: "operator",
      },
      {
        text: "Renew or replace the signing certificate with one from an authority the terminating networks trust.",
        actor: "carrier",
        direction: "outbound",
      },
      {
        text: "Refresh the trust anchors (CA list) in your verification service if valid calls from other providers are failing.",
        actor: "operator",
        direction: "inbound",
      },
    ],
    endUser:
      "Your call couldn't be completed because the network could not confirm your caller ID. Please contact your phone provider if it keeps happening.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same credential will be refused again until the certificate or the verifier's trust list is fixed.",
    },
    related: [
      { code: 436, note: "436 means the certificate could not be fetched at all." },
      {
        code: 438,
        note: "438 means the certificate was fine but the signature did not match the request.",
      },
    ],
    keywords: ["stir", "shaken", "sti-ca", "trust anchor", "expired certificate"],
  },
  {
    code: 438,
    phrase: "Invalid Identity Header",
    registered: true,
    rfcs: ["RFC 8224"],
    summary: "The caller-identity signature does not verify against the request it arrived with.",
    meaning:
      "The verifier had a usable certificate, but the signature in the Identity header failed: the signed claims (calling number, called number, " +
      "time, media keys) do not match the request, or the header is malformed or signed with the wrong key. A common real-world reason is that a " +
      "network element changed the calling or called number after the call was signed. First defined in RFC 4474 and carried over to RFC 8224. " +
      "A signature that is merely too old is normally answered with 403 'Stale Date' rather than 438.",
    causes: [
      {
        text: "A transit carrier, SBC or PBX reformatted the calling or called number after signing (for example adding or removing a country code), so it no longer matches the signed value.",
        direction: "outbound",
      },
      {
        text: "The call was forwarded or translated to a different destination number without a new or diversion signature.",
        direction: "both",
      },
      {
        text: "The signing service used a private key that does not belong to the certificate it advertises, or built a malformed PASSporT.",
        direction: "outbound",
      },
      {
        text: "The operator's own verification rejects incoming calls whose signatures were broken by an upstream network's number manipulation.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Decode the PASSporT in the Identity header and compare its orig and dest numbers with the From/P-Asserted-Identity and Request-URI actually received.",
        actor: "operator",
      },
      {
        text: "Stop changing number formats after the signing point, or sign after the last normalisation step.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Ask the signing provider to check its key and certificate pairing if every call it signs fails.",
        actor: "carrier",
      },
    ],
    endUser:
      "Your call couldn't be completed because the network could not confirm your caller ID. Please contact your phone provider if it keeps happening.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The signature will keep failing until the number manipulation or signing problem is fixed.",
    },
    related: [
      {
        code: 437,
        note: "437 is a problem with the certificate; 438 is a problem with the signature or the signed data.",
      },
      {
        code: 403,
        note: "403 with the phrase 'Stale Date' is used when the signature is valid but too old.",
      },
    ],
    keywords: ["stir", "shaken", "passport", "signature mismatch", "orig tn", "dest tn"],
  },
  {
    code: 439,
    phrase: "First Hop Lacks Outbound Support",
    registered: true,
    rfcs: ["RFC 5626"],
    summary:
      "A registrar refused a SIP Outbound registration because the first proxy on the path does not support it.",
    meaning:
      "A device asked to register using SIP Outbound (RFC 5626), marking the registration with an instance ID and reg-id. The registrar supports " +
      "Outbound, but the first hop the REGISTER passed through did not signal Outbound support in the Path it added, so the registrar cannot " +
      "keep the connection-based routing the device expects. It rejects the registration so the device can fall back to ordinary registration. " +
      "This affects registration, not call attempts.",
    causes: [
      {
        text: "A phone or softphone has SIP Outbound enabled (reg-id and +sip.instance) and registers through an SBC or edge proxy that does not implement it.",
        direction: "outbound",
      },
      {
        text: "An edge proxy supports Outbound but is configured not to add the 'ob' parameter to its Path header.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Turn off SIP Outbound (reg-id) on the device, or enable Outbound support on the edge proxy so its Path header carries 'ob'.",
        actor: "operator",
      },
      {
        text: "Check whether the device retries with a plain registration; if it does not, it will stay unregistered until reconfigured.",
        actor: "operator",
      },
    ],
    endUser:
      "Your phone couldn't sign in to the phone service because of a settings mismatch. Please contact your phone service provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same registration will be rejected again; the device must register without Outbound or the path must change.",
    },
    related: [
      {
        code: 430,
        note: "430 is about an existing Outbound connection failing during a call, not about registering.",
      },
      {
        code: 421,
        note: "421 asks the client to use an extension; 439 says the path cannot support the one the client asked for.",
      },
    ],
    keywords: ["sip outbound", "reg-id", "path header", "register"],
  },
  {
    code: 440,
    phrase: "Max-Breadth Exceeded",
    registered: true,
    rfcs: ["RFC 5393"],
    summary:
      "A proxy could not fork the request because its parallel-forking allowance was used up.",
    meaning:
      "RFC 5393 added the Max-Breadth header to stop one request from multiplying into a huge number of parallel branches when several forking " +
      "proxies are chained. Each proxy divides the remaining breadth among the branches it creates. A proxy that must fork but has no breadth " +
      "left to give any branch answers 440. It protects against request amplification; in normal deployments it points to forking set up in layers.",
    causes: [
      {
        text: "A ring group or hunt group forks to many users who each have several registered devices, and each level forks again.",
        direction: "inbound",
      },
      {
        text: "A forwarding or forking rule sends the request back through the same forking proxy, multiplying branches like a loop.",
        direction: "both",
      },
      {
        text: "An upstream element sets a very low Max-Breadth value, leaving no room for downstream parallel forking.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Trace the request through the proxies and count the parallel branches each one creates; flatten nested ring groups where possible.",
        actor: "operator",
      },
      {
        text: "Check the Max-Breadth value received from the upstream side and the proxy's default, and raise it only if the fan-out is intended.",
        actor: "operator",
      },
    ],
    endUser:
      "The call couldn't be connected because of a set-up problem in the phone system. Please try again later, and tell your provider if it keeps happening.",
    outcome: "network-failure",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same request will exceed the breadth limit again until the forking set-up changes.",
    },
    related: [
      {
        code: 483,
        note: "483 limits how far a request travels (hops); 440 limits how wide it spreads (parallel branches).",
      },
      {
        code: 482,
        note: "482 reports a detected loop; 440 often shows up when forking loops back on itself.",
      },
    ],
    keywords: ["parallel forking", "amplification", "ring group", "max-breadth"],
  },
  {
    code: 469,
    phrase: "Bad Info Package",
    registered: true,
    rfcs: ["RFC 6086"],
    summary:
      "An INFO request named an Info Package the receiver has not agreed to accept in this call.",
    meaning:
      "RFC 6086 lets each side of a call declare, with Recv-Info, which Info Packages it will accept in INFO requests. An INFO whose Info-Package " +
      "header names a package the receiver has not declared for this dialog is answered with 469, and the response lists the packages that are " +
      "accepted. The INFO is refused but the call itself carries on. Older INFO use without an Info-Package header (such as DTMF relay bodies) " +
      "falls outside this scheme.",
    causes: [
      {
        text: "A device sends DTMF or another application payload in INFO using a package that was never negotiated in the INVITE/200 OK exchange.",
        direction: "both",
      },
      {
        text: "A re-INVITE or UPDATE changed the Recv-Info set, and the far side keeps sending INFO for a package no longer accepted.",
        direction: "both",
      },
      {
        text: "A B2BUA or SBC strips Recv-Info headers, so the two ends disagree about which packages are allowed.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Compare the Recv-Info headers exchanged during call set-up with the Info-Package header of the rejected INFO.",
        actor: "operator",
      },
      {
        text: "If the INFO carried DTMF, switch the trunk to RFC 4733 telephone-events or make sure the package is negotiated on both legs.",
        actor: "operator",
      },
    ],
    endUser:
      "Part of your call, such as a keypad press, may not have reached the other side. If a menu does not respond, please hang up and try again.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same INFO will be refused until the package is negotiated for the call.",
    },
    related: [
      {
        code: 415,
        note: "415 rejects the body type of a request; 469 rejects the declared Info Package.",
      },
      {
        code: 489,
        note: "489 is the similar refusal for an unsupported event package in SUBSCRIBE or NOTIFY.",
      },
    ],
    keywords: ["info package", "recv-info", "dtmf info", "mid-call"],
  },
  {
    code: 470,
    phrase: "Consent Needed",
    registered: true,
    rfcs: ["RFC 5360"],
    summary:
      "A relay refused to forward the request because the target has not agreed to receive it.",
    meaning:
      "Defined by the SIP consent framework (RFC 5360), which protects users from being flooded through relays that expand one request into many, " +
      "such as URI-list or conference services. The relay answers 470 when one or more target addresses have not given permission to receive " +
      "requests through it; the response names the addresses lacking permission so the sender can ask for consent first. It is rarely seen on " +
      "ordinary SIP trunks.",
    causes: [
      {
        text: "A conference or list server with consent checks enabled was asked to send a request to a recipient who has not opted in.",
        direction: "both",
      },
      {
        text: "An earlier permission for the target was revoked or expired on the relay.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Read the Permission-Missing header in the response to see which targets lack consent.",
        actor: "operator",
      },
      {
        text: "Have the sender obtain permission from those targets, or disable consent enforcement on the relay if it is not required.",
        actor: "operator",
      },
    ],
    endUser:
      "The message or call couldn't be delivered because the recipient hasn't agreed to receive it through this service.",
    outcome: "rejected",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same request will be refused until the target grants permission.",
    },
    related: [
      {
        code: 403,
        note: "403 is a general refusal; 470 says exactly that recipient consent is missing.",
      },
    ],
    keywords: ["consent", "uri-list", "permission-missing", "spam protection"],
  },
  {
    code: 480,
    phrase: "Temporarily Unavailable",
    registered: true,
    rfcs: ["RFC 3261 §21.4.18"],
    aliases: ["Temporarily not available"],
    summary: "The number or user exists, but nobody can take the call right now.",
    meaning:
      "The destination is known, but the called user cannot be reached at the moment: no device is registered, the user has set do-not-disturb, " +
      "or the far end gave up ringing. It is a user-side condition, not a network fault, and the response may carry Retry-After to suggest when " +
      "to try again. Interworking ties it to the PSTN: Q.850 causes 19 (no answer), 20 (subscriber absent) and 31 (normal, unspecified) map " +
      "to 480, and a gateway turns 480 back into cause 18 towards ISUP. Because cause 31 is a catch-all, a 480 from a carrier can also hide " +
      "other failures, so the Reason header is worth reading.",
    causes: [
      {
        text: "The extension or device the DID points to is not registered: phone switched off or unplugged, softphone or mobile app closed, or registration expired behind NAT.",
        direction: "inbound",
      },
      {
        text: "The PBX's no-answer timer ran out with no voicemail or forwarding behind it; Asterisk and FreeSWITCH report this as cause 19, sent as 480.",
        direction: "both",
      },
      {
        text: "The user set do-not-disturb and the PBX answers with 480 rather than 486 (behaviour differs between PBXs).",
        direction: "both",
      },
      {
        text: "The called mobile is switched off or out of coverage, and the far network returns cause 20 (subscriber absent) mapped to 480.",
        direction: "outbound",
      },
      {
        text: "The terminating carrier maps an unspecific PSTN release (cause 31) to 480, which can mask a routing or number problem.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check the target's registration on the PBX or registrar (for example 'pjsip show contacts' on Asterisk, the user location table on Kamailio) and the NAT keep-alive settings if registrations keep lapsing.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Read the Reason header: cause 19 means it rang unanswered, cause 20 means the user is absent, cause 31 means the far end gave no detail.",
        actor: "operator",
      },
      {
        text: "If many different numbers return 480 with cause 31 through one route, raise it with the carrier as a possible routing fault.",
        actor: "carrier",
        direction: "outbound",
      },
      { text: "Try again later, or send a text message instead.", actor: "end-user" },
    ],
    endUser:
      "The person you are calling can't be reached right now; their phone may be switched off or out of reach. Please try again later.",
    outcome: "unavailable",
    retry: {
      retryable: true,
      retryAfter: "optional",
      note: "The user may become available later; the response may say when with Retry-After.",
    },
    related: [
      {
        code: 486,
        note: "486 means the user was reached but is on another call; 480 means they could not be reached.",
      },
      {
        code: 408,
        note: "408 means nothing answered in time (cause 18 no user responding); 480 is an explicit 'not available now'.",
      },
      {
        code: 404,
        note: "404 means the number does not exist; some proxies send 404 instead of 480 for an unregistered user.",
      },
    ],
    keywords: ["not registered", "offline", "dnd", "no answer", "subscriber absent", "unreachable"],
  },
  {
    code: 481,
    phrase: "Call/Transaction Does Not Exist",
    registered: true,
    rfcs: ["RFC 3261 §21.4.19"],
    aliases: ["Call Leg/Transaction Does Not Exist"],
    summary: "The request refers to a call or transaction the receiver has no record of.",
    meaning:
      "The receiver got a request that should belong to an existing call (BYE, re-INVITE, UPDATE, INFO, NOTIFY) or a CANCEL meant for a pending " +
      "INVITE, but found nothing matching its Call-ID, tags or transaction. Sometimes this is a harmless race, such as both sides hanging up at " +
      "once. When it answers a session refresh, it means one side has lost the call state, and under session timers (RFC 4028) the call is then " +
      "torn down; the tell-tale sign is calls dropping at a fixed time into the call. An INVITE with a Replaces header for a call that has " +
      "already ended also gets 481.",
    causes: [
      {
        text: "Both ends hung up at almost the same moment, so one BYE arrives after the other side has already cleared the call.",
        direction: "both",
      },
      {
        text: "A PBX or SBC restarted or failed over without replicating dialog state, so the next re-INVITE or UPDATE refresh gets 481 and the call drops (often at 15 or 30 minutes).",
        direction: "both",
      },
      {
        text: "In-dialog requests reach a different server than the one that handled the INVITE, because Record-Route is missing or a load balancer does not keep calls sticky.",
        direction: "both",
      },
      {
        text: "A B2BUA or topology-hiding SBC rewrote Call-ID or tags inconsistently between the INVITE and later requests.",
        direction: "both",
      },
      {
        text: "An attended transfer sent an INVITE with Replaces, but the call it referred to had already ended.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Match the Call-ID, From tag and To tag of the rejected request against the original INVITE and 200 OK in the trace.",
        actor: "operator",
      },
      {
        text: "If calls drop at a fixed duration, check session-timer refreshes and whether any element restarted, failed over or routed the refresh elsewhere.",
        actor: "operator",
      },
      {
        text: "Make sure every proxy or load balancer in the path record-routes and keeps in-dialog requests on the same node.",
        actor: "operator",
      },
      { text: "If your call was cut off, please call again.", actor: "end-user" },
    ],
    endUser: "Your call was cut off because the phone systems lost track of it. Please call again.",
    outcome: "network-failure",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The call or transaction no longer exists, so resending the same request fails; a new call has to be set up.",
    },
    related: [
      {
        code: 408,
        note: "408 means no answer came back at all; 481 means the far side answered that it does not know the call.",
      },
      {
        code: 487,
        note: "487 is the normal answer to a cancelled INVITE; 481 to a CANCEL means it matched nothing.",
      },
    ],
    keywords: ["dialog", "call drop", "session timer", "session refresh", "replaces", "call-id"],
  },
  {
    code: 482,
    phrase: "Loop Detected",
    registered: true,
    rfcs: ["RFC 3261 §21.4.20"],
    summary: "A server saw the same request come back to it and stopped it as a routing loop.",
    meaning:
      "A proxy found its own Via entry in a request that had not changed since it last handled it, so the request is going round in circles. " +
      "A legitimate 'spiral', where the request passes the same proxy again with a different target, is not a loop. A user agent also answers " +
      "482 when the same request reaches it twice by two different paths after forking (merged requests). B2BUAs such as most PBXs and SBCs " +
      "start a fresh Via chain on each leg, so a loop through them is not caught this way and can only be stopped by Max-Forwards (483) if they " +
      "carry it over. Towards ISUP a gateway maps 482 to cause 25 (exchange routing error).",
    causes: [
      {
        text: "A proxy does not recognise one of its own addresses or domain names as local (a missing alias in Kamailio or OpenSIPS), so it forwards requests to itself.",
        direction: "both",
      },
      {
        text: "Two routing rules point at each other: the carrier routes a number to the customer's PBX while the PBX routes it back to the carrier, for example after a port-in not yet completed.",
        direction: "both",
      },
      {
        text: "Call forwarding chains that lead back to the starting user (A forwards to B, B forwards to A) inside a proxy-based platform.",
        direction: "inbound",
      },
      {
        text: "A forked INVITE reaches the same device twice via two routes, and the device rejects the second copy.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Read the Via headers of the rejected request to see which hosts it passed through and where it turned back.",
        actor: "operator",
      },
      {
        text: "Check that every proxy knows all of its own IPs, ports and domains as local, and that outbound proxy or DNS/SRV settings do not point back at itself.",
        actor: "operator",
      },
      {
        text: "Review forwarding and routing rules for the called number on both the PBX and the carrier side.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call couldn't be connected because of a set-up problem in the phone network. Please try again later, and tell your provider if it keeps happening.",
    outcome: "network-failure",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The loop comes from configuration; the same request will loop again until routing is fixed.",
    },
    related: [
      {
        code: 483,
        note: "483 stops a request that used up its hop count, usually a loop that 482 detection could not see.",
      },
      {
        code: 404,
        note: "404 means no route or user was found; 482 means a route exists but leads back on itself.",
      },
    ],
    keywords: ["routing loop", "via", "spiral", "alias", "forwarding loop"],
  },
  {
    code: 483,
    phrase: "Too Many Hops",
    registered: true,
    rfcs: ["RFC 3261 §21.4.21"],
    summary: "The request passed through too many servers: its Max-Forwards count reached zero.",
    meaning:
      "Every proxy decreases the Max-Forwards header by one; when a request that still needs forwarding arrives with zero, it is rejected with " +
      "483. The usual starting value is 70, so in practice this means a routing loop, most often one involving B2BUAs that hide the loop from " +
      "Via-based detection (482) but copy Max-Forwards from one leg to the next. Less often, a device starts with a value that is too low for " +
      "the chain of servers in the path. Towards ISUP a gateway maps 483 to cause 25 (exchange routing error).",
    causes: [
      {
        text: "A routing loop between the customer's PBX, the SBC and the carrier, each sending the number on to the next.",
        direction: "both",
      },
      {
        text: "A proxy forwards requests to itself because one of its own addresses or domains is not configured as local.",
        direction: "both",
      },
      {
        text: "A device or SBC sends a very low initial Max-Forwards (for example below 10) and a long chain of proxies and SBCs uses it up.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Compare the Max-Forwards value on each leg in the trace and look for the same Call-ID or called number appearing again and again.",
        actor: "operator",
      },
      {
        text: "Fix the routing rule that sends the number back; check alias/local-domain settings on proxies and routes for recently ported numbers.",
        actor: "operator",
      },
      {
        text: "If the loop is between platforms, compare routing tables for the number with the carrier.",
        actor: "carrier",
      },
    ],
    endUser:
      "The call couldn't be connected because of a set-up problem in the phone network. Please try again later, and tell your provider if it keeps happening.",
    outcome: "network-failure",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same request will take the same path and run out of hops again.",
    },
    related: [
      {
        code: 482,
        note: "482 is a loop detected from the Via headers; 483 is a request that used up its hop budget.",
      },
      { code: 440, note: "440 limits parallel forking width, not the number of hops." },
    ],
    keywords: ["max-forwards", "routing loop", "hop count", "b2bua"],
  },
  {
    code: 484,
    phrase: "Address Incomplete",
    registered: true,
    rfcs: ["RFC 3261 §21.4.22"],
    summary: "The dialled number is too short or only partly entered.",
    meaning:
      "The receiver recognised the start of a valid number but needs more digits to route it. Where overlap dialling is in use (RFC 3578), 484 " +
      "is an expected step: the sender adds digits and tries again until the number is complete. On most trunks, which expect the whole number " +
      "at once (en-bloc), it means the number was cut short, sent in the wrong format, or a dial plan sent it too early. It maps both ways to " +
      "Q.850 cause 28 (invalid number format, address incomplete).",
    causes: [
      {
        text: "The caller dialled too few digits, or left out the area code, trunk prefix or country code.",
        direction: "outbound",
      },
      {
        text: "The phone or PBX dial plan sends the call before the number is complete: a digit map that matches too early, or an inter-digit timeout too short for slow diallers.",
        direction: "outbound",
      },
      {
        text: "The number is in a format the carrier does not accept, for example a national number sent where the trunk expects E.164 with a '+' and country code.",
        direction: "outbound",
      },
      {
        text: "The customer's Asterisk answers 484 because the called number only partly matches a dialplan pattern while overlap (allow_overlap) is enabled.",
        direction: "inbound",
      },
      {
        text: "The carrier delivers only part of the DID, or a different number length than the PBX's inbound routes expect.",
        direction: "inbound",
      },
    ],
    actions: [
      {
        text: "Compare the Request-URI and To number in the trace with the number the user meant to dial, and check number normalisation rules on the PBX and SBC.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Check dial-plan digit maps and inter-digit timeouts on phones, and whether the trunk requires E.164 format.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Make the PBX's inbound routes match the DID format the carrier sends, and turn off overlap handling on trunks that only send whole numbers.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Check the number, including any area or country code, and dial it again.",
        actor: "end-user",
      },
    ],
    endUser:
      "The number you dialled seems to be incomplete. Please check it, including any area or country code, and dial it again.",
    outcome: "not-found",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same number will be refused again; the call must be resent with the full number.",
    },
    related: [
      {
        code: 404,
        note: "404 means the complete number does not exist; 484 means it is not complete yet.",
      },
      { code: 485, note: "485 means the address matches several targets, not too few digits." },
      { code: 400, note: "400 means the request itself was malformed, not the number too short." },
    ],
    keywords: ["overlap dialling", "dial plan", "digit map", "number format", "e.164", "cause 28"],
  },
  {
    code: 485,
    phrase: "Ambiguous",
    registered: true,
    rfcs: ["RFC 3261 §21.4.23"],
    summary: "The address given matches more than one possible destination.",
    meaning:
      "The receiver could not decide which user the request was meant for, because the address fits several. It may list the candidates in " +
      "Contact headers so the caller can pick one, though revealing them can be a privacy concern, so servers may leave the list out. " +
      "It turns up with name-based or shortened addressing, such as directory dialling or short extension numbers shared across sites, and " +
      "is rare on PSTN trunks. Towards ISUP a gateway maps it to cause 1 (unallocated number).",
    causes: [
      {
        text: "A short extension or dial-by-name string matches users in more than one site or tenant on a multi-tenant PBX or proxy.",
        direction: "both",
      },
      {
        text: "A SIP URI with a partial user part (for example a first name only) was sent to a server that resolves names.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Look for Contact headers in the response listing the possible matches, and make the dial plan or directory entries unique.",
        actor: "operator",
      },
      { text: "Dial the full number or the person's complete address instead.", actor: "end-user" },
    ],
    endUser:
      "The number or name you dialled matches more than one person. Please dial the full number.",
    outcome: "not-found",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same address stays ambiguous; the call must be sent to a more specific address.",
    },
    related: [
      {
        code: 484,
        note: "484 means the address is incomplete; 485 means it is complete but fits several targets.",
      },
      {
        code: 300,
        note: "300 offers alternative locations for one user; 485 lists different possible users.",
      },
    ],
    keywords: ["multiple matches", "directory dialling", "dial by name"],
  },
  {
    code: 486,
    phrase: "Busy Here",
    registered: true,
    rfcs: ["RFC 3261 §21.4.24"],
    summary: "The called party was reached but cannot take another call right now.",
    meaning:
      "The far end found the called user and its device or system refused the call because it is already in use. " +
      "The wording 'here' matters: the user may still be reachable at another location or through voicemail, " +
      "so a forking proxy keeps trying other branches. It is a normal, user-side outcome rather than a fault. " +
      "Interworking maps it both ways to Q.850 cause 17 (user busy).",
    causes: [
      {
        text: "The handset or extension the number points to is already on a call.",
        direction: "both",
      },
      {
        text: "The PBX or SBC has no free channel: its licensed or configured concurrent-call limit is reached.",
        direction: "inbound",
      },
      {
        text: "The user has turned on do-not-disturb and the device answers busy.",
        direction: "both",
      },
      {
        text: "The far-end carrier mapped an ISUP 'user busy' (Q.850 cause 17) to this code.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Check concurrent-call and channel limits on the PBX or SBC if busy responses cluster at peak times.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Look at the Reason header: cause 17 means the line itself was busy, not the network.",
        actor: "operator",
      },
      { text: "Try again in a few minutes, or leave a message.", actor: "end-user" },
    ],
    endUser: "The person you are calling is on another call. Please try again in a few minutes.",
    outcome: "busy",
    retry: {
      retryable: true,
      retryAfter: "optional",
      note: "A later attempt can succeed; the callee may say when with Retry-After.",
    },
    related: [
      {
        code: 600,
        note: "600 says the user is busy at every location, so no other branch should be tried.",
      },
      {
        code: 603,
        note: "603 means the user deliberately refused the call rather than being busy.",
      },
      {
        code: 480,
        note: "480 means the user could not be reached at all, not that the line is in use.",
      },
    ],
    keywords: ["engaged", "in use", "channels", "dnd"],
  },
  {
    code: 487,
    phrase: "Request Terminated",
    registered: true,
    rfcs: ["RFC 3261 §21.4.25"],
    aliases: ["Request Cancelled"],
    summary:
      "The call attempt was cancelled before it was answered, usually because the caller hung up.",
    meaning:
      "The INVITE was still ringing when the sender withdrew it with CANCEL (or, rarely, a BYE), and the receiver confirms the attempt is over. " +
      "This is a normal outcome, not a fault: the caller gave up, a timer on the calling side expired, or a forking proxy stopped the other " +
      "branches once one device answered (the CANCEL then carries a Reason saying the call was completed elsewhere). " +
      "There is no Q.850 mapping for the response; the CANCEL itself is normally signalled to the PSTN as cause 16 (normal clearing).",
    causes: [
      { text: "The caller hung up while the call was still ringing.", direction: "both" },
      {
        text: "The call rang several devices at once (ring group, shared line, mobile twinning) and another device answered or picked it up first.",
        direction: "inbound",
      },
      {
        text: "A no-answer timer on the calling side (PBX ring timeout, carrier ring limit, Teams or SBC failover timer) ended the attempt to move to voicemail or another route.",
        direction: "both",
      },
      {
        text: "Callers hang up early because they hear silence instead of ringback, for example when early media or 180 Ringing is not passed through.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Count 487 as cancelled calls, not failures; look at the Reason header in the CANCEL to tell a caller hang-up from 'completed elsewhere' or a timer.",
        actor: "operator",
      },
      {
        text: "If 487s spike with very short ring times, check post-dial delay and that ringback or early media reaches the caller.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Check ring timeouts on the PBX and trunk if calls are cut off before voicemail picks up.",
        actor: "operator",
        direction: "inbound",
      },
      {
        text: "Nothing went wrong; call again if you still need to reach the person.",
        actor: "end-user",
      },
    ],
    endUser:
      "The call was stopped before it was answered. If you didn't hang up yourself, please try calling again.",
    outcome: "cancelled",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "Nothing failed, so a new attempt can succeed, but it should not be retried automatically because the caller chose to stop.",
    },
    related: [
      {
        code: 480,
        note: "480 is the callee side ending an unanswered call; 487 is the caller side cancelling it.",
      },
      {
        code: 408,
        note: "408 means no response arrived in time; 487 means the attempt was deliberately cancelled.",
      },
      {
        code: 603,
        note: "603 means the called person rejected the call; 487 means the caller withdrew it.",
      },
    ],
    keywords: [
      "cancel",
      "hang up",
      "abandoned",
      "ring timeout",
      "completed elsewhere",
      "call pickup",
    ],
  },
  {
    code: 488,
    phrase: "Not Acceptable Here",
    registered: true,
    rfcs: ["RFC 3261 §21.4.26"],
    summary:
      "The far end cannot accept the media offered: no common codec, encryption mode or other SDP mismatch.",
    meaning:
      "The receiver reached the point of setting up media and found nothing in the offered session description it can use: the codecs, media " +
      "types, transport (plain RTP versus SRTP), address family, bandwidth or another SDP parameter do not fit what it supports at this location. " +
      "The response should carry a Warning header naming the problem (for example 304 media type not available, 305 incompatible media format, " +
      "370 insufficient bandwidth). Answering a re-INVITE, it only rejects the change, such as a switch to T.38 fax, and the call continues " +
      "as before. Towards ISUP it maps to cause 31, or 65 when the Warning shows a bearer capability is unavailable.",
    causes: [
      {
        text: "No codec in common: for example the PBX offers only G.729 or Opus while the carrier accepts only G.711, or A-law and mu-law are each offered to a side that supports only the other.",
        direction: "both",
      },
      {
        text: "Encryption mismatch: one side offers or requires SRTP (RTP/SAVP, or DTLS versus SDES keying) and the other does plain RTP only; Microsoft Teams, for instance, requires SRTP.",
        direction: "both",
      },
      {
        text: "A re-INVITE to switch a fax call to T.38 is rejected by a side or carrier that does not support T.38.",
        direction: "both",
      },
      {
        text: "The SDP itself is unusable for the receiver: IPv6-only addresses towards an IPv4 peer, unknown attributes, a 0.0.0.0 connection address, or ICE required but missing.",
        direction: "both",
      },
      {
        text: "An SBC would need to transcode the call but has no transcoding resources or licences left.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Read the Warning header of the 488, then compare the m= lines, codecs (rtpmap) and crypto attributes in the offer with what the rejecting side allows.",
        actor: "operator",
      },
      {
        text: "Align codec lists on PBX, SBC and trunk so at least G.711 in the right law is offered, and make SRTP settings match on both sides.",
        actor: "operator",
      },
      {
        text: "If fax fails with 488 on a T.38 re-INVITE, disable T.38 for that trunk or confirm with the carrier which fax method it supports.",
        actor: "carrier",
      },
      {
        text: "Try the call again; if it keeps failing, report it to your phone service provider.",
        actor: "end-user",
      },
    ],
    endUser:
      "The call couldn't be connected because the two phone systems couldn't agree on how to carry the sound. Please try again, and tell your provider if it keeps happening.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same offer will be refused again; the call needs a different media offer or a configuration change.",
    },
    related: [
      {
        code: 606,
        note: "606 says the media is unacceptable everywhere for this user; 488 says only at this destination.",
      },
      {
        code: 415,
        note: "415 rejects the type of message body (for example not SDP at all); 488 rejects the SDP's contents.",
      },
      {
        code: 406,
        note: "406 concerns the Accept header of the request, not the media negotiation.",
      },
    ],
    keywords: ["codec", "sdp", "srtp", "t.38", "transcoding", "media mismatch", "g.711", "g.729"],
  },
  {
    code: 489,
    phrase: "Bad Event",
    registered: true,
    rfcs: ["RFC 6665"],
    summary:
      "The server does not support the event package named in a SUBSCRIBE, NOTIFY or PUBLISH.",
    meaning:
      "Event subscriptions name a package in the Event header (presence, dialog for busy-lamp fields, message-summary for voicemail lights, " +
      "refer for transfer progress). The receiver answers 489 when it does not understand or does not offer that package, and should list the " +
      "packages it does support in Allow-Events. First registered by RFC 3265, now covered by RFC 6665. It affects features such as BLF and " +
      "message-waiting lights, not call set-up.",
    causes: [
      {
        text: "A phone subscribes for busy-lamp (dialog) or presence status to a trunk or server that does not provide that package.",
        direction: "outbound",
      },
      {
        text: "A device subscribes for voicemail indication (message-summary) to a registrar or carrier that has no voicemail service.",
        direction: "outbound",
      },
      {
        text: "A server sends an unsolicited NOTIFY (for example a check-sync reboot request or a keep-alive event) to a device that does not handle that event.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check the Event header in the rejected request against the Allow-Events list in the response.",
        actor: "operator",
      },
      {
        text: "Point the phone's BLF, presence or voicemail subscriptions at the PBX that provides them instead of the trunk, or disable them.",
        actor: "operator",
      },
    ],
    endUser:
      "A phone feature such as a status light or voicemail indicator isn't available. Your calls are not affected.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The receiver will keep refusing the same event package; only a supported package can succeed.",
    },
    related: [
      {
        code: 405,
        note: "405 means SUBSCRIBE or NOTIFY as a method is not allowed; 489 means the method is fine but the event type is not.",
      },
      { code: 469, note: "469 is the equivalent refusal for an INFO package." },
    ],
    keywords: ["subscribe", "notify", "blf", "busy lamp", "mwi", "presence", "allow-events"],
  },
  {
    code: 491,
    phrase: "Request Pending",
    registered: true,
    rfcs: ["RFC 3261 §21.4.27"],
    summary:
      "Both sides tried to change the same call at the same time (glare); the request should be retried shortly.",
    meaning:
      "A re-INVITE or UPDATE arrived while the receiver was still waiting for the outcome of its own change request in the same call. Rather " +
      "than process two conflicting changes, it refuses the incoming one. Each side then waits a random interval and retries; the side that " +
      "started the call waits a little longer (about 2 to 4 seconds) than the other (up to about 2 seconds), so one of them wins. The call stays up.",
    causes: [
      {
        text: "Both fax gateways detect fax tones and send a T.38 re-INVITE at the same moment.",
        direction: "both",
      },
      {
        text: "Hold, resume or transfer on one side coincides with a session-timer refresh or media update from the other.",
        direction: "both",
      },
      {
        text: "A device sends a new re-INVITE before the previous one in the same call has finished.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Confirm that both sides retry after the random back-off; a device that gives up after 491 leaves fax or hold half-done.",
        actor: "operator",
      },
      {
        text: "For fax glare, configure only one side (usually the receiving gateway) to start the T.38 switch.",
        actor: "operator",
      },
    ],
    endUser:
      "A change to your call, such as hold or fax, clashed with another change. It usually sorts itself out within a few seconds.",
    outcome: "request-error",
    retry: {
      retryable: true,
      retryAfter: "never",
      note: "The same request should be retried after a short random delay set by RFC 3261, not by Retry-After.",
    },
    related: [
      {
        code: 500,
        note: "500 with Retry-After answers a second INVITE from the same side before the first got its final response; 491 is a clash between the two sides.",
      },
      {
        code: 481,
        note: "481 means the call no longer exists; 491 means it exists and is busy with another change.",
      },
    ],
    keywords: ["glare", "re-invite", "t.38", "collision", "hold"],
  },
  {
    code: 493,
    phrase: "Undecipherable",
    registered: true,
    rfcs: ["RFC 3261 §21.4.28"],
    summary: "The request carried an encrypted body the receiver cannot decrypt.",
    meaning:
      "The request contained an S/MIME-encrypted body (for example encrypted SDP) and the receiver either has no matching private key or will not " +
      "decrypt it. The response may include the receiver's public key so the sender can encrypt correctly next time. S/MIME in SIP is almost never " +
      "deployed, so on trunks this code usually points to an unusual device configuration.",
    causes: [
      {
        text: "A device encrypted the message body with S/MIME using a key or certificate the receiver does not hold.",
        direction: "both",
      },
      {
        text: "The receiver's certificate changed and the sender still uses the old public key.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Disable S/MIME body encryption on the sending device unless both ends are set up for it; use TLS and SRTP instead.",
        actor: "operator",
      },
      {
        text: "If S/MIME is intended, update the sender with the certificate returned in the 493.",
        actor: "operator",
      },
    ],
    endUser:
      "The call couldn't be connected because of a security setting mismatch. Please contact your phone service provider.",
    outcome: "request-error",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The same encrypted body cannot be read; the sender must re-encrypt with the right key or send it unencrypted.",
    },
    related: [
      {
        code: 415,
        note: "415 rejects a body type the receiver does not support at all; 493 means it cannot decrypt one it understands.",
      },
    ],
    keywords: ["s/mime", "encryption", "decrypt", "certificate"],
  },
  {
    code: 494,
    phrase: "Security Agreement Required",
    registered: true,
    rfcs: ["RFC 3329"],
    summary:
      "The server requires the client to negotiate a security mechanism before it will accept requests.",
    meaning:
      "RFC 3329 lets a client and its first-hop server agree which security mechanism (such as TLS, digest or IPsec) protects their signalling. " +
      "A server that insists on this answers 494 with the mechanisms it offers in Security-Server headers; the client picks one, sets it up and " +
      "sends the request again. It is seen almost only in IMS and VoLTE access networks, where the P-CSCF uses it for IPsec, and rarely on " +
      "ordinary SIP trunks.",
    causes: [
      {
        text: "A SIP client or PBX connects to an IMS access point (P-CSCF) that requires security agreement, without sending the Security-Client header.",
        direction: "outbound",
      },
      {
        text: "An SBC or proxy in between removes the Security-Client, Security-Verify or sec-agree option headers.",
        direction: "both",
      },
    ],
    actions: [
      {
        text: "Check whether the client supports sec-agree and the mechanisms listed in the Security-Server header of the response.",
        actor: "operator",
      },
      {
        text: "Make sure intermediate SBCs pass the security-agreement headers through, or ask the carrier for an access point that does not require it.",
        actor: "carrier",
      },
    ],
    endUser:
      "Your phone couldn't connect to the service because of a security setting mismatch. Please contact your phone service provider.",
    outcome: "auth-required",
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "The unchanged request will be refused again; the client must first agree a security mechanism.",
    },
    related: [
      {
        code: 401,
        note: "401 asks for credentials; 494 asks for a protected connection to be negotiated first.",
      },
      {
        code: 421,
        note: "421 asks for an option tag; 494 specifically demands the sec-agree mechanism.",
      },
    ],
    keywords: ["sec-agree", "ims", "volte", "p-cscf", "ipsec", "security-server"],
  },
] satisfies CodeEntry[];
