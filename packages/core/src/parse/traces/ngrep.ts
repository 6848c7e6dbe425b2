// ngrep's default output (without -W byline): after each "U|T <time> <src> ->
// <dst>" line, the payload comes in rows of a fixed width (the console width)
// indented by two spaces, the last row padded with spaces, and every byte
// that is not printable ASCII, CR and LF included, shown as ".". So CRLF is
// "..", a blank line "....", and "Zoë" is "Zo..". This turns the rows back
// into SIP text by reading what follows each run of dots.

const HEADER_NAME = /^[A-Za-z0-9!%'*+_`~.-]+[ \t]*:/;
const START = /^(?:SIP\/2\.0 \d{3}|[A-Z][A-Z-]* \S+ SIP\/2\.0)/;
/** Lines of the bodies SIP carries: SDP fields, multipart boundaries, XML and JSON openings. */
const BODY_LINE = /^(?:[a-z]=|--|<|\{)/;

/** The payload of one packet when `body` is in ngrep's row layout, else undefined. */
export function ngrepRows(body: readonly string[]): string | undefined {
  const rows: string[] = [];
  for (const line of body) {
    if (!line.startsWith("  ")) break;
    rows.push(line.slice(2));
  }
  const last = rows.length - 1;
  if (last < 0) return undefined;
  // Only the last row is padded; the others are full, spaces and all.
  rows[last] = (rows[last] as string).trimEnd();
  const flat = rows.join("");
  return START.test(flat) && flat.includes("..") ? undot(flat) : undefined;
}

/**
 * Reads each run of dots by what follows it: before a header name it ends one
 * header line (any dots before those two are the text's own, a "." or a
 * non-ASCII character); four or more before something else end the headers;
 * in the body, before an SDP line; before another start line (TCP carries
 * several messages in a segment), line ends. Anything else stays literal.
 */
function undot(flat: string): string {
  const parts = flat.split(/(\.{2,})/);
  let out = parts[0] as string;
  let inBody = false;
  for (let i = 1; i < parts.length; i += 2) {
    const run = (parts[i] as string).length;
    const next = parts[i + 1] as string;
    let breaks = 0;
    if (next === "" && i + 2 >= parts.length) {
      // The payload's end: its CRLFs, after a literal dot when the run is odd.
      breaks = Math.floor(run / 2);
    } else if (START.test(next)) {
      breaks = Math.floor(run / 2);
      inBody = false;
    } else if (!inBody && HEADER_NAME.test(next)) {
      breaks = 1;
    } else if (!inBody && run >= 4) {
      breaks = 2;
      inBody = true;
    } else if (inBody && BODY_LINE.test(next)) {
      breaks = 1;
    }
    out += ".".repeat(run - 2 * breaks) + "\r\n".repeat(breaks) + next;
  }
  return out;
}
