import type { SubCodeExplained } from "../schema/explanation.ts";
import type { Profile, SubCodeRule } from "../schema/profile.ts";

/** The digits a rule's x's matched, or undefined when `sub` does not fit the rule. */
function matchRule(rule: SubCodeRule, sub: string): string | undefined {
  if (sub.length !== rule.match.length || !/^\d+$/.test(sub)) return undefined;
  const fixed = rule.match.replace(/x+$/, "");
  return sub.startsWith(fixed) ? sub.slice(fixed.length) : undefined;
}

function mismatch(
  sub: string,
  code: number,
  documentedWith: number[],
  vendor: string,
): NonNullable<SubCodeExplained["mismatch"]> {
  const codes = [...new Set(documentedWith)].sort((a, b) => a - b);
  return {
    documentedWith: codes,
    note: `Sub-code ${sub} does not go with ${code}: ${vendor} uses it with ${codes.join(" or ")}. Check that the two come from the same call leg and were copied correctly.`,
  };
}

/**
 * Explains a vendor sub-code sent with `code`: from the first table in the
 * chain (most specific profile first) that lists it, by its SIP code if it can;
 * otherwise by the first numbering rule in the chain that matches it.
 */
export function explainSubCode(
  sub: string,
  code: number,
  chain: readonly Profile[],
): SubCodeExplained | undefined {
  for (const profile of chain) {
    const table = profile.subCodes;
    if (!table) continue;
    const exact = table[`${sub}/${code}`];
    const listed = Object.entries(table).filter(([key]) => key.startsWith(`${sub}/`));
    const any = exact ?? listed[0]?.[1];
    if (any) {
      const documented = listed.map(([, s]) => s.sip);
      return {
        subCode: sub,
        generatedBy: any.generatedBy,
        text: any.text,
        meaning: any.meaning,
        action: any.action,
        inferred: false,
        ...(exact ? {} : { mismatch: mismatch(sub, code, documented, profile.name) }),
      };
    }
  }
  for (const profile of chain) {
    for (const rule of profile.subCodeRules ?? []) {
      const free = matchRule(rule, sub);
      if (free === undefined) continue;
      const fill = (text: string) => text.replaceAll("{x}", String(Number(free)));
      const documented =
        rule.sip === "x" ? [Number(free)] : rule.sip === undefined ? [code] : rule.sip;
      return {
        subCode: sub,
        generatedBy: rule.generatedBy,
        meaning: fill(rule.meaning),
        action: fill(rule.action),
        inferred: true,
        ...(documented.includes(code)
          ? {}
          : { mismatch: mismatch(sub, code, documented, profile.name) }),
      };
    }
  }
  return undefined;
}
