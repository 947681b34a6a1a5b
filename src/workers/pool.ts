/**
 * Runs independent tasks in-process one after another (`workers: 0`), or on a piscina pool of
 * `workers` threads — one whole simulation per task (a round trip costs tens of µs against runs
 * of milliseconds to minutes). Outcomes come back in task order whatever order the runs finish in,
 * so merged reports do not depend on the worker count; a task that throws fails only itself.
 * Used by `gantry compare` (src/compare) and `gantry replay` (src/replay).
 */
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";

export type TaskOutcome<R> =
  | { readonly ok: true; readonly result: R }
  | { readonly ok: false; readonly error: string };

export interface PoolOptions {
  /** 0: in-process, sequentially; n ≥ 1: a pool of n worker threads. */
  readonly workers: number;
  /** Called after each task ends (in completion order) with the count done so far. */
  readonly onDone?: (done: number, total: number) => void;
}

/** A worker module for piscina: its file and the Node flags it needs. */
export interface WorkerModule {
  readonly filename: string;
  readonly execArgv: readonly string[];
}

/**
 * The `worker` module beside the module at `moduleUrl`: `worker.js` when running compiled
 * (dist/), `worker.ts` when running from source (vitest, tsx), which then needs tsx in the worker.
 */
export function workerBeside(moduleUrl: string): WorkerModule {
  const fromSource = moduleUrl.endsWith(".ts");
  const url = new URL(fromSource ? "./worker.ts" : "./worker.js", moduleUrl);
  return { filename: fileURLToPath(url), execArgv: fromSource ? ["--import", "tsx"] : [] };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `tasks` (in-process with `inProcess`, else on `worker`); one outcome per task, in order. */
export async function runPool<T, R>(
  tasks: readonly T[],
  options: PoolOptions,
  worker: WorkerModule,
  inProcess: (task: T) => R | Promise<R>,
): Promise<TaskOutcome<R>[]> {
  const total = tasks.length;
  const outcomes: TaskOutcome<R>[] = new Array(total);
  let done = 0;
  const settle = (i: number, o: TaskOutcome<R>) => {
    outcomes[i] = o;
    done++;
    options.onDone?.(done, total);
  };
  if (options.workers <= 0) {
    for (const [i, task] of tasks.entries()) {
      try {
        settle(i, { ok: true, result: await inProcess(task) });
      } catch (e) {
        settle(i, { ok: false, error: message(e) });
      }
    }
    return outcomes;
  }
  const threads = Math.max(1, Math.min(options.workers, total));
  const pool = new Piscina<T, R>({
    filename: worker.filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
    ...(worker.execArgv.length > 0 ? { execArgv: [...worker.execArgv] } : {}),
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
