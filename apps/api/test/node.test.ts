import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type NodeServer, startNode } from "./harness.ts";
import { defineApiSuite } from "./suite.ts";

defineApiSuite("Node (dist/node.mjs)", () => startNode());

/** Sends raw bytes and returns everything the server wrote before closing. */
function raw(server: NodeServer, bytes: string): Promise<string> {
  const url = new URL(server.base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let out = "";
    socket.on("data", (chunk) => {
      out += chunk.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(out));
    socket.write(bytes);
  });
}

/** A GET (or another method) with exact headers and no automatic decompression. */
function get(server: NodeServer, path: string, headers: Record<string, string>, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(new URL(path, server.base), { headers, method }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

function problemOf(response: string) {
  const [head = "", body = ""] = response.split("\r\n\r\n");
  return { head, problem: JSON.parse(body) };
}

async function withServer(env: Record<string, string>, run: (s: NodeServer) => Promise<void>) {
  const server = await startNode(env);
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

describe("Node server", () => {
  it("finishes and exits 0 on SIGTERM", async () => {
    const server = await startNode();
    expect((await server.request("/healthz")).status).toBe(200);
    const exit = new Promise<number | null>((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(server.output()).toContain("SIGTERM received");
  });

  it("refuses a bad environment with a readable message and exit code 78", async () => {
    await expect(startNode({ PORT: "eighty" })).rejects.toThrow(/exited with 78[\s\S]*PORT/);
    await expect(startNode({ SIPCODES_CORS_ORIGINS: "example.org/x" })).rejects.toThrow(
      /exited with 78[\s\S]*SIPCODES_CORS_ORIGINS/,
    );
  });

  it("answers what Node would answer bare with a problem document", async () => {
    await withServer({}, async (server) => {
      const big = await server.request("/v1/codes/486", {
        headers: { "x-big": "a".repeat(20_000) },
      });
      expect(big.status).toBe(431);
      expect(big.headers.get("content-type")).toBe("application/problem+json");
      expect(((await big.json()) as { instance: string }).instance).toBe("/v1/codes/486");

      const noHost = problemOf(await raw(server, "GET /v1/codes/486 HTTP/1.0\r\n\r\n"));
      expect(noHost.head).toMatch(/^HTTP\/1\.1 400 /);
      expect(noHost.problem).toMatchObject({ code: "bad_request", instance: "/v1/codes/486" });
      expect(noHost.problem.detail).toMatch(/no Host header/);

      const badHost = problemOf(
        await raw(server, "GET /v1/codes/486 HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"),
      );
      expect(badHost.head).toMatch(/^HTTP\/1\.1 400 /);
      expect(badHost.problem).toMatchObject({ code: "bad_request", instance: "/v1/codes/486" });

      const tunnel = problemOf(
        await raw(server, "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n"),
      );
      expect(tunnel.head).toMatch(/^HTTP\/1\.1 405 /);
      expect(tunnel.head).toMatch(/content-type: application\/problem\+json/i);
      expect(tunnel.problem.code).toBe("method_not_allowed");

      for (const length of [9_000, 16_384, 40_000]) {
        const long = await raw(
          server,
          `GET /v1/codes?q=${"a".repeat(length)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        );
        const { head, problem } = problemOf(long);
        expect(head, String(length)).toMatch(/^HTTP\/1\.1 414 /);
        expect(problem).toMatchObject({ code: "uri_too_long", status: 414, instance: "/v1/codes" });
      }
    });
  });

  it("compresses bodies over 1 KiB with br or gzip, tags them apart and revalidates them", async () => {
    await withServer({}, async (server) => {
      const plain = await get(server, "/v1/profiles/teams", { "accept-encoding": "identity" });
      expect(plain.headers["content-encoding"]).toBeUndefined();
      // Sent as it is, but it could have been compressed: a cache must not give it to a br client.
      expect(plain.headers.vary).toMatch(/Accept-Encoding/);
      const br = await get(server, "/v1/profiles/teams", { "accept-encoding": "gzip, br" });
      expect(br.headers["content-encoding"]).toBe("br");
      expect(br.body.length).toBeLessThan(plain.body.length / 4);
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.headers.vary).toMatch(/Accept-Encoding/);
      const gz = await get(server, "/openapi.json", { "accept-encoding": "gzip" });
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(JSON.parse(gunzipSync(gz.body).toString()).openapi).toBe("3.1.0");
      const tag = String(br.headers.etag);
      expect(tag).toBe(`${String(plain.headers.etag).slice(0, -1)}-br"`);
      const again = await get(server, "/v1/profiles/teams", {
        "accept-encoding": "br",
        "if-none-match": tag,
      });
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(tag);
      const small = await get(server, "/healthz", { "accept-encoding": "br" });
      expect(small.headers["content-encoding"]).toBeUndefined();
      const refused = await get(server, "/v1/profiles/teams", {
        "accept-encoding": "br;q=0, gzip;q=0",
      });
      expect(refused.headers["content-encoding"]).toBeUndefined();
    });
  });

  it("answers a repeated GET from its whole-answer cache, byte for byte, as its Vary allows", async () => {
    const variants: Record<string, string>[] = [
      { accept: "application/json" },
      { accept: "application/json", "user-agent": "curl/8.5.0" },
      { "user-agent": "curl/8.5.0" },
      { "user-agent": "Mozilla/5.0" },
      { accept: "text/markdown" },
      { "accept-encoding": "br" },
      { "accept-encoding": "gzip", "user-agent": "curl/8.5.0" },
      { "accept-encoding": "gzip, br", accept: "text/plain" },
      {},
    ];
    const paths = [
      "/v1/codes/486",
      "/v1/codes/486?profile=teams&direction=inbound",
      "/v1/codes/603?profile=jola",
      "/v1/profiles/teams",
      "/openapi.json",
      "/codes/486",
      "/v1/codes?q=busy",
    ];
    /** What a request gets, without the headers that are per request or per second. */
    const answerOf = async (server: NodeServer, path: string, headers: Record<string, string>) => {
      const res = await get(server, path, headers);
      const { date, "x-request-id": id, ...rest } = res.headers;
      for (const name of Object.keys(rest)) if (name.startsWith("ratelimit-")) delete rest[name];
      expect(id).toBeTruthy();
      return { status: res.status, headers: rest, body: res.body.toString("base64") };
    };
    const plain: unknown[] = [];
    // One public URL for both servers: the OpenAPI document names it (and would name each port).
    const url = "https://api.example.test";
    await withServer(
      { SIPCODES_ANSWER_CACHE_MB: "0", SIPCODES_PUBLIC_URL: url },
      async (server) => {
        for (const path of paths)
          for (const headers of variants) plain.push(await answerOf(server, path, headers));
      },
    );
    await withServer({ SIPCODES_PUBLIC_URL: url }, async (server) => {
      // Twice over in different orders: every answer, kept or not, is the one the app gives.
      for (const round of [0, 1]) {
        const got: unknown[] = [];
        const order = paths.flatMap((path, p) =>
          variants.map((headers, v) => ({ path, headers, at: p * variants.length + v })),
        );
        if (round === 1) order.reverse();
        for (const { path, headers, at } of order) got[at] = await answerOf(server, path, headers);
        expect(got).toEqual(plain);
      }
      const metrics = await (await server.request("/metrics")).text();
      const hits = Number(
        /^sipcodes_http_answer_cache_total\{result="hit"\} (\d+)$/m.exec(metrics)?.[1],
      );
      expect(hits).toBeGreaterThan(paths.length * variants.length * 0.5);
      // Conditional requests still reach the app, which answers 304.
      const first = await get(server, "/v1/codes/486", {});
      const again = await get(server, "/v1/codes/486", {
        "if-none-match": String(first.headers.etag),
      });
      expect(again.status).toBe(304);
      // An answer that must not be stored is not kept.
      const metricsAgain = await get(server, "/metrics", {});
      expect(metricsAgain.headers["cache-control"]).toBe("no-store");
      const health = await get(server, "/healthz", {});
      const healthAgain = await get(server, "/healthz", {});
      expect(healthAgain.status).toBe(health.status);
    });
    // Without a public URL, answers name the request's own origin: kept per Host.
    await withServer({}, async (server) => {
      for (const round of [0, 1])
        for (const host of ["a.example.test", "b.example.test"]) {
          const doc = JSON.parse((await get(server, "/openapi.json", { host })).body.toString());
          expect(doc.servers[0].url, `${host}, round ${round}`).toBe(`http://${host}`);
        }
    });
  });

  it("compresses a cacheable answer once per encoding and serves the kept bytes after", async () => {
    // The whole-answer cache off, so that the second br request reaches the compression step.
    await withServer({ SIPCODES_ANSWER_CACHE_MB: "0" }, async (server) => {
      const count = async (cache: string) => {
        const text = await (await server.request("/metrics")).text();
        return Number(
          new RegExp(`^sipcodes_http_compressions_total\\{cache="${cache}"\\} (\\d+)$`, "m").exec(
            text,
          )?.[1] ?? Number.NaN,
        );
      };
      expect(await count("hit")).toBe(0);
      const first = await get(server, "/v1/profiles/teams", { "accept-encoding": "br" });
      const second = await get(server, "/v1/profiles/teams", { "accept-encoding": "br" });
      const gz = await get(server, "/v1/profiles/teams", { "accept-encoding": "gzip" });
      expect(second.body.equals(first.body)).toBe(true);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.headers["content-length"]).toBe(String(first.body.byteLength));
      expect(gunzipSync(gz.body).equals(brotliDecompressSync(second.body))).toBe(true);
      expect([await count("miss"), await count("hit")]).toEqual([2, 1]);
      // A POST answer has no ETag: compressed each time, never kept.
      const body = JSON.stringify({ inputs: Array.from({ length: 20 }, () => "486") });
      for (let i = 0; i < 2; i++) {
        const res = await server.request("/v1/explain/batch", {
          method: "POST",
          headers: { "content-type": "application/json", "accept-encoding": "gzip" },
          body,
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
      expect(await count("uncached")).toBe(2);
      const bytes = /^sipcodes_http_compressed_cache_bytes (\d+)$/m.exec(
        await (await server.request("/metrics")).text(),
      );
      expect(Number(bytes?.[1])).toBe(first.body.byteLength + gz.body.byteLength);
    });
  });

  it("answers HEAD with the headers GET would send compressed, and no body", async () => {
    await withServer({}, async (server) => {
      for (const [path, encoding] of [
        ["/v1/profiles/teams", "br"],
        ["/v1/codes/486", "gzip"],
        ["/openapi.json", "gzip, br"],
        ["/codes/486", "br"],
      ] as const) {
        const headers = { "accept-encoding": encoding };
        const full = await get(server, path, headers);
        const head = await get(server, path, headers, "HEAD");
        expect(full.headers["content-encoding"], path).toMatch(/^(?:br|gzip)$/);
        expect(head.status, path).toBe(200);
        expect(head.body.byteLength, path).toBe(0);
        for (const name of ["content-encoding", "content-length", "etag", "vary", "content-type"]) {
          expect(head.headers[name], `${path} ${name}`).toBe(full.headers[name]);
        }
        // A HEAD revalidates like the GET: the compressed ETag gives 304.
        const again = await get(
          server,
          path,
          { ...headers, "if-none-match": String(full.headers.etag) },
          "HEAD",
        );
        expect(again.status, path).toBe(304);
        expect(again.headers.etag, path).toBe(full.headers.etag);
      }
      const plain = await get(server, "/v1/profiles/teams", {}, "HEAD");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(Number(plain.headers["content-length"])).toBeGreaterThan(40_000);
    });
  });

  it("limits each client: 429 problem with Retry-After past the limit, /healthz exempt", async () => {
    await withServer(
      { SIPCODES_RATE_LIMIT: "3", SIPCODES_RATE_LIMIT_WINDOW_S: "60" },
      async (server) => {
        const remaining: (string | null)[] = [];
        for (let i = 0; i < 3; i++) {
          const res = await server.request("/v1/codes/486");
          expect(res.status).toBe(200);
          remaining.push(res.headers.get("ratelimit-remaining"));
        }
        expect(remaining).toEqual(["2", "1", "0"]);
        const over = await server.request("/v1/codes/486");
        expect(over.status).toBe(429);
        expect(over.headers.get("content-type")).toBe("application/problem+json");
        expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(over.headers.get("access-control-allow-origin")).toBe("*");
        expect(((await over.json()) as { code: string }).code).toBe("too_many_requests");
        expect((await server.request("/healthz")).status).toBe(200);
      },
    );
  });

  it("counts a batch as one request plus one per 16 KiB of its body", async () => {
    await withServer({ SIPCODES_RATE_LIMIT: "10" }, async (server) => {
      const inputs = Array.from(
        { length: 1000 },
        (_, i) => `SIP/2.0 ${100 + (i % 600)} ${"x".repeat(80)}`,
      );
      const body = JSON.stringify({ inputs });
      expect(body.length).toBeGreaterThan(5 * 16 * 1024);
      const res = await server.request("/v1/explain/batch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(200);
      const weight = 1 + Math.floor(Buffer.byteLength(body) / (16 * 1024));
      expect(res.headers.get("ratelimit-remaining")).toBe(String(10 - weight));
      const again = await server.request("/v1/explain/batch", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(again.status).toBe(429);
    });
  });

  it("writes one JSON access-log line per request, and /metrics counts by route and status", async () => {
    await withServer({}, async (server) => {
      await server.request("/v1/codes/486", { headers: { "x-request-id": "log-check-1" } });
      await server.request("/v1/codes/799");
      await server.request("/v1/codes/123456");
      const metrics = await (await server.request("/metrics")).text();
      expect(metrics).toMatch(
        /sipcodes_http_request_duration_seconds_count\{route="\/v1\/codes\/\{code\}",method="GET",status="404"\} 2/,
      );
      expect(metrics).toMatch(/status="200"\} 1\n/);
      await new Promise((r) => setTimeout(r, 120)); // the log is flushed every 50 ms
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      const line = lines.find((l) => l.id === "log-check-1");
      expect(line).toMatchObject({
        level: "info",
        msg: "request",
        method: "GET",
        path: "/v1/codes/486",
        route: "/v1/codes/{code}",
        status: 200,
      });
      expect(typeof line.ms).toBe("number");
    });
  });

  it("logs an aborted upload at debug, without a stack, and never as an internal error", async () => {
    await withServer({ SIPCODES_LOG_LEVEL: "debug" }, async (server) => {
      for (let i = 0; i < 3; i++) {
        const url = new URL(server.base);
        await new Promise<void>((resolve) => {
          const socket = connect(Number(url.port), url.hostname, () => {
            socket.write(
              'POST /v1/explain/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"inputs":[',
            );
            setTimeout(() => {
              socket.destroy();
              resolve();
            }, 300);
          });
        });
      }
      // The log is written in batches: wait (under load, longer) for the three lines.
      const debugLines = () =>
        server
          .output()
          .split("\n")
          .filter((l) => l.includes('"level":"debug"'));
      for (let waited = 0; debugLines().length < 3 && waited < 10_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      const out = server.output();
      expect(out).not.toMatch(/internal error|internal_error/);
      expect(out).not.toMatch(/\n\s+at /);
      const debug = out.split("\n").filter((l) => l.includes('"level":"debug"'));
      expect(debug.length).toBeGreaterThanOrEqual(3);
    });
  });

  it("grants CORS only to the configured origins, varying on Origin", async () => {
    await withServer(
      { SIPCODES_CORS_ORIGINS: "https://a.example, https://b.example" },
      async (server) => {
        const a = await server.request("/v1/codes/486", {
          headers: { origin: "https://a.example" },
        });
        expect(a.headers.get("access-control-allow-origin")).toBe("https://a.example");
        expect(a.headers.get("vary")).toMatch(/Origin/);
        const c = await server.request("/v1/codes/486", {
          headers: { origin: "https://c.example" },
        });
        expect(c.headers.get("access-control-allow-origin")).toBeNull();
        const pre = await server.request("/v1/explain", {
          method: "OPTIONS",
          headers: { origin: "https://b.example", "access-control-request-method": "POST" },
        });
        expect(pre.headers.get("access-control-allow-origin")).toBe("https://b.example");
        const preC = await server.request("/v1/explain", {
          method: "OPTIONS",
          headers: { origin: "https://c.example", "access-control-request-method": "POST" },
        });
        expect(preC.headers.get("access-control-allow-origin")).toBeNull();
      },
    );
  });
});
