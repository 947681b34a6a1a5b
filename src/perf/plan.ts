/**
 * One scheduler_perf workload (a test case's `workloadTemplate` with one workload's params) →
 * a gantry {@link SimulationInput}.
 *
 * **Timeline.** `createPodSets` is unrolled first (one `createPods` per namespace, as upstream's
 * `unrollWorkloadTemplate` does), and op *k* of the unrolled list starts at `T_k`: `T_0 = 0`,
 * `T_{k+1} = T_k + 1 s` (plus a `sleep` op's duration). Scheduling cycles take no simulated
 * time, so everything an op creates is scheduled at its instant before the clock moves: the
 * waiting upstream does after `createPods` (and `barrier`) is then naturally satisfied, and
 * `skipWaitToCompletion` changes nothing — except for pods that need retries (preemption,
 * backoff), which keep retrying while later ops start.
 *
 * **Ops.**
 * - `createNodes` before the first pod is created → the initial `nodes`; later → `addNode`
 *   events. Names `<generateName><k>-<i>` (built-in node: `node-<k>-<i>`, upstream's
 *   `node-<k>-` prefix), `kubernetes.io/hostname` set to the name. `labelNodePrepareStrategy`
 *   gives node *i* of the op `labelValues[i % len]` (upstream's round robin, applied in creation
 *   order); `uniqueNodeLabelStrategy` gives each node its name as the value.
 * - `createNamespaces` → Namespaces `<prefix>-<i>`; pods' namespaces are created too.
 * - `createAny` → its object (a Service, a PriorityClass …) in `objects` — present from time 0,
 *   since the engine has no object events; a Pod or Node is created like the ops above.
 * - `createPods` → `count` (× `countMultiplierParam`) pods at `T_k` in `namespace`, default
 *   `namespace-<k>`; they never finish (duration ∞). The `collectMetrics` op's pods are the
 *   measured ones: `measure` covers exactly their creation instant.
 * - `deletePods` → `deletePods` events: all at once at `T_k`, or one pod every
 *   `1/deletePodsPerSecond` s from `T_k + 1/rate` (upstream's ticker), for as many pods as the
 *   namespace holds at `T_k`.
 * - `churn` ticks every `intervalMilliseconds` (default 500), phase-shifted by half an interval
 *   (`T_k + (j + ½)·interval`) so a tick never lands on an op's instant (a churned pod must not
 *   count as measured). `create`: each tick creates one object per template (pods → arrivals,
 *   nodes → `addNode`), `number` ticks at most (0: until the end). `recreate`: each template
 *   has `number` slots; a tick empties its slot (a pod → `deletePods` of 1, oldest first; a node
 *   → `removeNode`) or fills it. Services and other kinds are not modelled by the engine: noted.
 * - `barrier`, `sleep`: nothing but time. Profiling ops: nothing.
 *
 * **End.** `endTime = max(T_last, T_measured) + horizon` (default 30 s): background work
 * (churn, rate-limited deletions) stops there; measured pods still pending then are reported.
 *
 * **Gated pods.** Pods with `schedulingGates` are submitted; the engine holds them out of the
 * queue (SchedulingGates at PreEnqueue), as upstream never attempts them while gated.
 */

import { parseDuration } from "../config/decode.ts";
import type { Profile } from "../config/types.ts";
import type { RawObject } from "../manifest/field.ts";
import type { KeptObject, Namespace, Node, Pod } from "../model/types.ts";
import type { ClusterEvent, PodArrival, SimulationInput } from "../sim/types.ts";
import type {
  ChurnOp,
  CountSpec,
  CreatePodsOp,
  PerfOp,
  PerfTestCase,
  PerfWorkload,
  RawTemplateParams,
} from "./config.ts";
import {
  BUILT_IN_FILE,
  builtInNode,
  builtInPod,
  decodeAny,
  decodeNamespaceAs,
  decodeNodeAs,
  decodePodAs,
  podSkipReason,
  SkipWorkload,
  type TemplateFiles,
  templateName,
  withNodeName,
} from "./objects.ts";
import { fromJson, int, type TemplateEnv, type TemplateValue } from "./template.ts";
import { csiNodeOf, podVolumeObjects, withAllocatable, withClaim } from "./volumes.ts";

/** Seconds between the starts of consecutive ops. */
export const OP_GAP = 1;
/** Default seconds simulated after the last op (and the measured op). */
export const DEFAULT_HORIZON = 30;
/** Width of the measured creation window around the measured op's instant. */
const MEASURE_EPSILON = 1e-6;

export interface PlanOptions {
  /** Seconds simulated after the last op; default {@link DEFAULT_HORIZON}. */
  readonly horizon?: number;
}

/** Pods created at one instant by one op. */
export interface ArrivalGroup {
  readonly time: number;
  readonly count: number;
  /** The i-th pod (0 ≤ i < count). */
  readonly at: (i: number) => PodArrival;
}

/** What the plan did with one (unrolled) op, for reports and tests. */
export interface PlannedOp {
  readonly index: number;
  readonly opcode: string;
  readonly time: number;
  readonly namespace?: string;
  readonly pods?: number;
  readonly nodes?: number;
  readonly deletions?: number;
  readonly measured?: boolean;
}

export interface WorkloadPlan {
  /** `<TestCase>/<Workload>`. */
  readonly name: string;
  readonly nodes: readonly Node[];
  readonly events: readonly ClusterEvent[];
  readonly groups: readonly ArrivalGroup[];
  readonly namespaces: readonly Namespace[];
  readonly kept: readonly KeptObject[];
  readonly measure: {
    readonly time: number;
    readonly namespace: string;
    readonly pods: number;
    readonly opIndex: number;
  };
  readonly endTime: number;
  readonly timeline: readonly PlannedOp[];
  readonly notes: readonly string[];
  /** Pods the arrivals hold (churned ones included). */
  readonly podsPlanned: number;
}

interface Unrolled {
  readonly op: PerfOp;
  readonly index: number;
}

/** Upstream `unrollWorkloadTemplate`: createPodSets → one createPods per namespace. */
function unroll(ops: readonly PerfOp[], count: (c: CountSpec) => number): Unrolled[] {
  const out: Unrolled[] = [];
  for (const op of ops) {
    if (op.opcode === "createPodSets") {
      const n = count(op.count);
      for (let i = 0; i < n; i++) {
        const inner: CreatePodsOp = { ...op.createPodsOp, namespace: `${op.namespacePrefix}-${i}` };
        out.push({ op: inner, index: out.length });
      }
    } else {
      out.push({ op, index: out.length });
    }
  }
  return out;
}

/** The env a template runs with: resolved templateParams plus `Index` and `Count`. */
function envOf(
  raw: RawTemplateParams,
  params: Readonly<Record<string, unknown>>,
): Map<string, TemplateValue> {
  const env = new Map<string, TemplateValue>();
  for (const [k, v] of Object.entries(raw)) {
    const value = typeof v === "string" && v.startsWith("$") ? params[v.slice(1)] : v;
    env.set(k, fromJson(value));
  }
  return env;
}

function withIndex(
  env: ReadonlyMap<string, TemplateValue>,
  index: number,
  count: number,
): TemplateEnv {
  const e = new Map(env);
  e.set("Index", int(index));
  e.set("Count", int(count));
  return e;
}

/** The first reason a workload cannot be simulated, or undefined (ops only). */
export function opSkipReason(tc: PerfTestCase): string | undefined {
  const unsupported = tc.workloadTemplate.find((o) => o.opcode === "unsupported");
  if (unsupported?.opcode === "unsupported") {
    return `op ${unsupported.index} (${unsupported.name}): ${unsupported.reason}`;
  }
  return undefined;
}

/** Builds the plan of workload `w` of test case `tc`. @throws SkipWorkload, InputError */
export function planWorkload(
  tc: PerfTestCase,
  w: PerfWorkload,
  files: TemplateFiles,
  options: PlanOptions = {},
): WorkloadPlan {
  const name = `${tc.name}/${w.name}`;
  const reason = opSkipReason(tc);
  if (reason !== undefined) throw new SkipWorkload(reason);
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  const count = (c: CountSpec): number =>
    c.kind === "literal" ? c.value : Math.trunc(w.params[c.name] as number);
  const ops = unroll(tc.workloadTemplate, count);
  const measuredOps = ops.filter((u) => u.op.opcode === "createPods" && u.op.collectMetrics);
  if (measuredOps.length !== 1) {
    throw new SkipWorkload(
      `${measuredOps.length} ops collect metrics; gantry measures exactly one (the engine has one measure window)`,
    );
  }

  // Pass 1: the timeline.
  const times: number[] = [];
  let t = 0;
  for (const u of ops) {
    times.push(t);
    let sleep = 0;
    if (u.op.opcode === "sleep") {
      sleep =
        "seconds" in u.op.duration
          ? u.op.duration.seconds
          : (parseDuration(String(w.params[u.op.duration.param])) ?? 0);
    }
    t += OP_GAP + sleep;
  }
  const measuredIndex = (measuredOps[0] as Unrolled).index;
  const measureTime = times[measuredIndex] as number;
  const lastTime = times[times.length - 1] ?? 0;
  const endTime = Math.max(lastTime, measureTime) + horizon;

  // Pass 2: objects, arrivals, events.
  const nodes: Node[] = [];
  const events: ClusterEvent[] = [];
  const groups: ArrivalGroup[] = [];
  const namespaces = new Map<string, Namespace>();
  const kept: KeptObject[] = [];
  const timeline: PlannedOp[] = [];
  const notes = new Set<string>();
  const nsPods = new Map<string, number>();
  let podsStarted = false;
  let podsPlanned = 0;
  let measure: WorkloadPlan["measure"] | undefined;

  const ensureNamespace = (ns: string) => {
    if (!namespaces.has(ns)) namespaces.set(ns, decodeNamespaceAs(undefined, BUILT_IN_FILE, ns));
  };
  const nodeNames = new Set<string>();
  const addNodes = (time: number, list: Node[]) => {
    for (const node of list) {
      const n = node.metadata.name;
      if (nodeNames.has(n)) {
        throw new SkipWorkload(`node ${n} is created twice (upstream fails: it already exists)`);
      }
      nodeNames.add(n);
    }
    if (!podsStarted) nodes.push(...list);
    else for (const node of list) events.push({ time, kind: "addNode", node });
  };
  const addGroup = (g: ArrivalGroup, ns: string) => {
    groups.push(g);
    podsStarted = true;
    podsPlanned += g.count;
    nsPods.set(ns, (nsPods.get(ns) ?? 0) + g.count);
  };

  for (const u of ops) {
    try {
      planOp(u);
    } catch (e) {
      // Name the op in reasons that come from its templates.
      if (e instanceof SkipWorkload && !e.reason.startsWith("op ")) {
        const opcode =
          u.op.opcode === "noop" || u.op.opcode === "unsupported" ? u.op.name : u.op.opcode;
        throw new SkipWorkload(`op ${u.index} (${opcode}): ${e.reason}`);
      }
      throw e;
    }
  }

  function planOp(u: Unrolled): void {
    const op = u.op;
    const k = u.index;
    const time = times[k] as number;
    switch (op.opcode) {
      case "createNodes": {
        const n = count(op.count);
        const env = envOf(op.templateParams, w.params);
        const path = op.nodeTemplatePath;
        const built = path === undefined ? builtInNode(`node-${k}-`) : undefined;
        const tmpl = path === undefined ? undefined : files.get(path);
        const file = path ?? BUILT_IN_FILE;
        const list: Node[] = [];
        const labelFor = (i: number, nodeName: string): Record<string, string> => {
          const lnps = op.labelNodePrepareStrategy;
          if (lnps)
            return { [lnps.labelKey]: lnps.labelValues[i % lnps.labelValues.length] as string };
          if (op.uniqueNodeLabelStrategy)
            return { [op.uniqueNodeLabelStrategy.labelKey]: nodeName };
          return {};
        };
        const nameFor = (raw: RawObject, i: number): string => {
          const tn = templateName(raw, `node-${k}-`);
          if (tn.name !== undefined) {
            if (n > 1 && (tmpl?.isStatic ?? true)) {
              throw new SkipWorkload(
                `op ${k} (createNodes): ${file} names its node ${tn.name} but ${n} nodes are created`,
              );
            }
            return tn.name;
          }
          return path === undefined ? `node-${k}-${i}` : `${tn.prefix}${k}-${i}`;
        };
        if (tmpl === undefined || tmpl.isStatic) {
          const raw = built ?? files.render(path as string, env);
          let base: Node | undefined;
          for (let i = 0; i < n; i++) {
            const nodeName = nameFor(raw, i);
            base ??= decodeNodeAs(raw, file, nodeName, notes);
            list.push(withNodeName(base, nodeName, labelFor(i, nodeName)));
          }
        } else {
          for (let i = 0; i < n; i++) {
            const raw = files.render(path as string, withIndex(env, i, n));
            const nodeName = nameFor(raw, i);
            const node = decodeNodeAs(raw, file, nodeName, notes);
            list.push(withNodeName(node, nodeName, labelFor(i, nodeName)));
          }
        }
        const nas = op.nodeAllocatableStrategy;
        if (nas !== undefined) {
          for (let i = 0; i < list.length; i++) {
            const node = withAllocatable(list[i] as Node, nas);
            list[i] = node;
            const csi = csiNodeOf(node.metadata.name, nas, file);
            if (csi !== undefined) kept.push(csi);
          }
        }
        addNodes(time, list);
        timeline.push({ index: k, opcode: op.opcode, time, nodes: n });
        break;
      }
      case "createNamespaces": {
        const n = count(op.count);
        const path = op.namespaceTemplatePath;
        const raw = path === undefined ? undefined : files.render(path, new Map());
        for (let i = 0; i < n; i++) {
          const nsName = `${op.prefix}-${i}`;
          namespaces.set(nsName, decodeNamespaceAs(raw, path ?? BUILT_IN_FILE, nsName));
        }
        timeline.push({ index: k, opcode: op.opcode, time });
        break;
      }
      case "createPods": {
        const n =
          count(op.count) *
          (op.countMultiplierParam
            ? Math.trunc(w.params[op.countMultiplierParam.name] as number)
            : 1);
        const ns = op.namespace ?? `namespace-${k}`;
        ensureNamespace(ns);
        const env = envOf(op.templateParams, w.params);
        const path = op.podTemplatePath;
        const file = path ?? BUILT_IN_FILE;
        const tmpl = path === undefined ? undefined : files.get(path);
        let pods: Pod[];
        let shared: Pod | undefined;
        let first: { raw: RawObject; pod: Pod } | undefined;
        if (tmpl === undefined || tmpl.isStatic) {
          const raw = path === undefined ? builtInPod() : files.render(path, env);
          const tn = templateName(raw, "pod-");
          const pod = decodePodAs(raw, file, tn.name ?? `${tn.prefix}${k}`, ns, notes);
          first = { raw, pod };
          shared = pod;
          pods = [];
        } else {
          pods = [];
          for (let i = 0; i < n; i++) {
            const raw = files.render(path as string, withIndex(env, i, n));
            const tn = templateName(raw, "pod-");
            const pod = decodePodAs(raw, file, tn.name ?? `${tn.prefix}${k}-${i}`, ns, notes);
            first ??= { raw, pod };
            pods.push(pod);
          }
        }
        const pvPath = op.persistentVolumeTemplatePath;
        const pvcPath = op.persistentVolumeClaimTemplatePath;
        if (pvPath !== undefined && pvcPath !== undefined) {
          // Each pod its own volume and claim: per-pod Pod objects (upstream
          // CreatePodWithPersistentVolume).
          const pvRaw = files.render(pvPath, env);
          const pvcRaw = files.render(pvcPath, env);
          const base = shared;
          const perPod: Pod[] = [];
          for (let i = 0; i < n; i++) {
            const objs = podVolumeObjects(pvRaw, pvcRaw, { pv: pvPath, pvc: pvcPath }, ns, i);
            kept.push(objs.pv, objs.pvc);
            const pod = base ?? (pods[i] as Pod);
            const name = `${pod.metadata.name}-${i}`;
            perPod.push(
              withClaim(
                { ...pod, metadata: { ...pod.metadata, name, uid: `${ns}/${name}` } },
                objs.claimName,
              ),
            );
          }
          pods = perPod;
          shared = undefined;
        }
        if (first !== undefined) {
          const skip = podSkipReason(first.raw, first.pod, file);
          if (skip !== undefined) throw new SkipWorkload(`op ${k} (createPods): ${skip}`);
          const meta = first.raw["metadata"];
          if (meta !== null && typeof meta === "object" && "finalizers" in meta) {
            notes.add(
              `${file}: metadata.finalizers are not modelled: a deleted pod releases its node at once (upstream it stays terminating)`,
            );
          }
        }
        const group: ArrivalGroup =
          shared !== undefined
            ? {
                time,
                count: n,
                at: () => ({ time, template: shared as Pod, duration: Number.POSITIVE_INFINITY }),
              }
            : {
                time,
                count: n,
                at: (i) => {
                  const pod = pods[i] as Pod;
                  return {
                    time,
                    template: pod,
                    duration: Number.POSITIVE_INFINITY,
                    name: pod.metadata.name,
                  };
                },
              };
        addGroup(group, ns);
        if (op.collectMetrics) measure = { time, namespace: ns, pods: n, opIndex: k };
        timeline.push({
          index: k,
          opcode: op.opcode,
          time,
          namespace: ns,
          pods: n,
          ...(op.collectMetrics ? { measured: true } : {}),
        });
        break;
      }
      case "deletePods": {
        const present = nsPods.get(op.namespace) ?? 0;
        nsPods.set(op.namespace, 0);
        let planned = 0;
        if (op.deletePodsPerSecond > 0) {
          for (let i = 0; i < present; i++) {
            const at = time + (i + 1) / op.deletePodsPerSecond;
            if (at > endTime) {
              notes.add(
                `op ${k} (deletePods): ${present - i} of ${present} deletions fall after the end (t=${endTime}s) and are not simulated`,
              );
              break;
            }
            events.push({ time: at, kind: "deletePods", namespace: op.namespace, count: 1 });
            planned++;
          }
        } else if (present > 0) {
          events.push({ time, kind: "deletePods", namespace: op.namespace });
          planned = present;
        }
        timeline.push({
          index: k,
          opcode: op.opcode,
          time,
          namespace: op.namespace,
          deletions: planned,
        });
        break;
      }
      case "churn":
        churn(op, k, time);
        break;
      case "createAny": {
        const n = op.count === undefined ? 1 : count(op.count);
        const env = envOf(op.templateParams, w.params);
        const path = op.templatePath;
        for (let i = 0; i < n; i++) {
          const raw = files.render(path, withIndex(env, i, n));
          const tn = templateName(raw, "object-");
          const objName = tn.name ?? `${tn.prefix}${k}-${i}`;
          const obj = decodeAny(raw, path, objName, op.namespace);
          if (obj.kind === "kept") {
            kept.push(obj.object);
            if (podsStarted) {
              notes.add(
                `op ${k} (createAny): ${obj.object.kind} ${objName} exists from time 0 (the engine has no object events)`,
              );
            }
          } else if (obj.kind === "Namespace") {
            namespaces.set(objName, obj.namespace);
          } else if (obj.kind === "Node") {
            addNodes(time, [decodeNodeAs(obj.raw, path, objName, notes)]);
          } else {
            const ns = op.namespace || "default";
            ensureNamespace(ns);
            const pod = decodePodAs(obj.raw, path, objName, ns, notes);
            const skip = podSkipReason(obj.raw, pod, path);
            if (skip !== undefined) throw new SkipWorkload(`op ${k} (createAny): ${skip}`);
            addGroup(
              {
                time,
                count: 1,
                at: () => ({
                  time,
                  template: pod,
                  duration: Number.POSITIVE_INFINITY,
                  name: objName,
                }),
              },
              ns,
            );
          }
        }
        if (op.namespace) ensureNamespace(op.namespace);
        timeline.push({
          index: k,
          opcode: op.opcode,
          time,
          ...(op.namespace ? { namespace: op.namespace } : {}),
        });
        break;
      }
      default:
        timeline.push({ index: k, opcode: op.opcode === "noop" ? op.name : op.opcode, time });
        break;
    }
  }

  function churn(op: ChurnOp, k: number, start: number): void {
    const ns = op.namespace ?? `namespace-${k}`;
    ensureNamespace(ns);
    const interval = op.intervalMilliseconds / 1000;
    type Kind =
      | { readonly kind: "pod"; readonly pod: Pod; readonly raw: RawObject }
      | {
          readonly kind: "node";
          readonly raw: RawObject;
          readonly prefix: string;
          readonly path: string;
        }
      | { readonly kind: "other"; readonly what: string };
    const kinds: Kind[] = op.templatePaths.map((path): Kind => {
      // Upstream reads churn templates as plain YAML (no Go template).
      const raw = files.render(path, new Map());
      const kind = raw["kind"];
      const tn = templateName(raw, kind === "Node" ? "node-churn-" : "pod-");
      if (kind === "Pod") {
        const pod = decodePodAs(raw, path, tn.name ?? `${tn.prefix}${k}`, ns, notes);
        const skip = podSkipReason(raw, pod, path);
        if (skip !== undefined) throw new SkipWorkload(`op ${k} (churn): ${skip}`);
        return { kind: "pod", pod, raw };
      }
      if (kind === "Node") return { kind: "node", raw, prefix: `${tn.prefix}${k}-`, path };
      notes.add(
        `op ${k} (churn): ${String(kind)} objects from ${path} are not modelled (the engine has no ${String(kind)} events)`,
      );
      return { kind: "other", what: String(kind) };
    });
    const slots: (string | undefined)[][] = kinds.map(() => new Array(Math.max(1, op.number)));
    let created = 0;
    let nodesCreated = 0;
    let nodeSerial = 0;
    let ticks = 0;
    for (let j = 0; ; j++) {
      if (op.mode === "create" && op.number > 0 && j >= op.number) break;
      let at = start + (j + 0.5) * interval;
      if (Math.abs(at - measureTime) < MEASURE_EPSILON) at += 1e-3;
      if (at > endTime) break;
      ticks++;
      kinds.forEach((kd, i) => {
        const slotList = slots[i] as (string | undefined)[];
        const slot = op.mode === "recreate" ? j % op.number : 0;
        const occupied = op.mode === "recreate" ? slotList[slot] : undefined;
        if (kd.kind === "other") return;
        if (occupied !== undefined) {
          slotList[slot] = undefined;
          if (kd.kind === "pod")
            events.push({ time: at, kind: "deletePods", namespace: ns, count: 1 });
          else events.push({ time: at, kind: "removeNode", node: occupied });
          return;
        }
        if (kd.kind === "pod") {
          const pod = kd.pod;
          addGroup(
            {
              time: at,
              count: 1,
              at: () => ({ time: at, template: pod, duration: Number.POSITIVE_INFINITY }),
            },
            ns,
          );
          if (op.mode === "recreate") slotList[slot] = "pod";
          created++;
        } else {
          const nodeName = `${kd.prefix}${nodeSerial++}`;
          const node = decodeNodeAs(kd.raw, kd.path, nodeName, notes);
          events.push({ time: at, kind: "addNode", node });
          if (op.mode === "recreate") slotList[slot] = nodeName;
          nodesCreated++;
        }
      });
    }
    timeline.push({
      index: k,
      opcode: "churn",
      time: start,
      namespace: ns,
      pods: created,
      nodes: nodesCreated,
    });
    if (ticks > 0 && kinds.some((kd) => kd.kind === "node")) {
      notes.add(
        `op ${k} (churn): every node added or removed rebuilds the core's node table (${ticks} ticks)`,
      );
    }
  }

  if (measure === undefined) throw new SkipWorkload("the measured op creates no pods");
  groups.sort((a, b) => a.time - b.time);
  return {
    name,
    nodes,
    events,
    groups,
    namespaces: [...namespaces.values()],
    kept,
    measure,
    endTime,
    timeline,
    notes: [...notes],
    podsPlanned,
  };
}

/** The plan's arrivals, lazily, in time order. */
export function* planArrivals(plan: WorkloadPlan): Generator<PodArrival> {
  for (const g of plan.groups) {
    for (let i = 0; i < g.count; i++) yield g.at(i);
  }
}

/** The simulation input of a plan. */
export function simulationInput(
  plan: WorkloadPlan,
  profile: Profile,
  opts: { readonly seed: number; readonly percentageOfNodesToScore?: number },
): SimulationInput {
  return {
    name: plan.name,
    nodes: plan.nodes,
    objects: { namespaces: plan.namespaces, kept: plan.kept },
    profile,
    ...(opts.percentageOfNodesToScore !== undefined
      ? { percentageOfNodesToScore: opts.percentageOfNodesToScore }
      : {}),
    arrivals: { [Symbol.iterator]: () => planArrivals(plan) },
    events: plan.events,
    seed: opts.seed,
    endTime: plan.endTime,
    measure: { from: plan.measure.time, to: plan.measure.time + MEASURE_EPSILON },
  };
}
