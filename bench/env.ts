/** The recorded environment now lives in src/benchmark/suites/env.ts (re-exported for scripts). */
export { type BenchEnvironment, environment } from "../src/benchmark/suites/env.ts";
