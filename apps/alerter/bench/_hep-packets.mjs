// The packets the HEP benchmarks send: per call an INVITE and its 603 Decline
// (with a Reason header) as HEPv3, unique Call-IDs and branches.
const enc = new TextEncoder();

function chunk(type, value) {
  const out = Buffer.alloc(6 + value.length);
  out.writeUInt16BE(0, 0);
  out.writeUInt16BE(type, 2);
  out.writeUInt16BE(out.length, 4);
  Buffer.from(value).copy(out, 6);
  return out;
}
const u8 = (n) => Uint8Array.of(n);
const u16 = (n) => Uint8Array.of(n >> 8, n & 255);
const u32 = (n) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const v4 = (ip) => Uint8Array.from(ip.split(".").map(Number));

const MARK = "0000000000";
function template(payload, src, dst) {
  const sec = Math.floor(Date.now() / 1000);
  const parts = [
    chunk(1, u8(2)),
    chunk(2, u8(17)),
    chunk(3, v4(src)),
    chunk(4, v4(dst)),
    chunk(7, u16(5060)),
    chunk(8, u16(5060)),
    chunk(9, u32(sec)),
    chunk(10, u32(0)),
    chunk(11, u8(1)),
    chunk(12, u32(2001)),
    chunk(15, enc.encode(payload)),
  ];
  const body = Buffer.concat(parts);
  const out = Buffer.concat([Buffer.from("HEP3"), Buffer.from(u16(6 + body.length)), body]);
  const at = [];
  for (let i = out.indexOf(MARK); i >= 0; i = out.indexOf(MARK, i + 1)) at.push(i);
  return { out, at };
}
const sip = (start, extra = []) =>
  [
    start,
    `Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-${MARK}`,
    "Max-Forwards: 70",
    "From: <sip:+15550001111@pbx.acme.example>;tag=a1b2c3",
    "To: <sip:+15550100200@carrier.example>",
    `Call-ID: bench-${MARK}@192.0.2.10`,
    "CSeq: 1 INVITE",
    "Contact: <sip:+15550001111@192.0.2.10:5060>",
    "X-Trunk: carrier-a",
    ...extra,
    "Content-Length: 0",
    "",
    "",
  ].join("\r\n");
const invite = template(
  sip("INVITE sip:+15550100200@carrier.example SIP/2.0", ["User-Agent: bench"]),
  "192.0.2.10",
  "198.51.100.20",
);
const final = template(
  sip("SIP/2.0 603 Decline", ['Reason: Q.850;cause=21;text="Call Rejected"']),
  "198.51.100.20",
  "192.0.2.10",
);

export function packet(i) {
  const t = i % 2 === 0 ? invite : final;
  const b = Buffer.from(t.out);
  const digits = String(Math.floor(i / 2)).padStart(10, "0");
  for (const at of t.at) b.write(digits, at, "latin1");
  return b;
}

/** The first `n` packets, made ahead (for the in-process benchmark). */
export function packets(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(packet(i));
  return out;
}
