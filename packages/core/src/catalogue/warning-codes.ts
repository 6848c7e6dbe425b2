// Warning header codes (RFC 3261 §20.43, RFC 5630). They ride on responses such as 488 and 606
// and say which part of the session description or request could not be honoured.
import type { WarningCodeEntry } from "../schema/catalogue.ts";

export const warningCodes = [
  {
    code: 300,
    text: "Incompatible network protocol",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The responder cannot use the network type named in the SDP connection line; on today's networks this is almost always something other than 'IN'.",
    action:
      "Check the c= and o= lines of the offer; a damaged or hand-built SDP is the usual source. Fix the device or SBC rule that produces it.",
  },
  {
    code: 301,
    text: "Incompatible network address formats",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The address type in the SDP is not one the responder can use, typically an IPv6 media address offered to IPv4-only equipment or the other way round.",
    action:
      "Make the SBC or PBX offer media on the address family the far side supports, or let the SBC convert between IPv4 and IPv6.",
  },
  {
    code: 302,
    text: "Incompatible transport protocol",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The media transport profile in the m= line is not supported, for example encrypted media (RTP/SAVP, DTLS) offered to a side that only does plain RTP/AVP, or the reverse.",
    action:
      "Align the media encryption settings (SRTP off, optional or required) on both sides, or let the SBC terminate SRTP on one leg.",
  },
  {
    code: 303,
    text: "Incompatible bandwidth units",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The responder does not understand the bandwidth modifier used in a b= line of the SDP (for example TIAS where only AS is known).",
    action:
      "Have the SBC remove or rewrite the b= lines, or configure the sender to use the common AS modifier.",
  },
  {
    code: 304,
    text: "Media type not available",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "A media type in the offer, such as video, T.140 text or an application stream, is not available at the responder at all.",
    action:
      "Stop offering the media type on this trunk (disable video or fax-as-image where not needed), or strip the extra m= line on the SBC.",
  },
  {
    code: 305,
    text: "Incompatible media format",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "None of the formats offered for a media stream is acceptable: the codec lists on the two sides do not overlap.",
    action:
      "Compare the codec lists of both sides and add a common codec (G.711 is the safe default) on the PBX or SBC, or enable transcoding.",
  },
  {
    code: 306,
    text: "Attribute not understood",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The responder could not handle one of the a= attribute lines of the SDP and will not accept the session with it.",
    action:
      "Find the attribute named or implied in the warning text and have the sender or the SBC drop it; check recent firmware changes that added new attributes.",
  },
  {
    code: 307,
    text: "Session description parameter not understood",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "Some line of the SDP other than an attribute could not be understood, which usually means the session description is malformed.",
    action:
      "Capture the offer and validate the SDP line by line; look for broken manipulation rules on the SBC or a wrong Content-Length cutting the body.",
  },
  {
    code: 330,
    text: "Multicast not available",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The offer asked for media on a multicast address, and the responder's site cannot receive multicast.",
    action:
      "Use unicast media for the call; multicast is for paging or broadcast set-ups inside a LAN, not across trunks.",
  },
  {
    code: 331,
    text: "Unicast not available",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The responder's site cannot take unicast media for this session, most often because a firewall in front of it blocks direct media.",
    action:
      "Check the firewall and media port ranges at the responder's site, or anchor the media on an SBC the site can reach.",
  },
  {
    code: 370,
    text: "Insufficient bandwidth",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "The bandwidth the session asked for, in the SDP or implied by its codecs, is more than the responder or its link can provide.",
    action:
      "Use a lower-rate codec, drop video, or raise the bandwidth or call-admission limit on the SBC or access link.",
  },
  {
    code: 380,
    text: "SIPS Not Allowed",
    rfcs: ["RFC 5630"],
    meaning:
      "The request used a SIPS URI, asking for TLS on every hop, and the responder cannot serve it that way, for example because the user has no contact registered over SIPS.",
    action:
      "Send the request with a sip: URI (TLS can still protect individual hops), or ask the far side to accept SIPS.",
  },
  {
    code: 381,
    text: "SIPS Required",
    rfcs: ["RFC 5630"],
    meaning:
      "The resource may only be reached with a SIPS URI, so TLS on every hop (for example the user registered only SIPS contacts), and the request used a plain sip: URI.",
    action: "Resend with a sips: URI over TLS and make sure every hop on the path supports TLS.",
  },
  {
    code: 399,
    text: "Miscellaneous warning",
    rfcs: ["RFC 3261 §20.43"],
    meaning:
      "A free-form warning: the explanation is in the warn-text itself, and the code only says it fits no other category.",
    action:
      "Read the text after the code and the agent field naming the host that added it; vendors often put their internal reason there.",
  },
] satisfies WarningCodeEntry[];
