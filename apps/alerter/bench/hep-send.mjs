// Replays HEPv3 packets (an INVITE and its final response per call, unique
// Call-IDs) to 127.0.0.1:<port> over UDP at <rate> packets/s for <seconds>,
// numbering packets from [first] (default 0; several senders at once, and
// one run after another, each take their own range so every call is new).
// Prints one JSON line: { sent, seconds, cpuSeconds }. Used by bench/hep.mjs.
import dgram from "node:dgram";
import { packet } from "./_hep-packets.mjs";

const [port, rate, seconds, first = 0] = process.argv.slice(2).map(Number);
const socket = dgram.createSocket({ type: "udp4", sendBufferSize: 4 * 1024 * 1024 });
const total = Math.round(rate * seconds);
let sent = 0;
let t0 = 0;
const cpu0 = process.cpuUsage();
const done = () => {
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  socket.close();
  // cpuSeconds: what sending cost this process (user + system), to set beside the receiver's.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(`${JSON.stringify({ sent, seconds: elapsed, cpuSeconds })}\n`);
};
function tick() {
  const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
  // A connected socket (no address per send) and no callback per datagram: the sender shares the
  // receiver's cores, so it should cost as little as it can. The send queue bounds what is in flight.
  while (sent < due && socket.getSendQueueCount() < 2000) socket.send(packet(first + sent++));
  // Ahead of the schedule: sleep a millisecond rather than spin (a spinning sender takes a core).
  if (sent < total) {
    if (sent < due) setImmediate(tick);
    else setTimeout(tick, 1);
  } else {
    const wait = () => (socket.getSendQueueCount() === 0 ? done() : setImmediate(wait));
    wait();
  }
}
socket.connect(port, "127.0.0.1", () => {
  t0 = performance.now();
  tick();
});
