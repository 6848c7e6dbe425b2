export interface Endpoint {
  /** Dotted IPv4 or RFC 5952 IPv6 text. */
  ip: string;
  port: number;
}

export type Transport = "udp" | "tcp" | "sctp";

/** One SIP message found in a capture. */
export interface SipMessage {
  /** 1-based packet number (tshark's frame.number; for HEP input, the HEP packet's index). For TCP, the segment that completed the message. */
  frame: number;
  /** Capture time, microseconds since the Unix epoch. */
  time: number;
  src: Endpoint;
  dst: Endpoint;
  transport: Transport;
  /** The whole message, decoded as UTF-8. */
  text: string;
  /** HEP capture agent id (chunk 12), when the message came over HEP. */
  agentId?: number;
  /** HEP correlation id (chunk 17), when the sender gave one. */
  correlationId?: string;
}
