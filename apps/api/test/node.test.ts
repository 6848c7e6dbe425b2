import { describe, expect, it } from "vitest";
import { startNode } from "./harness.ts";
import { defineApiSuite } from "./suite.ts";

defineApiSuite("Node (dist/node.mjs)", () => startNode());

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
  });

  it("answers headers over 16 KiB with a 431 problem", async () => {
    const server = await startNode();
    try {
      const res = await server.request("/v1/codes/486", {
        headers: { "x-big": "a".repeat(20_000) },
      });
      expect(res.status).toBe(431);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    } finally {
      await server.stop();
    }
  });
});
