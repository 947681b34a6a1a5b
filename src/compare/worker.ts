/**
 * The piscina worker of `gantry compare`: one task = one whole simulation ({@link runTask}).
 * Loaded as `dist/compare/worker.js` from the compiled CLI, and as `src/compare/worker.ts`
 * (through tsx) under vitest; see `pool.ts`.
 */
import { type CompareTask, runTask } from "./task.ts";

export default function compareWorker(task: CompareTask) {
  return runTask(task);
}
