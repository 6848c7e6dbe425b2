/*
 * sngrep's "save as txt", made by the real sngrep: it has no command-line
 * switch for the text format, only its save dialog (F2), so the test drives
 * its ncurses screen through a detached tmux session on a private socket,
 * the way an operator would: open the capture, F2, type a name ending in
 * ".txt" (which selects the text format), Enter.
 */
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tmux(socket: string, args: string[]): string {
  return execFileSync("tmux", ["-L", socket, ...args], {
    encoding: "utf8",
    env: { ...process.env, TERM: "xterm" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function waitFor(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`sngrep: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Saves every dialog sngrep reads in `pcap` as text next to it, and returns the file's path. */
export async function sngrepSaveTxt(pcap: string, dir: string): Promise<string> {
  const socket = `sipcodes-sngrep-${process.pid}-${Date.now()}`;
  const out = join(dir, "sngrep-export.txt");
  const screen = () => tmux(socket, ["capture-pane", "-p", "-t", "s"]);
  tmux(socket, [
    "new-session",
    "-d",
    "-s",
    "s",
    "-x",
    "200",
    "-y",
    "50",
    "-c",
    dir,
    // exec: the pane's process is sngrep itself, so it can be stopped by its pid.
    `exec sngrep -I ${JSON.stringify(pcap)}`,
  ]);
  const pid = Number(tmux(socket, ["display-message", "-p", "-t", "s", "#{pane_pid}"]).trim());
  try {
    await waitFor("the call list", () => /Dialogs: [1-9]/.test(screen()));
    tmux(socket, ["send-keys", "-t", "s", "F2"]);
    await waitFor("the save dialog", () => screen().includes("Save capture"));
    tmux(socket, ["send-keys", "-t", "s", "-l", "sngrep-export.txt"]);
    tmux(socket, ["send-keys", "-t", "s", "Enter"]);
    // The file appears when sngrep opens it; it is complete once its size stops moving.
    let last = -1;
    await waitFor("the saved file", () => {
      if (!existsSync(out)) return false;
      const size = statSync(out).size;
      const done = size > 0 && size === last;
      last = size;
      return done;
    });
    return out;
  } finally {
    // sngrep does not quit when tmux closes its terminal: it spins on the dead
    // terminal at a whole core until killed, so it is killed first, by pid.
    try {
      if (pid > 0) process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    try {
      tmux(socket, ["kill-server"]);
    } catch {
      // Already gone.
    }
  }
}
