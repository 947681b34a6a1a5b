/**
 * scheduler_perf `performance-config.yaml` files, read unchanged: a list of test cases, each with
 * a `workloadTemplate` (ops picked by `opcode`) and `workloads` (params, labels, threshold,
 * featureGates). The shape follows upstream's Go structs (`test/integration/scheduler_perf`:
 * `testCase`, `Workload`, the `*Op` types), decoded the way `yaml.UnmarshalStrict` does it:
 * field names match case-insensitively (Go's encoding/json), unknown fields are errors.
 *
 * Two kinds of problems, kept apart:
 * - **malformed input** — YAML syntax, wrong types, unknown fields, a `countParam` without `$`,
 *   an undefined or unused workload parameter, a missing template file, duplicate names, a test
 *   case with no measured op: every one is collected with the file, the test case and the field
 *   path, and {@link loadPerfConfig} throws one `InputError` (exit 2);
 * - **valid but not modelled** — an op or option gantry does not simulate (volumes, DRA, pod
 *   groups, steady-state pods …): the op is kept as `unsupported` with the reason, and the
 *   workloads that use it are skipped with that reason (never silently).
 *
 * Template paths are resolved relative to the config file's directory, as upstream resolves them
 * relative to the test's working directory (the config's own directory).
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseDuration } from "../config/decode.ts";
import { Diagnostics, InputError, joinPath, type Location } from "../diagnostics.ts";
import { Field, isObject, keySegment, quote, type Scope } from "../manifest/field.ts";
import { parseYaml } from "../manifest/parse.ts";

/** A count given literally (`count`) or through a workload parameter (`countParam: $name`). */
export type CountSpec =
  | { readonly kind: "literal"; readonly value: number }
  | { readonly kind: "param"; readonly name: string; readonly path: string };

/** Template parameters as written: values starting with `$` name workload parameters. */
export type RawTemplateParams = Readonly<Record<string, unknown>>;

interface OpBase {
  /** Position in the test case's `workloadTemplate`. */
  readonly index: number;
  /** Field path of the op, e.g. `[2].workloadTemplate[1]`. */
  readonly path: string;
}

export interface LabelNodePrepareStrategy {
  readonly labelKey: string;
  readonly labelValues: readonly string[];
}

export interface CreateNodesOp extends OpBase {
  readonly opcode: "createNodes";
  readonly count: CountSpec;
  /** Resolved path; absent: upstream's built-in node (4 CPU, 32Gi, 110 pods). */
  readonly nodeTemplatePath?: string;
  readonly labelNodePrepareStrategy?: LabelNodePrepareStrategy;
  readonly uniqueNodeLabelStrategy?: { readonly labelKey: string };
  /** Upstream's NodeAllocatableStrategy: extra allocatable entries and a CSINode per node. */
  readonly nodeAllocatableStrategy?: NodeAllocatableStrategy;
  readonly templateParams: RawTemplateParams;
}

/** createNodes' `nodeAllocatableStrategy` (attachable-volume limits for the volume tests). */
export interface NodeAllocatableStrategy {
  /** Added to each node's allocatable (and capacity). */
  readonly nodeAllocatable: Readonly<Record<string, string>>;
  /** Per CSI driver, the attach limit of the node's CSINode. */
  readonly csiNodeAllocatable: Readonly<Record<string, { readonly count: number }>>;
  /** In-tree plugins the CSINode lists as migrated (its migrated-plugins annotation). */
  readonly migratedPlugins: readonly string[];
}

export interface CreateNamespacesOp extends OpBase {
  readonly opcode: "createNamespaces";
  readonly prefix: string;
  readonly count: CountSpec;
  readonly namespaceTemplatePath?: string;
}

export interface CreatePodsOp extends OpBase {
  readonly opcode: "createPods";
  readonly count: CountSpec;
  readonly countMultiplierParam?: { readonly name: string; readonly path: string };
  readonly collectMetrics: boolean;
  readonly namespace?: string;
  /** Resolved path; absent: the test case's default, else upstream's built-in pod. */
  readonly podTemplatePath?: string;
  /** Resolved paths: each pod gets its own PersistentVolume and a claim bound to it. */
  readonly persistentVolumeTemplatePath?: string;
  readonly persistentVolumeClaimTemplatePath?: string;
  readonly skipWaitToCompletion: boolean;
  readonly templateParams: RawTemplateParams;
}

export interface CreatePodSetsOp extends OpBase {
  readonly opcode: "createPodSets";
  readonly count: CountSpec;
  readonly namespacePrefix: string;
  readonly createPodsOp: CreatePodsOp;
}

export interface DeletePodsOp extends OpBase {
  readonly opcode: "deletePods";
  readonly namespace: string;
  readonly skipWaitToCompletion: boolean;
  /** 0: all at once. */
  readonly deletePodsPerSecond: number;
}

export interface ChurnOp extends OpBase {
  readonly opcode: "churn";
  readonly mode: "create" | "recreate";
  /** create: at most this many ticks (0: unbounded); recreate: objects kept per template. */
  readonly number: number;
  readonly intervalMilliseconds: number;
  readonly namespace?: string;
  readonly templatePaths: readonly string[];
}

export interface BarrierOp extends OpBase {
  readonly opcode: "barrier";
  readonly namespaces: readonly string[];
  readonly stageRequirement: "Scheduled" | "Attempted";
}

export interface SleepOp extends OpBase {
  readonly opcode: "sleep";
  /** Seconds, or the workload parameter holding a Go duration. */
  readonly duration:
    | { readonly seconds: number }
    | { readonly param: string; readonly path: string };
}

export interface CreateAnyOp extends OpBase {
  readonly opcode: "createAny";
  readonly namespace: string;
  readonly templatePath: string;
  /** Absent: 1. */
  readonly count?: CountSpec;
  readonly templateParams: RawTemplateParams;
}

/** An op gantry accepts but does not simulate; workloads using it are skipped with `reason`. */
export interface UnsupportedOp extends OpBase {
  readonly opcode: "unsupported";
  readonly name: string;
  readonly reason: string;
  /** Workload parameters its fields name (`$x` strings anywhere in it). */
  readonly refs?: readonly { readonly name: string; readonly path: string }[];
  /** Whether it (or its nested createPodsOp) sets collectMetrics. */
  readonly collects?: boolean;
}

/** An op that changes nothing gantry models (profiling). */
export interface NoOp extends OpBase {
  readonly opcode: "noop";
  readonly name: string;
}

export type PerfOp =
  | CreateNodesOp
  | CreateNamespacesOp
  | CreatePodsOp
  | CreatePodSetsOp
  | DeletePodsOp
  | ChurnOp
  | BarrierOp
  | SleepOp
  | CreateAnyOp
  | UnsupportedOp
  | NoOp;

/** `threshold`: one value, or values per topic name (the config's directory, e.g. `misc`). */
export interface Threshold {
  readonly value: number;
  readonly byTopic: Readonly<Record<string, number>>;
}

export interface ThresholdMetricSelector {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly dataBucket: string;
  readonly expectLower: boolean;
}

export interface PerfWorkload {
  readonly name: string;
  readonly path: string;
  /** Parameter values as Go's JSON decoding yields them (numbers, strings, booleans). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly labels: readonly string[];
  readonly threshold: Threshold;
  readonly thresholdMetricSelector: ThresholdMetricSelector;
  readonly featureGates: Readonly<Record<string, boolean>>;
}

export interface PerfTestCase {
  readonly name: string;
  readonly path: string;
  readonly labels: readonly string[];
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly schedulerConfigPath?: string;
  readonly workloadTemplate: readonly PerfOp[];
  readonly workloads: readonly PerfWorkload[];
}

export interface PerfConfig {
  /** The file as given. */
  readonly file: string;
  /** Its directory: template paths are relative to it. */
  readonly dir: string;
  /** Topic name for per-topic thresholds and the DataItems file: the directory's base name. */
  readonly topic: string;
  readonly testCases: readonly PerfTestCase[];
}

/** The default threshold metric (upstream `Workload.setDefaults`). */
export const DEFAULT_THRESHOLD_METRIC: ThresholdMetricSelector = {
  name: "SchedulingThroughput",
  labels: {},
  dataBucket: "Average",
  expectLower: false,
};

// ---- field reading ---------------------------------------------------------------------------

/**
 * A mapping read like a Go struct: `get(name)` matches keys case-insensitively, and every key
 * that is not one of `known` is reported as `unknown field`.
 */
class Struct {
  readonly #field: Field;
  readonly #byLower = new Map<string, string>();

  constructor(field: Field, known: readonly string[]) {
    this.#field = field.object();
    const knownLower = new Set(known.map((k) => k.toLowerCase()));
    const v = this.#field.value;
    if (isObject(v)) {
      for (const key of Object.keys(v)) {
        const lower = key.toLowerCase();
        if (!knownLower.has(lower)) {
          this.#field.error(`unknown field ${quote(key)}`, keySegment(key));
          continue;
        }
        if (this.#byLower.has(lower)) {
          this.#field.error(`duplicate field ${quote(key)}`, keySegment(key));
          continue;
        }
        this.#byLower.set(lower, key);
      }
    }
  }

  get field(): Field {
    return this.#field;
  }

  get(name: string): Field {
    const actual = this.#byLower.get(name.toLowerCase()) ?? name;
    const v = isObject(this.#field.value) ? this.#field.value[actual] : undefined;
    return new Field(this.#field.scope, joinPath(this.#field.path, keySegment(actual)), v);
  }
}

function nonNegativeInt(f: Field): number | undefined {
  const v = f.optInt();
  if (v !== undefined && v < 0) {
    f.error("must be greater than or equal to 0");
    return undefined;
  }
  return v;
}

/** `count` / `countParam` (upstream `isValidCount`). */
function readCount(s: Struct, countKey = "count", paramKey = "countParam"): CountSpec {
  const paramField = s.get(paramKey);
  const param = paramField.optString();
  if (param !== undefined && param !== "") {
    if (!param.startsWith("$") || param.length < 2) {
      paramField.error(`${quote(param)} must name a workload parameter as "$name"`);
      return { kind: "literal", value: 0 };
    }
    return { kind: "param", name: param.slice(1), path: paramField.path };
  }
  return { kind: "literal", value: nonNegativeInt(s.get(countKey)) ?? 0 };
}

function readParamRef(f: Field): { name: string; path: string } | undefined {
  const v = f.optString();
  if (v === undefined || v === "") return undefined;
  if (!v.startsWith("$") || v.length < 2) {
    f.error(`${quote(v)} must name a workload parameter as "$name"`);
    return undefined;
  }
  return { name: v.slice(1), path: f.path };
}

function readStringMap(f: Field): Record<string, string> {
  return f.stringMap();
}

function readBoolMap(f: Field): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [k, item] of f.entries()) {
    const v = item.value;
    if (typeof v === "boolean") out[k] = v;
    else item.error("must be a boolean");
  }
  return out;
}

function readTemplateParams(f: Field): RawTemplateParams {
  const out: Record<string, unknown> = {};
  for (const [k, item] of f.entries()) out[k] = item.value ?? null;
  return out;
}

/** Checks that a template file exists; returns its resolved path. */
function templatePath(f: Field, dir: string): string | undefined {
  const p = f.optString();
  if (p === undefined) return undefined;
  if (p === "") {
    f.error("must not be empty");
    return undefined;
  }
  const full = join(dir, p);
  if (!existsSync(full) || !statSync(full).isFile()) {
    f.error(`${quote(p)}: no such file (resolved to ${full})`);
  }
  return full;
}

// ---- ops -------------------------------------------------------------------------------------

/** Opcodes upstream knows that gantry does not simulate, with the reason. */
const UNSUPPORTED_OPCODES: Readonly<Record<string, string>> = {
  createPodGroups: "createPodGroups: PodGroups (gang scheduling) are not modelled",
  waitForPodGroups: "waitForPodGroups: PodGroups (gang scheduling) are not modelled",
  createResourceClaims: "createResourceClaims: Dynamic Resource Allocation is not modelled",
  createResourceDriver: "createResourceDriver: Dynamic Resource Allocation is not modelled",
  allocResourceClaims: "allocResourceClaims: Dynamic Resource Allocation is not modelled",
  updateAny: "updateAny: object updates are not modelled",
  startCollectingMetrics:
    "startCollectingMetrics/stopCollectingMetrics: only createPods' collectMetrics is supported",
  stopCollectingMetrics:
    "startCollectingMetrics/stopCollectingMetrics: only createPods' collectMetrics is supported",
};

const NO_OPS = new Set(["startCollectingProfile", "stopCollectingProfile"]);

const CREATE_PODS_FIELDS = [
  "opcode",
  "count",
  "countParam",
  "countMultiplierParam",
  "steadyState",
  "steadyStateParam",
  "duration",
  "durationParam",
  "collectMetrics",
  "namespace",
  "podTemplatePath",
  "skipWaitToCompletion",
  "persistentVolumeTemplatePath",
  "persistentVolumeClaimTemplatePath",
  "templateParams",
  "signatureBatchSize",
  "signatureBatchSizeParam",
] as const;

interface OpContext {
  readonly dir: string;
  readonly defaultPodTemplatePath?: string;
}

function readCreatePods(s: Struct, base: OpBase, ctx: OpContext): CreatePodsOp | UnsupportedOp {
  const count = readCount(s);
  const countMultiplierParam = readParamRef(s.get("countMultiplierParam"));
  const collectMetrics = s.get("collectMetrics").bool(false);
  const skipWaitToCompletion = s.get("skipWaitToCompletion").bool(false);
  const nsField = s.get("namespace");
  const namespace = nsField.optString();
  const podTemplatePath = templatePath(s.get("podTemplatePath"), ctx.dir);
  const templateParams = readTemplateParams(s.get("templateParams"));
  const steadyState = s.get("steadyState").bool(false);
  const steadyStateParam = readParamRef(s.get("steadyStateParam"));
  const durationField = s.get("duration");
  const duration = durationField.optString();
  if (duration !== undefined && parseDuration(duration) === undefined) {
    durationField.error(`${quote(duration)} is not a valid duration (e.g. "10s", "1m30s")`);
  }
  readParamRef(s.get("durationParam"));
  nonNegativeInt(s.get("signatureBatchSize"));
  readParamRef(s.get("signatureBatchSizeParam"));
  const pv = templatePath(s.get("persistentVolumeTemplatePath"), ctx.dir);
  const pvc = templatePath(s.get("persistentVolumeClaimTemplatePath"), ctx.dir);
  if (collectMetrics && skipWaitToCompletion) {
    s.field.error("collectMetrics and skipWaitToCompletion cannot be true at the same time");
  }
  if (skipWaitToCompletion && steadyState) {
    s.field.error("skipWaitToCompletion and steadyState cannot be true at the same time");
  }
  if ((pv === undefined) !== (pvc === undefined)) {
    s.field.error("persistentVolumeTemplatePath and persistentVolumeClaimTemplatePath go together");
  }
  if (steadyState || steadyStateParam !== undefined) {
    return {
      ...base,
      opcode: "unsupported",
      name: "createPods",
      reason: "createPods with steadyState: steady-state pod churn is not modelled",
    };
  }
  const defaulted = podTemplatePath ?? ctx.defaultPodTemplatePath;
  return {
    ...base,
    opcode: "createPods",
    count,
    ...(countMultiplierParam ? { countMultiplierParam } : {}),
    collectMetrics,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(defaulted !== undefined ? { podTemplatePath: defaulted } : {}),
    ...(pv !== undefined && pvc !== undefined
      ? { persistentVolumeTemplatePath: pv, persistentVolumeClaimTemplatePath: pvc }
      : {}),
    skipWaitToCompletion,
    templateParams,
  };
}

/** createNodes' `nodeAllocatableStrategy`, validated (undefined when absent). */
function readNodeAllocatableStrategy(field: Field): NodeAllocatableStrategy | undefined {
  if (!field.present) return undefined;
  const s = new Struct(field, ["nodeAllocatable", "csiNodeAllocatable", "migratedPlugins"]);
  const nodeAllocatable = s.get("nodeAllocatable").stringMap();
  const csiNodeAllocatable: Record<string, { count: number }> = {};
  const csi = s.get("csiNodeAllocatable");
  if (csi.present) {
    const drivers = isObject(csi.value) ? Object.keys(csi.value) : [];
    if (!isObject(csi.value)) csi.error("must be a mapping of CSI driver → {count}");
    for (const driver of drivers) {
      const d = new Struct(csi.get(driver), ["count"]);
      const countField = d.get("count");
      if (!countField.present) countField.error("required");
      const count = nonNegativeInt(countField);
      if (count !== undefined) csiNodeAllocatable[driver] = { count };
    }
  }
  const migrated = s.get("migratedPlugins").stringList();
  return { nodeAllocatable, csiNodeAllocatable, migratedPlugins: migrated };
}

/** `$name` strings anywhere below `v` (the parameters an unsupported op would use). */
function rawRefs(v: unknown, path: string, out: { name: string; path: string }[]): void {
  if (typeof v === "string") {
    if (v.startsWith("$") && v.length > 1) out.push({ name: v.slice(1), path });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      rawRefs(x, joinPath(path, i), out);
    });
  } else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) rawRefs(x, joinPath(path, keySegment(k)), out);
  }
}

function rawCollects(v: unknown): boolean {
  if (!isObject(v)) return false;
  for (const [k, x] of Object.entries(v)) {
    if (k.toLowerCase() === "collectmetrics" && x === true) return true;
    if (k.toLowerCase() === "createpodsop" && rawCollects(x)) return true;
  }
  return false;
}

function readOp(field: Field, index: number, ctx: OpContext): PerfOp | undefined {
  const op = readOpInner(field, index, ctx);
  if (op?.opcode !== "unsupported") return op;
  const refs: { name: string; path: string }[] = [];
  rawRefs(field.value, field.path, refs);
  return { ...op, path: field.path, refs, collects: rawCollects(field.value) };
}

function readOpInner(field: Field, index: number, ctx: OpContext): PerfOp | undefined {
  const base: OpBase = { index, path: field.path };
  if (!isObject(field.value)) {
    field.error("must be an object with an opcode");
    return undefined;
  }
  // The opcode first, leniently (upstream decodes `{opcode}` before the strict decode).
  const lenient = new Map(Object.entries(field.value).map(([k, v]) => [k.toLowerCase(), [k, v]]));
  const [opKey, opValue] = (lenient.get("opcode") ?? ["opcode", undefined]) as [string, unknown];
  const opField = new Field(field.scope, joinPath(field.path, keySegment(opKey)), opValue);
  const opcode = opField.requiredString();
  if (!opcode) return undefined;
  const reason = UNSUPPORTED_OPCODES[opcode];
  if (reason !== undefined) return { ...base, opcode: "unsupported", name: opcode, reason };
  if (NO_OPS.has(opcode)) return { ...base, opcode: "noop", name: opcode };
  switch (opcode) {
    case "createNodes": {
      const s = new Struct(field, [
        "opcode",
        "count",
        "countParam",
        "nodeTemplatePath",
        "nodeAllocatableStrategy",
        "labelNodePrepareStrategy",
        "uniqueNodeLabelStrategy",
        "templateParams",
      ]);
      const count = readCount(s);
      const nodeTemplatePath = templatePath(s.get("nodeTemplatePath"), ctx.dir);
      const templateParams = readTemplateParams(s.get("templateParams"));
      const strategies = [
        "nodeAllocatableStrategy",
        "labelNodePrepareStrategy",
        "uniqueNodeLabelStrategy",
      ]
        .map((k) => s.get(k))
        .filter((f) => f.present);
      if (strategies.length > 1) {
        s.field.error(
          "at most one of nodeAllocatableStrategy, labelNodePrepareStrategy and uniqueNodeLabelStrategy may be set",
        );
      }
      let labelNodePrepareStrategy: LabelNodePrepareStrategy | undefined;
      const lnps = s.get("labelNodePrepareStrategy");
      if (lnps.present) {
        const ls = new Struct(lnps, ["labelKey", "labelValues"]);
        const labelKey = ls.get("labelKey").requiredString();
        const labelValues = ls.get("labelValues").stringList();
        if (labelValues.length === 0) ls.get("labelValues").error("required");
        labelNodePrepareStrategy = { labelKey, labelValues };
      }
      let uniqueNodeLabelStrategy: { labelKey: string } | undefined;
      const unls = s.get("uniqueNodeLabelStrategy");
      if (unls.present) {
        const us = new Struct(unls, ["labelKey"]);
        uniqueNodeLabelStrategy = { labelKey: us.get("labelKey").requiredString() };
      }
      const nodeAllocatableStrategy = readNodeAllocatableStrategy(s.get("nodeAllocatableStrategy"));
      return {
        ...base,
        opcode,
        count,
        ...(nodeTemplatePath !== undefined ? { nodeTemplatePath } : {}),
        ...(labelNodePrepareStrategy ? { labelNodePrepareStrategy } : {}),
        ...(uniqueNodeLabelStrategy ? { uniqueNodeLabelStrategy } : {}),
        ...(nodeAllocatableStrategy ? { nodeAllocatableStrategy } : {}),
        templateParams,
      };
    }
    case "createNamespaces": {
      const s = new Struct(field, [
        "opcode",
        "prefix",
        "count",
        "countParam",
        "namespaceTemplatePath",
      ]);
      const prefix = s.get("prefix").requiredString();
      const count = readCount(s);
      const namespaceTemplatePath = templatePath(s.get("namespaceTemplatePath"), ctx.dir);
      return {
        ...base,
        opcode,
        prefix,
        count,
        ...(namespaceTemplatePath !== undefined ? { namespaceTemplatePath } : {}),
      };
    }
    case "createPods":
      return readCreatePods(new Struct(field, CREATE_PODS_FIELDS), base, ctx);
    case "createPodSets": {
      const s = new Struct(field, [
        "opcode",
        "count",
        "countParam",
        "namespacePrefix",
        "createPodsOp",
      ]);
      const count = readCount(s);
      const namespacePrefix = s.get("namespacePrefix").requiredString();
      const inner = s.get("createPodsOp");
      if (!inner.require()) return undefined;
      const innerStruct = new Struct(inner, CREATE_PODS_FIELDS);
      const op = readCreatePods(innerStruct, { index, path: inner.path }, ctx);
      if (op.opcode === "unsupported") return { ...op, path: base.path };
      return { ...base, opcode, count, namespacePrefix, createPodsOp: op };
    }
    case "deletePods": {
      const s = new Struct(field, [
        "opcode",
        "namespace",
        "labelSelector",
        "skipWaitToCompletion",
        "deletePodsPerSecond",
      ]);
      const namespace = s.get("namespace").requiredString();
      const labelSelector = readStringMap(s.get("labelSelector"));
      const skipWaitToCompletion = s.get("skipWaitToCompletion").bool(false);
      const deletePodsPerSecond = nonNegativeInt(s.get("deletePodsPerSecond")) ?? 0;
      if (Object.keys(labelSelector).length > 0) {
        return {
          ...base,
          opcode: "unsupported",
          name: opcode,
          reason: "deletePods with labelSelector: the engine deletes pods by namespace only",
        };
      }
      return { ...base, opcode, namespace, skipWaitToCompletion, deletePodsPerSecond };
    }
    case "churn": {
      const s = new Struct(field, [
        "opcode",
        "mode",
        "number",
        "intervalMilliseconds",
        "namespace",
        "templatePaths",
      ]);
      const mode = s.get("mode").requiredOneOf(["create", "recreate"] as const) ?? "create";
      const numberField = s.get("number");
      const number = nonNegativeInt(numberField) ?? 0;
      if (mode === "recreate" && number === 0)
        numberField.error("must be set (> 0) when mode is recreate");
      const intervalField = s.get("intervalMilliseconds");
      const interval = intervalField.optInt();
      if (interval !== undefined && interval <= 0) intervalField.error("must be greater than 0");
      const namespace = s.get("namespace").optString();
      const pathsField = s.get("templatePaths");
      const templatePaths = pathsField
        .list()
        .map((f) => templatePath(f, ctx.dir))
        .filter((p): p is string => p !== undefined);
      if (pathsField.list().length === 0)
        pathsField.error("at least one template path is required");
      return {
        ...base,
        opcode,
        mode,
        number,
        intervalMilliseconds: interval !== undefined && interval > 0 ? interval : 500,
        ...(namespace !== undefined ? { namespace } : {}),
        templatePaths,
      };
    }
    case "barrier": {
      const s = new Struct(field, ["opcode", "namespaces", "labelSelector", "stageRequirement"]);
      const namespaces = s.get("namespaces").stringList();
      readStringMap(s.get("labelSelector"));
      const stageField = s.get("stageRequirement");
      const stage =
        stageField.value === "" ? undefined : stageField.oneOf(["Scheduled", "Attempted"] as const);
      return { ...base, opcode, namespaces, stageRequirement: stage ?? "Scheduled" };
    }
    case "sleep": {
      const s = new Struct(field, ["opcode", "duration", "durationParam"]);
      const param = readParamRef(s.get("durationParam"));
      if (param) return { ...base, opcode, duration: { param: param.name, path: param.path } };
      const df = s.get("duration");
      const text = df.optString();
      let seconds = 0;
      if (text !== undefined) {
        const d = parseDuration(text);
        if (d === undefined || d < 0)
          df.error(`${quote(text)} is not a valid duration (e.g. "10s", "1m30s")`);
        else seconds = d;
      }
      return { ...base, opcode, duration: { seconds } };
    }
    case "createAny": {
      const s = new Struct(field, [
        "opcode",
        "namespace",
        "templatePath",
        "count",
        "countParam",
        "templateParams",
      ]);
      const namespace = s.get("namespace").string("");
      const tpField = s.get("templatePath");
      tpField.require();
      const path = templatePath(tpField, ctx.dir) ?? "";
      const hasCount = s.get("count").present || s.get("countParam").present;
      const count = hasCount ? readCount(s) : undefined;
      const templateParams = readTemplateParams(s.get("templateParams"));
      return {
        ...base,
        opcode,
        namespace,
        templatePath: path,
        ...(count ? { count } : {}),
        templateParams,
      };
    }
    default:
      return {
        ...base,
        opcode: "unsupported",
        name: opcode,
        reason: `opcode ${quote(opcode)} is not supported`,
      };
  }
}

/** Whether an op collects metrics (upstream `collectsMetrics`). */
export function collectsMetrics(op: PerfOp): boolean {
  if (op.opcode === "createPods") return op.collectMetrics;
  if (op.opcode === "createPodSets") return op.createPodsOp.collectMetrics;
  if (op.opcode === "unsupported") return op.collects === true;
  return false;
}

/** Every workload parameter the ops reference, with where. */
export function paramReferences(ops: readonly PerfOp[]): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  const fromParams = (p: RawTemplateParams, path: string) => {
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === "string" && v.startsWith("$") && v.length > 1) {
        out.push({
          name: v.slice(1),
          path: joinPath(joinPath(path, "templateParams"), keySegment(k)),
        });
      }
    }
  };
  const fromCount = (c: CountSpec | undefined) => {
    if (c?.kind === "param") out.push({ name: c.name, path: c.path });
  };
  const fromPods = (op: CreatePodsOp) => {
    fromCount(op.count);
    if (op.countMultiplierParam) out.push(op.countMultiplierParam);
    fromParams(op.templateParams, op.path);
  };
  for (const op of ops) {
    switch (op.opcode) {
      case "createNodes":
        fromCount(op.count);
        fromParams(op.templateParams, op.path);
        break;
      case "createNamespaces":
        fromCount(op.count);
        break;
      case "createPods":
        fromPods(op);
        break;
      case "createPodSets":
        fromCount(op.count);
        fromPods(op.createPodsOp);
        break;
      case "createAny":
        fromCount(op.count);
        fromParams(op.templateParams, op.path);
        break;
      case "sleep":
        if ("param" in op.duration) out.push({ name: op.duration.param, path: op.duration.path });
        break;
      case "unsupported":
        out.push(...(op.refs ?? []));
        break;
      default:
        break;
    }
  }
  return out;
}

// ---- test cases and workloads ----------------------------------------------------------------

function readThreshold(f: Field): Threshold {
  const v = f.value;
  if (v === undefined) return { value: 0, byTopic: {} };
  if (typeof v === "number") {
    if (v < 0) f.error("must be non-negative");
    return { value: Math.max(0, v), byTopic: {} };
  }
  if (isObject(v)) {
    const byTopic: Record<string, number> = {};
    for (const [k, item] of f.entries()) {
      if (typeof item.value === "number" && item.value >= 0) byTopic[k] = item.value;
      else item.error("must be a non-negative number");
    }
    return { value: 0, byTopic };
  }
  f.error("must be a number or a map of topic name to number");
  return { value: 0, byTopic: {} };
}

function readMetricSelector(f: Field): ThresholdMetricSelector | undefined {
  if (!f.present) return undefined;
  const s = new Struct(f, ["name", "labels", "dataBucket", "expectLower"]);
  const name = s.get("name").requiredString();
  const dataBucket = s.get("dataBucket").requiredString();
  return {
    name,
    labels: readStringMap(s.get("labels")),
    dataBucket,
    expectLower: s.get("expectLower").bool(false),
  };
}

function readWorkload(f: Field, tcSelector: ThresholdMetricSelector | undefined): PerfWorkload {
  const s = new Struct(f, [
    "name",
    "params",
    "labels",
    "threshold",
    "thresholdMetricSelector",
    "featureGates",
  ]);
  const name = s.get("name").requiredString();
  const paramsField = s.get("params");
  const params: Record<string, unknown> = {};
  for (const [k, item] of paramsField.entries()) params[k] = item.value ?? null;
  return {
    name,
    path: f.path,
    params,
    labels: s.get("labels").stringList(),
    threshold: readThreshold(s.get("threshold")),
    thresholdMetricSelector:
      readMetricSelector(s.get("thresholdMetricSelector")) ??
      tcSelector ??
      DEFAULT_THRESHOLD_METRIC,
    featureGates: readBoolMap(s.get("featureGates")),
  };
}

/** Checks a workload's parameters against the references (upstream: undefined / wrong type / unused). */
function checkParams(wf: Field, w: PerfWorkload, ops: readonly PerfOp[]): void {
  const refs = paramReferences(ops);
  const used = new Set<string>();
  const paramsField = wf.get("params");
  for (const r of refs) {
    used.add(r.name);
    if (!(r.name in w.params)) {
      paramsField.error(`parameter ${r.name} is undefined (used at ${r.path})`);
    }
  }
  // Counts and durations need a number and a Go duration respectively.
  const numeric = new Set<string>();
  const durations = new Set<string>();
  for (const op of ops) {
    const add = (c: CountSpec | undefined) => {
      if (c?.kind === "param") numeric.add(c.name);
    };
    if (op.opcode === "createNodes" || op.opcode === "createNamespaces") add(op.count);
    if (op.opcode === "createAny") add(op.count);
    if (op.opcode === "createPods" || op.opcode === "createPodSets") {
      add(op.count);
      const pods = op.opcode === "createPods" ? op : op.createPodsOp;
      add(pods.count);
      if (pods.countMultiplierParam) numeric.add(pods.countMultiplierParam.name);
    }
    if (op.opcode === "sleep" && "param" in op.duration) durations.add(op.duration.param);
  }
  for (const name of numeric) {
    const v = w.params[name];
    if (v !== undefined && typeof v !== "number") {
      paramsField.get(name).error(`parameter ${name} has the wrong type: must be a number`);
    } else if (typeof v === "number" && v < 0) {
      paramsField.get(name).error(`parameter ${name} must be greater than or equal to 0`);
    }
  }
  for (const name of durations) {
    const v = w.params[name];
    if (v !== undefined && (typeof v !== "string" || parseDuration(v) === undefined)) {
      paramsField.get(name).error(`parameter ${name} must be a Go duration string (e.g. "10s")`);
    }
  }
  for (const name of Object.keys(w.params)) {
    if (!used.has(name)) {
      paramsField
        .get(name)
        .error(`parameter ${name} is defined but unused by the workload template (a typo?)`);
    }
  }
}

function readTestCase(f: Field, dir: string): PerfTestCase | undefined {
  const s = new Struct(f, [
    "name",
    "featureGates",
    "metricsCollectorConfig",
    "workloadTemplate",
    "workloads",
    "schedulerConfigPath",
    "defaultPodTemplatePath",
    "labels",
    "defaultThresholdMetricSelector",
  ]);
  if (!isObject(f.value)) return undefined;
  const name = s.get("name").requiredString();
  const defaultPodTemplatePath = templatePath(s.get("defaultPodTemplatePath"), dir);
  const schedulerConfigPath = templatePath(s.get("schedulerConfigPath"), dir);
  const ctx: OpContext = {
    dir,
    ...(defaultPodTemplatePath !== undefined ? { defaultPodTemplatePath } : {}),
  };
  const opsField = s.get("workloadTemplate");
  const ops: PerfOp[] = [];
  opsField.list().forEach((opField, i) => {
    const op = readOp(opField, i, ctx);
    if (op) ops.push(op);
  });
  if (opsField.list().length === 0) opsField.error("no ops defined");
  if (ops.length > 0 && !ops.some(collectsMetrics)) {
    opsField.error("no op in the workload template collects metrics (collectMetrics: true)");
  }
  const selector = readMetricSelector(s.get("defaultThresholdMetricSelector"));
  const workloadsField = s.get("workloads");
  const workloads: PerfWorkload[] = [];
  const seen = new Set<string>();
  for (const wf of workloadsField.list()) {
    const w = readWorkload(wf, selector);
    if (w.name !== "") {
      if (seen.has(w.name)) wf.get("name").error(`workload name ${quote(w.name)} is not unique`);
      seen.add(w.name);
    }
    checkParams(wf, w, ops);
    workloads.push(w);
  }
  if (workloadsField.list().length === 0) workloadsField.error("no workloads defined");
  return {
    name,
    path: f.path,
    labels: s.get("labels").stringList(),
    featureGates: readBoolMap(s.get("featureGates")),
    ...(schedulerConfigPath !== undefined ? { schedulerConfigPath } : {}),
    workloadTemplate: ops,
    workloads,
  };
}

/** Parses a performance-config text; `file` names it and anchors relative template paths. */
export function parsePerfConfig(text: string, file: string): PerfConfig {
  const diags = new Diagnostics();
  const dir = dirname(file);
  const parsed = parseYaml(text, file);
  for (const d of parsed.diagnostics) diags.add(d);
  if (parsed.documents.length > 1) {
    diags.add({
      file,
      severity: "error",
      message: "must hold one YAML document (a list of test cases)",
    });
  }
  const testCases: PerfTestCase[] = [];
  const doc = parsed.documents[0];
  if (doc !== undefined && parsed.documents.length === 1) {
    const root = new Field({ diags, loc: { file } }, "", doc.value);
    if (!Array.isArray(root.value)) {
      root.error("must be a list of test cases");
    } else {
      const names = new Set<string>();
      root.list().forEach((item, i) => {
        const tcName =
          isObject(item.value) && typeof item.value["name"] === "string"
            ? item.value["name"]
            : undefined;
        const loc: Location = { file, ...(tcName ? { object: `test case ${tcName}` } : {}) };
        const scope: Scope = { diags, loc };
        const f = new Field(scope, `[${i}]`, item.value);
        if (!isObject(f.value)) {
          f.error("must be an object (a test case)");
          return;
        }
        const tc = readTestCase(f, dir);
        if (!tc) return;
        if (tc.name !== "") {
          if (names.has(tc.name))
            f.get("name").error(`test case name ${quote(tc.name)} is not unique`);
          names.add(tc.name);
        }
        testCases.push(tc);
      });
      if (root.list().length === 0) root.error("no test cases defined");
    }
  } else if (parsed.documents.length === 0 && !diags.hasErrors) {
    diags.add({ file, severity: "error", message: "no test cases defined" });
  }
  if (diags.hasErrors) throw new InputError(diags.errors());
  return { file, dir, topic: basename(resolve(dir)), testCases };
}

/** Reads and parses a performance-config.yaml. @throws InputError (exit 2) */
export async function loadPerfConfig(file: string): Promise<PerfConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const message =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EISDIR"
          ? "is a directory"
          : String(e);
    throw InputError.of({ file }, message);
  }
  return parsePerfConfig(text, file);
}

// ---- selection -------------------------------------------------------------------------------

/**
 * Upstream's label filter (`enabled`): each selector must be among the labels (`x` or `+x`) or
 * must not be (`-x`); empty selectors are ignored.
 */
export function labelsEnabled(selectors: readonly string[], labels: readonly string[]): boolean {
  for (const raw of selectors) {
    const sel = raw.trim();
    if (sel === "") continue;
    if (sel.startsWith("-")) {
      if (labels.includes(sel.slice(1))) return false;
    } else if (!labels.includes(sel.startsWith("+") ? sel.slice(1) : sel)) {
      return false;
    }
  }
  return true;
}

/** The threshold for `topic` (upstream `thresholds.Get`). */
export function thresholdFor(t: Threshold, topic: string): number {
  return t.byTopic[topic] ?? t.value;
}
