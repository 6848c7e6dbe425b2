import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "detect",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Scenario and property tests replay days of traffic; CI machines are small and busy.
    testTimeout: 120_000,
  },
});
