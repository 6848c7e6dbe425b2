import {
  type Audience,
  type Direction,
  type Explanation,
  renderMarkdown,
  renderText,
  safeExplain,
  splitMessages,
} from "@sipcodes/core";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { exitCodeFor } from "../errors.ts";
import { resolveProfile } from "./profile.ts";

export interface ExplainFlags {
  profile?: string;
  direction?: Direction;
  audience?: Audience;
  subCode?: string;
  format?: "text" | "markdown";
  glossary?: boolean;
  json?: boolean;
  color?: boolean;
}

export async function runExplain(
  ctx: CliContext,
  inputs: string[],
  flags: ExplainFlags,
): Promise<void> {
  let items = inputs;
  if (items.length === 0 || (items.length === 1 && items[0] === "-")) {
    if (items.length === 0 && ctx.stdinIsTTY) {
      throw new CliError(
        "nothing to explain: give a code such as `sipcode 486`, or pipe a SIP trace (see --help)",
        EXIT.usage,
      );
    }
    items = splitMessages(await ctx.readStdin());
    if (items.length === 0)
      throw new CliError("standard input held nothing to explain", EXIT.usage);
  }
  const { profile, registry } = await resolveProfile(flags.profile);
  const options = {
    profile,
    registry,
    ...(flags.direction ? { direction: flags.direction } : {}),
    ...(flags.audience ? { audience: flags.audience } : {}),
    ...(flags.subCode ? { subCode: flags.subCode } : {}),
  };
  const color = !flags.json && useColor(ctx, flags.color);
  const results: Explanation[] = [];
  let printed = 0;
  for (const input of items) {
    const result = safeExplain(input, options);
    if (!result.success) {
      const shown = input.split(/\r?\n/)[0] ?? input;
      ctx.err(
        `sipcode: ${items.length > 1 ? `${shown.slice(0, 40)}: ` : ""}${result.error.message}\n`,
      );
      ctx.exitCode = Math.max(ctx.exitCode, exitCodeFor(result.error));
      continue;
    }
    if (flags.json) {
      results.push(result.data);
      continue;
    }
    if (printed++ > 0) ctx.out("\n");
    ctx.out(
      flags.format === "markdown"
        ? renderMarkdown(result.data)
        : renderText(result.data, {
            color,
            width: Math.min(ctx.env.columns ?? 80, 100),
            glossary: flags.glossary ?? false,
            ...(profile !== undefined ? { profile } : {}),
            ...(registry !== undefined ? { registry } : {}),
          }),
    );
  }
  if (flags.json && results.length) printJson(ctx, items.length === 1 ? results[0] : results);
}
