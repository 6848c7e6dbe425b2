import { startWorkers } from "./harness.ts";
import { defineApiSuite } from "./suite.ts";

// The same suite against src/worker.ts running in workerd (wrangler's unstable_startWorker).
defineApiSuite("Workers (workerd via wrangler)", () => startWorkers());
