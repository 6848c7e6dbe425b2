// Standard-level meanings that a code takes when a received phrase or header
// marks a specific use of it, independent of any platform profile.
import type { CodeVariant } from "../schema/variant.ts";

export const codeVariants = [
  {
    id: "network-blocked",
    code: 603,
    name: "Network Blocked (analytics-based blocking)",
    phrases: ["Network Blocked"],
    callInfoPurpose: "jwscard",
    summary:
      "The terminating network's call analytics blocked the call as probable robocall or fraud; the callee never saw it.",
    meaning:
      "This is not a decline by the called person. A carrier on the path, usually the called party's network in the US, ran the call through an analytics engine and refused it on the engine's verdict. " +
      "ATIS-1000099 asks carriers to signal such blocking as 603 with the phrase 'Network Blocked' and a Reason header, and to put a Call-Info header with purpose=jwscard pointing at a jCard (the format of RFC 8688) that says whom the caller can contact to dispute the block. " +
      "US rules require a carrier that blocks on analytics to tell the caller immediately and to offer such a redress contact, which is why the extra headers matter.",
    causes: [
      {
        text: "The calling number, its attestation level or the calling pattern (many short calls, many unanswered calls) scored as unwanted in the terminating carrier's analytics.",
        direction: "outbound",
      },
      {
        text: "The calling number is unregistered with the analytics providers, newly assigned, or was recently used by someone else for robocalls.",
        direction: "outbound",
      },
      {
        text: "Caller ID was sent unattested or with a number the sender has no right to use, which lowers the analytics score.",
        direction: "outbound",
      },
    ],
    actions: [
      {
        text: "Open the redress contact from the Call-Info jCard (or, without one, ask the terminating carrier) and file a dispute for the calling number.",
        actor: "operator",
      },
      {
        text: "Check the STIR/SHAKEN attestation your side gives these calls and register the calling numbers with the analytics providers' registration portals.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Look at the calling pattern of the blocked numbers (call rate, answer rate, call length) before sending more traffic from them.",
        actor: "operator",
        direction: "outbound",
      },
      {
        text: "Ask your phone service to dispute the block, or reach the person another way.",
        actor: "end-user",
      },
    ],
    endUser:
      "Your call was blocked by the called person's phone network, not by the person. If you think this is wrong, your phone service can dispute the block with that network.",
    outcome: "rejected",
    userCaused: false,
    retry: {
      retryable: false,
      retryAfter: "never",
      note: "Retrying unchanged is blocked again and can worsen the number's analytics score; dispute the block first.",
    },
    brief: "blocked by terminating network analytics",
    references: ["ATIS-1000099", "RFC 8688", "RFC 3326"],
  },
] as const satisfies readonly CodeVariant[];

/** The standard variant selected by a received phrase or a Call-Info purpose, if any. */
export function findVariant(
  code: number,
  normalisedPhrase: string | undefined,
  callInfoPurposes: readonly string[],
  normalize: (phrase: string) => string,
): CodeVariant | undefined {
  for (const v of codeVariants as readonly CodeVariant[]) {
    if (v.code !== code) continue;
    if (normalisedPhrase !== undefined && v.phrases.some((p) => normalize(p) === normalisedPhrase))
      return v;
    if (v.callInfoPurpose && callInfoPurposes.some((p) => p.toLowerCase() === v.callInfoPurpose))
      return v;
  }
  return undefined;
}
