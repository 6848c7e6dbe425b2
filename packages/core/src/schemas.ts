/**
 * The zod schemas, kept apart from the lookup code so a bundle that only
 * explains codes does not load zod. Import from "@sipcodes/core/schemas".
 */

export { parseProfile, toProfile } from "./profiles/load.ts";
export * from "./schema/catalogue.ts";
export * from "./schema/dialog.ts";
export * from "./schema/explanation.ts";
export * from "./schema/headers.ts";
export * from "./schema/profile.ts";
export * from "./schema/profile-summary.ts";
export * from "./schema/q850.ts";
export * from "./schema/variant.ts";
