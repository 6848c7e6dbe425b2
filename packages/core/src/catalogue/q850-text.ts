// Hand-written explanations of the Q.850 cause values listed in
// shared/reference/q850-causes.tsv. Names and classes come from the generated table.
//
// userCaused rule (ITU-T E.411 network-effectiveness view): true when the network
// delivered the call correctly and the result reflects the state, choice or
// subscription of one of the users: normal clearing (16), busy (17), no response
// or no answer (18, 19), subscriber absent (20), rejection by the user or by a
// feature the called user set up (21, 24) and a number the subscriber has
// given up (22). Causes that usually point at numbering, routing, provisioning or
// equipment problems (e.g. 1, 3, 26, 28) and the catch-all 31 count as not user-caused.
import type { Q850Text } from "../schema/catalogue.ts";

export const q850Text = {
  1: {
    explanation:
      "The destination network says the called number is not assigned to anyone. On SIP trunks it normally arrives as a 404. " +
      "Check that the number was dialled completely and in E.164 form, whether it was recently ported or ceased, and for inbound calls whether the DID is actually configured on the customer's PBX.",
    userCaused: false,
  },
  2: {
    explanation:
      "A national-use cause: the exchange could not reach the transit carrier the call asked to be carried by, or does not recognise it. " +
      "It mostly appears where carrier selection or carrier access prefixes are used; check that the prefix and the chosen carrier are valid for this route.",
    userCaused: false,
  },
  3: {
    explanation:
      "The network has no path towards the area or network the number belongs to, for example a destination the carrier does not serve. " +
      "On a SIP platform it often means the routing or least-cost-routing table has no usable route for the dialled prefix; check routes and rate cards for that destination.",
    userCaused: false,
  },
  4: {
    explanation:
      "The called party cannot be reached for a lasting reason and the caller should be played a special information tone (the three-note 'number not in service' signal). " +
      "It is uncommon on SIP trunks and is usually handled like a number that cannot be found.",
    userCaused: false,
  },
  5: {
    explanation:
      "A national-use cause: the called number wrongly contains a trunk prefix, typically the national leading 0 kept after a country code (for example +44 0 ...). " +
      "Fix the number normalisation rules on the PBX or in the platform's dial plan.",
    userCaused: false,
  },
  6: {
    explanation:
      "The channel just offered for the call cannot be used by the side that sends this cause. " +
      "It belongs to ISDN and TDM interfaces; on a SIP trunk it shows up when a gateway to a PRI line could not take the B-channel it was given, so check the gateway's channel settings.",
    userCaused: false,
  },
  7: {
    explanation:
      "An informational cause: the incoming call is being connected over a channel already set up for calls of the same kind, as in old packet-mode ISDN services. " +
      "It is practically never seen on voice SIP trunks and signals no fault.",
    userCaused: false,
  },
  8: {
    explanation:
      "The call was cut off because a call with higher priority needed its resources, as in multi-level precedence and preemption schemes used by defence and government networks. " +
      "Commercial SIP trunks rarely produce it.",
    userCaused: false,
  },
  9: {
    explanation:
      "Like cause 8, the call was pre-empted by a higher-priority call, and in addition the exchange is holding the freed circuit so it can reuse it. " +
      "It is confined to precedence-capable networks.",
    userCaused: false,
  },
  14: {
    explanation:
      "Query on Release: the network the call reached no longer hosts the number because it has been ported to another operator, and the originating network is expected to look it up in the portability database and route again. " +
      "If outbound calls to a recently ported number keep failing with it, ask the carrier to check their number-portability data; Asterisk names this value 'number ported, not here'.",
    userCaused: false,
  },
  16: {
    explanation:
      "The ordinary end of a call: one of the two parties hung up. In SIP it accompanies a BYE or CANCEL rather than an error response. " +
      "It is only worth a look when many calls end this way within a second or two of answer, which hints at an auto-attendant, fax or PBX rule dropping the call.",
    userCaused: true,
  },
  17: {
    explanation:
      "The called line or terminal reported that it cannot take another call, so the network did its job and the person is simply busy. It maps to 486. " +
      "Busy can also come from a PBX or SBC that has used up its licensed or configured channels, so check those limits if it clusters at peak times.",
    userCaused: true,
  },
  18: {
    explanation:
      "The called terminal did not react to the call offer in time: it neither rang nor answered. It maps to 408. " +
      "Typical reasons are a phone or PBX that is offline, no longer registered, or unreachable behind NAT, so check the registration and reachability of the far end.",
    userCaused: true,
  },
  19: {
    explanation:
      "The called phone rang but nobody picked up before the network's or the PBX's no-answer timer ran out. It maps to 480. " +
      "If calls are abandoned very quickly, compare the ringing timeout configured on the platform and PBX with what callers expect.",
    userCaused: true,
  },
  20: {
    explanation:
      "The called subscriber is not currently reachable, typically a mobile that is switched off, out of coverage or not registered, or a user who has logged off. " +
      "It maps to 480 and usually resolves on its own once the user is back.",
    userCaused: true,
  },
  21: {
    explanation:
      "The call reached the destination but was refused, either by the called user (declined, screened) or by equipment acting for them. RFC 3398 maps it to 403, or to 603 when the cause location is the user. " +
      "Networks also use it for policy refusals such as barring or fraud blocks, so check the cause location before treating it as the user's choice.",
    userCaused: true,
  },
  22: {
    explanation:
      "The subscriber no longer uses the dialled number. When the new number is supplied, a gateway can turn this into a 301 pointing at it; otherwise it becomes a 410. " +
      "Update the caller's contact or the speed-dial entry rather than looking for a network fault.",
    userCaused: true,
  },
  23: {
    explanation:
      "An exchange decided that the call should be set up towards a different called number and released it so that the redirection can happen. " +
      "RFC 3398 maps it to 410; it is rare on SIP trunks and points at diversion handled inside the carrier network.",
    userCaused: false,
  },
  24: {
    explanation:
      "A service set up at the called side refused the call, for example anonymous-call rejection, selective call barring or do-not-disturb. " +
      "The most common case is a caller who withheld their number calling someone who blocks withheld numbers, so check the calling line identity and its presentation setting.",
    userCaused: true,
  },
  25: {
    explanation:
      "An intermediate exchange gave up on the call because it hit the hop-count limit, which usually means the call is going round in a routing loop. " +
      "SIP 482 and 483 map to it; look for a number that is forwarded back and forth between the platform, the carrier and the PBX.",
    userCaused: false,
  },
  26: {
    explanation:
      "The called user was offered the call, but another terminal of the same user took it, so this one was released. " +
      "In North American networks the value is reused to mean a call routed to the wrong network for a ported number, which is why RFC 3398 maps it to 404.",
    userCaused: false,
  },
  27: {
    explanation:
      "The interface to the called user is not working, so the call could not be signalled to their equipment. It maps to 502. " +
      "On a SIP trunk it usually means the customer's PBX or SBC is down or unreachable; check its registration, the network path and any firewall changes.",
    userCaused: false,
  },
  28: {
    explanation:
      "The called number is malformed or has too few digits to be routed. It maps to 484. " +
      "Check the number format sent by the PBX (E.164 with country code, no stray characters) and whether the trunk relies on overlap dialling that the platform does not support.",
    userCaused: false,
  },
  29: {
    explanation:
      "The network could not provide a supplementary service that the call asked for. It maps to 501. " +
      "Look at which optional feature the request carried (for example a redirection, user-to-user data or a special presentation setting) and try without it.",
    userCaused: false,
  },
  30: {
    explanation:
      "Not a failure: in ISDN this value is carried in a STATUS message that answers a STATUS ENQUIRY. " +
      "If a call ends with it, a gateway has passed on status housekeeping as a clearing cause, which is worth reporting to the gateway vendor.",
    userCaused: false,
  },
  31: {
    explanation:
      "A catch-all for normal events that have no more specific cause. Many switches and gateways send it by default, and RFC 3398 uses it for SIP responses that have no mapping of their own. " +
      "Because it hides the real reason, compare it with the SIP response and Reason header seen on the other leg.",
    userCaused: false,
  },
  34: {
    explanation:
      "There is no free circuit or channel to carry the call right now, for example a full trunk group or a concurrent-call limit reached on the SIP trunk. It maps to 503. " +
      "Check channel limits on the trunk and the customer account, and whether the carrier is short of capacity at peak times.",
    userCaused: false,
  },
  38: {
    explanation:
      "The network is out of service and the problem is expected to last, so an immediate retry will probably fail too. It maps to 503, and SIP 502 maps to it. " +
      "Check the carrier's status and fail over to another route.",
    userCaused: false,
  },
  39: {
    explanation:
      "A permanent frame-relay connection is out of service. It comes from data networks and has no meaning for voice calls over SIP trunks.",
    userCaused: false,
  },
  40: {
    explanation:
      "A notification that a permanent frame-relay connection is working again. It belongs to data networks and does not describe a voice call failure.",
    userCaused: false,
  },
  41: {
    explanation:
      "The network has a short-lived problem and a retry soon may well succeed. RFC 3398 maps it to 503, and it is the cause gateways send for SIP 400, 481, 500 and 503. " +
      "If it keeps appearing, find which carrier or route produces it, since it is often a generic label for an upstream fault.",
    userCaused: false,
  },
  42: {
    explanation:
      "The switching equipment handling the call is overloaded. It maps to 503. " +
      "Retry after a pause or through another route, and raise it with the carrier if it persists beyond traffic peaks.",
    userCaused: false,
  },
  43: {
    explanation:
      "The network could not pass some of the optional call information to the far end, such as user-to-user data, a subaddress or compatibility details. " +
      "The call itself may still go ahead; the diagnostic names the element that was dropped.",
    userCaused: false,
  },
  44: {
    explanation:
      "The specific circuit or channel asked for is busy or unavailable. RFC 3398 treats it as having no SIP equivalent: the originating switch should simply try another circuit. " +
      "On PRI gateways it often points at both ends choosing the same channel at once, so check channel-selection order.",
    userCaused: false,
  },
  46: {
    explanation:
      "In a precedence (priority) network, the call could not be completed because no lower-priority call could be pre-empted, or the called user is busy with a call of equal or higher priority. " +
      "It does not occur on ordinary commercial trunks.",
    userCaused: false,
  },
  47: {
    explanation:
      "A catch-all for resources that are not available when nothing more specific applies. It maps to 503. " +
      "Treat it as a temporary capacity problem and check the carrier and route that produced it.",
    userCaused: false,
  },
  49: {
    explanation:
      "The network cannot provide the quality of service that was requested for the call. It is inherited from data services and is rarely seen on voice SIP trunks.",
    userCaused: false,
  },
  50: {
    explanation:
      "The caller asked for a supplementary service that is supported but not enabled for their line or account, such as a call type or feature they have not subscribed to. " +
      "Check the features provisioned on the account, for example international calling or number presentation options.",
    userCaused: false,
  },
  53: {
    explanation:
      "The caller is a member of a closed user group (a private calling group inside a public network) but is barred from making outgoing calls within that group. " +
      "It only occurs in networks that run closed user groups; check the group's settings with the carrier.",
    userCaused: false,
  },
  55: {
    explanation:
      "The called user belongs to a closed user group that does not accept incoming calls from this caller. It maps to 403. " +
      "Check the group membership and barring rules with the network that hosts the group.",
    userCaused: false,
  },
  57: {
    explanation:
      "The caller asked for a bearer capability (the kind of connection, such as unrestricted digital data or video) that they are not permitted to use. It maps to 403. " +
      "It mostly hits data, video or fax calls; check the call type and the line's permissions.",
    userCaused: false,
  },
  58: {
    explanation:
      "The requested bearer capability exists in the network but cannot be provided at the moment. It maps to 503, so a later attempt may succeed.",
    userCaused: false,
  },
  62: {
    explanation:
      "The outgoing access requested for the call conflicts with the caller's subscriber class, a closed-user-group check. " +
      "It is rare and has to be resolved in the group's configuration with the network operator.",
    userCaused: false,
  },
  63: {
    explanation:
      "A catch-all for services or options that are not available. Gateways send it for SIP 405. " +
      "Look at the original SIP response or Reason header for the specific feature that was refused.",
    userCaused: false,
  },
  65: {
    explanation:
      "The equipment sending this cause does not support the kind of connection requested. It maps to 488, and a 488 or 606 whose Warning points to an unavailable bearer maps back to it. " +
      "On SIP trunks it usually means a media mismatch: check codecs, fax handling (T.38) and the media offer.",
    userCaused: false,
  },
  66: {
    explanation:
      "The equipment does not support the channel type that was requested, such as a multi-rate ISDN channel. It is an ISDN-level cause seldom seen on SIP trunks.",
    userCaused: false,
  },
  69: {
    explanation:
      "The equipment sending the cause does not implement the supplementary service that was requested. " +
      "Retry without the optional feature, or check which features the far-end network supports.",
    userCaused: false,
  },
  70: {
    explanation:
      "A national-use cause: the call asked for an unrestricted 64 kbit/s digital connection but only a restricted one is available on the path, which mostly concerns North American networks. " +
      "It maps to 488 and affects data calls rather than ordinary voice.",
    userCaused: false,
  },
  79: {
    explanation:
      "A catch-all for services or options that are not implemented. It maps to 501, and gateways send it for SIP 406, 415 and 501. " +
      "Check which feature or media type the request relied on and offer a simpler alternative.",
    userCaused: false,
  },
  81: {
    explanation:
      "A message referred to a call reference that is not in use on that interface. " +
      "It is an ISDN signalling error, usually a PRI gateway and the network disagreeing about which calls exist after a restart.",
    userCaused: false,
  },
  82: {
    explanation:
      "A message named a channel that is not active on the interface. " +
      "It typically means a gateway is configured for more channels than the line provides, such as a fractional E1 or T1, so check the channel range.",
    userCaused: false,
  },
  83: {
    explanation:
      "A request to resume a parked ISDN call used an identity that does not match the call that is suspended. " +
      "It belongs to the ISDN suspend/resume service and does not occur on SIP trunks.",
    userCaused: false,
  },
  84: {
    explanation:
      "A request to suspend an ISDN call used an identity that another suspended call on the interface already has. " +
      "It concerns the ISDN suspend/resume service only.",
    userCaused: false,
  },
  85: {
    explanation:
      "A request to resume an ISDN call arrived while no call is suspended on the interface. " +
      "It concerns the ISDN suspend/resume service only.",
    userCaused: false,
  },
  86: {
    explanation:
      "A request to resume a suspended ISDN call came too late: that call has already been cleared, for example because the network timed it out. " +
      "It concerns the ISDN suspend/resume service only.",
    userCaused: false,
  },
  87: {
    explanation:
      "The called user is not a member of the caller's closed user group, so the call is refused. It maps to 403. " +
      "Check the group membership with the network operator that runs the group.",
    userCaused: false,
  },
  88: {
    explanation:
      "The destination cannot handle the type of call, for example a data or fax call sent to a voice-only terminal, or mismatched compatibility information. RFC 3398 maps it to 503. " +
      "Check what kind of call was placed and what the destination supports.",
    userCaused: false,
  },
  90: {
    explanation:
      "The closed user group named in the call does not exist. It only occurs in networks that run closed user groups and needs fixing in their configuration.",
    userCaused: false,
  },
  91: {
    explanation:
      "A national-use cause: the transit network identifier carried in the call is wrongly formatted. " +
      "Check the carrier selection code or prefix that the PBX or platform inserts.",
    userCaused: false,
  },
  95: {
    explanation:
      "A catch-all for invalid messages when nothing more specific applies. " +
      "It points at a signalling fault between two pieces of equipment, so a trace on both sides of the failing hop is needed.",
    userCaused: false,
  },
  96: {
    explanation:
      "A message arrived without an element it must contain, such as a call setup without a called number. " +
      "On interworking gateways it usually means a required field was lost or left empty while translating the call.",
    userCaused: false,
  },
  97: {
    explanation:
      "The equipment received a message type it does not know or does not support. " +
      "It points at a protocol version or variant mismatch between the two ends of the link.",
    userCaused: false,
  },
  98: {
    explanation:
      "A message arrived that is either not allowed in the call's current state or is of an unknown or unsupported type. " +
      "Like cause 97 and 101 it indicates a signalling mismatch, often on an ISDN or ISUP interface behind a gateway.",
    userCaused: false,
  },
  99: {
    explanation:
      "A message contained an element or parameter the receiver does not recognise; it was ignored and the call can usually continue. " +
      "Seen as a clearing cause, it suggests a protocol variant mismatch on the link.",
    userCaused: false,
  },
  100: {
    explanation:
      "An element was recognised but its contents are invalid, for example a number containing characters or a length the far end cannot handle. " +
      "Check the called and calling numbers and other fields the gateway builds for this call.",
    userCaused: false,
  },
  101: {
    explanation:
      "A message arrived that is not allowed in the call's current state, often the result of two messages crossing each other. " +
      "Occasional cases are harmless races; repeated ones call for a signalling trace.",
    userCaused: false,
  },
  102: {
    explanation:
      "A protocol timer ran out and the equipment cleared the call as part of its error handling, for instance when the far end never answered a setup. It maps to 504, and SIP 408 and 504 map to it. " +
      "Check whether the next hop is responding at all (reachability, NAT, transport) and whether timers differ between the two sides.",
    userCaused: false,
  },
  103: {
    explanation:
      "An exchange received a parameter it does not recognise and passed it on unchanged; the call normally continues. " +
      "Be aware that Asterisk and FreeSWITCH use this value for a different, ISDN-side meaning (an information element with a wrong length), so read it in the context of the equipment that reported it.",
    userCaused: false,
  },
  110: {
    explanation:
      "The receiver dropped a message because it contained a parameter it did not recognise. " +
      "It signals a protocol variant mismatch between two exchanges and needs a trace of the failing link.",
    userCaused: false,
  },
  111: {
    explanation:
      "A catch-all for protocol errors when nothing more specific applies. It maps to 500. " +
      "It indicates a signalling fault somewhere on the path, so capture traces on both sides of the gateway or carrier hop that reported it.",
    userCaused: false,
  },
  127: {
    explanation:
      "The call crossed a network or gateway that does not report the real reason for the failure, so the original cause was lost in translation. It maps to 500, and several SIP codes with no ISDN equivalent (such as 413, 416, 420 and 505) map to it. " +
      "Ask the carrier for a trace from the interworking point to find the underlying reason.",
    userCaused: false,
  },
} satisfies Record<number, Q850Text>;
