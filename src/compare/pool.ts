/**
 * Runs comparison tasks: in-process one after another (`workers: 0`), or on a piscina pool of
 * `workers` threads, one whole simulation per task (a task round trip costs tens of µs against
 * runs of milliseconds to minutes). Outcomes come back in task order whatever order the runs
 * finish in, and a task that throws fails only itself.
 */
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { RunResult } from "../sim/metrics.ts";
import { type CompareTask, runTask } from "./task.ts";

export type TaskOutcome =
  | { readonly ok: true; readonly result: RunResult }
  | { readonly ok: false; readonly error: string };

export interface RunTasksOptions {
  /** 0: in-process, sequentially; n ≥ 1: a pool of n worker threads. */
  readonly workers: number;
  /** Called after each task ends (in completion order) with the count done so far. */
  readonly onDone?: (done: number, total: number) => void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The worker module beside this one: `worker.js` when running compiled (dist/), `worker.ts`
 * when running from source (vitest, tsx), which then needs tsx inside the worker too.
 */
function workerModule(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url);
  return { filename: fileURLToPath(url), execArgv: fromSource ? ["--import", "tsx"] : [] };
}

export async function runTasks(
  tasks: readonly CompareTask[],
  options: RunTasksOptions,
): Promise<TaskOutcome[]> {
  const total = tasks.length;
  const outcomes: TaskOutcome[] = new Array(total);
  let done = 0;
  const settle = (i: number, o: TaskOutcome) => {
    outcomes[i] = o;
    done++;
    options.onDone?.(done, total);
  };
  if (options.workers <= 0) {
    for (const [i, task] of tasks.entries()) {
      try {
        settle(i, { ok: true, result: await runTask(task) });
      } catch (e) {
        settle(i, { ok: false, error: message(e) });
      }
    }
    return outcomes;
  }
  const threads = Math.max(1, Math.min(options.workers, total));
  const { filename, execArgv } = workerModule();
  const pool = new Piscina<CompareTask, RunResult>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    ...(execArgv.length > 0 ? { execArgv } : {}),
  });
  try {
    await Promise.all(
      tasks.map((task, i) =>
        pool.run(task).then(
          (result) => settle(i, { ok: true, result }),
          (e: unknown) => settle(i, { ok: false, error: message(e) }),
        ),
      ),
    );
  } finally {
    await pool.destroy();
  }
  return outcomes;
}
