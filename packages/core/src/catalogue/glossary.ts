// Terms used across the catalogue text, sorted by term. Entries marked caseSensitive are
// short upper-case names that could collide with ordinary words when matched in text.
import type { GlossaryEntry } from "../schema/catalogue.ts";

export const glossary = [
  {
    term: "ACD",
    aliases: ["average call duration", "automatic call distribution"],
    definition:
      "Two meanings in telephony. In traffic statistics, average call duration: the talk time of answered calls divided by their number; a sudden drop often means calls are being cut off. In a contact centre, automatic call distribution: the system that queues callers and hands each call to the next free agent.",
    caseSensitive: true,
  },
  {
    term: "ACK",
    definition:
      "The SIP request a caller sends to confirm that it got the final response to an INVITE. After a 2xx it is a separate end-to-end request; after an error response it is sent hop by hop as part of the INVITE transaction.",
    caseSensitive: true,
  },
  {
    term: "ACL",
    aliases: ["access control list"],
    definition:
      "Access control list: the addresses or networks a device accepts traffic from. On a SIP trunk it usually lists the customer's SBC or PBX addresses; a call from an address not on it is refused, often with 403.",
    caseSensitive: true,
  },
  {
    term: "ALG",
    aliases: ["SIP ALG", "application layer gateway"],
    definition:
      "Application layer gateway: a router or firewall feature that rewrites the addresses inside SIP messages as they pass a NAT. It is often badly implemented and breaks headers or SDP, so the usual advice is to turn it off and let the SBC or phone handle NAT.",
    caseSensitive: true,
  },
  {
    term: "ASR",
    aliases: ["answer-seizure ratio"],
    definition:
      "Answer-seizure ratio: the percentage of call attempts that are answered. Busy, unanswered and rejected calls all lower it, so it reflects caller and callee behaviour as much as network quality.",
    caseSensitive: true,
  },
  {
    term: "B2BUA",
    aliases: ["back-to-back user agent"],
    definition:
      "Back-to-back user agent: a SIP element that ends the incoming call leg and starts a separate outgoing one, as SBCs and most PBXs do. Because it owns both legs it can change numbers, headers, codecs and even response codes in between.",
    caseSensitive: true,
  },
  {
    term: "BLF",
    aliases: ["busy lamp field"],
    definition:
      "Busy lamp field: keys on a phone that light up to show whether colleagues' lines are idle, ringing or in a call. Phones keep them current by subscribing to each line's state with SUBSCRIBE and NOTIFY.",
    caseSensitive: true,
  },
  {
    term: "BYE",
    definition:
      "The SIP request either party sends to hang up an established call. It is answered with 200 OK and is normally translated to Q.850 cause 16 towards the telephone network.",
    caseSensitive: true,
  },
  {
    term: "CA",
    aliases: ["certificate authority"],
    definition:
      "Certificate authority: the body that signs TLS certificates. A peer trusts a certificate only if it chains up to a CA it already trusts, which is why a self-signed or privately signed SBC certificate is rejected by many platforms.",
    caseSensitive: true,
  },
  {
    term: "Callee",
    aliases: ["called party"],
    definition: "The person or line that is being called, at the receiving end of the call.",
  },
  {
    term: "Caller",
    aliases: ["calling party"],
    definition: "The person or line that places the call.",
  },
  {
    term: "CANCEL",
    definition:
      "The SIP request a caller sends to withdraw an INVITE that has not had a final response yet, for example when they hang up while the other phone is still ringing. The cancelled INVITE is then closed with 487 Request Terminated.",
    caseSensitive: true,
  },
  {
    term: "CAP",
    aliases: ["Common Alerting Protocol"],
    definition:
      "Common Alerting Protocol: an XML format for public warnings and emergency alerts, which SIP can carry in a message body when an alert is sent without a voice call.",
    caseSensitive: true,
  },
  {
    term: "Carrier",
    definition:
      "A telephone network operator that carries calls onwards, such as the upstream provider linking the SIP platform to the public telephone network, mobile networks or international destinations.",
  },
  {
    term: "CDR",
    definition:
      "Call detail record: the record a switch or platform writes for every call attempt, with the numbers, times, duration, final status and cost. Billing and call statistics are built from CDRs.",
    caseSensitive: true,
  },
  {
    term: "Channel",
    definition:
      "Room for one simultaneous call on a trunk, PBX or SBC. Trunks and licences are often sized or limited by their number of concurrent channels.",
  },
  {
    term: "CLI",
    aliases: ["caller ID"],
    definition:
      "Calling line identity: the caller's number as it is sent with the call and shown to the person called. A presentation setting can ask for it to be withheld.",
    caseSensitive: true,
  },
  {
    term: "Closed user group",
    aliases: ["CUG"],
    definition:
      "A network service that groups lines into a private calling community and can limit calls into or out of the group. Several Q.850 causes deal with its rules.",
  },
  {
    term: "Codec",
    definition:
      "The method used to encode and compress audio or video for transport, such as G.711, G.729 or Opus. Both ends must share at least one codec, otherwise the call cannot carry media.",
  },
  {
    term: "Contact header",
    definition:
      "The SIP header that tells the other side where a user agent can be reached directly for later requests. In a 3xx response or a registration it lists the addresses to use instead.",
  },
  {
    term: "CPE",
    definition:
      "Customer premises equipment: any device on the customer's side that connects to the SIP trunk, such as an SBC, a PBX or a gateway.",
    caseSensitive: true,
  },
  {
    term: "CPS",
    aliases: ["calls per second"],
    definition:
      "Calls per second: how many new call attempts a trunk or platform accepts each second. Attempts above the limit are refused (often with 503 or 486) even while few calls are in progress.",
    caseSensitive: true,
  },
  {
    term: "Dialog",
    aliases: ["dialogue"],
    definition:
      "The ongoing relationship between two SIP user agents that an INVITE sets up, identified by the Call-ID and the tags of both sides. Later requests for the same call, such as BYE, are sent within it.",
  },
  {
    term: "DID",
    aliases: ["DDI"],
    definition:
      "Direct inward dialling: a public phone number that the trunk delivers to the customer so it reaches a chosen extension or service on their PBX directly. In the UK and elsewhere it is called DDI.",
    caseSensitive: true,
  },
  {
    term: "Digest authentication",
    definition:
      "The challenge-and-response check SIP uses to verify a sender: the server replies 401 or 407 with a challenge, and the client sends the request again with credentials computed from its username and password.",
  },
  {
    term: "Direct Routing",
    aliases: ["Teams Direct Routing"],
    definition:
      "The Microsoft Teams Phone option that reaches the PSTN through a certified SBC the customer (or its operator) runs: Microsoft's SIP interface on one side of the SBC, the customer's carrier or trunk on the other. Microsoft reports its own response code (a sub-code) beside each SIP code.",
  },
  {
    term: "DNS",
    aliases: ["domain name system"],
    definition:
      "The internet's name lookup. SIP uses it to turn a host name into addresses (A and AAAA records) and to find which server, port and transport to use for a domain (NAPTR and SRV records); a missing or wrong record stops calls before any SIP is sent.",
    caseSensitive: true,
  },
  {
    term: "DTLS",
    definition:
      "Datagram TLS: TLS run over UDP. In SIP calls it is mostly used to agree the keys for SRTP media (DTLS-SRTP), as WebRTC does.",
    caseSensitive: true,
  },
  {
    term: "DTMF",
    aliases: ["touch tones"],
    definition:
      "The tones a phone keypad sends, used to drive IVR menus and enter PINs. Over SIP they travel as special RTP packets (RFC 4733), inside SIP INFO requests, or as plain audio, and both ends must agree which.",
    caseSensitive: true,
  },
  {
    term: "E.164",
    definition:
      "The ITU-T international numbering plan. A number in E.164 form is written in full international format, a country code followed by the national number, at most 15 digits and usually with a leading +.",
  },
  {
    term: "E1",
    aliases: ["T1"],
    definition:
      "Digital circuits of the telephone network that carry many voice channels at once: an E1 has 30 (Europe and most of the world), a T1 has 24 (North America and Japan). A PRI runs over one of them.",
    caseSensitive: true,
  },
  {
    term: "Early media",
    definition:
      "Audio sent before a call is answered, such as ringback tone or network announcements. It is usually set up by a 183 Session Progress response carrying SDP.",
  },
  {
    term: "ENUM",
    definition:
      "A DNS-based way to turn a telephone number into SIP addresses: the number's digits, reversed, become a DNS name whose records point at the SIP URI to call.",
    caseSensitive: true,
  },
  {
    term: "Final response",
    definition:
      "A SIP response from 200 to 699, which completes a request: it succeeded (2xx), was redirected (3xx) or failed (4xx, 5xx, 6xx).",
  },
  {
    term: "Forking",
    definition:
      "A proxy sending one incoming request to several destinations, all at once or one after another, for example to every phone of a user. The caller receives the best final response among the branches.",
  },
  {
    term: "FQDN",
    aliases: ["fully qualified domain name"],
    definition:
      "A complete host name, such as sbc1.example.com, that resolves on its own in DNS. Platforms such as Teams Direct Routing identify an SBC by its FQDN, which must match the name in its TLS certificate.",
    caseSensitive: true,
  },
  {
    term: "Gateway",
    aliases: ["media gateway"],
    definition:
      "Equipment that links SIP to another kind of network, usually the traditional telephone network (ISDN or ISUP). It translates the signalling, the cause codes and the media between the two.",
  },
  {
    term: "ICE",
    aliases: ["interactive connectivity establishment"],
    definition:
      "Interactive connectivity establishment: a method for two endpoints behind NATs to find a media path that works by trying candidate addresses in turn, with STUN checks. Used by WebRTC and by Teams media bypass.",
    caseSensitive: true,
  },
  {
    term: "IMS",
    aliases: ["IP multimedia subsystem"],
    definition:
      "IP multimedia subsystem: the SIP-based core that mobile and fixed operators use for voice over LTE, 5G and broadband. It adds its own headers, security agreement and registration rules on top of plain SIP.",
    caseSensitive: true,
  },
  {
    term: "INVITE",
    definition:
      "The SIP request that starts a call, or changes an existing one when sent again within it (a re-INVITE). It normally carries an SDP offer describing the media.",
    caseSensitive: true,
  },
  {
    term: "IP address",
    aliases: ["IP"],
    definition:
      "The numeric network address of a device. SIP messages carry addresses inside their headers and SDP, which is why NAT and address rewriting cause so many call problems.",
    caseSensitive: true,
  },
  {
    term: "ISDN",
    aliases: ["PRI"],
    definition:
      "The digital telephone network's signalling for lines and trunks. A PRI (primary rate interface) carries 30 or 23 voice channels over an E1 or T1; the Q.850 cause values come from ISDN and are still how the telephone network says why a call ended.",
    caseSensitive: true,
  },
  {
    term: "ISUP",
    definition:
      "ISDN User Part: the SS7 protocol telephone exchanges use to set up and release calls between networks. The causes it gives when releasing a call are Q.850 values.",
    caseSensitive: true,
  },
  {
    term: "IVR",
    aliases: ["interactive voice response"],
    definition:
      "Interactive voice response: an automated menu that answers a call, plays prompts and routes the caller by keypad or voice input.",
    caseSensitive: true,
  },
  {
    term: "LAN",
    aliases: ["local area network"],
    definition:
      "A local network inside one building or site, usually on private addresses behind a NAT; what happens on it is out of sight of the trunk provider.",
    caseSensitive: true,
  },
  {
    term: "Least-cost routing",
    aliases: ["LCR"],
    definition:
      "Choosing the outgoing carrier route for each call by price and quality for the dialled prefix, with fallback to the next route if one fails.",
  },
  {
    term: "Max-Forwards",
    definition:
      "A SIP header holding a counter that every proxy lowers by one. When it reaches zero the request is refused with 483 Too Many Hops, which stops routing loops.",
  },
  {
    term: "MIME",
    definition:
      "The labelling scheme for message bodies borrowed from e-mail: each body says its type (application/sdp, for example), and a message can carry several bodies at once. A receiver refuses a body type it does not understand with 415.",
    caseSensitive: true,
  },
  {
    term: "MTU",
    aliases: ["maximum transmission unit"],
    definition:
      "The largest packet a network link carries without splitting it, about 1500 bytes on most links. A SIP message over UDP that is larger gets fragmented, and fragments are often dropped by firewalls and NAT, so big messages should go over TCP.",
    caseSensitive: true,
  },
  {
    term: "NAT",
    definition:
      "Network address translation: a router swapping private IP addresses for public ones. When the addresses inside SIP messages are not corrected as well, it causes one-way audio, missing audio or phones that cannot be reached.",
    caseSensitive: true,
  },
  {
    term: "NER",
    aliases: ["network effectiveness ratio"],
    definition:
      "Network effectiveness ratio (ITU-T E.411): the share of call attempts the network delivered, counting answered, busy, unanswered and user-rejected calls as delivered. Because it leaves user behaviour out, it shows network quality better than ASR.",
    caseSensitive: true,
  },
  {
    term: "Number portability",
    aliases: ["porting"],
    definition:
      "The right to keep a phone number when changing operator. Calls to ported numbers have to be routed by a portability lookup rather than by the range the number originally belonged to.",
  },
  {
    term: "OPTIONS",
    definition:
      "The SIP request that asks another element what it supports. SBCs, carriers and PBXs commonly send it every few seconds as a keep-alive to see whether a trunk is up.",
    caseSensitive: true,
  },
  {
    term: "Overlap dialling",
    aliases: ["overlap dialing", "overlap sending"],
    definition:
      "Sending the called number in several parts as the digits are dialled, instead of all at once (en bloc). Over SIP the incomplete attempts draw 484 Address Incomplete, so most SIP trunks expect the whole number in one INVITE.",
  },
  {
    term: "PAI",
    aliases: ["P-Asserted-Identity"],
    definition:
      "P-Asserted-Identity: a header in which a trusted network states who the caller really is, whatever the From header shows. Carriers use it for the caller's number, and may refuse or rewrite a call whose PAI is missing or not allowed for the trunk.",
    caseSensitive: true,
  },
  {
    term: "PBX",
    aliases: ["IP-PBX"],
    definition:
      "Private branch exchange: the customer's own phone system, such as Asterisk, FreeSWITCH, 3CX or Teams, which serves their extensions and connects to the SIP trunk.",
    caseSensitive: true,
  },
  {
    term: "PDD",
    aliases: ["post-dial delay"],
    definition:
      "Post-dial delay: the time from sending the call (the INVITE) to hearing it ring (the first 180 or 183). A long PDD often means a route is timing out before the next one is tried.",
    caseSensitive: true,
  },
  {
    term: "PRACK",
    definition:
      "The SIP request that confirms a provisional response (such as 180 or 183) was received, for endpoints that ask for reliable provisional responses (RFC 3262). It matters when early media or preconditions depend on that response.",
    caseSensitive: true,
  },
  {
    term: "Provisional response",
    definition:
      "A SIP response from 100 to 199 that reports progress, such as 100 Trying, 180 Ringing or 183 Session Progress. It never completes the request.",
  },
  {
    term: "Proxy",
    aliases: ["proxy server"],
    definition:
      "A SIP server that passes requests on towards their destination, possibly choosing a new target or forking. Unlike a B2BUA it does not split the call into two separate legs.",
  },
  {
    term: "PSTN",
    definition:
      "Public switched telephone network: the worldwide traditional telephone network of fixed and mobile operators.",
    caseSensitive: true,
  },
  {
    term: "Q.850",
    definition:
      "The ITU-T recommendation that lists the cause values (1 to 127) ISDN and ISUP use to say why a call ended. SIP carries them in the Reason header, and RFC 3398 says how gateways map them to and from SIP codes.",
  },
  {
    term: "Rate card",
    aliases: ["rate deck"],
    definition:
      "The table of per-minute prices by destination prefix that a carrier or platform charges. Routing choices and per-call cost limits are checked against it.",
  },
  {
    term: "Reason header",
    definition:
      "A SIP header (RFC 3326) that states why a request was sent or a call ended, often with the Q.850 cause from the telephone network, as in Reason: Q.850;cause=16.",
  },
  {
    term: "Reason phrase",
    definition:
      "The short text after the number in a SIP response, such as Busy Here. It is meant for people; equipment may word it differently, so software must go by the number.",
  },
  {
    term: "REGISTER",
    definition:
      "The SIP request a phone or PBX sends to a registrar to announce where it can currently be reached. Many SIP trunks rely on it to know where to deliver inbound calls.",
    caseSensitive: true,
  },
  {
    term: "Registrar",
    definition:
      "A SIP server that accepts REGISTER requests and stores the current address of each user or PBX, so that calls for them can be delivered there.",
  },
  {
    term: "Request-URI",
    definition:
      "The address in the first line of a SIP request that says where it is going, for example the dialled number at the carrier's domain. Proxies rewrite it as they route the request.",
  },
  {
    term: "Retry-After",
    definition:
      "A SIP header that gives the number of seconds after which the request may be tried again. It is mostly sent with 503 and with busy or unavailable responses.",
  },
  {
    term: "RTP",
    definition:
      "Real-time Transport Protocol: carries the actual audio and video packets of a call, separately from the SIP signalling.",
    caseSensitive: true,
  },
  {
    term: "SBC",
    aliases: ["session border controller"],
    definition:
      "Session border controller: a device at the boundary between two networks, such as a customer site and a SIP trunk, that protects, normalises and relays SIP signalling and media.",
    caseSensitive: true,
  },
  {
    term: "SDES",
    definition:
      "SDP security descriptions: SRTP keys sent in the SDP itself, protected only by the signalling's TLS. The older alternative to DTLS-SRTP; both ends must use the same method.",
    caseSensitive: true,
  },
  {
    term: "SDP",
    definition:
      "Session Description Protocol: the text body of SIP messages that describes a call's media, with IP addresses, ports and the codecs offered or accepted.",
    caseSensitive: true,
  },
  {
    term: "Session timer",
    aliases: ["Session-Expires"],
    definition:
      "An RFC 4028 mechanism in which the parties refresh a call at intervals with a re-INVITE or UPDATE, so that a call that has silently died gets cleared. A missed refresh ends the call, and an interval that is too short is refused with 422.",
  },
  {
    term: "SIP",
    definition:
      "Session Initiation Protocol (RFC 3261): the signalling protocol that sets up, changes and ends calls over IP networks.",
    caseSensitive: true,
  },
  {
    term: "SIPS",
    aliases: ["SIPS URI"],
    definition:
      "A sips: address asks for TLS on every hop of the path to the user, not only on the first. Few networks can promise that end to end, so most trunks use sip: addresses over TLS instead.",
    caseSensitive: true,
  },
  {
    term: "SRTP",
    definition:
      "Secure RTP: encrypted transport for call audio and video. Both ends have to agree on using it, otherwise media negotiation fails.",
    caseSensitive: true,
  },
  {
    term: "SRV record",
    aliases: ["SRV"],
    definition:
      "A DNS record that names the servers, ports and priorities for a service in a domain, such as _sip._udp.example.com. SIP uses SRV to find a domain's proxies and fail over between them.",
    caseSensitive: true,
  },
  {
    term: "Status line",
    definition:
      "The first line of a SIP response: the protocol version, the three-digit status code and the reason phrase, as in SIP/2.0 486 Busy Here.",
  },
  {
    term: "STIR/SHAKEN",
    aliases: ["STIR", "SHAKEN", "attestation"],
    definition:
      "Caller ID authentication for SIP networks: the originating carrier signs the calling number (with an attestation level saying how well it knows the caller) in an Identity header, and the terminating carrier checks the signature. Missing or failed checks lead to codes 428, 436, 437 and 438 or to the call being marked as suspect.",
  },
  {
    term: "STUN",
    definition:
      "A small protocol an endpoint uses to ask a server which public address and port its packets appear to come from, so it can work behind NAT. ICE uses STUN checks to test media paths.",
    caseSensitive: true,
  },
  {
    term: "T.38",
    definition:
      "The ITU-T protocol that carries fax over IP networks as data rather than as audio. Both ends must support it, otherwise the fax needs to fall back to G.711 audio or the call fails.",
  },
  {
    term: "TCP",
    definition:
      "The connection-based internet transport. SIP over TCP has no message-size problem, but a dropped or refused connection stops calls; SIP over TLS runs on top of it.",
    caseSensitive: true,
  },
  {
    term: "TDM",
    aliases: ["time-division multiplexing"],
    definition:
      "The circuit-switched technique of the traditional telephone network, where each call has its own fixed time slot on a line such as an E1. 'TDM side' means the legacy network behind a gateway.",
    caseSensitive: true,
  },
  {
    term: "TLS",
    definition:
      "Transport Layer Security: encryption and authentication for connections. SIP over TLS (port 5061) protects signalling; each side checks the other's certificate, and an expired, untrusted or wrongly named certificate stops the connection before any SIP is sent.",
    caseSensitive: true,
  },
  {
    term: "Transaction",
    definition:
      "One SIP request together with every response to it, plus the ACK when an INVITE fails. Retransmissions and timeouts are handled per transaction.",
  },
  {
    term: "Trunk",
    aliases: ["SIP trunk"],
    definition:
      "A connection between the customer's phone system and the operator's network that carries many calls at once. A SIP trunk does this over IP.",
  },
  {
    term: "UDP",
    definition:
      "The connectionless internet transport, SIP's traditional default. It is light, but large messages are fragmented and retransmission is left to SIP's own timers.",
    caseSensitive: true,
  },
  {
    term: "URI",
    aliases: ["SIP URI"],
    definition:
      "The address form SIP uses, such as sip:+441234567890@example.com;user=phone. It names who or what a request is for and which host should receive it.",
    caseSensitive: true,
  },
  {
    term: "User agent",
    aliases: ["UAC", "UAS"],
    definition:
      "Any SIP endpoint that sends or answers requests, such as a phone, a softphone or a PBX. It is the client (UAC) for requests it sends and the server (UAS) for requests it answers.",
  },
  {
    term: "Warning header",
    definition:
      "A SIP header that adds a three-digit warning code and a text to a response to explain a problem, for example which media could not be accepted in a 488.",
  },
] satisfies GlossaryEntry[];
