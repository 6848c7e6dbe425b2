/**
 * The only reader of environment variables in the CLI. Read by hand rather
 * than with zod: these are a few flags, and loading zod would cost a plain
 * lookup more start-up time than the whole explanation takes. (The config
 * file, when there is one, is validated with zod in config.ts.)
 */
export interface CliEnv {
  /** NO_COLOR set to anything non-empty turns colour off (https://no-color.org). */
  noColor: boolean;
  /** FORCE_COLOR=1/true forces colour on, even when stdout is not a terminal. */
  forceColor: boolean;
  /** Terminal width for wrapping, from COLUMNS when it is a sane number. */
  columns: number | undefined;
  /** SIPCODE_FULL_PARSER=1 sends every command through commander (tests compare both paths). */
  fullParser: boolean;
  /** SIPCODE_PROFILE: the profile used when --profile is not given (id or file). */
  profile: string | undefined;
  /**
   * The config file to read defaults from: SIPCODES_CONFIG, else
   * $XDG_CONFIG_HOME/sipcodes/config.json, else ~/.config/sipcodes/config.json.
   * `explicit` is true when SIPCODES_CONFIG named it (then it must exist).
   */
  config: { path: string; explicit: boolean } | undefined;
}

export function readEnv(env: Record<string, string | undefined> = process.env): CliEnv {
  const columns = Number(env.COLUMNS);
  const profile = env.SIPCODE_PROFILE?.trim();
  const home = env.XDG_CONFIG_HOME || (env.HOME ? `${env.HOME}/.config` : undefined);
  return {
    noColor: Boolean(env.NO_COLOR),
    forceColor: env.FORCE_COLOR === "1" || env.FORCE_COLOR === "true",
    columns: Number.isInteger(columns) && columns >= 40 && columns <= 400 ? columns : undefined,
    fullParser: env.SIPCODE_FULL_PARSER === "1",
    profile: profile ? profile : undefined,
    config: env.SIPCODES_CONFIG
      ? { path: env.SIPCODES_CONFIG, explicit: true }
      : home
        ? { path: `${home}/sipcodes/config.json`, explicit: false }
        : undefined,
  };
}
