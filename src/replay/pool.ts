/**
 * Runs replay tasks on src/workers/pool.ts (in-process with `workers: 0`). Results come back in
 * task order whatever order the runs finish in, so the merged report does not depend on the
 * worker count.
 */
import { type PoolOptions, runPool, workerBeside } from "../workers/pool.ts";
import { type ReplayTask, type ReplayTaskResult, runReplayTask } from "./task.ts";

export type RunReplayOptions = PoolOptions;

/** Runs every task; the first failure (in task order) rejects. */
export async function runReplayTasks(
  tasks: readonly ReplayTask[],
  options: RunReplayOptions,
): Promise<ReplayTaskResult[]> {
  const outcomes = await runPool(tasks, options, workerBeside(import.meta.url), runReplayTask);
  return outcomes.map((o) => {
    if (!o.ok) throw new Error(o.error);
    return o.result;
  });
}
