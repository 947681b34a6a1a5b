/**
 * `gantry explain --cluster <paths…> --pod <file>`: one kube-scheduler v1.35 scheduling cycle for
 * one pod against an existing cluster state, reported node by node and plugin by plugin — which
 * Filter plugin rejected each infeasible node and why, each feasible node's raw and normalized
 * score per Score plugin with its weight, the totals, and the node selectHost picks.
 *
 * Unlike a scheduling run, explain evaluates every node (no percentageOfNodesToScore sampling),
 * scores even a single feasible node, and changes nothing. It runs the TypeScript reference
 * scheduler (`src/reference`), so its verdicts are the oracle the WebAssembly core is tested
 * against.
 *
 * Inputs:
 * - `--cluster` (repeatable, variadic; files, directories, `-` for stdin): Nodes, Namespaces and
 *   the pods bound to them (`spec.nodeName` set) — the existing state. Pending pods (no
 *   `spec.nodeName`) are not part of that state: they are ignored with one warning. So are
 *   terminated pods (`status.phase` Succeeded or Failed, which kube-scheduler's informer filters
 *   out), pods bound to a node that is not in the cluster, and any pod with the explained pod's
 *   namespace/name (explaining a pod that is already placed asks where it would go now).
 * - `--pod <file>` (or `-`): exactly one Pod and nothing else, else exit 2. Its PriorityClass may
 *   come from `--cluster`. A `spec.nodeName` is cleared with a warning: bound pods bypass the
 *   scheduler, so explain treats the pod as pending.
 * - `--config`: a KubeSchedulerConfiguration; without it, kube-scheduler v1.35's defaults.
 *   `--profile` picks the profile (default: the pod's `spec.schedulerName`).
 *
 * Plugins the profile enables that gantry does not implement yet are never dropped silently:
 * those that could change this pod's outcome (any enabled at PreEnqueue — SchedulingGates only
 * when the pod has gates —, PreFilter, Filter, PostFilter, PreScore, Score, Reserve, Permit or
 * PreBind) get one warning on stderr and are listed in the JSON as `notRun`; those that cannot
 * (enabled only at QueueSort, Bind or PostBind — PrioritySort, DefaultBinder — and
 * SchedulingGates for a pod without gates) are listed as `ignored`.
 *
 * When no node fits and the profile enables DefaultPreemption, preemption runs as in
 * kube-scheduler's PostFilter (semantics §5): the document's `preemption` names the node the pod
 * would be nominated to (or `null`) and the victims, `namespace/name`, most important first —
 * nothing is deleted. The dry run's starting offset is drawn from the `--seed` PRNG.
 *
 * Output: `--json` prints {@link ExplainDocument} on stdout; otherwise a table on stderr. Exit 0
 * whether or not the pod fits (`selected` is `null` when it does not); 2 for usage and input
 * errors; 1 when a plugin fails the cycle with an Error status.
 */

import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { type Command, Option } from "commander";
import {
  type BalancedAllocationFormula,
  defaultSchedulerConfig,
  type KubeSchedulerConfiguration,
  loadSchedulerConfig,
  type Profile,
  profileFor,
} from "../../config/index.ts";
import { type Diagnostic, Diagnostics, formatDiagnostic, InputError } from "../../diagnostics.ts";
import {
  type LoadResult,
  loadManifests,
  ManifestCollector,
  errnoMessage as manifestErrnoMessage,
  STDIN_NAME,
} from "../../manifest/index.ts";
import type { Pod } from "../../model/types.ts";
import {
  defaultRegistry,
  explain as explainPod,
  newFramework,
  Pcg32,
  Snapshot,
  unimplementedPlugins,
  withImplementedPlugins,
} from "../../reference/index.ts";
import {
  type ExplainDocument,
  type PluginPoints,
  renderExplainTable,
  unschedulableMessage,
} from "../../report/explain-table.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

/** Version of the `--json` document; bumped on incompatible changes (CHANGELOG.md says when). */
export const EXPLAIN_SCHEMA_VERSION = 1;

/** Extension points at which a plugin cannot change a single-pod explain. */
const INERT_POINTS: ReadonlySet<string> = new Set(["queueSort", "bind", "postBind"]);

/** How many names a warning lists before `, … (N in all)`. */
const LIST_IN_WARNING = 5;

interface ExplainOptions {
  cluster: string[];
  pod: string;
  config?: string;
  profile?: string;
  candidates?: string;
  seed: string;
  balancedAllocationFormula: BalancedAllocationFormula;
  json?: boolean;
  all?: boolean;
}

export function registerExplain(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("explain")
    .description(
      "explain one pod's scheduling cycle: each node's Filter verdict, per-plugin scores, the pick",
    )
    .requiredOption(
      "--cluster <paths...>",
      "cluster state: Nodes, Namespaces, bound Pods (files, directories, - for stdin; repeatable)",
    )
    .requiredOption("--pod <file>", "a file holding exactly one Pod (- for stdin)")
    .option(
      "--config <file>",
      "a KubeSchedulerConfiguration, YAML or JSON (default: kube-scheduler's defaults)",
    )
    .option("--profile <schedulerName>", "the profile to run (default: the pod's schedulerName)")
    .option(
      "--candidates <nodes>",
      "comma-separated nodes to score; the rest count as filtered out",
    )
    .option("--seed <n>", "seed of selectHost's tie-breaking PRNG (0 … 2^53−1)", "0")
    .addOption(
      new Option(
        "--balanced-allocation-formula <version>",
        "NodeResourcesBalancedAllocation score formula",
      )
        .choices(["v1.35", "v1.36"])
        .default("v1.35"),
    )
    .option("--json", "print the explanation as JSON on stdout")
    .option("-a, --all", "table: list every node instead of the top 20 and grouped failures")
    .action(async (opts: ExplainOptions) => {
      setExit(await runExplain(opts, io));
    });
}

async function runExplain(opts: ExplainOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const warn = (text: string) => io.err(`${s.yellow("warning:")} ${text}\n`);
  const seed = parseSeed(opts.seed);
  const fromStdin = [
    ...(opts.cluster.includes("-") ? ["--cluster"] : []),
    ...(opts.pod === "-" ? ["--pod"] : []),
    ...(opts.config === "-" ? ["--config"] : []),
  ];
  if (fromStdin.length > 1) {
    throw new UsageError(`only one input can read stdin (-); ${fromStdin.join(" and ")} both do`);
  }

  const cluster = await loadManifests(opts.cluster, { stdin: io.readStdin });
  printDiagnostics(cluster.diagnostics, warn);
  if (cluster.nodes.length === 0) {
    throw new UsageError(`--cluster ${opts.cluster.join(" ")}: no Nodes found`);
  }
  const loadedPod = await loadPod(opts.pod, cluster, io);
  printDiagnostics(loadedPod.diagnostics, warn);
  let pod = loadedPod.pod;
  const podFile = opts.pod === "-" ? STDIN_NAME : opts.pod;
  const podId = `${pod.metadata.namespace}/${pod.metadata.name}`;
  if (pod.spec.nodeName !== "") {
    warn(
      `${podFile}: pod ${podId} is bound to ${pod.spec.nodeName}; explaining it as a pending pod`,
    );
    pod = { ...pod, spec: { ...pod.spec, nodeName: "" } };
  }
  if (pod.spec.schedulingGates.length > 0) {
    warn(
      `${podFile}: pod ${podId} has scheduling gates (${pod.spec.schedulingGates.join(", ")}); kube-scheduler does not attempt it until they are removed: explaining it as if they were`,
    );
  }
  const config = await loadConfig(opts, io, warn);
  const schedulerName = opts.profile ?? pod.spec.schedulerName;
  const profile = profileFor(config, schedulerName);
  if (!profile) {
    const where = opts.config ?? "the default configuration";
    const available = config.profiles.map((p) => p.schedulerName).join(", ");
    const why = opts.profile === undefined ? ` (the pod's spec.schedulerName)` : "";
    throw new UsageError(
      `no profile for scheduler name "${schedulerName}"${why} in ${where}; available profiles: ${available}`,
    );
  }

  const boundPods = clusterState(
    cluster.pods,
    pod,
    new Set(cluster.nodes.map((n) => n.metadata.name)),
    warn,
  );
  const candidates = parseCandidates(
    opts.candidates,
    cluster.nodes.map((n) => n.metadata.name),
  );

  const registry = defaultRegistry();
  const { notRun, ignored } = classifyUnimplemented(profile, registry, pod);
  if (notRun.length > 0) {
    warn(
      `profile ${profile.schedulerName} enables plugins gantry does not implement yet; explain ran without them: ${notRun
        .map((p) => `${p.plugin} (${p.extensionPoints.join(", ")})`)
        .join(", ")}`,
    );
  }
  const fwk = newFramework(withImplementedPlugins(profile, registry), registry);
  const snapshot = new Snapshot(cluster.nodes, boundPods, {
    namespaces: cluster.namespaces,
    kept: cluster.kept,
  });
  const result = explainPod(pod, snapshot, fwk, {
    rng: new Pcg32(BigInt(seed)),
    ...(candidates ? { candidates } : {}),
  });

  const doc: ExplainDocument = {
    schemaVersion: EXPLAIN_SCHEMA_VERSION,
    pod: result.pod,
    profile: result.profile,
    seed,
    candidates: candidates ?? null,
    skipped: result.skipped,
    nodes: result.nodes,
    selected: result.selected,
    message:
      result.selected === null && result.error === undefined
        ? unschedulableMessage(result.nodes)
        : null,
    notRun,
    ignored,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.preemption !== undefined ? { preemption: result.preemption } : {}),
  };
  if (opts.json) io.out(`${JSON.stringify(doc, null, 2)}\n`);
  else io.err(renderExplainTable(doc, { color: io.color, all: opts.all === true }));
  if (doc.error !== undefined) {
    if (opts.json) io.err(`${s.red("error:")} scheduling cycle failed: ${doc.error}\n`);
    return ExitCode.FAILURE;
  }
  return ExitCode.OK;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], warn: (t: string) => void): void {
  for (const d of diagnostics) warn(formatDiagnostic({ ...d, severity: "error" }));
}

/** `--seed`: a decimal integer in [0, 2^53−1], so the JSON `seed` is exact for every reader. */
function parseSeed(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(
      `--seed: "${text}" is not an integer between 0 and ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return n;
}

/** `--candidates`: comma-separated node names, each in the cluster; duplicates collapse. */
function parseCandidates(text: string | undefined, nodes: readonly string[]): string[] | undefined {
  if (text === undefined) return undefined;
  const names = [
    ...new Set(
      text
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n !== ""),
    ),
  ];
  if (names.length === 0) throw new UsageError("--candidates: no node names given");
  const known = new Set(nodes);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `--candidates: no such node${unknown.length === 1 ? "" : "s"} in the cluster: ${unknown.join(", ")}`,
    );
  }
  return names;
}

function errnoMessage(e: unknown): string {
  // A directory given where one file is expected says so.
  const code = (e as { code?: unknown }).code;
  if (code === "EISDIR") return "is a directory (a single file is expected)";
  return manifestErrnoMessage(e);
}

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file === "-") return io.readStdin();
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw InputError.of({ file }, errnoMessage(e));
  }
}

/**
 * Loads `--pod`: exactly one object, a Pod. The cluster's PriorityClasses are loaded alongside so
 * that Priority admission can resolve the pod's `priorityClassName`.
 */
async function loadPod(
  file: string,
  cluster: LoadResult,
  io: CliIO,
): Promise<{ pod: Pod; diagnostics: Diagnostic[] }> {
  const text = await readInput(file, io);
  const name = file === "-" ? STDIN_NAME : file;
  const collector = new ManifestCollector();
  const classes = cluster.kept.filter((k) => k.kind === "PriorityClass");
  for (const pc of classes) collector.addDocument(pc.body, pc.source);
  collector.addText(
    text,
    name,
    file !== "-" && extname(file).toLowerCase() === ".json" ? "json" : "yaml",
  );
  const loaded = collector.result();
  if (loaded.diagnostics.some((d) => d.severity === "error")) {
    throw new InputError(loaded.diagnostics);
  }
  const others =
    loaded.nodes.length + loaded.namespaces.length + loaded.kept.length - classes.length;
  const [pod] = loaded.pods;
  if (loaded.pods.length !== 1 || others > 0 || !pod) {
    const found = [
      `${loaded.pods.length} Pod${loaded.pods.length === 1 ? "" : "s"}`,
      ...(others > 0 ? [`${others} other object${others === 1 ? "" : "s"}`] : []),
    ].join(" and ");
    throw InputError.of(
      { file: name },
      `--pod must name a file holding exactly one Pod; found ${found}`,
    );
  }
  return { pod, diagnostics: loaded.diagnostics };
}

async function loadConfig(
  opts: ExplainOptions,
  io: CliIO,
  warn: (t: string) => void,
): Promise<KubeSchedulerConfiguration> {
  const options = { balancedAllocationFormula: opts.balancedAllocationFormula };
  if (opts.config === undefined) return defaultSchedulerConfig(options);
  const text = await readInput(opts.config, io);
  const name = opts.config === "-" ? STDIN_NAME : opts.config;
  const diagnostics = new Diagnostics();
  const config = loadSchedulerConfig(text, name, { ...options, diagnostics });
  printDiagnostics(diagnostics.warnings(), warn);
  return config;
}

/** Names the first few of `items` and counts the rest. */
function listSome(items: readonly string[]): string {
  if (items.length <= LIST_IN_WARNING) return items.join(", ");
  return `${items.slice(0, LIST_IN_WARNING).join(", ")}, … (${items.length} in all)`;
}

/**
 * The pods that make up the cluster state: bound, not terminated, on a node of the cluster, and
 * not the explained pod itself. Each excluded group gets one warning.
 */
function clusterState(
  pods: readonly Pod[],
  pod: Pod,
  nodes: ReadonlySet<string>,
  warn: (t: string) => void,
): Pod[] {
  const pending: string[] = [];
  const terminated: string[] = [];
  const orphans: string[] = [];
  const kept: Pod[] = [];
  const id = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`;
  for (const p of pods) {
    if (p.metadata.namespace === pod.metadata.namespace && p.metadata.name === pod.metadata.name) {
      warn(
        `--cluster: pod ${id(p)} is the pod being explained; left out of the cluster state` +
          (p.spec.nodeName ? ` (it was on ${p.spec.nodeName})` : ""),
      );
    } else if (p.spec.nodeName === "") pending.push(id(p));
    else if (p.status.phase === "Succeeded" || p.status.phase === "Failed") terminated.push(id(p));
    else if (!nodes.has(p.spec.nodeName)) orphans.push(`${id(p)} (${p.spec.nodeName})`);
    else kept.push(p);
  }
  if (pending.length > 0) {
    warn(
      `--cluster: ${pending.length} pending pod${pending.length === 1 ? "" : "s"} (no spec.nodeName) ignored: they are not part of the cluster state: ${listSome(pending)}`,
    );
  }
  if (terminated.length > 0) {
    warn(
      `--cluster: ${terminated.length} terminated pod${terminated.length === 1 ? "" : "s"} (Succeeded or Failed) ignored: ${listSome(terminated)}`,
    );
  }
  if (orphans.length > 0) {
    warn(
      `--cluster: ${orphans.length} pod${orphans.length === 1 ? "" : "s"} bound to nodes not in the cluster ignored: ${listSome(orphans)}`,
    );
  }
  return kept;
}

/**
 * Splits the profile's unimplemented plugins into those that could change this pod's outcome
 * (`notRun`) and those that cannot (`ignored`): see the module comment.
 */
function classifyUnimplemented(
  profile: Profile,
  registry: ReturnType<typeof defaultRegistry>,
  pod: Pod,
): { notRun: PluginPoints[]; ignored: PluginPoints[] } {
  const notRun: PluginPoints[] = [];
  const ignored: PluginPoints[] = [];
  for (const { name, extensionPoints } of unimplementedPlugins(profile, registry)) {
    const entry = { plugin: name, extensionPoints: [...extensionPoints] };
    const matters = extensionPoints.some((point) => {
      if (INERT_POINTS.has(point)) return false;
      if (point === "preEnqueue" && name === "SchedulingGates") {
        return pod.spec.schedulingGates.length > 0;
      }
      return true;
    });
    (matters ? notRun : ignored).push(entry);
  }
  return { notRun, ignored };
}
