// tshark's renderings of a capture: `-V` text, `-T json` and `-T ek`. Each
// SIP message is rebuilt from its start line and `sip.msg_hdr` (JSON), or
// from the "Message Header" lines of the packet details (text).
import type { DialogMessage } from "../../dialog/calls.ts";
import { endpoint, readEpoch } from "./_time.ts";

export type TsharkFormat = "tshark-text" | "tshark-json" | "tshark-ek";

const FRAME = /^Frame (\d+): \d+ bytes on wire/;

export function detectTshark(text: string): TsharkFormat | undefined {
  const head = text.slice(0, 4000).trimStart();
  if (head.startsWith("[") && /"_source"\s*:/.test(head)) return "tshark-json";
  if (head.startsWith("{") && /"layers"\s*:|"index"\s*:/.test(head.slice(0, 400)))
    return "tshark-ek";
  if (FRAME.test(head) || /^Frame \d+: \d+ bytes on wire/m.test(head)) return "tshark-text";
  return undefined;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;
const list = (v: unknown): Json[] =>
  Array.isArray(v)
    ? (v.filter((x) => x && typeof x === "object") as Json[])
    : v && typeof v === "object"
      ? [v as Json]
      : [];

function fromLayers(
  layers: Json,
  key: (layer: string, field: string) => string,
  frame: number,
  out: DialogMessage[],
): void {
  const f = (layer: string, field: string): string | undefined => {
    const l = layers[layer];
    return l && typeof l === "object" && !Array.isArray(l)
      ? str((l as Json)[key(layer, field)])
      : undefined;
  };
  const time = readEpoch(f("frame", "time_epoch"));
  const ip = layers.ip ? "ip" : "ipv6";
  const transport = layers.udp ? "udp" : "tcp";
  const src = endpoint(f(ip, "src"), f(transport, "srcport"));
  const dst = endpoint(f(ip, "dst"), f(transport, "dstport"));
  const number = Number(f("frame", "number")) || frame;
  for (const sip of list(layers.sip)) {
    const start = str(sip[key("sip", "Request-Line")]) ?? str(sip[key("sip", "Status-Line")]);
    const headers = str(sip[key("sip", "msg_hdr")]);
    if (!start || headers === undefined) continue;
    const m: DialogMessage = { text: `${start}\r\n${headers}`, frame: number };
    if (time !== undefined) m.time = time;
    if (src) m.src = src;
    if (dst) m.dst = dst;
    out.push(m);
  }
}

/** Messages in tshark's output, or throws a SyntaxError for broken JSON. */
export function readTshark(text: string, format: TsharkFormat): DialogMessage[] {
  const out: DialogMessage[] = [];
  if (format === "tshark-json") {
    const packets = JSON.parse(text) as unknown;
    let i = 0;
    for (const p of list(packets)) {
      const layers = (p._source as Json | undefined)?.layers as Json | undefined;
      i++;
      if (layers) fromLayers(layers, (layer, field) => `${layer}.${field}`, i, out);
    }
    return out;
  }
  if (format === "tshark-ek") {
    let i = 0;
    for (const line of text.split(/\r?\n/)) {
      if (!line.startsWith("{") || line.startsWith('{"index"')) continue;
      const doc = JSON.parse(line) as Json;
      i++;
      const layers = doc.layers as Json | undefined;
      if (layers)
        fromLayers(
          layers,
          (layer, field) => `${layer}_${layer}_${field.replace(/\./g, "_")}`,
          i,
          out,
        );
    }
    return out;
  }
  return readTsharkText(text);
}

/** `tshark -V`: per frame, the epoch time, addresses, ports, and each SIP section's start line and header lines. */
function readTsharkText(text: string): DialogMessage[] {
  const out: DialogMessage[] = [];
  let frame = 0;
  let time: number | undefined;
  let ip: [string, string] | undefined;
  let ports: [string, string] | undefined;
  let msg: string[] | undefined;
  let inHeader = false;
  const flush = () => {
    if (msg?.length) {
      const m: DialogMessage = { text: `${msg.join("\r\n")}\r\n\r\n`, frame };
      if (time !== undefined) m.time = time;
      const src = endpoint(ip?.[0], ports?.[0]);
      const dst = endpoint(ip?.[1], ports?.[1]);
      if (src) m.src = src;
      if (dst) m.dst = dst;
      out.push(m);
    }
    msg = undefined;
    inHeader = false;
  };
  for (const line of text.split(/\r?\n/)) {
    const fm = FRAME.exec(line);
    if (fm) {
      flush();
      frame = Number(fm[1]);
      time = undefined;
      ip = undefined;
      ports = undefined;
      continue;
    }
    if (!line.startsWith(" ")) {
      if (/^Session Initiation Protocol/.test(line)) {
        flush();
        msg = [];
        continue;
      }
      flush();
      const a = /^Internet Protocol Version [46], Src: (\S+), Dst: (\S+)/.exec(line);
      if (a) ip = [a[1] as string, a[2] as string];
      const p =
        /^(?:User Datagram|Transmission Control) Protocol, Src Port: (\d+), Dst Port: (\d+)/.exec(
          line,
        );
      if (p) ports = [p[1] as string, p[2] as string];
      continue;
    }
    const epoch = /^ {4}Epoch Time: (\d+\.\d+) seconds/.exec(line);
    if (epoch && !msg) {
      time = readEpoch(epoch[1]);
      continue;
    }
    if (!msg) continue;
    const start = /^ {4}(?:Request|Status)-Line: (.*)$/.exec(line);
    if (start) {
      msg.push(start[1] as string);
      continue;
    }
    if (/^ {4}Message Header\s*$/.test(line)) {
      inHeader = true;
      continue;
    }
    if (/^ {4}\S/.test(line)) {
      inHeader = false;
      continue;
    }
    if (inHeader && /^ {8}\S/.test(line)) {
      const h = line.slice(8).replace(/^\[truncated\]\s*/, "");
      // tshark adds lines of its own in brackets ("[Generated Call-ID: …]").
      if (!h.startsWith("[")) msg.push(h);
    }
  }
  flush();
  return out;
}
