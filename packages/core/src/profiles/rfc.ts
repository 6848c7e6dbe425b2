import type { ProfileInput } from "../schema/profile.ts";

/** The standard meanings: the catalogue as the RFCs define it, with no overlay. */
export const rfcProfile = {
  id: "rfc",
  name: "Standard (RFC)",
  description:
    "The meanings the IETF RFCs give each code, with advice that holds on any SIP network. Every other profile builds on this one.",
  codes: {},
} satisfies ProfileInput;
