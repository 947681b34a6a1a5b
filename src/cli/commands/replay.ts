/**
 * `gantry replay alibaba-gpu --nodes <node csv> --pods <pod csv> [--policies a,b,…] [--seeds a-b]
 * [--inflate 1.3] [--tie-break first|random] [--workers N] [--json]`: the FGD paper's trace replay (src/replay,
 * shared/research/traces.md §2–§6): per policy and seed, the original pods shuffled, clones
 * appended until arrived GPU would pass `inflate` × capacity, no departures; unallocated GPU % and
 * fragmentation % binned by whole arrive%, summarised over seeds.
 *
 * Output: a table (median unallocated GPU % beside the published values, and each run's wall
 * time) on stderr, or with `--json` the report on stdout, identical for any worker count. One
 * (policy, seed) = one piscina task (`--workers 0`: in-process). Exit 2 for usage and input errors.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { POLICIES, type PolicyName, parseNodeCsv, parsePodCsv } from "../../gpu/index.ts";
import { runReplayTasks } from "../../replay/pool.ts";
import { buildReplayReport, renderReplayTable } from "../../replay/report.ts";
import type { ReplayTask } from "../../replay/task.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";
import { parseSeeds } from "./compare.ts";

interface ReplayOptions {
  readonly nodes: string;
  readonly pods: string;
  readonly policies?: string;
  readonly seeds?: string;
  readonly inflate?: string;
  readonly workers?: string;
  readonly tieBreak?: string;
  readonly engine?: string;
  readonly json?: boolean;
}

const TRACES = ["alibaba-gpu"] as const;

export function registerReplay(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("replay")
    .description("replay a real GPU trace under the FGD paper's policies (unallocated GPU vs load)")
    .argument("<trace>", `trace kind: ${TRACES.join(", ")}`)
    .requiredOption("--nodes <csv>", "node list (e.g. openb_node_list_gpu_node.csv)")
    .requiredOption("--pods <csv>", "pod list (e.g. openb_pod_list_default.csv)")
    .option("--policies <list>", `comma-separated, of ${POLICIES.join(", ")} (default: all)`)
    .option("--seeds <range>", "seeds: N, a-b (inclusive) or a,b,c (default: 42)")
    .option("--inflate <x>", "arrived GPU target as a multiple of capacity (default: 1.3)")
    .option("--workers <n>", "worker threads (0: in-process; default: CPUs, at most the runs)")
    .option(
      "--tie-break <rule>",
      "first (default: the first tied node in a per-seed random node order, as the FGD simulator does) or random (uniform among tied nodes, as kube-scheduler does)",
    )
    .option(
      "--engine <engine>",
      "replay (default: the FGD simulator's loop) or core (kube-scheduler cycles in gantry's WASM core, the paper's policies as score plugins; ties at random)",
    )
    .option("--json", "print the report as JSON on stdout")
    .action(async (trace: string, opts: ReplayOptions) => {
      setExit(await replay(trace, opts, io));
    });
}

/** `--policies`: known names, comma-separated, no repeats. */
export function parsePolicyList(text: string | undefined): PolicyName[] {
  if (text === undefined) return [...POLICIES];
  const names = text.split(",").map((s) => s.trim());
  const out: PolicyName[] = [];
  for (const n of names) {
    const p = POLICIES.find((q) => q === n);
    if (!p) {
      throw new UsageError(
        `--policies: unknown policy ${JSON.stringify(n)} (known: ${POLICIES.join(", ")})`,
      );
    }
    if (out.includes(p)) throw new UsageError(`--policies: ${p} is given twice`);
    out.push(p);
  }
  return out;
}

function parseInflate(text: string | undefined): number {
  if (text === undefined) return 1.3;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v <= 0 || v > 100) {
    throw new UsageError(`--inflate: ${JSON.stringify(text)} is not a number in (0, 100]`);
  }
  return v;
}

function parseWorkers(text: string | undefined, runs: number): number {
  if (text === undefined) return Math.max(1, Math.min(availableParallelism(), runs));
  if (!/^\d+$/.test(text) || Number(text) > 1024) {
    throw new UsageError(`--workers: ${JSON.stringify(text)} is not an integer in 0 … 1024`);
  }
  return Number(text);
}

function readInput(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new UsageError(`${flag}: cannot read ${JSON.stringify(path)} (${code})`);
  }
}

/** Reads and checks both lists up front so that a bad input fails before any run. */
function checkInputs(nodesPath: string, podsPath: string): void {
  let nodes: ReturnType<typeof parseNodeCsv>;
  let pods: ReturnType<typeof parsePodCsv>;
  try {
    nodes = parseNodeCsv(readInput("--nodes", nodesPath));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--nodes: ${(e as Error).message}`);
  }
  try {
    pods = parsePodCsv(readInput("--pods", podsPath));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--pods: ${(e as Error).message}`);
  }
  const badNode = nodes.findIndex(
    (n) => !Number.isFinite(n.cpuAllocatable + n.memoryAllocatable) || n.gpuUsed.length > 64,
  );
  if (badNode >= 0) throw new UsageError(`--nodes: row ${badNode + 2} has a non-numeric field`);
  if (!nodes.some((n) => n.gpuUsed.length > 0)) {
    throw new UsageError(`--nodes: ${JSON.stringify(nodesPath)} has no GPU node`);
  }
  const badPod = pods.findIndex((p) => !Number.isFinite(p.cpuMilli + p.memoryMib + p.gpuMilli));
  if (badPod >= 0) throw new UsageError(`--pods: row ${badPod + 2} has a non-numeric field`);
  if (pods.length === 0) throw new UsageError(`--pods: ${JSON.stringify(podsPath)} has no pod`);
}

async function replay(trace: string, opts: ReplayOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  if (!(TRACES as readonly string[]).includes(trace)) {
    throw new UsageError(
      `unknown trace kind ${JSON.stringify(trace)} (known: ${TRACES.join(", ")})`,
    );
  }
  const policies = parsePolicyList(opts.policies);
  const seeds = parseSeeds(opts.seeds ?? "42");
  const inflate = parseInflate(opts.inflate);
  // The FGD simulator's selectHost takes the lexicographically smallest tied node name, and its
  // node names carry a random 4-digit prefix per seed: "first" in a per-seed random order.
  const engine = opts.engine ?? "replay";
  if (engine !== "replay" && engine !== "core") {
    throw new UsageError(`--engine: ${JSON.stringify(engine)} is not replay or core`);
  }
  const tieBreak = opts.tieBreak ?? (engine === "core" ? "random" : "first");
  if (tieBreak !== "random" && tieBreak !== "first") {
    throw new UsageError(`--tie-break: ${JSON.stringify(tieBreak)} is not random or first`);
  }
  if (engine === "core" && tieBreak !== "random") {
    throw new UsageError("--engine core breaks ties as kube-scheduler does: --tie-break random");
  }
  checkInputs(opts.nodes, opts.pods);
  const tasks: ReplayTask[] = [];
  for (const policy of policies) {
    for (const seed of seeds) {
      tasks.push({
        nodesPath: opts.nodes,
        podsPath: opts.pods,
        policy,
        seed,
        inflate,
        tieBreak,
        engine,
      });
    }
  }
  const workers = parseWorkers(opts.workers, tasks.length);
  const t0 = performance.now();
  const results = await runReplayTasks(tasks, {
    workers,
    onDone: io.tty
      ? (done, total) => io.err(`\r${s.dim(`replay: ${done}/${total} runs`)}`)
      : undefined,
  });
  if (io.tty) io.err("\n");
  const report = buildReplayReport(results, policies, seeds, {
    kind: "alibaba-gpu",
    nodes: opts.nodes,
    pods: opts.pods,
    inflate,
    tieBreak,
  });
  if (opts.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
    return ExitCode.OK;
  }
  io.err(renderReplayTable(report, policies));
  const wall = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (const p of policies) {
    const runs = results.filter((r) => r.policy === p);
    const ms = runs.map((r) => r.wallMs);
    const r0 = runs[0];
    io.err(
      s.dim(
        `${p}: ${r0?.pods ?? 0} pods/run, placed ${runs.map((r) => r.placed).join("/")}, ` +
          `wall per run ${ms.map(wall).join(", ")}\n`,
      ),
    );
  }
  io.err(s.dim(`total ${wall(performance.now() - t0)} on ${workers} worker(s)\n`));
  return ExitCode.OK;
}
