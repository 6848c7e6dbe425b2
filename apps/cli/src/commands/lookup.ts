import {
  type CodeClass,
  DEFAULT_PROFILE,
  defaultRegistry,
  findGlossaryTerm,
  getQ850Cause,
  listCodes,
  listGlossaryTerms,
  parseReasonHeader,
  searchCodes,
  summarizeProfile,
} from "@sipcodes/core";
import { type CliContext, CliError, EXIT, printJson, useColor } from "../context.ts";
import { clip, palette, table } from "../render/table.ts";
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
        return [
          p.code(r.code),
          phrase + (r.registered ? "" : p.dim(" *")),
          p.dim(clip(r.summary, Math.max(20, cols - 50))),
        ];
      }),
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
        p.dim(clip(h.summary, Math.max(20, width(ctx) - 50))),
      ]),
    ),
  );
}

export function runQ850(ctx: CliContext, input: string, options: Common): void {
  let value = input.trim();
  if (!/^\d+$/.test(value)) {
    const q = parseReasonHeader(value).find((r) => r.protocol === "Q.850");
    if (!q)
      throw new CliError(
        `"${input}" is neither a cause number nor a Q.850 Reason header`,
        EXIT.usage,
      );
    value = String(q.cause);
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
  if (options.json) {
    printJson(ctx, cause);
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

export async function runGlossary(
  ctx: CliContext,
  term: string,
  options: Common & { profile?: string },
): Promise<void> {
  const p = palette(useColor(ctx, options.color));
  const through = await resolveProfile(options.profile);
  if (term) {
    const entry = findGlossaryTerm(term, through);
    if (!entry) {
      const wanted = term.toLowerCase();
      const near = listGlossaryTerms(through)
        .filter(
          (e) =>
            e.term.toLowerCase().includes(wanted) || e.definition.toLowerCase().includes(wanted),
        )
        .map((e) => e.term)
        .slice(0, 5);
      throw new CliError(
        `no glossary term "${term}"${near.length ? ` (see: ${near.join(", ")})` : ""}`,
        EXIT.notFound,
      );
    }
    if (options.json) {
      printJson(ctx, entry);
      return;
    }
    ctx.out(
      `${p.bold(entry.term)}${entry.aliases?.length ? p.dim(` (${entry.aliases.join(", ")})`) : ""}\n  ${entry.definition}\n`,
    );
    return;
  }
  const all = listGlossaryTerms(through);
  if (options.json) {
    printJson(ctx, all);
    return;
  }
  ctx.out(
    table(all.map((e) => [p.bold(e.term), clip(e.definition, Math.max(30, width(ctx) - 28))])),
  );
}
