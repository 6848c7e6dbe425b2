// Replays HEPv3 packets (an INVITE and its final response per call, unique
// Call-IDs) to 127.0.0.1:<port> over UDP at <rate> packets/s for <seconds>.
// Prints one JSON line: { sent, seconds }. Used by bench/hep.mjs.
import dgram from "node:dgram";
import { packet } from "./_hep-packets.mjs";

const [port, rate, seconds] = process.argv.slice(2).map(Number);
const socket = dgram.createSocket({ type: "udp4", sendBufferSize: 4 * 1024 * 1024 });
const total = Math.round(rate * seconds);
const t0 = performance.now();
let sent = 0;
let inFlight = 0;
const done = () => {
  const elapsed = (performance.now() - t0) / 1000;
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent, seconds: elapsed })}\n`);
};
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  while (sent < due && inFlight < 2000) {
    inFlight++;
    socket.send(packet(sent++), port, "127.0.0.1", () => {
      inFlight--;
      if (sent === total && inFlight === 0) done();
    });
  }
  if (sent < total) setImmediate(tick);
}
tick();
