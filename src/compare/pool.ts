/**
 * Runs comparison tasks on src/workers/pool.ts: one whole simulation per task, outcomes in task
 * order, a task that throws failing only itself.
 */

import type { RunResult } from "../sim/metrics.ts";
import { type PoolOptions, runPool, type TaskOutcome, workerBeside } from "../workers/pool.ts";
import { type CompareTask, runTask } from "./task.ts";

export type { TaskOutcome } from "../workers/pool.ts";
export type RunTasksOptions = PoolOptions;

export function runTasks(
  tasks: readonly CompareTask[],
  options: RunTasksOptions,
): Promise<TaskOutcome<RunResult>[]> {
  return runPool(tasks, options, workerBeside(import.meta.url), runTask);
}
