/**
 * Loading scenarios: a scenario file (`loadScenario`), or plain Kubernetes manifests
 * (`scenarioFromManifests`), into a validated {@link Scenario}.
 *
 * Stages: parse (`parse.ts`) → read the referenced files (manifests, pod template files, the
 * scheduler configuration) → decode and default (manifests and templates through the manifest
 * decoder, the configuration through `src/config`) → validate across sections (node names unique,
 * bound pods on existing nodes, events naming existing pools and live nodes, every stream
 * bounded). Every problem of every stage and file is collected and thrown at once as an
 * {@link InputError} (exit code 2 in the CLI); warnings are kept on the scenario.
 *
 * Nothing pod-sized is built here: streams stay lazy until iterated.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join } from "node:path";
import type { LoadOptions as ConfigLoadOptions } from "../config/defaults.ts";
import {
  defaultSchedulerConfig,
  type KubeSchedulerConfiguration,
  loadSchedulerConfig,
  type Profile,
  profileFor,
} from "../config/index.ts";
import {
  type Diagnostic,
  Diagnostics,
  formatDiagnostic,
  InputError,
  joinPath,
  type Location,
} from "../diagnostics.ts";
import { type NodePoolSpec, poolNodes, takeNodes } from "../generate/cluster.ts";
import type { Distribution } from "../generate/distributions.ts";
import type { PodStreamSpec, PodTemplate } from "../generate/pods.ts";
import { isObject, keySegment, quote, type RawObject } from "../manifest/field.ts";
import {
  addManifestFiles,
  DEFAULT_SCHEDULER_NAME,
  errnoMessage,
  ManifestCollector,
  STDIN_NAME,
} from "../manifest/index.ts";
import { deriveUid } from "../manifest/meta.ts";
import { NAMESPACE_NAME_LABEL } from "../manifest/namespace.ts";
import { parseYaml } from "../manifest/parse.ts";
import type { KeptObject, Namespace, Node, Pod } from "../model/types.ts";
import { BUILT_IN_NAMESPACES } from "../sim/controlplane/admission.ts";
import type { DeploymentEvent } from "../sim/controlplane/deployment.ts";
import { buildControlPlane } from "../sim/controlplane/index.ts";
import { ARRIVAL_ANNOTATION, type ClusterEvent, type PodArrival } from "../sim/types.ts";
import { formatDuration } from "./duration.ts";
import { type ClassifiedManifests, classifyManifests, podRunTime } from "./manifests.ts";
import { NAMED_POLICIES, namedPolicyProfile } from "./named-policies.ts";
import {
  type ParseContext,
  type ParsedScenario,
  type ParsedStream,
  parseScenario,
} from "./parse.ts";
import { makeScenario } from "./scenario.ts";
import { decodeTemplate, hasPlaceholder, type TemplateSource } from "./template.ts";
import type { Scenario, ScenarioSpec, SchedulerSpec } from "./types.ts";

/** Options of {@link loadScenario}. */
export interface LoadScenarioOptions {
  /** Overrides the file's `simulation.seed`. */
  readonly seed?: number;
}

/** The built-in scheduler profiles a scenario can name without a configuration. */
export const BUILT_IN_PROFILES: Readonly<Record<string, string | undefined>> = {
  /** kube-scheduler v1.35's defaults. */
  default: undefined,
  /** The defaults with NodeResourcesFit scoring MostAllocated (bin packing). */
  "most-allocated": `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
`,
};

function checkSeed(seed: number | undefined): void {
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0)) {
    throw new RangeError(`seed must be an integer between 0 and 2^53−1, got ${seed}`);
  }
}

/** Every diagnostic once, in first-seen order (templates are decoded more than once). */
function unique(items: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return items.filter((d) => {
    const key = `${d.severity}\u0000${formatDiagnostic(d)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function throwOnErrors(diags: Diagnostics): void {
  if (diags.hasErrors) throw new InputError(unique(diags.items));
}

// ---------------------------------------------------------------------------------------------
// Scheduler

interface ResolvedScheduler {
  readonly config: KubeSchedulerConfiguration;
  readonly profile: Profile;
}

async function resolveScheduler(
  spec: SchedulerSpec & { readonly path: string },
  file: string,
  diags: Diagnostics,
): Promise<ResolvedScheduler | undefined> {
  const options: ConfigLoadOptions = spec.balancedAllocationFormula
    ? { balancedAllocationFormula: spec.balancedAllocationFormula }
    : {};
  const profilePath = joinPath(spec.path, "profile");
  let config: KubeSchedulerConfiguration | undefined;
  const collect = new Diagnostics();
  if (spec.configFile !== undefined || spec.config !== undefined) {
    let text: string | undefined;
    let name = file;
    if (spec.configFile !== undefined) {
      name = spec.configFile;
      try {
        text = await readFile(spec.configFile, "utf8");
      } catch (e) {
        diags.add({ file: spec.configFile, severity: "error", message: errnoMessage(e) });
      }
    } else if (isObject(spec.config)) {
      text = JSON.stringify(spec.config);
    }
    if (text !== undefined) {
      try {
        config = loadSchedulerConfig(text, name, { ...options, diagnostics: collect });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
      }
    }
    const inline = spec.configFile === undefined;
    const prefix = joinPath(spec.path, "config");
    for (const d of collect.items) {
      diags.add(inline ? { ...d, path: d.path ? joinPath(prefix, d.path) : prefix } : d);
    }
    if (!config) return undefined;
    const profiles = config.profiles;
    let profile: Profile | undefined;
    if (spec.profile !== undefined) profile = profileFor(config, spec.profile);
    else if (profiles.length === 1) profile = profiles[0];
    else profile = profileFor(config, DEFAULT_SCHEDULER_NAME);
    if (!profile) {
      const available = profiles.map((p) => p.schedulerName).join(", ");
      diags.add({
        file,
        path: profilePath,
        severity: "error",
        message:
          spec.profile !== undefined
            ? `no profile with schedulerName ${quote(spec.profile)} in the configuration (profiles: ${available})`
            : `required: the configuration has several profiles (${available}); name the one to run`,
      });
      return undefined;
    }
    return { config, profile };
  }
  const builtIn = spec.profile ?? "default";
  if (NAMED_POLICIES.includes(builtIn)) {
    config = defaultSchedulerConfig(options);
    return {
      config,
      profile: namedPolicyProfile(builtIn, config.profiles[0] as Profile) as Profile,
    };
  }
  if (!(builtIn in BUILT_IN_PROFILES)) {
    diags.add({
      file,
      path: profilePath,
      severity: "error",
      message: `${quote(builtIn)} is not a built-in profile (${Object.keys(BUILT_IN_PROFILES).join(", ")}) or strategy (${NAMED_POLICIES.join(", ")}); or give configFile or config`,
    });
    return undefined;
  }
  const text = BUILT_IN_PROFILES[builtIn];
  config =
    text === undefined
      ? defaultSchedulerConfig(options)
      : loadSchedulerConfig(text, `<built-in profile ${builtIn}>`, options);
  return { config, profile: config.profiles[0]! };
}

// ---------------------------------------------------------------------------------------------
// Streams

const SYNTHETIC_CLASS_PREFIX = "gantry-priority-";

/** The PriorityClass name gantry creates for a stream's `priority: n`. */
export function syntheticPriorityClassName(priority: number): string {
  return `${SYNTHETIC_CLASS_PREFIX}${priority < 0 ? `minus-${-priority}` : priority}`;
}

/** A copy of template `raw` with the stream's namespace, labels and priority class applied. */
function applyStreamOverrides(raw: RawObject, stream: ParsedStream): RawObject {
  const out: RawObject = structuredClone(raw);
  const meta = out["metadata"] === undefined || out["metadata"] === null ? {} : out["metadata"];
  if (isObject(meta)) {
    if (stream.namespace !== undefined) meta["namespace"] = stream.namespace;
    if (stream.labels !== undefined) {
      const labels = isObject(meta["labels"]) ? meta["labels"] : {};
      meta["labels"] = { ...labels, ...stream.labels };
    }
    out["metadata"] = meta;
  }
  const className =
    stream.priorityClassName ??
    (stream.priority !== undefined ? syntheticPriorityClassName(stream.priority) : undefined);
  if (className !== undefined) {
    const spec = out["spec"] === undefined || out["spec"] === null ? {} : out["spec"];
    if (isObject(spec)) {
      spec["priorityClassName"] = className;
      out["spec"] = spec;
    }
  }
  return out;
}

/** Reads a template file: exactly one YAML (or JSON) document. */
async function readTemplateFile(
  path: string,
  at: Location,
  diags: Diagnostics,
): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    diags.add({ ...at, severity: "error", message: `${path}: ${errnoMessage(e)}` });
    return undefined;
  }
  const parsed = parseYaml(text, path);
  for (const d of parsed.diagnostics) diags.add(d);
  if (parsed.diagnostics.some((d) => d.severity === "error")) return undefined;
  if (parsed.documents.length !== 1) {
    diags.add({
      file: path,
      severity: "error",
      message: `must hold exactly one Pod document, found ${parsed.documents.length}`,
    });
    return undefined;
  }
  return parsed.documents[0]!.value;
}

interface StreamContext {
  readonly file: string;
  readonly diags: Diagnostics;
  readonly classes: readonly KeptObject[];
  readonly schedulerName: string | undefined;
  readonly endTime: number | undefined;
  /** `namespace/name` of templates seen → where. */
  readonly names: Map<string, string>;
  /** The namespaces of the streams' pods → the first template in each. */
  readonly namespaces: Map<string, Location>;
}

async function buildTemplate(
  ref: ParsedStream["templates"][number],
  stream: ParsedStream,
  ctx: StreamContext,
): Promise<PodTemplate | undefined> {
  const { diags, classes } = ctx;
  let raw: unknown;
  let where: TemplateSource;
  if (ref.file !== undefined) {
    raw = await readTemplateFile(ref.file, { file: ctx.file, path: ref.path }, diags);
    where = { file: ref.file, path: "" };
  } else {
    raw = ref.raw;
    where = { file: ctx.file, path: ref.path };
  }
  if (!isObject(raw)) {
    if (ref.file !== undefined && raw !== undefined) {
      diags.add({ file: ref.file, severity: "error", message: "must be an object (a Pod)" });
    }
    return undefined;
  }
  const doc = applyStreamOverrides(raw, stream);
  const varies = stream.groups > 1 && hasPlaceholder(doc);
  const pod = decodeTemplate(doc, 0, where, classes, diags);
  if (varies) decodeTemplate(doc, stream.groups - 1, where, classes, diags);

  const at = (sub: string): Location => ({
    ...pod.source,
    path: joinPath(pod.source.path, sub),
  });
  if (pod.metadata.annotations[ARRIVAL_ANNOTATION] !== undefined) {
    diags.add({
      ...at(`metadata.annotations${keySegment(ARRIVAL_ANNOTATION)}`),
      severity: "warning",
      message: `ignored: the stream's arrival process times its pods`,
    });
  }
  if (pod.spec.nodeName !== "") {
    diags.add({
      ...at("spec.nodeName"),
      severity: "error",
      message: "must not be set in a stream template (generated pods are scheduled)",
    });
  }
  if (ctx.schedulerName !== undefined && pod.spec.schedulerName !== ctx.schedulerName) {
    diags.add({
      ...at("spec.schedulerName"),
      severity: "warning",
      message: `${quote(pod.spec.schedulerName)} is not the scenario's profile (${ctx.schedulerName}): these pods will stay pending`,
    });
  }
  if (!ctx.namespaces.has(pod.metadata.namespace)) {
    ctx.namespaces.set(pod.metadata.namespace, { file: ctx.file, path: stream.path });
  }
  const meta = isObject(doc["metadata"]) ? doc["metadata"] : {};
  const rawName = typeof meta["name"] === "string" ? meta["name"] : "";
  if (rawName) {
    const key = `${pod.metadata.namespace}/${rawName}`;
    const first = ctx.names.get(key);
    if (first !== undefined) {
      diags.add({
        ...at("metadata.name"),
        severity: "error",
        message: `duplicate template name ${quote(rawName)} in namespace ${pod.metadata.namespace} (first at ${first}): generated pods would share names`,
      });
    } else {
      ctx.names.set(key, pod.source.path ?? pod.source.file);
    }
  }

  let duration: Distribution | "never" | undefined = stream.duration;
  if (duration === undefined) {
    const s = podRunTime(pod, diags);
    duration = s === Number.POSITIVE_INFINITY ? "never" : { kind: "constant", value: s };
  }
  const build = varies
    ? (k: number): Pod => {
        const d = new Diagnostics();
        const variant = decodeTemplate(doc, k, where, classes, d);
        if (d.hasErrors) throw new InputError(d.errors());
        return variant;
      }
    : (): Pod => pod;
  return { weight: ref.weight, build, varies, duration };
}

async function buildStreams(
  streams: readonly ParsedStream[],
  ctx: StreamContext,
): Promise<PodStreamSpec[]> {
  const out: PodStreamSpec[] = [];
  for (const s of streams) {
    const templates: PodTemplate[] = [];
    for (const ref of s.templates) {
      const t = await buildTemplate(ref, s, ctx);
      if (t) templates.push(t);
    }
    const until = s.until ?? ctx.endTime;
    if (s.count === undefined && until === undefined) {
      ctx.diags.add({
        file: ctx.file,
        path: s.path,
        severity: "error",
        message: "never ends: set count or until (or simulation.endTime)",
      });
    }
    if (templates.length !== s.templates.length) continue;
    out.push({
      name: s.name,
      templates,
      groups: s.groups,
      ...(s.count !== undefined ? { count: s.count } : {}),
      start: s.start,
      ...(until !== undefined ? { until } : {}),
      arrival: s.arrival,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cluster and events

function describeNode(node: Node): string {
  const s = node.source;
  return s.doc !== undefined ? `${s.file}: doc ${s.doc}` : s.path ? `${s.file}: ${s.path}` : s.file;
}

/** Registers `nodes`' names in `names`; reports the first collision per call at `at`. */
function registerNodes(
  nodes: readonly Node[],
  names: Map<string, Node>,
  at: Location,
  diags: Diagnostics,
): void {
  for (const node of nodes) {
    const name = node.metadata.name;
    const first = names.get(name);
    if (first !== undefined) {
      diags.add({
        ...at,
        severity: "error",
        message: `node name ${quote(name)} is already used (by ${describeNode(first)})`,
      });
      return;
    }
    names.set(name, node);
  }
}

function resolveEvents(
  parsed: ParsedScenario,
  pools: readonly NodePoolSpec[],
  seed: number,
  names: Map<string, Node>,
  deployments: ReadonlySet<string>,
  file: string,
  diags: Diagnostics,
): { events: ClusterEvent[]; deploymentEvents: Map<string, DeploymentEvent[]> } {
  const byName = new Map(pools.map((p) => [p.name, p]));
  const iters = new Map<string, Iterator<Node>>();
  const live = new Set(names.keys());
  const removed = new Map<string, number>();
  const endTime = parsed.simulation.endTime;
  const order = parsed.events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i);
  const out: ClusterEvent[] = [];
  const deploymentEvents = new Map<string, DeploymentEvent[]>();
  for (const { e } of order) {
    if (endTime !== undefined && e.at > endTime) {
      diags.add({
        file,
        path: joinPath(e.path, "at"),
        severity: "warning",
        message: `after simulation.endTime (${formatDuration(endTime)}): never happens`,
      });
    }
    if (e.kind === "addNode") {
      const pool = byName.get(e.pool);
      if (!pool) {
        const known = pools.map((p) => p.name).join(", ") || "none";
        diags.add({
          file,
          path: joinPath(e.path, "pool"),
          severity: "error",
          message: `no pool named ${quote(e.pool)} (pools: ${known})`,
        });
        continue;
      }
      let it = iters.get(pool.name);
      if (!it) {
        it = poolNodes(pool, seed);
        for (let i = 0; i < pool.count; i++) it.next();
        iters.set(pool.name, it);
      }
      const added: Node[] = [];
      for (let i = 0; i < e.count; i++) added.push(it.next().value as Node);
      registerNodes(added, names, { file, path: e.path }, diags);
      for (const node of added) {
        live.add(node.metadata.name);
        out.push({ time: e.at, kind: "addNode", node });
      }
      continue;
    }
    if (e.kind === "scale" || e.kind === "rollout") {
      if (!deployments.has(e.deployment)) {
        const known = [...deployments].join(", ") || "none";
        diags.add({
          file,
          path: joinPath(e.path, "deployment"),
          severity: "error",
          message: `no Deployment ${quote(e.deployment)} in the manifests (Deployments: ${known})`,
        });
        continue;
      }
      const list = deploymentEvents.get(e.deployment) ?? [];
      list.push(
        e.kind === "scale"
          ? { at: e.at, kind: "scale", replicas: e.replicas }
          : { at: e.at, kind: "rollout", ...(e.image !== undefined ? { image: e.image } : {}) },
      );
      deploymentEvents.set(e.deployment, list);
      continue;
    }
    if (!live.has(e.node)) {
      const gone = removed.get(e.node);
      diags.add({
        file,
        path: joinPath(e.path, "node"),
        severity: "error",
        message:
          gone !== undefined
            ? `node ${quote(e.node)} was removed at ${formatDuration(gone)}`
            : `no node named ${quote(e.node)} in the cluster at ${formatDuration(e.at)}`,
      });
      continue;
    }
    if (e.kind === "removeNode") {
      live.delete(e.node);
      removed.set(e.node, e.at);
    }
    if (e.kind === "setTaints")
      out.push({ time: e.at, kind: e.kind, node: e.node, taints: e.taints });
    else out.push({ time: e.at, kind: e.kind, node: e.node });
  }
  return { events: out, deploymentEvents };
}

/**
 * Namespace objects for the namespaces `used` that `declared` lacks (a scenario's streams create
 * theirs), located at `at`.
 */
function synthesizeNamespaces(
  used: ReadonlyMap<string, Location>,
  declared: readonly Namespace[],
): Namespace[] {
  const have = new Set(declared.map((n) => n.metadata.name));
  const out: Namespace[] = [];
  for (const [name, source] of used) {
    if (have.has(name) || BUILT_IN_NAMESPACES.includes(name)) continue;
    out.push({
      kind: "Namespace",
      metadata: {
        name,
        namespace: "",
        uid: deriveUid("Namespace", "", name),
        labels: { [NAMESPACE_NAME_LABEL]: name },
        annotations: {},
        ownerReferences: [],
      },
      source,
    });
  }
  return out;
}

/** Warns about manifest pods in namespaces that do not exist (admission will reject them). */
function warnUndeclaredNamespaces(
  pods: readonly PodArrival[],
  namespaces: readonly string[],
  diags: Diagnostics,
): void {
  const existing = new Set([...BUILT_IN_NAMESPACES, ...namespaces]);
  const seen = new Set<string>();
  for (const { template: pod } of pods) {
    const ns = pod.metadata.namespace;
    if (existing.has(ns) || seen.has(ns)) continue;
    seen.add(ns);
    diags.add({
      ...pod.source,
      path: joinPath(pod.source.path, "metadata.namespace"),
      severity: "warning",
      message: `namespace ${quote(ns)} does not exist: the pod will be rejected (give a Namespace object)`,
    });
  }
}

/** `namespace/name` of every Deployment. */
function deploymentKeys(kept: readonly KeptObject[]): Set<string> {
  return new Set(
    kept
      .filter((o) => o.kind === "Deployment")
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`),
  );
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * A scenario's YAML problems: warnings, and only the first syntax error (the parser reports a
 * cascade after it). A `{{k}}` on the error's line inside a flow mapping gets a hint.
 */
function syntaxDiagnostics(items: readonly Diagnostic[], text: string): Diagnostic[] {
  const first = items.find((d) => d.severity === "error");
  const out = items.filter((d) => d.severity === "warning");
  if (first === undefined) return out;
  const line = /at line (\d+)/.exec(first.message)?.[1];
  const source = line !== undefined ? text.split("\n")[Number(line) - 1] : undefined;
  const hint =
    source !== undefined && /\{\{\s*k\s*\}\}/.test(source)
      ? ' (inside { } quote values holding {{k}}: {app: "web-{{k}}"})'
      : "";
  return [...out, { ...first, message: first.message + hint }];
}

/**
 * Loads a scenario file (YAML or JSON) and everything it references.
 * @throws InputError carrying every problem found.
 */
export async function loadScenario(
  path: string,
  options: LoadScenarioOptions = {},
): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw InputError.of({ file: path }, errnoMessage(e));
  }
  return loadScenarioFromString(text, path, options);
}

/**
 * Loads a scenario from its text; `file` names it in diagnostics, and relative paths in it are
 * resolved against `file`'s directory.
 * @throws InputError carrying every problem found.
 */
export async function loadScenarioFromString(
  text: string,
  file: string,
  options: LoadScenarioOptions = {},
): Promise<Scenario> {
  checkSeed(options.seed);
  const diags = new Diagnostics();
  const parsedFile = parseYaml(text, file);
  for (const d of syntaxDiagnostics(parsedFile.diagnostics, text)) diags.add(d);
  throwOnErrors(diags);
  if (parsedFile.documents.length !== 1) {
    throw InputError.of(
      { file },
      parsedFile.documents.length === 0
        ? "empty file: expected a Scenario document"
        : `expected exactly one YAML document (a Scenario), found ${parsedFile.documents.length}`,
    );
  }
  const dir = dirname(file);
  const ctx: ParseContext = {
    file,
    diags,
    resolve: (p) => (isAbsolute(p) ? p : join(dir, p)),
  };
  const parsed = parseScenario(parsedFile.documents[0]!.value, ctx);
  if (!parsed) throw new InputError(unique(diags.items));
  const seed = options.seed ?? parsed.simulation.seed;

  // Manifests: files first, then inline documents, then the PriorityClasses streams imply.
  const collector = new ManifestCollector();
  const done = new Set<string>();
  await addManifestFiles(collector, parsed.cluster.files, done);
  await addManifestFiles(collector, parsed.workload.files, done);
  for (const m of [...parsed.cluster.manifests, ...parsed.workload.manifests]) {
    collector.addDocument(m.value, { file }, m.path);
  }
  const synthetic = new Set<number>();
  for (const s of parsed.workload.streams) {
    if (s.priority === undefined || synthetic.has(s.priority)) continue;
    synthetic.add(s.priority);
    collector.addDocument(
      {
        apiVersion: "scheduling.k8s.io/v1",
        kind: "PriorityClass",
        metadata: { name: syntheticPriorityClassName(s.priority) },
        value: s.priority,
        description: `Created by gantry for stream ${s.name}'s priority.`,
      },
      { file },
      joinPath(s.path, "priority"),
    );
  }
  const loaded = collector.result();
  for (const d of loaded.diagnostics) diags.add(d);

  // The cluster at time 0: manifest nodes, then the pools'.
  const names = new Map<string, Node>();
  registerNodes(loaded.nodes, names, { file }, diags);
  const nodes: Node[] = [...loaded.nodes];
  for (const pool of parsed.cluster.pools) {
    const poolNodes = takeNodes(pool, seed, pool.count);
    registerNodes(poolNodes, names, { file, path: pool.source?.path ?? "cluster.pools" }, diags);
    nodes.push(...poolNodes);
  }
  const classified: ClassifiedManifests = classifyManifests(loaded, new Set(names.keys()), diags);
  const { events, deploymentEvents } = resolveEvents(
    parsed,
    parsed.cluster.pools,
    seed,
    names,
    deploymentKeys(loaded.kept),
    file,
    diags,
  );
  if (nodes.length === 0 && !events.some((e) => e.kind === "addNode")) {
    diags.add({
      file,
      path: "cluster",
      severity: "error",
      message: "no nodes: give files, manifests or pools",
    });
  }

  const scheduler = await resolveScheduler(parsed.scheduler, file, diags);
  const schedulerName = scheduler?.profile.schedulerName;
  for (const { template: pod } of classified.pods) {
    if (schedulerName !== undefined && pod.spec.schedulerName !== schedulerName) {
      diags.add({
        ...pod.source,
        path: joinPath(pod.source.path, "spec.schedulerName"),
        severity: "warning",
        message: `${quote(pod.spec.schedulerName)} is not the scenario's profile (${schedulerName}): the pod will stay pending`,
      });
    }
  }

  const classes = loaded.kept.filter((o) => o.kind === "PriorityClass");
  const streamNamespaces = new Map<string, Location>();
  const streams = await buildStreams(parsed.workload.streams, {
    file,
    diags,
    classes,
    schedulerName,
    endTime: parsed.simulation.endTime,
    names: new Map(),
    namespaces: streamNamespaces,
  });
  // A stream's namespace is created by the scenario.
  const namespaces = [
    ...(classified.objects.namespaces ?? []),
    ...synthesizeNamespaces(streamNamespaces, classified.objects.namespaces ?? []),
  ];
  const namespaceNames = namespaces.map((n) => n.metadata.name);
  warnUndeclaredNamespaces([...classified.pods, ...classified.boundPods], namespaceNames, diags);
  const controlPlane = buildControlPlane(
    { kept: loaded.kept, namespaces: namespaceNames, deploymentEvents },
    diags,
  );
  throwOnErrors(diags);

  const spec: ScenarioSpec = {
    metadata: parsed.metadata,
    cluster: {
      files: parsed.cluster.files,
      manifests: parsed.cluster.manifests.map((m) => m.value),
      pools: parsed.cluster.pools,
    },
    workload: {
      files: parsed.workload.files,
      manifests: parsed.workload.manifests.map((m) => m.value),
      streams,
    },
    scheduler: schedulerSpecOf(parsed.scheduler),
    simulation: { ...parsed.simulation, seed },
    events: parsed.events.map(({ path: _path, ...e }) => e),
    outputs: parsed.outputs,
  };
  return makeScenario({
    name: parsed.metadata.name,
    ...(parsed.metadata.description !== undefined
      ? { description: parsed.metadata.description }
      : {}),
    source: file,
    spec,
    seed,
    nodes,
    boundPods: classified.boundPods,
    pods: classified.pods,
    streams,
    objects: { ...classified.objects, namespaces },
    controlPlane,
    config: scheduler!.config,
    profile: scheduler!.profile,
    events,
    ...(parsed.simulation.endTime !== undefined ? { endTime: parsed.simulation.endTime } : {}),
    ...(parsed.simulation.measure !== undefined ? { measure: parsed.simulation.measure } : {}),
    outputs: parsed.outputs,
    warnings: unique(diags.warnings()),
  });
}

function schedulerSpecOf(s: SchedulerSpec & { readonly path: string }): SchedulerSpec {
  const { path: _path, ...rest } = s;
  return rest;
}

/** Options of {@link scenarioFromManifests}. */
export interface ScenarioFromManifestsOptions {
  /** The run seed; default 0. */
  readonly seed?: number;
  /** A name for reports; default: the first input's base name without extension. */
  readonly name?: string;
  /** Supplies stdin's text for the input `-`. */
  readonly stdin?: () => Promise<string> | string;
}

function readStdinDefault(): Promise<string> {
  return (async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  })();
}

/**
 * Plain Kubernetes manifests (files, directories, `-` for stdin) as a scenario: the Nodes are
 * the cluster, Pods the workload (see `manifests.ts` for arrival times, run times and bound pods),
 * the other objects pass through; kube-scheduler v1.35's default profile; seed 0 unless given.
 * @throws InputError carrying every problem found.
 */
export async function scenarioFromManifests(
  paths: readonly string[],
  options: ScenarioFromManifestsOptions = {},
): Promise<Scenario> {
  checkSeed(options.seed);
  const diags = new Diagnostics();
  const collector = new ManifestCollector();
  const files: string[] = [];
  for (const p of paths) {
    if (p === "-") {
      const text = await (options.stdin ?? readStdinDefault)();
      collector.addText(text, STDIN_NAME, "yaml");
    } else {
      files.push(p);
    }
  }
  await addManifestFiles(collector, files);
  const loaded = collector.result();
  for (const d of loaded.diagnostics) diags.add(d);
  const names = new Map<string, Node>();
  registerNodes(loaded.nodes, names, { file: paths[0] ?? "" }, diags);
  const classified = classifyManifests(loaded, new Set(names.keys()), diags);
  const namespaceNames = loaded.namespaces.map((n) => n.metadata.name);
  warnUndeclaredNamespaces([...classified.pods, ...classified.boundPods], namespaceNames, diags);
  const controlPlane = buildControlPlane({ kept: loaded.kept, namespaces: namespaceNames }, diags);
  const inputs = paths.map((p) => (p === "-" ? STDIN_NAME : p)).join(" ");
  if (loaded.nodes.length === 0) {
    diags.add({
      file: inputs,
      severity: "error",
      message: "no Nodes: the manifests must describe the cluster",
    });
  }
  throwOnErrors(diags);
  const config = defaultSchedulerConfig();
  const profile = profileFor(config, DEFAULT_SCHEDULER_NAME)!;
  const first = paths[0];
  const name =
    options.name ??
    (first === undefined || first === "-"
      ? "manifests"
      : basename(first, extname(first)) || "manifests");
  const seed = options.seed ?? 0;
  const spec: ScenarioSpec = {
    metadata: { name },
    cluster: { files: paths, manifests: [], pools: [] },
    workload: { files: [], manifests: [], streams: [] },
    scheduler: { profile: "default" },
    simulation: { seed },
    events: [],
    outputs: {},
  };
  return makeScenario({
    name,
    source: inputs,
    spec,
    seed,
    nodes: classified.nodes,
    boundPods: classified.boundPods,
    pods: classified.pods,
    streams: [],
    objects: classified.objects,
    controlPlane,
    config,
    profile,
    events: [],
    outputs: {},
    warnings: unique(diags.warnings()),
  });
}
