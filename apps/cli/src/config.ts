import { readFileSync } from "node:fs";
import { z } from "zod";
import { CliError, EXIT } from "./context.ts";
import { normalizeDirection } from "./options.ts";

/**
 * ~/.config/sipcodes/config.json (or SIPCODES_CONFIG): defaults for options
 * not given on the command line. Built into its own bundle (config.cjs), so
 * zod loads only when such a file exists.
 */
export const CliConfig = z.strictObject({
  /** Profile id or profile file, as --profile takes. */
  profile: z.string().trim().min(1).optional(),
  /** Call direction for explanations, as --direction takes (inbound, outbound, in, out). */
  direction: z
    .string()
    .refine((v) => normalizeDirection(v) !== undefined, "inbound, outbound, in or out")
    .transform((v) => normalizeDirection(v))
    .optional(),
  audience: z.enum(["operator", "end-user"]).optional(),
});
export type CliConfig = z.infer<typeof CliConfig>;

/** Reads and validates the config file; any problem is one CliError line naming the file. */
export function loadConfig(path: string): CliConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `cannot read config ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      EXIT.usage,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `config ${path}: not valid JSON: ${(error as Error).message.split("\n")[0]}`,
      EXIT.usage,
    );
  }
  const result = CliConfig.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new CliError(`config ${path}: ${where}${issue?.message ?? "invalid"}`, EXIT.usage);
  }
  return result.data;
}
