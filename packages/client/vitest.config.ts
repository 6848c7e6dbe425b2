import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "client",
    include: ["src/**/*.test.ts"],
    // The schema test runs openapi-typescript in a child process; CI machines are small and busy.
    testTimeout: 60_000,
  },
});
