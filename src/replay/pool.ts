/**
 * Runs replay tasks in-process (`workers: 0`, one after another) or on a piscina pool of
 * `workers` threads (the pattern of src/compare/pool.ts). Results come back in task order
 * whatever order the runs finish in, so the merged report does not depend on the worker count.
 */
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { type ReplayTask, type ReplayTaskResult, runReplayTask } from "./task.ts";

export interface RunReplayOptions {
  /** 0: in-process; n ≥ 1: a pool of n worker threads. */
  readonly workers: number;
  /** Called after each task ends (completion order). */
  readonly onDone?: (done: number, total: number) => void;
}

function workerModule(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);
  return { filename: fileURLToPath(url), execArgv: fromSource ? ["--import", "tsx"] : [] };
}

/** Runs every task; the first failure rejects (after the pool is destroyed). */
export async function runReplayTasks(
  tasks: readonly ReplayTask[],
  options: RunReplayOptions,
): Promise<ReplayTaskResult[]> {
  const total = tasks.length;
  const out: ReplayTaskResult[] = new Array(total);
  let done = 0;
  if (options.workers <= 0) {
    for (const [i, task] of tasks.entries()) {
      out[i] = runReplayTask(task);
      options.onDone?.(++done, total);
      // Let the event loop breathe between runs (progress output).
      await Promise.resolve();
    }
    return out;
  }
  const threads = Math.max(1, Math.min(options.workers, total));
  const { filename, execArgv } = workerModule();
  const pool = new Piscina<ReplayTask, ReplayTaskResult>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    ...(execArgv.length > 0 ? { execArgv } : {}),
  });
  try {
    await Promise.all(
      tasks.map((task, i) =>
        pool.run(task).then((r) => {
          out[i] = r;
          options.onDone?.(++done, total);
        }),
      ),
    );
  } finally {
    await pool.destroy();
  }
  return out;
}
