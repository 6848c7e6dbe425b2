// The HEP benchmark's baseline: a bare node:dgram socket that only counts
// datagrams, with the receive buffer asked as argv[2] (bytes, default 8 MiB, as
// the alerter's hep.udpReceiveBufferBytes). Prints {"msg":"listening","port":N,
// "receiveBuffer":granted}, then {"count":N} every 200 ms.
import dgram from "node:dgram";

const asked = Number(process.argv[2] ?? 8 * 1024 * 1024);
const socket = dgram.createSocket({ type: "udp4", recvBufferSize: asked });
let count = 0;
socket.on("message", () => {
  count++;
});
socket.bind(0, "127.0.0.1", () => {
  const receiveBuffer = socket.getRecvBufferSize() / 2;
  process.stdout.write(
    `${JSON.stringify({ msg: "listening", port: socket.address().port, receiveBuffer })}\n`,
  );
  setInterval(() => process.stdout.write(`${JSON.stringify({ count })}\n`), 200);
});
