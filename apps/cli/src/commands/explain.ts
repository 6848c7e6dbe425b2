import { type Audience, type Direction, splitMessages } from "@sipcodes/core";
import { type CliContext, CliError, EXIT } from "../context.ts";
import { explainSource } from "./calls.ts";
import { explainItems } from "./explain-items.ts";
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
  await explainItems(ctx, items, flags, { profile, registry });
}

async function* textChunks(text: string): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode(text);
}
