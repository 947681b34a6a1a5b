/** The scheduler_perf-shaped inputs now live in src/benchmark/suites/shapes.ts (re-exported for scripts). */
export {
  defaultNodes,
  defaultPod,
  defaultProfile,
} from "../src/benchmark/suites/shapes.ts";
