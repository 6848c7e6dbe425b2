import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { CliContext } from "../context.ts";
import { CliError, EXIT } from "../context.ts";
import { CdrParser, type CdrRow, type ReaderOptions, type ReaderResult } from "./reader.ts";

const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Streams a CDR file (or stdin for "-") through the parser. Shows a progress
 * line on stderr when stderr is a terminal, the file is large and the output
 * is for people.
 */
export async function readCdrFile(
  ctx: CliContext,
  file: string,
  onRow: (row: CdrRow) => void,
  options: ReaderOptions & { progress?: boolean },
): Promise<ReaderResult> {
  let size = 0;
  let fd = 0;
  if (file !== "-") {
    try {
      const stat = statSync(file);
      if (stat.isDirectory())
        throw new CliError(`${file} is a directory, not a CDR file`, EXIT.usage);
      size = stat.size;
      fd = openSync(file, "r");
    } catch (error) {
      if (error instanceof CliError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        `cannot read ${file}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
        EXIT.usage,
      );
    }
  }
  const parser = new CdrParser(onRow, options);
  const showProgress = options.progress !== false && ctx.stderrIsTTY && size >= PROGRESS_MIN_BYTES;
  // Synchronous reads into one reused buffer: a batch command gains nothing
  // from a stream here, and this avoids a fresh allocation per chunk.
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let read = 0;
  let last = 0;
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") {
          // A non-blocking stdin pipe with nothing yet: wait for data.
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        if (code === "EOF") break;
        throw error;
      }
      if (got === 0) break;
      parser.pushBytes(buffer.subarray(0, got));
      read += got;
      if (showProgress) {
        const now = Date.now();
        if (now - last > 250) {
          last = now;
          ctx.err(
            `\r\u001b[2Kreading ${mb(read)} of ${mb(size)} (${Math.round((read / size) * 100)}%) · ${parser.result.rows.toLocaleString("en-US")} rows`,
          );
        }
      }
    }
    return parser.end();
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file === "-" ? "stdin" : file}: ${(error as Error).message}`, EXIT.usage);
  } finally {
    if (showProgress) ctx.err("\r\u001b[2K");
    if (fd !== 0) closeSync(fd);
  }
}
