// Starts sqlite-writer.ts from the sources (tests under vitest): workers do not
// inherit the parent's TypeScript loader, so this registers tsx first.
import { register } from "tsx/esm/api";

register();
await import("./sqlite-writer.ts");
