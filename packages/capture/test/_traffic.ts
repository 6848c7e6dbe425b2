import dgram from "node:dgram";
import net from "node:net";
import { sleep } from "./_tshark.ts";

/** Builds a SIP message with a correct Content-Length (in bytes, RFC 3261 §20.14). */
export function sipMessage(
  startLine: string,
  callId: string,
  cseq: string,
  body = "",
  extra: string[] = [],
): string {
  const len = new TextEncoder().encode(body).length;
  return [
    startLine,
    "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-" + callId + "-" + cseq.replace(" ", ""),
    'From: "Zoë Müller" <sip:zoe@example.com>;tag=f1',
    `To: <sip:bob@example.com>${startLine.startsWith("SIP/2.0 1") || !startLine.startsWith("SIP") ? "" : ";tag=t1"}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    ...extra,
    ...(body ? ["Content-Type: application/sdp"] : []),
    `Content-Length: ${len}`,
    "",
    body,
  ].join("\r\n");
}

const sdp = (ip: string) =>
  [
    "v=0",
    `o=- 1 1 IN IP4 ${ip}`,
    "s=Café €",
    `c=IN IP4 ${ip}`,
    "t=0 0",
    "m=audio 40000 RTP/AVP 0 8",
    "a=rtpmap:0 PCMU/8000",
    "",
  ].join("\r\n");

export interface UdpPair {
  a: dgram.Socket;
  b: dgram.Socket;
  aPort: number;
  bPort: number;
  host: string;
}

export async function udpPair(type: "udp4" | "udp6"): Promise<UdpPair> {
  const host = type === "udp4" ? "127.0.0.1" : "::1";
  const bind = (s: dgram.Socket) =>
    new Promise<number>((r) => s.bind(0, host, () => r(s.address().port)));
  const a = dgram.createSocket(type);
  const b = dgram.createSocket(type);
  const aPort = await bind(a);
  const bPort = await bind(b);
  return { a, b, aPort, bPort, host };
}

export function closeUdp(p: UdpPair): void {
  p.a.close();
  p.b.close();
}

function send(s: dgram.Socket, text: string, port: number, host: string): Promise<void> {
  return new Promise((r, j) => s.send(text, port, host, (e) => (e ? j(e) : r())));
}

/** A failed call (486) and an answered call over UDP; returns the messages in the order sent. */
export async function udpCalls(p: UdpPair, tag: string): Promise<string[]> {
  const sent: string[] = [];
  const ab = async (t: string) => {
    sent.push(t);
    await send(p.a, t, p.bPort, p.host);
    await sleep(20);
  };
  const ba = async (t: string) => {
    sent.push(t);
    await send(p.b, t, p.aPort, p.host);
    await sleep(20);
  };
  const c1 = `busy-${tag}@test`;
  await ab(sipMessage("INVITE sip:bob@example.com SIP/2.0", c1, "1 INVITE", sdp(p.host)));
  await ba(sipMessage("SIP/2.0 100 Trying", c1, "1 INVITE"));
  await ba(sipMessage("SIP/2.0 180 Ringing", c1, "1 INVITE"));
  await ba(sipMessage("SIP/2.0 486 Busy Here", c1, "1 INVITE", "", ["Reason: Q.850;cause=17"]));
  await ab(sipMessage("ACK sip:bob@example.com SIP/2.0", c1, "1 ACK"));
  const c2 = `ok-${tag}@test`;
  await ab(sipMessage("INVITE sip:bob@example.com SIP/2.0", c2, "1 INVITE", sdp(p.host)));
  await ba(sipMessage("SIP/2.0 100 Trying", c2, "1 INVITE"));
  await ba(sipMessage("SIP/2.0 200 OK", c2, "1 INVITE", sdp(p.host)));
  await ab(sipMessage("ACK sip:bob@example.com SIP/2.0", c2, "1 ACK"));
  await ba(sipMessage("BYE sip:zoe@example.com SIP/2.0", c2, "1 BYE"));
  await ab(sipMessage("SIP/2.0 200 OK", c2, "1 BYE"));
  return sent;
}

export interface TcpPair {
  server: net.Server;
  port: number;
  host: string;
}

export async function tcpServer(host: string): Promise<TcpPair> {
  const server = net.createServer((sock) => {
    sock.setNoDelay(true);
    sock.on("data", () => {});
    sock.on("error", () => {});
  });
  const port = await new Promise<number>((r) =>
    server.listen(0, host, () => r((server.address() as net.AddressInfo).port)),
  );
  return { server, port, host };
}

/**
 * One call over TCP exercising framing: a message whole in one segment, two
 * messages in one segment, a message split over three segments (mid-header
 * and mid-body), and two requests in one segment at the end.
 */
export async function tcpCall(p: TcpPair, tag: string): Promise<string[]> {
  const sent: string[] = [];
  // The server side answers from its own connection handler.
  const serverSock = new Promise<net.Socket>((r) => p.server.once("connection", (s) => r(s)));
  const client = net.connect(p.port, p.host);
  client.setNoDelay(true);
  await new Promise<void>((r) => client.once("connect", () => r()));
  const server = await serverSock;
  const write = async (s: net.Socket, data: string | Uint8Array) => {
    await new Promise<void>((r, j) => s.write(data, (e) => (e ? j(e) : r())));
    await sleep(60);
  };
  const c = `tcp-${tag}@test`;
  const invite = sipMessage("INVITE sip:bob@example.com SIP/2.0", c, "1 INVITE", sdp(p.host));
  sent.push(invite);
  await write(client, invite);
  const trying = sipMessage("SIP/2.0 100 Trying", c, "1 INVITE");
  const ringing = sipMessage("SIP/2.0 180 Ringing", c, "1 INVITE");
  sent.push(trying, ringing);
  await write(server, trying + ringing);
  const ok = sipMessage("SIP/2.0 200 OK", c, "1 INVITE", sdp(p.host));
  sent.push(ok);
  const bytes = new TextEncoder().encode(ok);
  const cut1 = 47; // inside the Via header
  const cut2 = bytes.length - 20; // inside the body
  await write(server, bytes.subarray(0, cut1));
  await write(server, bytes.subarray(cut1, cut2));
  await write(server, bytes.subarray(cut2));
  const ack = sipMessage("ACK sip:bob@example.com SIP/2.0", c, "1 ACK");
  const bye = sipMessage("BYE sip:bob@example.com SIP/2.0", c, "2 BYE");
  sent.push(ack, bye);
  await write(client, ack + bye);
  const byeOk = sipMessage("SIP/2.0 200 OK", c, "2 BYE");
  sent.push(byeOk);
  await write(server, byeOk);
  client.end();
  server.end();
  await sleep(50);
  client.destroy();
  server.destroy();
  return sent;
}
