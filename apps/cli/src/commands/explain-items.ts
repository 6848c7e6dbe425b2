import { type Explanation, renderMarkdown, renderText, safeExplain } from "@sipcodes/core";
import { type CliContext, printJson, useColor } from "../context.ts";
import { exitCodeFor } from "../errors.ts";
import type { ExplainFlags } from "./explain.ts";
import type { ResolvedProfile } from "./profile.ts";

/**
 * Explains each input (a code, a status line, a Reason value, a message) and
 * prints it. The lookup path (`sipcode 486`) runs only this, so it stays free
 * of the trace, capture and dialog code.
 */
export async function explainItems(
  ctx: CliContext,
  items: readonly string[],
  flags: ExplainFlags,
  resolved: ResolvedProfile,
): Promise<void> {
  const options = {
    ...resolved,
    ...(flags.direction ? { direction: flags.direction } : {}),
    ...(flags.audience ? { audience: flags.audience } : {}),
    ...(flags.subCode ? { subCode: flags.subCode } : {}),
  };
  const { profile, registry } = resolved;
  const color = !flags.json && useColor(ctx, flags.color);
  const results: Explanation[] = [];
  let printed = 0;
  for (const input of items) {
    const result = safeExplain(input, options);
    if (!result.success && result.error.code === "not_a_response" && isBareReason(input)) {
      // A Q.850 cause that maps to no SIP code (16, normal clearing) is still explained, as a cause.
      if (printed++ > 0) ctx.out("\n");
      // The Q.850 lookup (and the search it sits beside) loads only here.
      const { runQ850 } = await import("./lookup.ts");
      runQ850(ctx, input, {
        ...resolved,
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

/** A single Reason value with a Q.850 cause, with or without "Reason:" in front. */
function isBareReason(input: string): boolean {
  return /^[ \t]*(?:reason[ \t]*:[ \t]*)?q\.850[ \t]*;[^\r\n]*cause[ \t]*=[ \t]*\d+[^\r\n]*$/i.test(
    input.trim(),
  );
}
