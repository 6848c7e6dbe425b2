import { createReadStream, existsSync, fstatSync, statSync, writeSync } from "node:fs";
import { explainItems } from "./commands/explain-items.ts";
import { resolveProfile } from "./commands/profile.ts";
import { type CliContext, type CliDefaults, EXIT } from "./context.ts";
import { readEnv } from "./env.ts";
import { describeError } from "./errors.ts";
import { parseFastPath } from "./fast.ts";

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    process.stdin.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // A pasted trace is small; stop rather than hold an endless pipe in memory.
      if (size > 16 * 1024 * 1024) {
        reject(
          new Error("standard input is larger than 16 MiB; use `sipcode stats` for CDR files"),
        );
        process.stdin.destroy();
        return;
      }
      chunks.push(chunk);
    });
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

let stdoutStream = false;

/** Linux's /dev/null (character device 1,3): not a terminal, though it is a character device. */
const DEV_NULL = (1 << 8) | 3;

/**
 * Whether a standard fd is a terminal, without building its stream when the
 * answer is plainly no: a pipe or a file is not a character device, and
 * /dev/null is not a terminal. Only a real character device asks the stream.
 */
function isTerminal(fd: number, stream: () => boolean | undefined): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    if (process.platform === "linux" && stat.rdev === DEV_NULL) return false;
  } catch {
    return false;
  }
  return Boolean(stream());
}

/**
 * Writes to stdout. Straight to fd 1 while that works: creating
 * process.stdout builds a stream (and loads its modules) that costs a lookup
 * more than the lookup itself. A closed pipe (`sipcode list | head`) ends
 * quietly; a non-blocking fd that is full (EAGAIN) hands over to the stream.
 */
function writeOut(text: string): void {
  if (stdoutStream) {
    process.stdout.write(text);
    return;
  }
  let rest: Buffer | undefined;
  try {
    const written = writeSync(1, text);
    if (written === Buffer.byteLength(text)) return;
    // A short write (a full pipe): write the rest of the bytes.
    rest = Buffer.from(text).subarray(written);
    while (rest.length) rest = rest.subarray(writeSync(1, rest));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (code !== "EAGAIN") throw error;
    // A non-blocking pipe that is full (a worker thread makes stdout non-blocking): what was
    // written stays written, and only the rest goes through the stream, which waits for room.
    stdoutStream = true;
    // A closed pipe (`sipcode list | head`) is not an error.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    });
    process.stdout.write(rest ?? text);
  }
}

const ctx: CliContext = {
  out: writeOut,
  err: (text) => {
    process.stderr.write(text);
  },
  readStdin,
  stdinChunks: () => process.stdin,
  // A code such as 486 is never read as a file name, even when such a file exists.
  isFile: (path) =>
    !/^\d{1,4}$/.test(path) && statSync(path, { throwIfNoEntry: false })?.isFile() === true,
  openFile: (path) => createReadStream(path, { highWaterMark: 1 << 20 }),
  // Getters: touching process.stdin or process.stderr builds stream machinery
  // (a sixth of a lookup's start-up), so only do it when a command asks.
  get stdinIsTTY() {
    return Boolean(process.stdin.isTTY);
  },
  get stdoutIsTTY() {
    return isTerminal(1, () => process.stdout.isTTY);
  },
  get stderrIsTTY() {
    return Boolean(process.stderr.isTTY);
  },
  env: readEnv(),
  exitCode: 0,
};

/**
 * Option defaults: SIPCODE_PROFILE over the config file. The file is read
 * (and zod loaded, from config.cjs) only when it exists.
 */
async function loadDefaults(): Promise<CliDefaults> {
  const { config, profile } = ctx.env;
  let defaults: CliDefaults = {};
  if (config && (config.explicit || existsSync(config.path))) {
    const { loadConfig } = await import("./config.ts");
    const read = loadConfig(config.path);
    defaults = {
      ...(read.profile ? { profile: read.profile } : {}),
      ...(read.direction ? { direction: read.direction } : {}),
      ...(read.audience ? { audience: read.audience } : {}),
    };
  }
  return profile ? { ...defaults, profile } : defaults;
}

async function main(argv: string[]): Promise<number> {
  try {
    ctx.defaults = await loadDefaults();
  } catch (error) {
    const { message, exitCode } = describeError(error);
    ctx.err(`sipcode: ${message}\n`);
    return exitCode;
  }
  const fast = ctx.env.fullParser ? undefined : parseFastPath(argv, ctx.defaults);
  if (fast) {
    try {
      if (fast.command === "explain") {
        // Bare codes only (the fast path takes nothing else): no trace,
        // capture or dialog code is loaded, nor commander.
        await explainItems(ctx, fast.inputs, fast.flags, await resolveProfile(fast.flags.profile));
      } else {
        const { runStats } = await import("./commands/stats.ts");
        await runStats(ctx, fast.file, fast.flags);
      }
      return ctx.exitCode;
    } catch (error) {
      const { message, exitCode } = describeError(error);
      ctx.err(`sipcode: ${message}\n`);
      return exitCode;
    }
  }
  const { run } = await import("./program.ts");
  return run(ctx, argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `sipcode: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT.internal;
  },
);
