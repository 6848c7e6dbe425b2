// Terms used across the catalogue text, sorted by term. Entries marked caseSensitive are
// short upper-case names that could collide with ordinary words when matched in text.
import type { GlossaryEntry } from "../schema/catalogue.ts";

export const glossary = [
  {
    term: "ACK",
    definition:
      "The SIP request a caller sends to confirm that it got the final response to an INVITE. After a 2xx it is a separate end-to-end request; after an error response it is sent hop by hop as part of the INVITE transaction.",
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
    term: "BYE",
    definition:
      "The SIP request either party sends to hang up an established call. It is answered with 200 OK and is normally translated to Q.850 cause 16 towards the telephone network.",
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
    term: "E.164",
    definition:
      "The ITU-T international numbering plan. A number in E.164 form is written in full international format, a country code followed by the national number, at most 15 digits and usually with a leading +.",
  },
  {
    term: "Early media",
    definition:
      "Audio sent before a call is answered, such as ringback tone or network announcements. It is usually set up by a 183 Session Progress response carrying SDP.",
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
    term: "Gateway",
    aliases: ["media gateway"],
    definition:
      "Equipment that links SIP to another kind of network, usually the traditional telephone network (ISDN or ISUP). It translates the signalling, the cause codes and the media between the two.",
  },
  {
    term: "INVITE",
    definition:
      "The SIP request that starts a call, or changes an existing one when sent again within it (a re-INVITE). It normally carries an SDP offer describing the media.",
    caseSensitive: true,
  },
  {
    term: "ISUP",
    definition:
      "ISDN User Part: the SS7 protocol telephone exchanges use to set up and release calls between networks. The causes it gives when releasing a call are Q.850 values.",
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
    term: "PBX",
    aliases: ["IP-PBX"],
    definition:
      "Private branch exchange: the customer's own phone system, such as Asterisk, FreeSWITCH, 3CX or Teams, which serves their extensions and connects to the SIP trunk.",
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
    term: "SRTP",
    definition:
      "Secure RTP: encrypted transport for call audio and video. Both ends have to agree on using it, otherwise media negotiation fails.",
    caseSensitive: true,
  },
  {
    term: "Status line",
    definition:
      "The first line of a SIP response: the protocol version, the three-digit status code and the reason phrase, as in SIP/2.0 486 Busy Here.",
  },
  {
    term: "T.38",
    definition:
      "The ITU-T protocol that carries fax over IP networks as data rather than as audio. Both ends must support it, otherwise the fax needs to fall back to G.711 audio or the call fails.",
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
