import { defineProject } from "vitest/config";

export default defineProject({
  test: { name: "detect", include: ["src/**/*.test.ts", "test/**/*.test.ts"] },
});
