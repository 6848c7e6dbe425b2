// A status line, or a request line (a method, a URI, SIP/2.0): where a SIP message starts.
const START_LINE = /^(?:SIP\/2\.0[ \t]+\d{3}\b|[A-Z][A-Z-]*[ \t]+\S+[ \t]+SIP\/2\.0[ \t]*$)/im;

/**
 * Splits pasted text into the inputs explain() takes: every SIP response in a
 * trace, each from its status line to the next message (requests are
 * skipped); or, when the text holds no SIP message, one input per line,
 * leaving out blank lines and `#` comments.
 */
export function splitMessages(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const starts = lines.flatMap((line, i) => (START_LINE.test(line) ? [i] : []));
  if (starts.length === 0)
    return lines.map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  return starts
    .map((start, k) => lines.slice(start, starts[k + 1] ?? lines.length).join("\n"))
    .filter((message) => /^SIP\/2\.0/i.test(message));
}
