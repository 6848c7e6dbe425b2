/** The labels an alert carries: what silences, inhibit rules and groups match on. */
export const Labels = ["rule", "scope", "trunk", "direction", "customer"] as const;
export type LabelName = (typeof Labels)[number];
