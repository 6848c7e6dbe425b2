import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "capture",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The tshark tests start real captures; property tests run many cases.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
