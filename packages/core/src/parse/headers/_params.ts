/** Splits `value` on `sep` where it is not inside a quoted string or angle brackets. */
export function splitOutside(value: string, sep: string): string[] {
  if (!value.includes('"') && !value.includes("<")) return value.split(sep);
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === "<") angle = true;
    else if (ch === ">") angle = false;
    else if (ch === sep && !angle) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** Comma-separated list items, trimmed, empty ones dropped. */
export function listItems(value: string): string[] {
  return splitOutside(value, ",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
    return v.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return v;
}

/** `first;a=1;b="x y";flag` → { first: "first", params: { a: "1", b: "x y", flag: "" } } (keys lower case). */
export function readParams(item: string): { first: string; params: Record<string, string> } {
  const [first = "", ...rest] = splitOutside(item, ";");
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf("=");
    const key = (eq === -1 ? p : p.slice(0, eq)).trim().toLowerCase();
    if (key === "") continue;
    params[key] = eq === -1 ? "" : unquote(p.slice(eq + 1));
  }
  return { first: first.trim(), params };
}

/** The URI inside `<...>`, or the value up to its first `;` when it has no brackets. */
export function uriOf(value: string): string {
  const lt = value.indexOf("<");
  if (lt !== -1) {
    const gt = value.indexOf(">", lt);
    return value.slice(lt + 1, gt === -1 ? undefined : gt).trim();
  }
  return (value.split(";")[0] ?? "").trim();
}

/** The parameters after the `>` of a name-addr (or after the URI of an addr-spec). */
export function headerParams(value: string): Record<string, string> {
  const gt = value.lastIndexOf(">");
  const tail =
    gt === -1
      ? value.slice(value.indexOf(";") === -1 ? value.length : value.indexOf(";"))
      : value.slice(gt + 1);
  return readParams(`x${tail}`).params;
}

/** The parameters of a URI (`sip:+1202@h;rn=+1301;npdi`), user part included (`;` before `@`). */
export function uriParams(uri: string): Record<string, string> {
  const q = uri.indexOf("?");
  // The user part's parameters end at "@"; reading "@" as ";" keeps both sets.
  return readParams((q === -1 ? uri : uri.slice(0, q)).replace("@", ";")).params;
}

/** The user part of a SIP/SIPS/TEL URI: the number, for telephone calls. */
export function userOf(uri: string): string | undefined {
  const m = /^(?:sips?:)([^@;?]+)@/i.exec(uri) ?? /^tel:([^;?]+)/i.exec(uri);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}
