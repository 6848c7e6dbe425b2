import {
  type CodeClass,
  DEFAULT_PROFILE,
  defaultRegistry,
  findGlossaryTerm,
  type GlossaryEntry,
  getQ850Cause,
  listCodes,
  listGlossaryTerms,
  type Profile,
  type ProfileRegistry,
  platformCauseMapping,
  q850CauseForName,
  readReasons,
  searchCodes,
  summarizeProfile,
} from "@sipcodes/core";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { palette, table } from "../render/table.ts";
import { resolveProfile } from "./profile.ts";

interface Common {
  json?: boolean;
  color?: boolean;
}

function width(ctx: CliContext): number {
  return ctx.env.columns ?? 100;
}

export async function runList(
  ctx: CliContext,
  options: Common & { class?: string; profile?: string; registered?: boolean },
): Promise<void> {
  let klass: CodeClass | undefined;
  if (options.class !== undefined) {
    const m = /^([1-6])(?:xx)?$/i.exec(options.class.trim());
    if (!m)
      throw new CliError(`--class must be one of 1xx..6xx, got "${options.class}"`, EXIT.usage);
    klass = `${m[1]}xx` as CodeClass;
  }
  const { profile, registry } = await resolveProfile(options.profile);
  const rows = listCodes({ profile, registry, class: klass, registered: options.registered });
  if (options.json) {
    printJson(ctx, rows);
    return;
  }
  const p = palette(useColor(ctx, options.color));
  const cols = width(ctx);
  ctx.out(
    table(
      rows.map((r) => {
        const phrase = r.profilePhrase ? `${r.profilePhrase} (${r.phrase})` : r.phrase;
        return [p.code(r.code), phrase + (r.registered ? "" : p.dim(" *")), p.dim(r.summary)];
      }),
      "  ",
      cols,
    ),
  );
  if (rows.some((r) => !r.registered))
    ctx.out(p.dim("* not in the IANA registry, but seen in real traces\n"));
}

export async function runSearch(
  ctx: CliContext,
  words: string[],
  options: Common & { profile?: string; limit?: string },
): Promise<void> {
  const limit = Number(options.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CliError(
      `--limit must be a positive whole number, got "${options.limit}"`,
      EXIT.usage,
    );
  const resolved = options.profile
    ? await resolveProfile(options.profile)
    : { registry: defaultRegistry(), profile: undefined };
  const hits = searchCodes(words.join(" "), {
    registry: resolved.registry,
    limit,
    ...(resolved.profile ? { profile: resolved.profile } : {}),
  });
  if (options.json) {
    printJson(ctx, hits);
    return;
  }
  if (hits.length === 0) throw new CliError(`no code matches "${words.join(" ")}"`, EXIT.notFound);
  const p = palette(useColor(ctx, options.color));
  ctx.out(
    table(
      hits.map((h) => [
        p.code(h.code),
        h.phrase,
        h.profile === DEFAULT_PROFILE ? "" : p.dim(`[${h.profile}]`),
        p.dim(h.summary),
      ]),
      "  ",
      width(ctx),
    ),
  );
}

/** `sipcode q850 <cause> [--profile id]`: the cause, and the platform's own mapping when the profile has one. */
export async function runQ850Command(
  ctx: CliContext,
  input: string,
  options: Common & { profile?: string },
): Promise<void> {
  runQ850(ctx, input, { ...options, ...(await resolveProfile(options.profile)) });
}

export function runQ850(
  ctx: CliContext,
  input: string,
  options: Common & { profile?: string | Profile; registry?: ProfileRegistry },
): void {
  let value = input.trim();
  if (!/^\d+$/.test(value)) {
    // A FreeSWITCH/Asterisk cause name (USER_BUSY, "Normal Clearing"), or a Reason value with or without "Reason:".
    const named = q850CauseForName(value);
    const q = readReasons([value]).find((r) => r.protocol === "Q.850" && r.cause !== undefined);
    const cause = named ?? q?.cause;
    if (cause === undefined)
      throw new CliError(
        `"${input}" is neither a cause number, a cause name (USER_BUSY) nor a Q.850 Reason header`,
        EXIT.usage,
      );
    value = String(cause);
  }
  const cause = getQ850Cause(Number(value));
  if (!cause) {
    throw new CliError(
      Number(value) >= 1 && Number(value) <= 127
        ? `Q.850 assigns no cause ${value}`
        : `${value} is not a Q.850 cause: cause values run from 1 to 127`,
      EXIT.notFound,
    );
  }
  // FreeSWITCH's and Asterisk's own tables, where the profile has one.
  const platform = platformCauseMapping(cause.cause, {
    profile: options.profile,
    registry: options.registry,
  });
  if (options.json) {
    printJson(ctx, platform ? { ...cause, platform } : cause);
    return;
  }
  const p = palette(useColor(ctx, options.color));
  const sip = cause.sip
    .map(
      (s) =>
        `${s.code}${s.condition ? ` (${s.condition})` : ""}${s.userLocationCode ? ` (or ${s.userLocationCode} when the user side cleared)` : ""}`,
    )
    .join(", ");
  ctx.out(
    [
      `${p.bold(`Q.850 cause ${cause.cause}`)}  ${cause.name}`,
      p.dim(
        `class: ${cause.class}${cause.nationalUse ? " · national use" : ""} · ${cause.userCaused ? "user-caused" : "not user-caused"}`,
      ),
      "",
      cause.explanation,
      "",
      `${p.bold("SIP code (RFC 3398 §7.2.4.1):")} ${sip || (cause.untranslatable ? "none: RFC 3398 calls this cause untranslatable (the switch tries another circuit and sends no SIP response)" : "none: the call ends with BYE or CANCEL")}${cause.sipIsDefault ? p.dim(" (the RFC's default for unlisted causes)") : ""}`,
      ...(cause.fromSip.length
        ? [`${p.bold("SIP codes mapped to it (§8.2.6.1):")} ${cause.fromSip.join(", ")}`]
        : []),
      ...(platform
        ? [
            "",
            `${p.bold(`${platform.name}:`)} ${platform.sip}${platform.differs ? " (differs from RFC 3398)" : ""}`,
            wrapText(platform.note, width(ctx), ""),
          ]
        : []),
      "",
    ].join("\n"),
  );
}

export function runProfiles(ctx: CliContext, options: Common): void {
  const summaries = defaultRegistry().list().map(summarizeProfile);
  if (options.json) {
    printJson(ctx, summaries);
    return;
  }
  for (const s of summaries) {
    ctx.out(`${s.id}  ${s.name}${s.extends ? `  (extends ${s.extends})` : ""}\n`);
    ctx.out(`  ${s.description}\n`);
    ctx.out(
      `  changes: ${s.codes.length ? s.codes.join(", ") : "nothing (the standard meanings)"}${s.subCodes ? `; ${s.subCodes} vendor sub-codes` : ""}\n\n`,
    );
  }
  ctx.out("Use one with --profile <id>, or give --profile a JSON/YAML file that extends one.\n");
}

/**
 * Splits the words of `sipcode glossary ...` into terms: the longest run of
 * words that names a term wins, so `glossary Reason header` and
 * `glossary ASR NER` both work. Returns the entries and the words that name none.
 */
function segmentTerms(
  words: readonly string[],
  lookup: (name: string) => GlossaryEntry | undefined,
): { found: GlossaryEntry[]; missing: string[] } {
  const found: GlossaryEntry[] = [];
  const missing: string[] = [];
  let i = 0;
  while (i < words.length) {
    let j = words.length;
    let entry: GlossaryEntry | undefined;
    for (; j > i; j--) {
      entry = lookup(words.slice(i, j).join(" "));
      if (entry) break;
    }
    if (entry) {
      if (!found.includes(entry)) found.push(entry);
      i = j;
    } else {
      missing.push(words[i] as string);
      i++;
    }
  }
  return { found, missing };
}

export async function runGlossary(
  ctx: CliContext,
  terms: readonly string[],
  options: Common & { profile?: string },
): Promise<void> {
  const p = palette(useColor(ctx, options.color));
  const through = await resolveProfile(options.profile);
  const words = terms.flatMap((t) => (t.trim() ? [t.trim()] : []));
  if (words.length) {
    // A quoted multi-word term ("Reason header") arrives as one argument: try it whole first.
    const whole = findGlossaryTerm(words.join(" "), through);
    const { found, missing } = whole
      ? { found: [whole], missing: [] }
      : segmentTerms(
          words.flatMap((w) => w.split(/\s+/)),
          (name) => findGlossaryTerm(name, through),
        );
    if (options.json) {
      if (found.length) printJson(ctx, terms.length === 1 && found.length === 1 ? found[0] : found);
    } else {
      ctx.out(
        found
          .map(
            (entry) =>
              `${p.bold(entry.term)}${entry.aliases?.length ? p.dim(` (${entry.aliases.join(", ")})`) : ""}\n${wrapText(entry.definition, width(ctx), "  ")}\n`,
          )
          .join(""),
      );
    }
    if (missing.length) {
      const message = `no glossary term ${missing.map((m) => `"${m}"`).join(", ")}${nearTerms(missing, through)}`;
      if (!found.length) throw new CliError(message, EXIT.notFound);
      ctx.err(`sipcode: ${message}\n`);
      ctx.exitCode = Math.max(ctx.exitCode, EXIT.notFound);
    }
    return;
  }
  const all = listGlossaryTerms(through);
  if (options.json) {
    printJson(ctx, all);
    return;
  }
  ctx.out(
    table(
      all.map((e) => [p.bold(e.term), e.definition]),
      "  ",
      width(ctx),
    ),
  );
}

function nearTerms(missing: readonly string[], through: Parameters<typeof listGlossaryTerms>[0]) {
  const wanted = missing.map((m) => m.toLowerCase());
  const near = listGlossaryTerms(through)
    .filter((e) =>
      wanted.some(
        (w) => e.term.toLowerCase().includes(w) || e.definition.toLowerCase().includes(w),
      ),
    )
    .map((e) => e.term)
    .slice(0, 5);
  return near.length ? ` (see: ${near.join(", ")})` : "";
}

/** Wraps prose at `width` columns with an indent. */
function wrapText(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (line.trim() ? " " : "") + word;
    }
  }
  lines.push(line);
  return lines.join("\n");
}
