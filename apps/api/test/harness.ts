import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const apiRoot = fileURLToPath(new URL("..", import.meta.url));

/** A started server the tests talk to over real HTTP. */
export interface Target {
  runtime: "node" | "workers";
  base: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * fetch, sending a GET or HEAD again once when the kept-alive connection it
 * reused was closed by the server as it was sent (its idle timeout ran out
 * while a loaded machine delayed the client): what browsers do for an
 * idempotent request. Anything else fails as it came.
 */
async function send(url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const method = (init.method ?? "GET").toUpperCase();
    const cause = (error as { cause?: { code?: string } }).cause;
    if ((method === "GET" || method === "HEAD") && cause?.code === "UND_ERR_SOCKET")
      return fetch(url, init);
    throw error;
  }
}

function target(runtime: Target["runtime"], base: string, stop: () => Promise<void>): Target {
  return {
    runtime,
    base,
    request: (path, init) => send(new URL(path, base), { redirect: "manual", ...init }),
    stop,
  };
}

export interface NodeServer extends Target {
  child: ChildProcess;
  output: () => string;
}

/** Starts the built Node server (dist/node.mjs) on 127.0.0.1 and a free port. */
export async function startNode(env: Record<string, string> = {}): Promise<NodeServer> {
  const child = spawn(process.execPath, ["dist/node.mjs"], {
    cwd: apiRoot,
    // The suite sends thousands of requests from one address: a limit it never reaches,
    // so the limiter runs on every request; test/edge.test.ts tests a low one.
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SIPCODES_RATE_LIMIT: "1000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return Object.assign(target("node", base, stop), { child, output: () => output });
}

/** Starts the Workers build (wrangler.jsonc, src/worker.ts) in workerd through wrangler. */
export async function startWorkers(
  vars: Record<string, string> = {},
  /** Other bindings, as wrangler describes them (a `ratelimit` binding, for example). */
  extra: Record<string, unknown> = {},
): Promise<Target> {
  // Offline: use miniflare's placeholder Request.cf instead of fetching it.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  process.env.WRANGLER_SEND_METRICS = "false";
  const { unstable_startWorker } = await import("wrangler");
  const worker = await unstable_startWorker({
    config: `${apiRoot}/wrangler.jsonc`,
    bindings: {
      ...Object.fromEntries(
        Object.entries({ SIPCODES_RATE_LIMIT: "1000000", ...vars }).map(([name, value]) => [
          name,
          { type: "plain_text" as const, value },
        ]),
      ),
      ...(extra as Record<string, { type: "plain_text"; value: string }>),
    },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      logLevel: "error",
    },
  });
  await worker.ready;
  const url = await worker.url;
  return target("workers", url.href, () => worker.dispose());
}

/**
 * Starts Stoplight Prism as a validating proxy (`prism proxy --errors`) in
 * front of `upstream`, on a free loopback port, with the document `upstream`
 * serves. Any answer of the upstream that breaks the document comes back as
 * Prism's own problem (type https://stoplight.io/prism/errors#...).
 */
export async function startPrism(upstream: Target): Promise<Target & { output: () => string }> {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { createServer } = await import("node:net");
  const doc = await (await upstream.request("/openapi.json")).text();
  const file = join(mkdtempSync(join(tmpdir(), "sipcodes-prism-")), "openapi.json");
  writeFileSync(file, doc);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
  const child = spawn(
    `${apiRoot}/node_modules/.bin/prism`,
    [
      "proxy",
      file,
      upstream.base.replace(/\/$/, ""),
      "--errors",
      "--cors=false",
      "--host=127.0.0.1",
      `--port=${port}`,
    ],
    { cwd: apiRoot, stdio: ["ignore", "pipe", "pipe"], detached: false },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`prism exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return Object.assign(target(upstream.runtime, `http://127.0.0.1:${port}/`, stop), {
    output: () => output,
  });
}
