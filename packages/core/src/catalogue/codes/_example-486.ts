// The reference entry helpers copy the shape and tone of. It lives in
// client-430-499.ts; this file is removed once that file exists.
import type { CodeEntry } from "../../schema/catalogue.ts";

export const example486 = {
  code: 486,
  phrase: "Busy Here",
  registered: true,
  rfcs: ["RFC 3261 §21.4.24"],
  summary: "The called party was reached but cannot take another call right now.",
  meaning:
    "The far end found the called user and its device or system refused the call because it is already in use. " +
    "The wording 'here' matters: the user may still be reachable at another location or through voicemail, " +
    "so a forking proxy keeps trying other branches. It is a normal, user-side outcome rather than a fault.",
  causes: [
    { text: "The handset or extension the number points to is already on a call.", direction: "both" },
    {
      text: "The PBX or SBC has no free channel: its licensed or configured concurrent-call limit is reached.",
      direction: "inbound",
    },
    { text: "The user has turned on do-not-disturb and the device answers busy.", direction: "both" },
    { text: "The far-end carrier mapped an ISUP 'user busy' (Q.850 cause 17) to this code.", direction: "outbound" },
  ],
  actions: [
    { text: "Check concurrent-call and channel limits on the PBX or SBC if busy responses cluster at peak times.", actor: "operator", direction: "inbound" },
    { text: "Look at the Reason header: cause 17 means the line itself was busy, not the network.", actor: "operator" },
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
    { code: 600, note: "600 says the user is busy at every location, so no other branch should be tried." },
    { code: 603, note: "603 means the user deliberately refused the call rather than being busy." },
    { code: 480, note: "480 means the user could not be reached at all, not that the line is in use." },
  ],
  keywords: ["engaged", "in use", "channels", "dnd"],
} satisfies CodeEntry;
