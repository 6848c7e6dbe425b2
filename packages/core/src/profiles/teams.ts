import type { ProfileInput } from "../schema/profile.ts";

const source =
  "Microsoft Teams Direct Routing documentation (see reference/teams-direct-routing.md)";

/**
 * Microsoft Teams Direct Routing, seen by the operator of the customer's SBC.
 * "Outbound" is a Teams user calling out to the PSTN through the customer's SBC
 * (Microsoft sends the INVITE to the SBC); "inbound" is a PSTN call that the SBC
 * hands to Microsoft for a Teams user.
 */
export const teamsProfile = {
  id: "teams",
  name: "Microsoft Teams Direct Routing",
  description:
    "How Microsoft Teams Direct Routing uses SIP codes between Microsoft and the customer's SBC. Each final code comes with a Microsoft response code (sub-code) that names the real cause: 504 covers Microsoft failing to reach the SBC over DNS, TCP or TLS, 403 hides a dozen licence, policy and routing refusals, 410 reports media failures, and 408, 503 and 504 trigger failover to the next SBC by default.",
  extends: "rfc",
  codes: {
    "400": {
      summary:
        "A SIP message was malformed; on Direct Routing usually something the customer's SBC sent that Microsoft cannot parse or accept.",
      meaning:
        "Microsoft lists this code with response code 540400 and points the fix at the SBC: a request or response from the SBC had a layout or content that the Direct Routing interface treats as invalid or does not support. Microsoft does not make clear whether a 540 prefix means the SBC or Microsoft produced the final code, so read the traces on both sides before deciding who rejected what.",
      causes: [
        {
          text: "The SBC sends Microsoft a message with a broken or non-standard start line, header or body, often introduced by a header-manipulation rule (response code 540400).",
          direction: "both",
        },
        {
          text: "An SBC firmware or configuration change altered how headers are written towards the Microsoft trunk.",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Capture the exact message the SBC sent to Microsoft and compare it with Microsoft's SBC signalling requirements; undo recent header-manipulation changes.",
          actor: "operator",
        },
        {
          text: "If the SBC builds the message itself and no rule explains it, raise it with the SBC vendor.",
          actor: "carrier",
        },
      ],
      source,
    },
    "402": {
      summary:
        "The customer's SBC refused an outbound Teams call with Payment Required, normally passed on from the downstream carrier.",
      meaning:
        "With response code 560402 the final answer came from the customer's SBC, not from Microsoft. The SBC is usually relaying what the carrier behind it said: the call would cost something the account is not allowed or able to pay for.",
      causes: [
        {
          text: "The carrier behind the SBC refused the call on credit or billing grounds and the SBC relayed its answer as 402 (response code 560402).",
          direction: "outbound",
        },
      ],
      actions: [
        {
          text: "Group the failed calls by dialled destination: a cluster on one country or number range points at a carrier restriction rather than a general outage.",
          actor: "operator",
          direction: "outbound",
        },
        {
          text: "Check in the SBC logs which carrier leg returned the refusal, then ask that carrier about the account's credit or destination barring.",
          actor: "carrier",
          direction: "outbound",
        },
      ],
      source,
    },
    "403": {
      summary:
        "The call was refused; on Direct Routing only the Microsoft response code tells which of about ten policy, routing or SBC refusals it was.",
      meaning:
        "Direct Routing returns 403 for many unrelated reasons: the SBC is not known to the tenant, the caller is blocked, the Teams user lacks a licence or calling permission, no voice route matches the number, Location-Based Routing or compliance recording stops the call, or the customer's SBC itself refused it (560403). The SIP code alone does not identify the cause, so always read the Microsoft response code next to it, in the Teams admin center or the call records.",
      causes: [
        {
          text: "Location-Based Routing rules do not allow the call to be forked to this user or site in its current network location (response code 10500).",
          direction: "both",
        },
        {
          text: "A compliance-recording policy requires a recorder for this user and the recorder could not be invited, so the call leg was dropped (response code 10553).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Look up the Microsoft response code for the failed call before changing anything; each one points at a different setting.",
          actor: "operator",
        },
        {
          text: "For 10500 review the Location-Based Routing setup for the user's site; for 10553 check the recording policy and that the recorder bot is running.",
          actor: "operator",
        },
      ],
      inbound: {
        meaning:
          "On a call coming in from the SBC, Microsoft refuses with 403 when it does not recognise the SBC for this tenant, when the calling number is on the tenant's block list, or when the called Teams user may not receive this kind of call.",
        causes: [
          {
            text: "The SBC's FQDN, as written in the Contact header of its INVITE, is not configured as a Direct Routing trunk for this tenant (response code 510532).",
            direction: "inbound",
          },
          {
            text: "The calling number matches the tenant's inbound call-blocking rules (response code 510534).",
            direction: "inbound",
          },
          {
            text: "The called user's calling policy does not allow private calls (response code 10199).",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "Compare the FQDN in the Contact header of the SBC's INVITE with the SBCs configured for the tenant, and fix whichever side is wrong.",
            actor: "operator",
            direction: "inbound",
          },
          {
            text: "Check the inbound call-blocking patterns and the called user's calling policy ('Make private calls').",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      outbound: {
        meaning:
          "On a Teams user's call out to the PSTN, a 403 usually comes from Microsoft before the call reaches the SBC (no matching voice route, missing licence, calling restrictions), or from the customer's SBC itself when the response code is 560403.",
        causes: [
          {
            text: "No voice route in the user's routing policy matches the dialled number, so Microsoft never sends the INVITE to the SBC (response code 510559).",
            direction: "outbound",
          },
          {
            text: "The user has no Phone System licence or Enterprise Voice is not turned on (response code 510560), or the user is otherwise not set up for Direct Routing calls (510562).",
            direction: "outbound",
          },
          {
            text: "The user may only call domestic numbers and dialled an international one (response code 510563).",
            direction: "outbound",
          },
          {
            text: "The customer's SBC refused the call itself, for example by an access rule or a rejection from the carrier behind it (response code 560403).",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "For 5105xx codes fix the Teams side: voice routing policy and number patterns, the user's licence and Enterprise Voice setting, or the calling restrictions.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "For 560403 read the SBC logs to see which rule or downstream leg refused the call.",
            actor: "operator",
            direction: "outbound",
          },
        ],
        endUser:
          "This call was not allowed from your account. Please check the number, and ask your IT team if you believe you should be able to call it.",
      },
      source,
    },
    "404": {
      summary:
        "Microsoft could not match the call to a Teams user or to the call it was meant to replace.",
      meaning:
        "Microsoft uses 404 when the number the SBC sends cannot be resolved to a user or resource account (response code 511404), and during transfers or call merges when a request to replace an existing call names a call Microsoft no longer has (10202).",
      causes: [
        {
          text: "During a consultative transfer or call merge the SBC asks to replace a call that Microsoft cannot find, often because it is retrying after a first attempt already failed (response code 10202).",
          direction: "both",
        },
      ],
      inbound: {
        causes: [
          {
            text: "The called number arrives in a format that does not match the number assigned to the user or resource account, so the reverse number lookup fails (response code 511404).",
            direction: "inbound",
          },
          {
            text: "The number is not assigned to any Teams user or resource account in the tenant.",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "Compare the number in the SBC's INVITE with the number assigned in Teams; normalise it to E.164 (for example +441234567890) on the SBC.",
            actor: "operator",
            direction: "inbound",
          },
          {
            text: "If the carrier delivers the number in a national format, add or correct the SBC rule that rewrites it before it is sent to Microsoft.",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      actions: [
        {
          text: "For 10202, trace the transfer on the SBC and check whether it resends a replacing request after the first one failed.",
          actor: "operator",
        },
      ],
      source,
    },
    "408": {
      summary:
        "A timer ran out; on Direct Routing the response code says which one: SBC failover timer, a missing ACK, media setup, or the SBC's own timer.",
      meaning:
        "Several different timers end a Direct Routing call with 408. Response code 500001 means the SBC did not answer Microsoft's INVITE within FailoverTimeSeconds (10 seconds unless changed), so Microsoft moved on to the next SBC in the voice route or dropped the call. 1106 means Microsoft's 200 OK was never acknowledged by the SBC, 0 means media was not set up within 90 seconds, and 560408 means the SBC itself gave up waiting downstream. 408 is in the default FailoverResponseCodes list (408, 503, 504), so when the SBC returns it to an outbound call Microsoft tries the next SBC, as long as no provisional response other than 100 has arrived.",
      causes: [
        {
          text: "Media for the call was not established within 90 seconds, usually because the Teams client's network path to Microsoft is poor (response code 0).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Check the response code first: 500001 and 560408 point downstream of Microsoft, 1106 at the SBC's signalling, 0 at the Teams client's network.",
          actor: "operator",
        },
      ],
      inbound: {
        causes: [
          {
            text: "The Teams user answered but the SBC never sent the ACK for Microsoft's 200 OK, for example because the TCP/TLS connection to Microsoft's signalling FQDNs broke or the SBC's SIP stack misbehaved (response code 1106).",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "For 1106 check that the SBC's SIP stack sends the ACK and that its TCP/TLS connections to Microsoft's SIP signalling FQDNs stay up.",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      outbound: {
        causes: [
          {
            text: "The SBC did not answer Microsoft's INVITE within FailoverTimeSeconds (default 10 s), typically where PSTN call setup is slow (response code 500001).",
            direction: "outbound",
          },
          {
            text: "The SBC's own INVITE timer towards the carrier expired and it reported the callee as not responding (response code 560408).",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "If 500001 is frequent and the SBC is healthy, raise FailoverTimeSeconds on the gateway; Microsoft suggests 20 seconds where the PSTN is slow to set calls up.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "For 560408 sort the failures by destination in the SBC logs to find the carrier or number range that does not respond.",
            actor: "operator",
            direction: "outbound",
          },
        ],
      },
      source,
    },
    "410": {
      phrases: ["SdpParsingFailure", "IceConnectivityChecksFailed", "MediaConnectivityFailure"],
      summary:
        "Microsoft uses 410 for media failures: an SDP it could not parse, or a media path that could not be opened.",
      meaning:
        "On Direct Routing 410 has nothing to do with a number that has been withdrawn. Microsoft sends it with response code 531000 when the SBC's SDP offer or answer is malformed or unsupported, and with 531004 or 531005 when the media path between the SBC and Microsoft could not be set up or broke, usually because of firewall rules or network configuration.",
      causes: [
        {
          text: "The SDP the SBC sent could not be parsed or used something Microsoft does not support (response code 531000).",
          direction: "both",
        },
        {
          text: "ICE connectivity checks between the SBC and Microsoft's media endpoints failed, typically because a firewall blocks the media ports (response code 531004).",
          direction: "both",
        },
        {
          text: "The media path was lost or could not be completed because of the network setup between the SBC and Microsoft (response code 531005).",
          direction: "both",
        },
      ],
      replaceCauses: true,
      actions: [
        {
          text: "For 531000 capture the SDP from the SBC and check it against the SDP standards Microsoft lists for Direct Routing.",
          actor: "operator",
        },
        {
          text: "For 531004 and 531005 check that the firewall allows the media port ranges Microsoft publishes for Direct Routing, in both directions, to and from the SBC's media address.",
          actor: "operator",
        },
      ],
      replaceActions: true,
      endUser:
        "The call could not be connected because of a technical problem. Please try again, and tell your IT team if it keeps happening.",
      outcome: "network-failure",
      retry: {
        retryable: false,
        retryAfter: "never",
        note: "The same call normally fails the same way until the SDP or the firewall is fixed.",
      },
      source,
    },
    "412": {
      summary:
        "Microsoft could not build a Teams identity from the called number of an inbound call, because the number is malformed.",
      meaning:
        "Direct Routing uses 412 with response code 510412 for an inbound call whose called number is so badly formed that Microsoft cannot turn it into the internal identifier (MRI) of a Teams user. It is not about conditional requests here.",
      causes: [
        {
          text: "The SBC passed on a called number with wrong characters, missing digits or a broken format (response code 510412).",
          direction: "inbound",
        },
        {
          text: "An SBC number-normalisation rule produces an invalid number for some ranges.",
          direction: "inbound",
        },
      ],
      replaceCauses: true,
      actions: [
        {
          text: "Look at the called number in the SBC's INVITE and fix it, or the SBC rule that rewrites it, so it reaches Microsoft in E.164.",
          actor: "operator",
          direction: "inbound",
        },
      ],
      endUser: "The number you called could not be connected. Please check it and try again.",
      source,
    },
    "415": {
      summary:
        "The message body was missing or of a type Direct Routing does not accept, usually on an INVITE from the customer's SBC.",
      meaning:
        "Microsoft documents 415 with response code 540415 (one version of the page writes 510415): the SBC's request had no Content-Type for its body, or carried a body type Microsoft does not take, such as application/pidf+xml. The fix is on the SBC, although Microsoft does not state clearly which side produced the code.",
      causes: [
        {
          text: "The SBC's INVITE or offer has a body without a Content-Type header (response code 540415).",
          direction: "both",
        },
        {
          text: "The SBC attaches a body type Microsoft does not accept, for example location data as application/pidf+xml.",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Check the Content-Type and body of the requests the SBC sends to Microsoft, and strip or change body parts Direct Routing does not take.",
          actor: "operator",
        },
      ],
      source,
    },
    "420": {
      summary:
        "The customer's SBC refused a request from Microsoft because it does not support an extension the request requires, such as Replaces.",
      meaning:
        "With response code 560420 the customer's SBC produced the answer: Microsoft's request listed an extension as required and the SBC does not implement it. It typically shows up in transfers, where Microsoft relies on the Replaces extension.",
      causes: [
        {
          text: "The SBC does not support, or has turned off, an extension Microsoft requires, most often Replaces during a transfer (response code 560420).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Check in the SBC logs which extension was named in the Unsupported header, and enable support for it on the SBC.",
          actor: "operator",
        },
        {
          text: "If the SBC cannot support it, ask the SBC vendor whether a newer version or another setting does.",
          actor: "carrier",
        },
      ],
      source,
    },
    "422": {
      summary: "The session timer the SBC asked for was shorter than the other side accepts.",
      meaning:
        "Microsoft lists 422 with response code 540422 for disagreements over session-timer values. The SBC is expected to retry the request with a larger interval as the session-timer RFC requires; if it does not, the call fails.",
      causes: [
        {
          text: "The SBC proposes a Session-Expires or Min-SE value below what the other side accepts (response code 540422).",
          direction: "both",
        },
        {
          text: "The SBC receives the 422 but does not resend the request with the higher interval the response asks for.",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Raise the Session-Expires and Min-SE values on the SBC's Microsoft trunk, and check that it resends the request after a 422.",
          actor: "operator",
        },
      ],
      source,
    },
    "480": {
      summary:
        "Microsoft found no way to present an inbound call to the Teams user, bot or voicemail.",
      meaning:
        "On Direct Routing 480 comes from Microsoft when the called Teams user has no signed-in endpoint (response code 10037), when a bot is not provisioned properly (10140), or when the call would have gone to voicemail but the calling policy does not allow it (10191).",
      inbound: {
        causes: [
          {
            text: "The called Teams user has no active client signed in, which is expected if they have been logged out for a long time (response code 10037).",
            direction: "inbound",
          },
          {
            text: "The call was aimed at a bot whose user or app settings are missing (response code 10140).",
            direction: "inbound",
          },
          {
            text: "Nobody answered and the user's calling policy does not allow routing the call to voicemail (response code 10191).",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "For 10037, sign out of Teams and sign back in on your devices, then ask a colleague to call you.",
            actor: "end-user",
            direction: "inbound",
          },
          {
            text: "If 10037 keeps appearing while the user is signed in, open a case with Microsoft support.",
            actor: "carrier",
            direction: "inbound",
          },
          {
            text: "For 10191 allow voicemail routing in the user's calling policy; for 10140 fix the bot's provisioning.",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      source,
    },
    "484": {
      summary: "The customer's SBC rejected the dialled number as badly formatted.",
      meaning:
        "With response code 560484 the customer's SBC refused the number Microsoft sent it. It is usually a number typed in a way the SBC or carrier cannot use, but it can also appear when a Teams user forwards or transfers a call (call type ByotOutUserForwarding).",
      causes: [
        {
          text: "The Teams user dialled a number in a format the SBC does not accept, and no normalisation rule corrected it (response code 560484).",
          direction: "outbound",
        },
        {
          text: "A call forwarded or transferred by a Teams user reached the SBC with a target number it considers invalid.",
          direction: "outbound",
        },
      ],
      actions: [
        {
          text: "Add or fix the Teams dial-plan normalisation rules so dialled numbers reach the SBC in E.164.",
          actor: "operator",
          direction: "outbound",
        },
        {
          text: "If a few users dial in unusual ways, show them the expected number format.",
          actor: "operator",
          direction: "outbound",
        },
      ],
      source,
    },
    "486": {
      summary:
        "The callee is busy; on Direct Routing this can also be a bot, such as a recording bot, refusing the call.",
      causes: [
        {
          text: "A bot involved in the call, such as a compliance-recording bot, turned it down because it was busy (response code 10321).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "For 10321 check the bot's capacity: contact Microsoft support if it is Microsoft's bot, otherwise the bot's vendor.",
          actor: "carrier",
        },
      ],
      source,
    },
    "488": {
      summary:
        "The media offer could not be accepted: no usable codec, no SRTP, no ICE candidates for media bypass, or a 0.0.0.0 address.",
      meaning:
        "Microsoft returns 488 when the SBC's SDP cannot be used. The response code tells the detail: 531000 for an offer with no acceptable media or without the SRTP Microsoft requires, 531027 when media bypass is on but the SDP has no ICE candidates, and 531052 when the SBC puts the call on hold by sending 0.0.0.0 as the connection address.",
      causes: [
        {
          text: "The SBC offers only codecs or media types Microsoft cannot use (response code 531000, CannotSupportAnyMedia).",
          direction: "both",
        },
        {
          text: "The SBC offers plain RTP but Microsoft requires SRTP (response code 531000, SrtpEncryptionRequired).",
          direction: "both",
        },
        {
          text: "Media bypass is enabled for the trunk but the SBC does not run ICE Lite, so its SDP carries no ICE candidates (response code 531027).",
          direction: "both",
        },
        {
          text: "The SBC signals hold or a new media stream with connection address 0.0.0.0, which Microsoft does not support (response code 531052).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Turn on SRTP and offer at least one codec Microsoft supports on the SBC's Microsoft trunk.",
          actor: "operator",
        },
        {
          text: "If media bypass is on, enable ICE Lite on the SBC; otherwise turn media bypass off for that trunk.",
          actor: "operator",
        },
        {
          text: "Configure the SBC to signal hold with a direction attribute instead of a 0.0.0.0 connection address.",
          actor: "operator",
        },
      ],
      source,
    },
    "500": {
      summary:
        "Microsoft hit an internal or configuration error: a forwarding loop, or missing trunk or emergency routing settings.",
      meaning:
        "Direct Routing sends 500 with response code 510482 when call forwarding goes round in a loop, and with 510544 when an outbound call cannot be routed because the trunk configuration, or the routing set up for emergency calls, is missing or wrong.",
      causes: [
        {
          text: "Users' call forwarding settings point at each other and form an endless loop (response code 510482).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "For 510482 follow the forwarding chain of the users involved and break the loop.",
          actor: "operator",
        },
      ],
      outbound: {
        causes: [
          {
            text: "The outbound trunk configuration is missing, or the user's emergency call routing policy has no usable Direct Routing gateway (response code 510544).",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "For 510544 check the Direct Routing trunk configuration and, for emergency calls, the emergency call routing policy assigned to the user.",
            actor: "operator",
            direction: "outbound",
          },
        ],
      },
      source,
    },
    "503": {
      summary:
        "A Microsoft SIP endpoint, a bot, or the customer's SBC was temporarily unable to take the call.",
      meaning:
        "The response code shows who was unavailable. 540998 means the Microsoft SIP endpoint the SBC reached was in maintenance and draining calls; 560503 means the customer's SBC itself was overloaded, out of licences or without a free circuit; 10320 means a bot did not answer in time. 503 is in the default FailoverResponseCodes list (408, 503, 504): when the SBC returns it to an outbound call before any provisional response other than 100, Microsoft tries the next SBC in the voice route.",
      causes: [
        {
          text: "A bot taking part in the call, for example a recording bot, was unreachable or did not answer in time (response code 10320).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "For 10320 contact Microsoft support if the bot is Microsoft's, otherwise the bot's vendor.",
          actor: "carrier",
        },
      ],
      inbound: {
        causes: [
          {
            text: "The Microsoft SIP endpoint the SBC sent the call to was inactive or draining its transactions for maintenance (response code 540998).",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "An occasional 540998 is normal; if it is frequent, make the SBC re-resolve Microsoft's SIP FQDNs often (Microsoft suggests at least every 15 minutes) and retry another address.",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      outbound: {
        causes: [
          {
            text: "The customer's SBC was overloaded, had used all its session licences, or had no circuit free towards the carrier (response code 560503).",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "For 560503 check the SBC's logs, load and session licences, and look for patterns by destination that point at one carrier.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "Make sure the user's voice route lists a second SBC so the default failover on 503 has somewhere to go.",
            actor: "operator",
            direction: "outbound",
          },
        ],
      },
      source,
    },
    "504": {
      summary:
        "Microsoft could not deliver a request to the customer's SBC: DNS lookup, TCP connection or TLS handshake failed.",
      meaning:
        "On Direct Routing 504 mostly means Microsoft's own attempt to reach the SBC failed, not that an upstream server timed out. The response code (549xxx or 569xxx) tells which step broke: the SBC's FQDN does not resolve, the TCP connection is refused or not up, the TLS handshake fails on the certificate, or the SBC sent a malformed SIP start line. 504 is in the default FailoverResponseCodes list (408, 503, 504), so Microsoft tries the next SBC in the voice route, and Microsoft also retries the same trunk from another datacenter on network-level failures. These failures lower the SBC's Network Effectiveness Ratio in the Health Dashboard.",
      causes: [
        {
          text: "The SBC sent a message whose request or status line is not valid SIP/2.0 (response codes 549002, 549018, 569018).",
          direction: "both",
        },
      ],
      actions: [
        {
          text: "Read the response code and its text: 569015/569016 are DNS, 549002/569002 are connection or firewall, 569003/569008/569009 are certificate problems.",
          actor: "operator",
        },
      ],
      outbound: {
        meaning:
          "Microsoft tried to send the Teams user's call to the SBC and could not: the SBC's name did not resolve, the connection was refused or down, or the TLS handshake failed.",
        causes: [
          {
            text: "The SBC is down or unreachable on its public IP address and port, or a firewall blocks Microsoft's signalling addresses (response codes 549002, 569002).",
            direction: "outbound",
          },
          {
            text: "The SBC's certificate is expired, untrusted, not from a public root CA Microsoft trusts, or names the wrong host (response codes 569003, 569008, 569009, 569002).",
            direction: "outbound",
          },
          {
            text: "The SBC's FQDN has no DNS entry, or only a TXT record for domain verification and no A or AAAA record (response codes 569015, 569016).",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "Check that the SBC is up and that its firewall lets Microsoft's SIP signalling addresses reach its TLS port.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "Check the SBC certificate: in date, issued by a public root CA Microsoft trusts, with the SBC's FQDN, and selected in the TLS profile used for the Microsoft trunk.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "Check that the SBC's FQDN resolves to an A or AAAA record from the public internet.",
            actor: "operator",
            direction: "outbound",
          },
        ],
      },
      source,
    },
  },
  subCodes: {
    "0/408": {
      sip: 408,
      text: "Establishment timeout",
      generatedBy: "platform",
      meaning:
        "Microsoft gave up because media for the call was not established within 90 seconds. It points at the Teams client's side, not at the SBC.",
      action:
        "Check the Teams client's network path to Microsoft: firewall, proxy and bandwidth on the user's network.",
    },
    "1106/408": {
      sip: 408,
      text: "An acknowledgement was not received for the call acceptance in the allotted time",
      generatedBy: "platform",
      meaning:
        "The Teams user answered and Microsoft sent its 200 OK, but no ACK came back from the SBC in time, so Microsoft ended the call.",
      action:
        "Check that the SBC sends the ACK and that its TCP/TLS connections to Microsoft's SIP signalling FQDNs are up and not being reset.",
    },
    "10037/480": {
      sip: 480,
      text: "No callee endpoints were found",
      generatedBy: "platform",
      meaning:
        "The called Teams user has no signed-in client to ring. This is expected for someone who has been signed out for a long time.",
      action:
        "Have the user sign out and back in to Teams; if calls still fail while they are signed in, open a case with Microsoft support.",
    },
    "10140/480": {
      sip: 480,
      text: "Call to bot is rejected due to null user settings or user app settings",
      generatedBy: "platform",
      meaning:
        "The call was meant for a bot whose user or application settings are missing, so it could not be delivered.",
      action: "Check and complete the bot's provisioning in the tenant.",
    },
    "10191/480": {
      sip: 480,
      text: "Routing to voicemail is disabled in policy",
      generatedBy: "platform",
      meaning:
        "The call would have gone to voicemail, but the user's calling policy does not allow inbound calls to be sent there.",
      action:
        "Allow routing to voicemail in the calling policy if callers should be able to leave a message.",
    },
    "10199/403": {
      sip: 403,
      text: "Call rejected as private calling is disabled for the callee",
      generatedBy: "platform",
      meaning:
        "The called user's calling policy does not allow private calls, so Microsoft refused the call.",
      action: "Turn on 'Make private calls' in the calling policy assigned to the user.",
    },
    "10202/404": {
      sip: 404,
      text: "Replacement call was not found",
      generatedBy: "platform",
      meaning:
        "During a call merge or consultative transfer, the request to replace a call named a call Microsoft could not find. The SBC may be retrying a replacement after the first attempt already failed.",
      action:
        "Trace the transfer on the SBC and check whether it resends the replacing request after a failure.",
    },
    "10320/503": {
      sip: 503,
      text: "Bot is unreachable or unable to answer before timeout",
      generatedBy: "platform",
      meaning:
        "A bot in the call, such as a recording bot, could not be reached or did not answer in time.",
      action:
        "Contact Microsoft support if the bot is Microsoft's; otherwise contact the bot's vendor.",
    },
    "10321/486": {
      sip: 486,
      text: "Bot rejects the incoming call because it is busy",
      generatedBy: "platform",
      meaning: "A bot in the call turned the call down because it had no capacity for it.",
      action:
        "Contact Microsoft support if the bot is Microsoft's; otherwise ask the bot's vendor about its capacity.",
    },
    "10500/403": {
      sip: 403,
      text: "Current call site state prevents fork to this entity",
      generatedBy: "platform",
      meaning:
        "Location-Based Routing rules stopped the call from being offered to this user or site in its current location.",
      action:
        "Review the Location-Based Routing configuration for the sites, subnets and users involved.",
    },
    "10553/403": {
      sip: 403,
      text: "Participant call leg has been cancelled because an invite to a required recorder failed",
      generatedBy: "platform",
      meaning:
        "The user's compliance-recording policy requires a recorder, and inviting the recorder failed, so the call leg was cancelled.",
      action:
        "Check the recording policy assigned to the user and that the recorder bot is running and reachable.",
    },
    "500001/408": {
      sip: 408,
      text: "Gateway (SBC) failover timer expired",
      generatedBy: "platform",
      meaning:
        "On an outbound call the SBC did not answer Microsoft's INVITE within FailoverTimeSeconds (10 seconds by default), so Microsoft tried the next SBC in the voice route, or dropped the call if there was none.",
      action:
        "Where the PSTN is slow to set calls up, raise FailoverTimeSeconds (Microsoft suggests 20 seconds, for those regions or for every trunk) and check that the SBC answers promptly.",
    },
    "510412/412": {
      sip: 412,
      text: "Get Flighting - wrong callee MRI",
      generatedBy: "platform",
      meaning:
        "The called number on an inbound call was malformed, so Microsoft could not build the internal identifier (MRI) of the Teams user.",
      action:
        "Correct the called number, or the SBC rule that rewrites it, so it reaches Microsoft in E.164.",
    },
    "510482/500": {
      sip: 500,
      text: "Loop detected",
      generatedBy: "platform",
      meaning: "Call forwarding settings sent the call round in a loop.",
      action:
        "Follow the forwarding chain of the users involved and remove the setting that closes the loop.",
    },
    "510532/403": {
      sip: 403,
      text: "Get Inbound Direct routing - RuntimeApi trunk config not found for customer / No trunk config was found",
      generatedBy: "platform",
      meaning:
        "An inbound call came from an SBC whose FQDN is not configured as a Direct Routing trunk for this tenant.",
      action:
        "Check the tenant's trunk configuration and compare it with the FQDN in the Contact header of the SBC's INVITE.",
    },
    "510534/403": {
      sip: 403,
      text: "Get Inbound Direct routing - blocked calling number for customer",
      generatedBy: "platform",
      meaning: "The calling number matched the tenant's inbound call-blocking rules.",
      action: "Review the inbound call-blocking patterns if the caller should be allowed through.",
    },
    "510544/500": {
      sip: 500,
      text: "Get Outbound Direct routing - no trunk config found / Get Outbound routing - failed getting direct routing gateways for emergency user",
      generatedBy: "platform",
      meaning:
        "An outbound call could not be routed because the trunk configuration is missing, or the emergency call routing policy gave no usable gateway.",
      action:
        "Check the Direct Routing trunk configuration and the emergency call routing policy assigned to the user.",
    },
    "510559/403": {
      sip: 403,
      text: "Get Outbound routing - No viable path (Forbidden)",
      generatedBy: "platform",
      meaning:
        "No voice route in the user's routing policy matches the dialled number, so the call was refused before anything was sent to the SBC.",
      action:
        "Check the dialled number, the number patterns of the voice routes, and the routing policy assigned to the user.",
    },
    "510560/403": {
      sip: 403,
      text: "User is not Enterprise Voice enabled",
      generatedBy: "platform",
      meaning:
        "The calling user is not set up for Enterprise Voice. Some versions of the message add that the user may not make user-based dial-out calls.",
      action: "Give the user a Phone System licence and turn on Enterprise Voice for them.",
    },
    "510562/403": {
      sip: 403,
      text: "User is not allowed to make outbound PSTN Calls",
      generatedBy: "platform",
      meaning:
        "The user is not correctly enabled for Direct Routing, so outbound PSTN calls are refused.",
      action:
        "Check the user's Direct Routing setup: licence, Enterprise Voice, phone number and voice routing policy.",
    },
    "510563/403": {
      sip: 403,
      text: "User is only allowed to make domestic calls. This is an international call",
      generatedBy: "platform",
      meaning: "The user is restricted to domestic calls and dialled an international number.",
      action:
        "Lift the restriction for the user if international calls are wanted; otherwise the refusal is intended.",
    },
    "511404/404": {
      sip: 404,
      text: "Getting user info by number from RuntimeAPI failed",
      generatedBy: "platform",
      meaning:
        "Microsoft could not find the user or resource account for the called number, typically because the SBC or carrier sends it in a different format from the one assigned in Teams.",
      action:
        "Make the SBC send the called number in E.164, matching the number assigned to the user or resource account.",
    },
    "531000/410": {
      sip: 410,
      text: "SdpParsingFailure",
      generatedBy: "platform",
      meaning:
        "The SDP offer or answer from the SBC was malformed or used something Microsoft does not support.",
      action:
        "Capture the SBC's SDP and check it against the SDP standards Microsoft lists for Direct Routing.",
    },
    "531000/488": {
      sip: 488,
      text: "InternalDiagCode: CannotSupportAnyMedia, InternalErrorPhrase: Invalid SDP offer: no media acceptable | InternalDiagCode: SrtpEncryptionRequired, InternalErrorPhrase: Remote participant did not offer required SRTP support",
      generatedBy: "platform",
      meaning:
        "Microsoft could not accept the SBC's media offer: either none of the offered codecs or media types are usable, or the offer lacks the SRTP encryption Microsoft requires.",
      action:
        "Offer at least one codec Microsoft supports, and turn on SRTP for the Microsoft trunk on the SBC; the diagnostic text says which of the two applies.",
    },
    "531004/410": {
      sip: 410,
      text: "IceConnectivityChecksFailed",
      generatedBy: "platform",
      meaning: "ICE checks could not open a media path between the SBC and Microsoft.",
      action:
        "Check the firewall rules for the media port ranges Microsoft publishes, in both directions.",
    },
    "531005/410": {
      sip: 410,
      text: "MediaConnectivityFailure",
      generatedBy: "platform",
      meaning: "The media path between the SBC and Microsoft could not be completed or broke.",
      action:
        "Review the network and firewall setup on the media path between the SBC and Microsoft.",
    },
    "531027/488": {
      sip: 488,
      text: "There are no ICE candidates in the SDP. Non-ice endpoints cannot use bypass",
      generatedBy: "platform",
      meaning: "Media bypass is on, but the SBC's SDP has no ICE candidates, which bypass needs.",
      action: "Enable ICE Lite on the SBC, or turn off media bypass for the trunk.",
    },
    "531052/488": {
      sip: 488,
      text: "Cannot negotiate a new modality with blackhole media",
      generatedBy: "platform",
      meaning:
        "The SBC sent SDP with 0.0.0.0 as the connection address, which Microsoft's media stack does not accept.",
      action:
        "Configure the SBC to signal hold with a direction attribute and a real address instead of 0.0.0.0.",
    },
    "540400/400": {
      sip: 400,
      text: "Bad Request",
      generatedBy: "unclear",
      meaning:
        "A SIP message from the SBC had an invalid or unsupported format. Microsoft does not say whether the SBC or Microsoft produced this final code.",
      action:
        "Capture the message the SBC sent and fix the SBC configuration or header rules that produce it.",
    },
    "540415/415": {
      sip: 415,
      text: "Unsupported Media Type",
      generatedBy: "unclear",
      meaning:
        "The SBC's offer had no body type declared, or a body type Direct Routing does not accept, such as application/pidf+xml. Microsoft also writes this code as 510415 in one place.",
      action:
        "Make the SBC send a Content-Type with every body and drop body parts Direct Routing does not take.",
    },
    "540422/422": {
      sip: 422,
      text: "Session Interval Too Small",
      generatedBy: "unclear",
      meaning: "The session-timer interval in the request was below what the other side accepts.",
      action:
        "Make sure the SBC resends the request with the larger interval after a 422, and consider raising Session-Expires and Min-SE on the SBC.",
    },
    "540998/503": {
      sip: 503,
      text: "Service Unavailable - Service state: Inactive/DrainingTransactions",
      generatedBy: "platform",
      meaning:
        "The Microsoft SIP endpoint the SBC reached was in maintenance and not taking new calls. An occasional occurrence is expected.",
      action:
        "If it happens often, make the SBC re-resolve Microsoft's SIP FQDNs regularly (Microsoft suggests at least every 15 minutes) so it stops using endpoints being taken out of service.",
    },
    "549002/504": {
      sip: 504,
      text: "Unable to deliver INVITE: TlsTransport is not connected, State=Disconnected | Unable to deliver INVITE: Invalid Request/Response line",
      generatedBy: "platform",
      meaning:
        "Microsoft could not deliver the INVITE to the SBC: either there was no working TLS connection because the SBC was down or unreachable on its address and port, or the SBC's messages had an invalid SIP start line.",
      action:
        "Check that the SBC is up and its firewall lets Microsoft reach its IP address and port; for the start-line text, check that the SBC writes SIP/2.0 correctly in every request and status line.",
    },
    "549018/504": {
      sip: 504,
      text: "Unable to deliver INVITE: Invalid Request/Response line",
      generatedBy: "platform",
      meaning: "The SBC sends SIP messages whose request or status line is not valid.",
      action:
        "Capture the SBC's messages and correct whatever breaks the SIP/2.0 start line, then raise it with the SBC vendor if needed.",
    },
    "560402/402": {
      sip: 402,
      text: "Payment required",
      generatedBy: "customer-sbc",
      meaning:
        "The customer's SBC answered Payment Required, normally relaying a refusal from the carrier behind it.",
      action:
        "Look for a pattern by destination and check the account with the downstream carrier.",
    },
    "560403/403": {
      sip: 403,
      text: "Forbidden; Call rejected",
      generatedBy: "customer-sbc",
      meaning: "The customer's SBC refused the outbound call itself.",
      action: "Read the SBC logs to find the rule or downstream answer that caused the refusal.",
    },
    "560408/408": {
      sip: 408,
      text: "SBC indicated that the user did not respond (request timeout)",
      generatedBy: "customer-sbc",
      meaning:
        "The SBC's own timer for its INVITE towards the carrier ran out, and it reported the callee as not responding.",
      action:
        "Sort the failures by destination to find the carrier or number range that does not answer.",
    },
    "560420/420": {
      sip: 420,
      text: "Bad Extension",
      generatedBy: "customer-sbc",
      meaning:
        "The SBC does not support an extension Microsoft's request required, for example Replaces.",
      action:
        "Enable the extension on the SBC, or ask the SBC vendor for a version that supports it.",
    },
    "560484/484": {
      sip: 484,
      text: "Invalid number format. SBC rejected the call",
      generatedBy: "customer-sbc",
      meaning:
        "The SBC refused the number it was sent as invalid. It can also come from forwarding or transfer by a Teams user (call type ByotOutUserForwarding).",
      action:
        "Add or fix normalisation rules so numbers reach the SBC in E.164, and show users the expected format.",
    },
    "560503/503": {
      sip: 503,
      text: "Service unavailable. SBC undergoing maintenance or temporarily overloaded",
      generatedBy: "customer-sbc",
      meaning:
        "The customer's SBC could not take the call, for example because its session licences or capacity were used up or no circuit was free.",
      action:
        "Check the SBC's logs, load and licences, and look for destination patterns pointing at one carrier.",
    },
    "569002/504": {
      sip: 504,
      text: "Unable to deliver INVITE/ACK: connection attempt failed / target actively refused / TLS negotiation failed HRESULT=0x80096004 / Wrong target principal name (HRESULT=0x80090322 CERT_E_WRONG_USAGE) / TLS decryption failed HRESULT=590615",
      generatedBy: "platform",
      meaning:
        "Microsoft could not reach the SBC to deliver an INVITE or ACK: the SBC was down, a firewall refused the connection, or TLS failed on the certificate or an expired TLS context.",
      action:
        "Check that the SBC is up and reachable through the firewall, that its certificate matches the SBC's FQDN, and reset TLS connections whose context may have expired.",
    },
    "569003/504": {
      sip: 504,
      text: "Unable to deliver INVITE: outgoing TLS negotiation failed; HRESULT=0x80090326",
      generatedBy: "platform",
      meaning:
        "TLS to the SBC failed because Microsoft does not trust the SBC's certificate or it has expired.",
      action:
        "Check the SBC certificate's validity dates and issuing CA, and replace it if needed.",
    },
    "569008/504": {
      sip: 504,
      text: "Unable to deliver INVITE: Outgoing TLS negotiation failed. Remote certificate expired; HRESULT=0x80090328 SEC_E_CERT_EXPIRED",
      generatedBy: "platform",
      meaning: "The SBC presented an expired certificate.",
      action:
        "Install a renewed certificate on the SBC and make sure connections set up with the old one are closed and opened again.",
    },
    "569009/504": {
      sip: 504,
      text: "Unable to deliver INVITE: outgoing TLS negotiation failed; HRESULT=0x80090325 SEC_E_UNTRUSTED_ROOT",
      generatedBy: "platform",
      meaning: "The SBC's certificate does not chain to a public root CA that Microsoft trusts.",
      action:
        "Use a certificate from a public CA Microsoft trusts, and check that the SBC's TLS profile for the Microsoft trunk presents that certificate.",
    },
    "569015/504": {
      sip: 504,
      text: "Unable to deliver INVITE: No such host is known",
      generatedBy: "platform",
      meaning: "The SBC's FQDN does not resolve in public DNS.",
      action: "Create or correct the public DNS record for the SBC's FQDN.",
    },
    "569016/504": {
      sip: 504,
      text: "Unable to deliver INVITE/ACK: The requested name is valid, but no data of the requested type was found",
      generatedBy: "platform",
      meaning:
        "The SBC's name exists in DNS but has no A or AAAA record, for example when only a TXT record for domain verification was created.",
      action: "Add an A (or AAAA) record pointing the SBC's FQDN to its public IP address.",
    },
    "569018/504": {
      sip: 504,
      text: "Unable to deliver INVITE: Invalid Request/Response line",
      generatedBy: "platform",
      meaning: "The SBC sent messages whose SIP request or status line is malformed.",
      action:
        "Capture the SBC's messages, fix the start line format, and involve the SBC vendor if the SBC generates it.",
    },
  },
  // Sub-codes the table above does not list, read by Microsoft's numbering: 560xxx (and,
  // per Azure Communication Services, 540xxx) means the customer's SBC produced the final
  // response and xxx is the SIP code it sent; any other six digits are Microsoft's own.
  subCodeRules: [
    {
      match: "560xxx",
      generatedBy: "customer-sbc",
      sip: "x",
      meaning:
        "The customer's SBC produced this final response ({x}) on an outbound call; Microsoft only passed it on.",
      action:
        "Start with the SBC's own logs and its vendor; look for a pattern by destination or carrier.",
    },
    {
      match: "540xxx",
      generatedBy: "customer-sbc",
      sip: "x",
      meaning:
        "The customer's SBC produced this final response ({x}) on an inbound call; Microsoft only passed it on.",
      action:
        "Start with the SBC's own logs and its vendor; look for a pattern by destination or carrier.",
    },
    {
      // Every 569xxx code Microsoft documents comes with 504: its own attempt
      // to deliver a request to the SBC failed.
      match: "569xxx",
      generatedBy: "platform",
      sip: [504],
      meaning:
        "Microsoft could not get the request to the customer's SBC: the SBC's name did not resolve in DNS, the TCP connection failed or was refused, or the TLS handshake broke down (often on the certificate). Microsoft produced this response itself.",
      action:
        "Check that the SBC's FQDN has an A or AAAA record, that the SBC is up and its firewall lets Microsoft's signalling addresses in, and that its certificate is valid, unexpired and from a public root CA Microsoft trusts; read the response text for which of these failed.",
    },
    {
      match: "xxxxxx",
      generatedBy: "platform",
      meaning: "A Microsoft service produced this final response, not the customer's SBC.",
      action:
        "Check the tenant's Direct Routing configuration for this user and number; open a Microsoft support case if it is correct.",
    },
  ],
  glossary: [
    {
      term: "MRI",
      aliases: ["Microsoft resource identifier"],
      definition:
        "The internal identifier Teams gives a user, bot or service, which Direct Routing looks up from the called number. A number that does not resolve to an MRI cannot be delivered to anyone in the tenant.",
      caseSensitive: true,
    },
    {
      term: "Microsoft response code",
      aliases: ["sub-code", "CallEndSubReason", "callEndSubReason"],
      definition:
        "A number Microsoft reports next to the SIP code of a Direct Routing call that gives the precise reason it ended. Codes beginning 560 mean the customer's SBC produced the final SIP response (the last three digits repeat that code); others come from Microsoft's services.",
    },
    {
      term: "FailoverResponseCodes",
      definition:
        "A gateway setting (Set-CsOnlinePSTNGateway) listing the SIP codes that make Direct Routing retry an outbound call on the next SBC in the voice route. The default is 408, 503 and 504; failover only happens if the SBC sent no provisional response other than 100.",
    },
    {
      term: "FailoverTimeSeconds",
      definition:
        "How long Direct Routing waits for the SBC to answer an outbound INVITE before trying the next SBC, or dropping the call if there is none; 10 seconds by default. Expiry is reported as 408 with response code 500001.",
    },
    {
      term: "Media bypass",
      definition:
        "A Direct Routing mode in which call audio flows straight between the Teams client and the SBC instead of through Microsoft's media relays. The SBC must support ICE Lite for it.",
    },
    {
      term: "Health Dashboard",
      aliases: ["Teams admin center Health Dashboard", "Direct Routing Health Dashboard"],
      definition:
        "The Teams admin center page that monitors each Direct Routing SBC: its network effectiveness ratio (NER, where failures on the SBC side lower the figure, and a few dozen calls are too few to judge it) and the SIP codes and Microsoft response codes of its failed calls, with how many calls each affected.",
    },
  ],
  // Microsoft's SIP proxy puts its response code in ms-diagnostics (and, towards
  // the SBC, ms-diagnostics-public); its Server/User-Agent names the PSTN hub.
  subCodeHeaders: ["ms-diagnostics", "ms-diagnostics-public"],
  selectBy: [
    { header: "server", contains: "PSTNHub" },
    { header: "user-agent", contains: "PSTNHub" },
  ],
} satisfies ProfileInput;
