import type { ProfileInput } from "../schema/profile.ts";

const source = "Jola SIP call status codes help page (seed/sip-call-status-codes.txt)";

/**
 * The SIP Trunking and SIP Inbound platforms described in the seed help page.
 * "Inbound" is a call from the network towards the customer's PBX/CPE;
 * "outbound" is a call the customer's PBX sends out through the platform.
 */
export const jolaProfile = {
  id: "jola",
  name: "Jola SIP Trunking and SIP Inbound",
  description:
    "How the Jola SIP Trunking and SIP Inbound platforms use six codes: a 404 that also means no route, 486 from busy handsets or too few CPE channels, 500 from numbers missing on the customer PBX, and a 603 that signals the per-minute cost ceiling. Other codes keep their standard meaning.",
  extends: "rfc",
  codes: {
    "200": {
      summary: "The call was connected.",
      meaning: "The platform connected the call and the far end answered it.",
      source,
    },
    "404": {
      phrase: "No Route Found",
      phrases: ["Not Found / No Route Found", "Not Found"],
      summary: "The platform could not find the number or any route to it.",
      meaning:
        "The platform has no match for the number that was dialled: either it is not a number the platform knows, or there is no route that can carry the call.",
      inbound: {
        causes: [
          {
            text: "The customer's PBX or CPE is not set up to accept this number, or expects it in a different format than E.164.",
            direction: "inbound",
          },
        ],
        actions: [
          {
            text: "Check that the PBX or CPE accepts calls for this number and that its inbound rules match the number in E.164 format (for example +441234567890).",
            actor: "operator",
            direction: "inbound",
          },
        ],
      },
      outbound: {
        causes: [
          {
            text: "The dialled number is not valid, or is valid but has no route on the platform.",
            direction: "outbound",
          },
        ],
        actions: [
          {
            text: "Confirm the dialled number is valid and complete.",
            actor: "operator",
            direction: "outbound",
          },
          {
            text: "If the number is valid, contact Jola support with the call time and number so they can check the route.",
            actor: "carrier",
            direction: "outbound",
          },
        ],
      },
      source,
    },
    "486": {
      summary: "The callee is busy: the handset is in use or the CPE has run out of channels.",
      causes: [
        { text: "The handset the number points to is already on a call.", direction: "both" },
        {
          text: "The CPE is licensed for fewer simultaneous channels than the calls it is being offered.",
          direction: "inbound",
        },
      ],
      replaceCauses: true,
      actions: [
        {
          text: "If busy responses appear while the handset is free, compare the channels licensed on the CPE with the number of simultaneous calls at peak.",
          actor: "operator",
          direction: "inbound",
        },
      ],
      source,
    },
    "487": {
      summary: "The caller hung up before the callee answered.",
      meaning:
        "The call attempt was ended by a CANCEL or BYE before it was answered. On this platform that almost always means the caller gave up while the phone was still ringing.",
      causes: [{ text: "The caller hung up before the callee picked up.", direction: "both" }],
      replaceCauses: true,
      source,
    },
    "500": {
      summary:
        "The call failed on an unexpected condition, most often a number missing on the customer's PBX/CPE.",
      meaning:
        "Something unexpected stopped the call from being completed. Many conditions can cause it, but on this platform the usual one is that the dialled number has not been set up on the customer's PBX or CPE.",
      causes: [
        {
          text: "The number is not configured on the customer's PBX or CPE, so it fails the call instead of routing it.",
          direction: "inbound",
        },
      ],
      actions: [
        {
          text: "Check that the number is configured on the customer's PBX or CPE and routed to an extension, group or IVR.",
          actor: "operator",
          direction: "inbound",
        },
      ],
      source,
    },
    "603": {
      phrase: "MaxPeak Cost Exceeded",
      phrases: ["Max Peak Cost Exceeded", "MaxPeakCost Exceeded"],
      summary:
        "The outbound platform refused the call: its per-minute cost is above the account's ceiling.",
      meaning:
        "The outbound platform generated this response itself. Every account has a maximum per-minute cost a call may incur, taken from its most recent rate card; a call to a destination that costs more per minute than that ceiling is refused before it is placed.",
      causes: [
        {
          text: "The destination's per-minute rate on the latest rate card is above the account's maximum cost per minute (premium-rate, satellite or some international numbers).",
          direction: "outbound",
        },
        {
          text: "A new rate card raised the price of a destination above a ceiling that used to be high enough.",
          direction: "outbound",
        },
      ],
      replaceCauses: true,
      actions: [
        {
          text: "Check the destination's rate on the latest rate card against the account's maximum per-minute cost.",
          actor: "operator",
          direction: "outbound",
        },
        {
          text: "If calls to this destination are wanted, ask Jola support to raise the per-minute cost limit.",
          actor: "carrier",
          direction: "outbound",
        },
      ],
      replaceActions: true,
      endUser:
        "Calls to this number are not allowed on your account because of their cost. Please contact your administrator if you need to reach it.",
      outcome: "rejected",
      userCaused: false,
      retry: {
        retryable: false,
        retryAfter: "never",
        note: "The call is refused every time until the cost ceiling is raised.",
      },
      source,
    },
  },
} satisfies ProfileInput;
