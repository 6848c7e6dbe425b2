// The HEP benchmark's baseline: a bare node:dgram socket that only counts
// datagrams. Prints {"msg":"listening","port":N}, then {"count":N} every 200 ms.
import dgram from "node:dgram";

const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 8 * 1024 * 1024 });
let count = 0;
socket.on("message", () => {
  count++;
});
socket.bind(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ msg: "listening", port: socket.address().port })}\n`);
  setInterval(() => process.stdout.write(`${JSON.stringify({ count })}\n`), 200);
});
