import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["bench/*.run.ts"],
    testTimeout: 1_800_000,
  },
});
