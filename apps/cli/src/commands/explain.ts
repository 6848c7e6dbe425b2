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
import { explainSource } from "./calls.ts";
import { runQ850 } from "./lookup.ts";
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
  /** One line per call, for traces and captures. */
  brief?: boolean;
}

export async function runExplain(
  ctx: CliContext,
  inputs: string[],
  flags: ExplainFlags,
): Promise<void> {
  let items = inputs;
  const { profile, registry } = await resolveProfile(flags.profile);
  const options = {
    profile,
    registry,
    ...(flags.direction ? { direction: flags.direction } : {}),
    ...(flags.audience ? { audience: flags.audience } : {}),
    ...(flags.subCode ? { subCode: flags.subCode } : {}),
  };
  if (items.length === 0 || (items.length === 1 && items[0] === "-")) {
    if (items.length === 0 && ctx.stdinIsTTY) {
      throw new CliError(
        "nothing to explain: give a code such as `sipcode 486`, or pipe a SIP trace (see --help)",
        EXIT.usage,
      );
    }
    // A capture or a trace of whole calls is explained call by call; other text message by message.
    const source = ctx.stdinChunks?.() ?? textChunks(await ctx.readStdin());
    const r = await explainSource(ctx, source, "standard input", flags, options);
    if (r.handled) return;
    items = splitMessages(r.text);
    if (items.length === 0)
      throw new CliError("standard input held nothing to explain", EXIT.usage);
  } else if (ctx.openFile && items.some((i) => ctx.isFile?.(i))) {
    const rest: string[] = [];
    for (const item of items) {
      if (!ctx.isFile?.(item)) {
        rest.push(item);
        continue;
      }
      const r = await explainSource(ctx, ctx.openFile(item), item, flags, options);
      if (!r.handled) rest.push(...splitMessages(r.text));
    }
    if (!rest.length) return;
    items = rest;
  }
  const color = !flags.json && useColor(ctx, flags.color);
  const results: Explanation[] = [];
  let printed = 0;
  for (const input of items) {
    const result = safeExplain(input, options);
    if (!result.success && result.error.code === "not_a_response" && isBareReason(input)) {
      // A Q.850 cause that maps to no SIP code (16, normal clearing) is still explained, as a cause.
      if (printed++ > 0) ctx.out("\n");
      runQ850(ctx, input, {
        ...(flags.json ? { json: true } : {}),
        ...(flags.color === false ? { color: false } : {}),
      });
      continue;
    }
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

async function* textChunks(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** A single Reason value with a Q.850 cause, with or without "Reason:" in front. */
function isBareReason(input: string): boolean {
  return /^[ \t]*(?:reason[ \t]*:[ \t]*)?q\.850[ \t]*;[^\r\n]*cause[ \t]*=[ \t]*\d+[^\r\n]*$/i.test(
    input.trim(),
  );
}
