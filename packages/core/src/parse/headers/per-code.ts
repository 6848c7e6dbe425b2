import type { CallInfo, CodeHeaders, RedirectContact } from "../../schema/headers.ts";
import { headerParams, listItems, uriOf, uriParams } from "./_params.ts";

type Headers = Readonly<Record<string, readonly string[]>>;

const tokens = (values: readonly string[] | undefined): string[] =>
  (values ?? []).flatMap((v) => listItems(v));

/**
 * Reads the headers a response code asks the client to act on, by code:
 * Min-SE for 422 (RFC 4028), Unsupported for 420, Allow for 405,
 * Permission-Missing for 470 (RFC 5360), the `stale` flag of the challenge for
 * 401/407, and the Contacts of a 3xx with their `rn`/`npdi` (RFC 4694).
 */
export function readCodeHeaders(code: number, headers: Headers): CodeHeaders {
  const out: CodeHeaders = {};
  if (code === 422) {
    const m = /^\s*(\d{1,10})/.exec(headers["min-se"]?.[0] ?? "");
    if (m) out.minSe = Number(m[1]);
  }
  if (code === 420 || headers.unsupported) {
    const list = tokens(headers.unsupported);
    if (list.length) out.unsupported = list;
  }
  if (code === 405) {
    const list = tokens(headers.allow);
    if (list.length) out.allow = list;
  }
  if (code === 470) {
    const list = (headers["permission-missing"] ?? []).flatMap((v) => listItems(v)).map(uriOf);
    if (list.length) out.permissionMissing = list;
  }
  if (code === 401 || code === 407) {
    const challenges = [
      ...(headers["www-authenticate"] ?? []),
      ...(headers["proxy-authenticate"] ?? []),
    ];
    if (challenges.length)
      out.authStale = challenges.some((c) => /\bstale[ \t]*=[ \t]*"?true"?/i.test(c));
  }
  if (code >= 300 && code < 400) {
    const contacts = (headers.contact ?? []).flatMap((v) => listItems(v));
    const redirect = contacts.map((c): RedirectContact => {
      const uri = uriOf(c);
      const params = uriParams(uri);
      const r: RedirectContact = { uri, npdi: "npdi" in params };
      if (params.rn) r.rn = params.rn;
      return r;
    });
    if (redirect.length) out.redirect = redirect;
  }
  return out;
}

/** Reads Call-Info values: each URI with its `purpose` (RFC 3261 §20.9; `jwscard` is RFC 8688's redress jCard). */
export function readCallInfo(values: readonly string[] | undefined): CallInfo[] {
  if (values === undefined) return [];
  return (values ?? [])
    .flatMap((v) => listItems(v))
    .map((item) => {
      const uri = uriOf(item);
      const purpose = headerParams(item).purpose;
      return purpose ? { uri, purpose } : { uri };
    });
}

/** `314159 INVITE` → { seq, method }, or undefined. */
export function readCSeq(value: string | undefined): { seq: number; method: string } | undefined {
  const m = /^\s*(\d{1,10})\s+([A-Za-z][A-Za-z-]*)\s*$/.exec(value ?? "");
  return m ? { seq: Number(m[1]), method: (m[2] as string).toUpperCase() } : undefined;
}

const TAG = /;[ \t]*tag[ \t]*=[ \t]*([^;,> \t]+)/i;
const VIA = /^[ \t]*SIP[ \t]*\/[ \t]*2\.0[ \t]*\/[ \t]*[^ \t]+[ \t]+([^;, \t]+)([^,]*)/i;
const BRANCH = /;[ \t]*branch[ \t]*=[ \t]*([^;, \t]+)/i;

/** The `tag` parameter of a From or To value. */
export function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Parameters of the header follow the name-addr's ">"; without brackets, the whole value holds them.
  const gt = value.lastIndexOf(">");
  return TAG.exec(gt === -1 ? value : value.slice(gt))?.[1];
}

/** The `branch` and sent-by host of the topmost Via. */
export function topVia(value: string | undefined): { host?: string; branch?: string } {
  const m = value === undefined ? null : VIA.exec(value);
  if (!m) return {};
  const out: { host?: string; branch?: string } = { host: m[1] as string };
  const branch = BRANCH.exec(m[2] ?? "")?.[1];
  if (branch) out.branch = branch;
  return out;
}
