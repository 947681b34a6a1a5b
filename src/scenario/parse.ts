/**
 * Parse stage of a scenario file: the YAML document → {@link ParsedScenario}, every problem
 * reported with its field path (`workload.streams[1].arrival.rate: must be greater than 0`) and
 * decoding carried on past it. Unknown keys are errors. Files are not read here (`load.ts` does).
 *
 * The format, `apiVersion: gantry.dev/v1alpha1`, `kind: Scenario`:
 *
 * ```yaml
 * metadata: {name: small, description: "…"}     # name: a DNS-1123 subdomain; required
 * cluster:
 *   files: [nodes.yaml, more/]                  # manifests: files or directories, relative to this file
 *   manifests: [{apiVersion: v1, kind: Node, …}] # inline manifests
 *   pools:                                      # generated nodes
 *     - name: general                           # required, unique; names the pool's generator
 *       namePrefix: general                     # nodes are <namePrefix>-<i>; default: name
 *       count: 100                              # nodes at time 0; required
 *       instanceType: m5.xlarge                 # a preset (src/generate/presets.ts) or just a label
 *       arch: amd64
 *       allocatable: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}  # over the preset's; pods defaults to 110
 *       capacity: {…}                           # over the preset's; default: the allocatable
 *       labels: {…}
 *       region: us-east-1
 *       zones: [us-east-1a, us-east-1b]          # round-robin; or [{name, weight}] drawn at random
 *       taints: [{key, value, effect}]
 *       images: [{names: […], sizeBytes: n}]
 *       unschedulable: false
 * workload:
 *   files: […]                                  # Pods (gantry.dev/arrival, gantry.dev/duration), PriorityClasses, …
 *   manifests: […]
 *   streams:                                    # generated pods
 *     - name: web                               # required, unique; names the stream's generators
 *       template: {metadata: …, spec: …}         # a Pod; or several:
 *       templates: [{weight: 3, pod: {…}}, {weight: 1, file: big.yaml}]
 *       count: 1000                             # stop after this many pods
 *       start: 0s                               # first arrival (Go duration)
 *       until: 1h                               # no arrival at or after; default simulation.endTime
 *       arrival: {process: poisson, rate: 10}   # allAtOnce (default) | constant {rate} | poisson {rate}
 *                                               # | bursts {size, every} | diurnal {rate, amplitude, period, phase}
 *       duration: 10m                           # or never, or {distribution: lognormal, median: 5m, p99: 2h, clamp: {max: 6h}}
 *       namespace: shop                         # over the templates'
 *       priorityClassName: high                 # over the templates'; or priority: 1000
 *       labels: {app: "web-{{k}}"}              # over the templates'
 *       groups: 10                              # k uniform in [0, 10) per pod; {{k}} anywhere in a template
 * scheduler:
 *   profile: default                            # built-in: default | most-allocated; with a config: a schedulerName
 *   configFile: scheduler.yaml                  # or config: {KubeSchedulerConfiguration}
 *   balancedAllocationFormula: v1.35            # or v1.36
 * simulation: {seed: 1, endTime: 2h, measure: {from: 10m, to: 1h50m}}
 * events:
 *   - {at: 30m, kind: addNode, pool: general, count: 10}
 *   - {at: 40m, kind: fail, node: general-3}    # removeNode | cordon | uncordon | fail | recover
 *   - {at: 50m, kind: setTaints, node: general-4, taints: […]}
 *   - {at: 1h, kind: scale, deployment: shop/web, replicas: 20}    # a Deployment of the manifests
 *   - {at: 2h, kind: rollout, deployment: shop/web, image: web:2}  # new template → new ReplicaSet;
 *                                                # without image: a restart (kubectl rollout restart)
 * outputs: {json: results.json}
 * ```
 *
 * Rates are per second (`10`) or written with a unit (`"600/m"`, `"50/h"`). Durations are Go
 * durations. Distributions: `constant {value}`, `uniform {min, max}`, `exponential {mean}`,
 * `normal {mean, stddev}`, `lognormal {median, p99}` or `{median, sigma}` or `{mu, sigma}` (mu
 * of the natural log of seconds), `pareto {xm, alpha}`; their time-valued parameters are
 * durations, and run times below zero count as zero.
 */
import type { BalancedAllocationFormula } from "../config/types.ts";
import type { Diagnostics } from "../diagnostics.ts";
import type { NodePoolSpec, ZoneWeight } from "../generate/cluster.ts";
import { HOSTNAME_LABEL } from "../generate/cluster.ts";
import {
  ARRIVAL_PROCESS_KINDS,
  type ArrivalProcess,
  type Clamp,
  DISTRIBUTION_KINDS,
  type Distribution,
  lognormalFromQuantiles,
} from "../generate/distributions.ts";
import { INSTANCE_TYPES, presetResources } from "../generate/presets.ts";
import { Field, isObject, quote } from "../manifest/field.ts";
import { readResourceList } from "../manifest/resources.ts";
import { readTaints } from "../manifest/scheduling.ts";
import {
  checkFormat,
  checkLabelValue,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  readLabels,
} from "../manifest/validation.ts";
import { Quantity } from "../model/quantity.ts";
import type { ContainerImage } from "../model/types.ts";
import { NEVER } from "./duration.ts";
import { count, duration, optNumber, positiveNumber, rate, required, strict } from "./fields.ts";
import { substitute } from "./template.ts";
import {
  EVENT_KINDS,
  type EventKind,
  type EventSpec,
  SCENARIO_API_VERSION,
  SCENARIO_KIND,
  type SchedulerSpec,
} from "./types.ts";

/** A template entry of a stream: inline (`raw`) or a file. */
export interface TemplateRef {
  readonly weight: number;
  readonly raw?: unknown;
  /** A template file, resolved against the scenario's directory. */
  readonly file?: string;
  /** Field path of the inline document (or of the `file` field). */
  readonly path: string;
}

/** A stream as written, templates not decoded yet. */
export interface ParsedStream {
  readonly name: string;
  readonly path: string;
  readonly templates: readonly TemplateRef[];
  readonly groups: number;
  readonly count?: number;
  readonly start: number;
  readonly until?: number;
  readonly arrival: ArrivalProcess;
  readonly duration?: Distribution | "never";
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly priorityClassName?: string;
  readonly priority?: number;
}

/** An inline manifest and its field path. */
export interface InlineManifest {
  readonly value: unknown;
  readonly path: string;
}

export type ParsedEvent = EventSpec & { readonly path: string };

/** The scenario document as parsed, before files are read. */
export interface ParsedScenario {
  readonly metadata: { readonly name: string; readonly description?: string };
  readonly cluster: {
    readonly files: readonly string[];
    readonly manifests: readonly InlineManifest[];
    readonly pools: readonly NodePoolSpec[];
  };
  readonly workload: {
    readonly files: readonly string[];
    readonly manifests: readonly InlineManifest[];
    readonly streams: readonly ParsedStream[];
  };
  readonly scheduler: SchedulerSpec & { readonly path: string };
  readonly simulation: {
    readonly seed: number;
    readonly endTime?: number;
    readonly measure?: { readonly from?: number; readonly to?: number };
  };
  readonly events: readonly ParsedEvent[];
  readonly outputs: { readonly json?: string };
}

/** What the parse stage needs: where diagnostics go and how to resolve paths. */
export interface ParseContext {
  readonly file: string;
  readonly diags: Diagnostics;
  /** Resolves a path written in the scenario (relative to the scenario's directory). */
  readonly resolve: (path: string) => string;
}

/** kubelet's default `maxPods`, for pools whose allocatable names no `pods`. */
export const DEFAULT_MAX_PODS = 110;

const BALANCED_FORMULAS: readonly BalancedAllocationFormula[] = ["v1.35", "v1.36"];

function readPaths(field: Field, ctx: ParseContext): string[] {
  const out: string[] = [];
  for (const [p, f] of field.stringItems()) {
    if (p === "") f.error("required");
    else out.push(ctx.resolve(p));
  }
  return out;
}

function readInline(field: Field): InlineManifest[] {
  return field.list().map((item) => ({ value: item.value, path: item.path }));
}

// ---------------------------------------------------------------------------------------------
// Pools

function readZones(field: Field): { zones: ZoneWeight[]; weighted: boolean } {
  const zones: ZoneWeight[] = [];
  let weighted = false;
  const seen = new Map<string, string>();
  for (const item of field.list()) {
    let name: string;
    let weight = 1;
    let at: Field = item;
    if (typeof item.value === "string") {
      name = item.value;
    } else {
      const z = strict(item, ["name", "weight"]);
      at = z.get("name");
      name = at.requiredString();
      const w = z.get("weight");
      if (w.present) {
        weighted = true;
        weight = positiveNumber(w) ?? 1;
      }
    }
    if (!name) {
      if (at === item) item.error("required");
      continue;
    }
    checkLabelValue(at, name);
    const first = seen.get(name);
    if (first !== undefined) at.error(`${quote(name)} duplicates ${first}`);
    else seen.set(name, at.path);
    zones.push({ name, weight });
  }
  return { zones, weighted };
}

function readImages(field: Field): ContainerImage[] {
  return field.list().map((item) => {
    const img = strict(item, ["names", "sizeBytes"]);
    return {
      names: img.get("names").stringList(),
      sizeBytes: img.get("sizeBytes").intInRange(0, Number.MAX_SAFE_INTEGER) ?? 0,
    };
  });
}

const POOL_KEYS = [
  "name",
  "namePrefix",
  "count",
  "instanceType",
  "arch",
  "allocatable",
  "capacity",
  "labels",
  "region",
  "zones",
  "taints",
  "images",
  "unschedulable",
];

function readPool(field: Field, ctx: ParseContext): NodePoolSpec | undefined {
  const p = strict(field, POOL_KEYS);
  const nameField = p.get("name");
  const name = nameField.requiredString();
  if (name) checkFormat(nameField, name, "pool name", dns1123LabelErrors);
  const prefixField = p.get("namePrefix");
  const namePrefix = prefixField.optString() || name;
  const countField = p.get("count");
  required(countField);
  const n = count(countField) ?? 0;
  if (namePrefix) {
    const at = prefixField.present ? prefixField : nameField;
    checkFormat(at, `${namePrefix}-${Math.max(n - 1, 0)}`, "node name", dns1123SubdomainErrors);
  }

  const typeField = p.get("instanceType");
  const instanceType = typeField.optString();
  if (instanceType !== undefined) checkLabelValue(typeField, instanceType);
  const preset = instanceType !== undefined ? INSTANCE_TYPES.get(instanceType) : undefined;
  const base = preset ? presetResources(preset) : undefined;

  const allocField = p.get("allocatable");
  const capField = p.get("capacity");
  if (!base && !allocField.present) {
    const known = [...INSTANCE_TYPES.keys()].join(", ");
    allocField.error(
      instanceType === undefined
        ? `required (or an instanceType with a preset: ${known})`
        : `required: instanceType ${quote(instanceType)} has no preset (presets: ${known})`,
    );
  }
  const allocatable = new Map(base?.allocatable);
  for (const [k, q] of readResourceList(allocField, "any")) allocatable.set(k, q);
  if (!allocatable.has("pods")) allocatable.set("pods", Quantity.parse(String(DEFAULT_MAX_PODS)));
  const capacity = new Map(base?.capacity);
  for (const [k, q] of readResourceList(capField, "any")) capacity.set(k, q);
  for (const [k, q] of allocatable) if (!capacity.has(k)) capacity.set(k, q);

  const labelsField = p.get("labels");
  const labels = readLabels(labelsField);
  if (HOSTNAME_LABEL in labels) {
    labelsField.error("is set by gantry to each node's name", `[${HOSTNAME_LABEL}]`);
  }
  const regionField = p.get("region");
  const region = regionField.optString();
  if (region !== undefined) checkLabelValue(regionField, region);
  const archField = p.get("arch");
  const arch = archField.optString() ?? preset?.arch;
  if (archField.present && arch !== undefined) checkLabelValue(archField, arch);
  const { zones, weighted } = readZones(p.get("zones"));

  if (!name) return undefined;
  return {
    name,
    namePrefix,
    count: n,
    ...(instanceType !== undefined ? { instanceType } : {}),
    ...(arch !== undefined ? { arch } : {}),
    capacity,
    allocatable,
    labels,
    ...(region !== undefined ? { region } : {}),
    zones,
    zoneAssignment: weighted ? "weighted" : "roundRobin",
    taints: readTaints(p.get("taints")),
    images: readImages(p.get("images")),
    unschedulable: p.get("unschedulable").bool(false),
    source: { file: ctx.file, path: field.path },
  };
}

// ---------------------------------------------------------------------------------------------
// Distributions and arrival processes

function readClamp(field: Field): Clamp | undefined {
  const c = strict(field, ["min", "max"]);
  if (!c.present) return undefined;
  const min = duration(c.get("min"));
  const max = duration(c.get("max"));
  if (min !== undefined && max !== undefined && min > max) {
    c.get("max").error("must be greater than or equal to min");
  }
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

const DISTRIBUTION_KEYS: Readonly<Record<Distribution["kind"], readonly string[]>> = {
  constant: ["value"],
  uniform: ["min", "max"],
  exponential: ["mean"],
  normal: ["mean", "stddev"],
  lognormal: ["median", "p99", "mu", "sigma"],
  pareto: ["xm", "alpha"],
};

function requiredDuration(field: Field, min: "nonNegative" | "positive" = "nonNegative") {
  required(field);
  return duration(field, min);
}

function readLognormal(d: Field): Distribution | undefined {
  const median = d.get("median");
  const p99 = d.get("p99");
  const mu = d.get("mu");
  const sigma = d.get("sigma");
  const HOW = "(give median and p99, median and sigma, or mu and sigma)";
  if (mu.present) {
    if (median.present) median.error(`must not be set with mu ${HOW}`);
    if (p99.present) p99.error(`must not be set with mu ${HOW}`);
    const m = optNumber(mu);
    const s = required(sigma) ? positiveNumber(sigma) : undefined;
    if (median.present || p99.present || m === undefined || s === undefined) return undefined;
    return { kind: "lognormal", mu: m, sigma: s };
  }
  if (!median.present) {
    median.error(`required ${HOW}`);
    return undefined;
  }
  const med = duration(median, "positive");
  if (sigma.present) {
    if (p99.present) sigma.error(`must not be set with p99 ${HOW}`);
    const s = positiveNumber(sigma);
    if (p99.present || med === undefined || s === undefined) return undefined;
    return { kind: "lognormal", mu: Math.log(med), sigma: s };
  }
  if (!p99.present) {
    p99.error(`required ${HOW}`);
    return undefined;
  }
  const hi = duration(p99, "positive");
  if (med === undefined || hi === undefined) return undefined;
  if (hi <= med) {
    p99.error("must be greater than median");
    return undefined;
  }
  return lognormalFromQuantiles(med, hi);
}

/** A run-time distribution object (`{distribution: …}`), parameters in durations. */
function readDistribution(field: Field): Distribution | undefined {
  const kind = field.object().get("distribution").requiredOneOf(DISTRIBUTION_KINDS);
  const d = strict(field, ["distribution", "clamp", ...(kind ? DISTRIBUTION_KEYS[kind] : [])]);
  if (kind === undefined) return undefined;
  const clampField = d.get("clamp");
  const clamp = readClamp(clampField);
  let out: Distribution | undefined;
  switch (kind) {
    case "constant": {
      const value = requiredDuration(d.get("value"));
      if (value !== undefined) out = { kind, value };
      break;
    }
    case "uniform": {
      const min = requiredDuration(d.get("min"));
      const max = requiredDuration(d.get("max"));
      if (min !== undefined && max !== undefined) {
        if (max < min) d.get("max").error("must be greater than or equal to min");
        else out = { kind, min, max };
      }
      break;
    }
    case "exponential": {
      const mean = requiredDuration(d.get("mean"), "positive");
      if (mean !== undefined) out = { kind, mean };
      break;
    }
    case "normal": {
      const mean = requiredDuration(d.get("mean"));
      const stddev = requiredDuration(d.get("stddev"));
      if (mean !== undefined && stddev !== undefined) out = { kind, mean, stddev };
      break;
    }
    case "lognormal":
      out = readLognormal(d);
      break;
    case "pareto": {
      const xm = requiredDuration(d.get("xm"), "positive");
      const alphaField = d.get("alpha");
      const alpha = required(alphaField) ? positiveNumber(alphaField) : undefined;
      if (xm !== undefined && alpha !== undefined) out = { kind, xm, alpha };
      break;
    }
  }
  if (out === undefined) return undefined;
  // Run times are never negative.
  const min = Math.max(clamp?.min ?? 0, 0);
  return { ...out, clamp: { ...clamp, min } };
}

/** `duration`: `never`, a Go duration (constant), or a distribution object. */
function readRunTime(field: Field): Distribution | "never" | undefined {
  const v = field.value;
  if (v === undefined) return undefined;
  if (v === NEVER) return "never";
  if (isObject(v)) return readDistribution(field);
  const value = duration(field);
  return value === undefined ? undefined : { kind: "constant", value };
}

const ARRIVAL_KEYS: Readonly<Record<ArrivalProcess["kind"], readonly string[]>> = {
  allAtOnce: [],
  constant: ["rate"],
  poisson: ["rate"],
  bursts: ["size", "every"],
  diurnal: ["rate", "amplitude", "period", "phase"],
};

function readArrival(field: Field): ArrivalProcess | undefined {
  if (!field.present) return { kind: "allAtOnce" };
  const kind = field.object().get("process").requiredOneOf(ARRIVAL_PROCESS_KINDS);
  const a = strict(field, ["process", ...(kind ? ARRIVAL_KEYS[kind] : [])]);
  const requiredRate = (): number | undefined => {
    const f = a.get("rate");
    return required(f) ? rate(f) : undefined;
  };
  switch (kind) {
    case undefined:
      return undefined;
    case "allAtOnce":
      return { kind };
    case "constant":
    case "poisson": {
      const r = requiredRate();
      return r === undefined ? undefined : { kind, rate: r };
    }
    case "bursts": {
      const sizeField = a.get("size");
      const size = required(sizeField) ? count(sizeField, 1) : undefined;
      const every = requiredDuration(a.get("every"), "positive");
      return size === undefined || every === undefined ? undefined : { kind, size, every };
    }
    case "diurnal": {
      const r = requiredRate();
      const ampField = a.get("amplitude");
      const amplitude = required(ampField) ? positiveNumber(ampField, true) : undefined;
      if (amplitude !== undefined && amplitude > 1) {
        ampField.error("must be between 0 and 1, inclusive");
        return undefined;
      }
      const period = requiredDuration(a.get("period"), "positive");
      const phase = duration(a.get("phase")) ?? 0;
      if (r === undefined || amplitude === undefined || period === undefined) return undefined;
      return { kind, rate: r, amplitude, period, phase };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Streams

function readTemplates(s: Field, ctx: ParseContext): TemplateRef[] {
  const one = s.get("template");
  const many = s.get("templates");
  if (one.present && many.present) {
    many.error("must not be set with template");
    return [];
  }
  if (one.present) {
    if (!isObject(one.value)) one.error("must be an object (a Pod)");
    return [{ weight: 1, raw: one.value, path: one.path }];
  }
  if (!many.present) {
    s.get("template").error("required (or templates)");
    return [];
  }
  const items = many.list();
  if (items.length === 0 && Array.isArray(many.value)) many.error("must not be empty");
  const out: TemplateRef[] = [];
  for (const item of items) {
    const t = strict(item, ["weight", "pod", "file"]);
    const w = t.get("weight");
    const weight = w.present ? positiveNumber(w) : 1;
    const pod = t.get("pod");
    const file = t.get("file");
    if (pod.present && file.present) {
      file.error("must not be set with pod");
      continue;
    }
    if (!pod.present && !file.present) {
      pod.error("required (or file)");
      continue;
    }
    if (weight === undefined) continue;
    if (pod.present) {
      if (!isObject(pod.value)) pod.error("must be an object (a Pod)");
      out.push({ weight, raw: pod.value, path: pod.path });
    } else {
      const f = file.requiredString();
      if (f) out.push({ weight, file: ctx.resolve(f), path: file.path });
    }
  }
  return out;
}

const STREAM_KEYS = [
  "name",
  "template",
  "templates",
  "count",
  "start",
  "until",
  "arrival",
  "duration",
  "namespace",
  "priorityClassName",
  "priority",
  "labels",
  "groups",
];

function readStream(field: Field, ctx: ParseContext): ParsedStream {
  const s = strict(field, STREAM_KEYS);
  const nameField = s.get("name");
  const name = nameField.requiredString();
  if (name) checkFormat(nameField, name, "stream name", dns1123LabelErrors);
  const templates = readTemplates(s, ctx);
  const groupsField = s.get("groups");
  const groups = groupsField.present ? (count(groupsField, 1) ?? 1) : 1;
  const countField = s.get("count");
  const n = countField.present ? count(countField) : undefined;
  const start = duration(s.get("start")) ?? 0;
  const untilField = s.get("until");
  const until = duration(untilField);
  if (until !== undefined && until <= start) untilField.error("must be after start");
  const arrivalField = s.get("arrival");
  const arrival = readArrival(arrivalField);
  if (arrival?.kind === "allAtOnce" && !countField.present) {
    countField.error("required with arrival process allAtOnce");
  }
  const runTime = readRunTime(s.get("duration"));

  const nsField = s.get("namespace");
  const namespace = nsField.optString();
  if (namespace !== undefined) checkFormat(nsField, namespace, "namespace", dns1123LabelErrors);
  const pcField = s.get("priorityClassName");
  const priorityClassName = pcField.optString();
  if (priorityClassName) {
    checkFormat(pcField, priorityClassName, "priority class name", dns1123SubdomainErrors);
  }
  const prioField = s.get("priority");
  const priority = prioField.intInRange(-2147483648, 1000000000);
  if (prioField.present && pcField.present)
    prioField.error("must not be set with priorityClassName");

  // Labels may use {{k}}: validate them as the last group's (the longest) would read.
  const labelsField = s.get("labels");
  let labels: Record<string, string> | undefined;
  if (labelsField.present) {
    labels = labelsField.stringMap();
    const sample = new Field(labelsField.scope, labelsField.path, substitute(labels, groups - 1));
    readLabels(sample);
  }

  // Fallbacks keep the stream (and so its templates) checked; the errors above fail the load.
  return {
    name: name || field.path,
    path: field.path,
    templates,
    groups,
    ...(n !== undefined ? { count: n } : {}),
    start,
    ...(until !== undefined ? { until } : {}),
    arrival: arrival ?? { kind: "allAtOnce" },
    ...(runTime !== undefined ? { duration: runTime } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(labels !== undefined ? { labels } : {}),
    ...(priorityClassName ? { priorityClassName } : {}),
    ...(priority !== undefined ? { priority } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Events, scheduler, simulation, outputs

const EVENT_KEYS: Readonly<Record<EventKind, readonly string[]>> = {
  addNode: ["pool", "count"],
  removeNode: ["node"],
  cordon: ["node"],
  uncordon: ["node"],
  fail: ["node"],
  recover: ["node"],
  setTaints: ["node", "taints"],
  scale: ["deployment", "replicas"],
  rollout: ["deployment", "image"],
};

/** `namespace/name` or `name` (in `default`) of a Deployment; checked as names. */
function readDeploymentRef(field: Field): string | undefined {
  const text = field.requiredString();
  if (!text) return undefined;
  const parts = text.split("/");
  if (parts.length > 2) {
    field.error(`${quote(text)} is not a Deployment reference (namespace/name or name)`);
    return undefined;
  }
  const [ns, name] = parts.length === 2 ? parts : ["default", parts[0]];
  const before = field.scope.diags.errorCount;
  checkFormat(field, ns ?? "", "namespace", dns1123LabelErrors);
  checkFormat(field, name ?? "", "Deployment name", dns1123SubdomainErrors);
  return field.scope.diags.errorCount === before ? `${ns}/${name}` : undefined;
}

function readEvent(field: Field): ParsedEvent | undefined {
  const kind = field.object().get("kind").requiredOneOf(EVENT_KINDS);
  const e = strict(field, ["at", "kind", ...(kind ? EVENT_KEYS[kind] : [])]);
  const at = requiredDuration(e.get("at"));
  if (kind === "scale" || kind === "rollout") {
    const deployment = readDeploymentRef(e.get("deployment"));
    if (kind === "scale") {
      const rf = e.get("replicas");
      const replicas = required(rf) ? rf.intInRange(0, 2147483647) : undefined;
      if (at === undefined || deployment === undefined || replicas === undefined) return undefined;
      return { at, kind, deployment, replicas, path: field.path };
    }
    const imageField = e.get("image");
    const image = imageField.optString();
    if (imageField.present && image === "") imageField.error("must not be empty");
    if (at === undefined || deployment === undefined) return undefined;
    return { at, kind, deployment, ...(image ? { image } : {}), path: field.path };
  }
  if (kind === undefined || at === undefined) return undefined;
  const path = field.path;
  if (kind === "addNode") {
    const pool = e.get("pool").requiredString();
    const c = e.get("count");
    const n = c.present ? count(c, 1) : 1;
    if (!pool || n === undefined) return undefined;
    return { at, kind, pool, count: n, path };
  }
  const node = e.get("node").requiredString();
  if (kind === "setTaints") {
    const tf = e.get("taints");
    required(tf);
    const taints = readTaints(tf);
    return node ? { at, kind, node, taints, path } : undefined;
  }
  return node ? { at, kind, node, path } : undefined;
}

function readScheduler(field: Field, ctx: ParseContext): SchedulerSpec & { path: string } {
  const s = strict(field, ["profile", "configFile", "config", "balancedAllocationFormula"]);
  const profile = s.get("profile").optString();
  const fileField = s.get("configFile");
  const configFile = fileField.optString();
  const configField = s.get("config");
  if (configFile !== undefined && configField.present) {
    configField.error("must not be set with configFile");
  }
  if (configField.present && !isObject(configField.value)) {
    configField.error("must be an object (a KubeSchedulerConfiguration)");
  }
  const formula = s.get("balancedAllocationFormula").oneOf(BALANCED_FORMULAS);
  return {
    path: s.path,
    ...(profile !== undefined ? { profile } : {}),
    ...(configFile ? { configFile: ctx.resolve(configFile) } : {}),
    ...(configField.present && configFile === undefined ? { config: configField.value } : {}),
    ...(formula !== undefined ? { balancedAllocationFormula: formula } : {}),
  };
}

function readSimulation(field: Field): ParsedScenario["simulation"] {
  const s = strict(field, ["seed", "endTime", "measure"]);
  const seed = s.get("seed").intInRange(0, Number.MAX_SAFE_INTEGER) ?? 0;
  const endTime = duration(s.get("endTime"), "positive");
  const m = strict(s.get("measure"), ["from", "to"]);
  const from = duration(m.get("from"));
  const toField = m.get("to");
  const to = duration(toField);
  if (from !== undefined && to !== undefined && to <= from) toField.error("must be after from");
  if (to !== undefined && endTime !== undefined && to > endTime) {
    toField.error("must not be after simulation.endTime");
  }
  const measure = m.present
    ? { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }
    : undefined;
  return {
    seed,
    ...(endTime !== undefined ? { endTime } : {}),
    ...(measure !== undefined ? { measure } : {}),
  };
}

const TOP_KEYS = [
  "apiVersion",
  "kind",
  "metadata",
  "cluster",
  "workload",
  "scheduler",
  "simulation",
  "events",
  "outputs",
];

/**
 * Parses a scenario document; `undefined` when it is not a gantry Scenario at all (wrong
 * `apiVersion` or `kind`), in which case nothing else is decoded.
 */
export function parseScenario(value: unknown, ctx: ParseContext): ParsedScenario | undefined {
  const root = new Field({ diags: ctx.diags, loc: { file: ctx.file } }, "", value);
  if (!isObject(value)) {
    root.error(`must be a ${SCENARIO_KIND} object (apiVersion ${SCENARIO_API_VERSION})`);
    return undefined;
  }
  const apiField = root.get("apiVersion");
  const apiVersion = apiField.requiredString();
  const kindField = root.get("kind");
  const kind = kindField.requiredString();
  let ok = true;
  if (apiVersion && apiVersion !== SCENARIO_API_VERSION) {
    apiField.error(`${quote(apiVersion)} is not one of ${SCENARIO_API_VERSION}`);
    ok = false;
  }
  if (kind && kind !== SCENARIO_KIND) {
    kindField.error(
      `${quote(kind)} is not ${SCENARIO_KIND}` +
        (apiVersion === "v1" || apiVersion.includes("/v1")
          ? " (for plain Kubernetes manifests, pass the files themselves)"
          : ""),
    );
    ok = false;
  }
  if (!ok || !apiVersion || !kind) return undefined;
  const top = strict(root, TOP_KEYS);

  const meta = strict(top.get("metadata"), ["name", "description"]);
  required(meta);
  const nameField = meta.get("name");
  const name = nameField.requiredString();
  if (name) checkFormat(nameField, name, "scenario name", dns1123SubdomainErrors);
  const description = meta.get("description").optString();

  const cluster = strict(top.get("cluster"), ["files", "manifests", "pools"]);
  const pools: NodePoolSpec[] = [];
  const poolNames = new Map<string, string>();
  for (const item of cluster.get("pools").list()) {
    const pool = readPool(item, ctx);
    if (!pool) continue;
    const first = poolNames.get(pool.name);
    if (first !== undefined) {
      item.get("name").error(`duplicate pool ${quote(pool.name)} (first at ${first})`);
      continue;
    }
    poolNames.set(pool.name, item.path);
    pools.push(pool);
  }

  const workload = strict(top.get("workload"), ["files", "manifests", "streams"]);
  const streams: ParsedStream[] = [];
  const streamNames = new Map<string, string>();
  for (const item of workload.get("streams").list()) {
    const stream = readStream(item, ctx);
    const first = streamNames.get(stream.name);
    if (first !== undefined) {
      item.get("name").error(`duplicate stream ${quote(stream.name)} (first at ${first})`);
      continue;
    }
    streamNames.set(stream.name, item.path);
    streams.push(stream);
  }

  const events: ParsedEvent[] = [];
  for (const item of top.get("events").list()) {
    const e = readEvent(item);
    if (e) events.push(e);
  }
  const outputs = strict(top.get("outputs"), ["json"]);
  const json = outputs.get("json").optString();

  return {
    metadata: { name, ...(description !== undefined ? { description } : {}) },
    cluster: {
      files: readPaths(cluster.get("files"), ctx),
      manifests: readInline(cluster.get("manifests")),
      pools,
    },
    workload: {
      files: readPaths(workload.get("files"), ctx),
      manifests: readInline(workload.get("manifests")),
      streams,
    },
    scheduler: readScheduler(top.get("scheduler"), ctx),
    simulation: readSimulation(top.get("simulation")),
    events,
    outputs: json ? { json: ctx.resolve(json) } : {},
  };
}
