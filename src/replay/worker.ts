/**
 * The piscina worker of `gantry replay`: one task = one (policy, seed) replay
 * ({@link runReplayTask}). Loaded as `dist/replay/worker.js` from the compiled CLI and as
 * `src/replay/worker.ts` (through tsx) from source; see `pool.ts`.
 */
import { type ReplayTask, runReplayTask } from "./task.ts";

export default function replayWorker(task: ReplayTask) {
  return runReplayTask(task);
}
