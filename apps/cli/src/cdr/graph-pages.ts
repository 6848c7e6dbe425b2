/**
 * Microsoft Graph collection pages as Graph returns them:
 * `{"@odata.context": ..., "value": [ {...}, ... ], "@odata.nextLink": ...}`,
 * one page or several written one after another. The items of each page's
 * `value` array are cut out of the bytes as they stream past and handed on
 * one at a time, so a page of any size is never held, or parsed, whole:
 * memory is one item.
 */

const MAX_ITEM_BYTES = 16 * 1024 * 1024;
/** Strings at the page level (keys, the context URL) are kept up to this many bytes. */
const MAX_PAGE_STRING = 4096;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Whether a file that starts with `prefix` is a Graph page: a JSON object
 * whose first key is an `@odata.` annotation or `value` (an NDJSON row's
 * first key is a field of the row). Undefined when the prefix is too short
 * to tell.
 */
export function sniffGraphPage(prefix: string): boolean | undefined {
  const s = prefix.replace(/^\uFEFF/, "").trimStart();
  if (s === "") return undefined;
  if (s[0] !== "{") return false;
  const m = /^\{\s*"((?:[^"\\]|\\.)*)"/.exec(s);
  if (m) {
    const key = m[1] as string;
    if (key.startsWith("@odata.")) return true;
    if (key !== "value") return false;
    // A page's value is an array; an NDJSON row may have a field called value.
    const after = s.slice(m[0].length).trimStart();
    if (after === "" || after === ":" || /^:\s*$/.test(after)) return undefined;
    return /^:\s*\[/.test(after);
  }
  // Only "{" and spaces so far, or a first key not yet closed: wait for more.
  return /^\{\s*("(?:[^"\\]|\\.)*\\?)?$/.test(s) ? undefined : false;
}

export class GraphPageScanner {
  readonly #onItem: (json: string) => void;
  #depth = 0;
  #inString = false;
  #escape = false;
  /** At the page level, whether the next string is a key. */
  #expectKey = false;
  #key: string | undefined;
  /** Bytes of the page-level string being read; undefined when not capturing. */
  #text: number[] | undefined;
  /** Inside a page's `value` array. */
  #inValue = false;
  /** The parts of an item that began in an earlier chunk. */
  #parts: Buffer[] = [];
  #partBytes = 0;
  #itemStart = -1;
  #offset = 0;
  /** The first page's `@odata.context`. */
  context: string | undefined;
  pages = 0;
  items = 0;

  constructor(onItem: (json: string) => void) {
    this.#onItem = onItem;
  }

  push(buf: Buffer): void {
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      const c = buf[i] as number;
      if (this.#inString) {
        if (this.#text && this.#text.length < MAX_PAGE_STRING) this.#text.push(c);
        if (this.#escape) this.#escape = false;
        else if (c === BACKSLASH) this.#escape = true;
        else if (c === QUOTE) {
          this.#inString = false;
          if (this.#text) this.#pageString();
        }
        continue;
      }
      if (c === QUOTE) {
        this.#inString = true;
        if (this.#depth === 1) this.#text = [];
        else if (this.#depth === 0) this.#fail(i, "a string");
        else if (this.#depth === 2 && this.#inValue) this.#fail(i, "a string in value");
        continue;
      }
      if (isSpace(c)) continue;
      switch (c) {
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (this.#depth === 0) {
            if (c !== OPEN_OBJECT) this.#fail(i, "an array");
            this.pages++;
            this.#expectKey = true;
            this.#key = undefined;
          } else if (this.#depth === 1 && c === OPEN_ARRAY && this.#key === "value") {
            this.#inValue = true;
          } else if (this.#depth === 2 && this.#inValue) {
            if (c !== OPEN_OBJECT) this.#fail(i, "an array in value");
            this.#itemStart = i;
          }
          this.#depth++;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.#depth--;
          if (this.#depth < 0) this.#fail(i, `an unmatched '${String.fromCharCode(c)}'`);
          if (this.#depth === 2 && this.#inValue && c === CLOSE_OBJECT) this.#item(buf, i + 1);
          else if (this.#depth === 1 && this.#inValue) this.#inValue = false;
          break;
        case COMMA:
          if (this.#depth === 1) this.#expectKey = true;
          break;
        case COLON:
          if (this.#depth === 1) this.#expectKey = false;
          break;
        default:
          // Numbers, true/false/null: only as values inside a page.
          if (this.#depth === 0) this.#fail(i, `'${String.fromCharCode(c)}'`);
          if (this.#depth === 2 && this.#inValue) this.#fail(i, "a number or literal in value");
      }
    }
    if (this.#itemStart !== -1) {
      // The item goes on in the next chunk: keep a copy (the caller reuses its buffer).
      this.#parts.push(Buffer.from(buf.subarray(this.#itemStart)));
      this.#partBytes += n - this.#itemStart;
      this.#itemStart = 0;
      if (this.#partBytes > MAX_ITEM_BYTES)
        throw new Error(`item ${this.items + 1} of value is longer than 16 MB`);
    }
    this.#offset += n;
  }

  end(): void {
    if (this.#depth !== 0 || this.#inString)
      throw new Error(
        `the JSON ends inside page ${this.pages}, after ${this.items} item${this.items === 1 ? "" : "s"} of value in all (a cut-off download?)`,
      );
    if (this.pages === 0) throw new Error("no Graph page in the file");
  }

  #item(buf: Buffer, end: number) {
    let text: string;
    if (this.#parts.length) {
      this.#parts.push(buf.subarray(0, end));
      text = Buffer.concat(this.#parts).toString("utf8");
      this.#parts = [];
      this.#partBytes = 0;
    } else text = buf.toString("utf8", this.#itemStart, end);
    this.#itemStart = -1;
    this.items++;
    this.#onItem(text);
  }

  #pageString() {
    const bytes = this.#text as number[];
    this.#text = undefined;
    // The bytes include the closing quote; the opening one was not kept.
    const value = Buffer.from(bytes.slice(0, -1)).toString("utf8");
    if (this.#expectKey) this.#key = value;
    else if (this.#key === "@odata.context" && this.context === undefined) this.context = value;
  }

  #fail(i: number, what: string): never {
    throw new Error(
      `not a Graph page: ${what} at byte ${this.#offset + i + 1}, where a page object or an item of its value array was expected`,
    );
  }
}
