import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "core",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Property tests run thousands of cases; CI machines are small and busy.
    testTimeout: 60_000,
  },
});
