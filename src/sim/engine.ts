/**
 * The discrete-event simulation around the core: a simulated clock and event queue, the API
 * store's pods, kube-scheduler's scheduling queue, kubelet pod lifecycles and cluster events.
 *
 * - **Clock**: simulated seconds. Events at one instant are all processed (arrivals, completions,
 *   evictions, cluster changes, retries, in time then creation order), then scheduling cycles run
 *   until the active queue is empty; a cycle takes no simulated time and binds at once.
 * - **Scheduling queue** (upstream `PriorityQueue`): activeQ ordered by PrioritySort (priority,
 *   then the time the pod entered the queue); a failed pod goes to the unschedulable pods with the
 *   plugins that rejected it (the core's `lastRejectors`). Cluster events — an assigned pod bound
 *   or deleted (completions, evictions, preemption victims, a nominated pending pod deleted), a
 *   node added, removed or updated, storage objects added or updated, claims bound at placement —
 *   are checked against those plugins' queueing hints (src/sim/queueing-hints.ts, v1.35's
 *   EventsToRegister and QueueingHintFns): a pod some event may help moves to backoffQ, or
 *   activeQ once its backoff (1 s doubling per attempt, at most 10 s) is over; the others stay.
 *   Events a pod's own cycle causes (its preemption's victims) count for it, as upstream records
 *   them for in-flight pods. Pods unschedulable for 5 minutes are flushed back every 30 s.
 * - **Preemption**: when DefaultPreemption nominates a node, its victims are deleted at once
 *   (graceful termination is not modelled) and the preemptor, its `nominatedNodeName` set, retries
 *   after its backoff. Until it is bound, other pods of at most its priority find its node with
 *   its resources taken (upstream's RunFilterPluginsWithNominatedPods; see NominatedPod).
 * - **Scheduling gates** (the SchedulingGates PreEnqueue plugin): a pod with `schedulingGates`
 *   never enters the queue (nothing removes gates in a simulation); it counts as pending.
 * - **Pods** (kubelet): bound → Running for their duration → Succeeded, resources released;
 *   `Infinity` runs until deleted or evicted. Workload pods (arrivals) with a controller owner
 *   reference come back as new pods (same template) when evicted or preempted, as their
 *   controller would re-create them; pods the simulated controllers created do not — their
 *   controller decides.
 * - **Control plane** (src/sim/controlplane, optional): controllers started at time 0 (a timer
 *   event, after the bound pods) act through the {@link ControlPlaneApi} this engine implements —
 *   pods created through admission with their own names and queued at once, deletions in any
 *   state, timers (an event kind; weak ones do not keep the run going), an object store the
 *   scheduler reads (a change rebuilds the core before the next cycle) — and hear of their pods'
 *   bindings and ends (Succeeded, or Failed by `gantry.dev/failure-probability` drawn from the
 *   seeded stream `controlplane/pod-failures`; Deleted, Evicted, Preempted, NodeRemoved) and of
 *   node changes (added, removed, cordoned, tainted, failed, recovered). Callbacks never nest:
 *   what one causes is reported after it returns. Admission (namespaces, LimitRange,
 *   ResourceQuota), when configured, checks every created pod, arrivals too; a rejected arrival
 *   is counted, not created. Without controllers and admission none of this costs anything per pod.
 * - **End**: at `endTime`, or when nothing can change any more — no arrival left and no event
 *   but the unschedulable flush (whose retries would fail the same way) and weak timers (a
 *   controller's retries after admission rejections, which would fail the same way too).
 * - **Cluster events**: node add / remove / cordon / uncordon / fail / recover / setTaints. A
 *   failed node gets `node.kubernetes.io/unreachable` NoSchedule and NoExecute taints; its pods are
 *   evicted after their toleration's `tolerationSeconds` (300 s when the pod has no toleration for
 *   it: the DefaultTolerationSeconds admission default), immediately when they do not tolerate it.
 *   A removed node's pods are deleted (pod GC). Node changes rebuild the core's node table and
 *   re-bind the running pods (same order per node), continuing the start index and PRNG stream.
 *
 * Per-pod state lives in flat typed arrays indexed by a slot id recycled after the pod finishes;
 * a pod's Pod object exists only while it lives, so streams of millions of pods run in flat memory.
 */
import { performance } from "node:perf_hooks";
import type { Profile } from "../config/types.ts";
import type { CoreBuild } from "../core/boundary.ts";
import { type NominatedPod, WasmScheduler } from "../core/scheduler.ts";
import { profileSelection } from "../core/strategies.ts";
import { InputError } from "../diagnostics.ts";
import { podClassKey } from "../encode/pod-class.ts";
import { streamRandom } from "../generate/random.ts";
import { nodeGpus } from "../model/gpu.ts";
import { nodeAllocatable } from "../model/requests.ts";
import type { KeptObject, Node, Pod } from "../model/types.ts";
import type { ClusterObjects } from "../reference/framework/snapshot.ts";
import { toleratesTaint } from "../reference/helpers/tolerations.ts";
import { VolumeObjectError, VolumeState } from "../reference/plugins/volumes/index.ts";
import { Admission, rejectionReason } from "./controlplane/admission.ts";
import {
  type Controller,
  type ControlPlaneApi,
  type CreateResult,
  FAILURE_PROBABILITY_ANNOTATION,
  type PodEnd,
} from "./controlplane/api.ts";
import { bindImmediateClaims, volumeClaimSink } from "./controlplane/volumes.ts";
import { IdHeap } from "./heap.ts";
import { LatencyRecorder, type RunResult, TimeWeighted } from "./metrics.ts";
import {
  Action,
  isPodWorthRequeuing,
  nodeUpdateActions,
  type QueueEvent,
  registersFor,
  type StorageObject,
} from "./queueing-hints.ts";
import {
  type NodeState,
  type PackingMetrics,
  packingMetrics,
  podSizer,
  typicalFromCounts,
} from "./strategies.ts";
import type { ClusterEvent, PodArrival, SimulationInput } from "./types.ts";

/** The PersistentVolume event of a pod's claims bound at placement (which PVs: not tracked). */
const BOUND_VOLUMES: StorageObject = { namespace: "", name: "", body: {} };

/** A kept object as a queue event carries it. */
function storageObject(o: KeptObject): StorageObject {
  return { namespace: o.metadata.namespace, name: o.metadata.name, body: o.body };
}

/** Kinds the volume plugins' state is made of. */
const VOLUME_KINDS: ReadonlySet<string> = new Set([
  "PersistentVolume",
  "PersistentVolumeClaim",
  "StorageClass",
  "CSINode",
]);

/** Backoff: 1 s for the first retry, doubling, at most 10 s (upstream defaults). */
export const INITIAL_BACKOFF = 1;
export const MAX_BACKOFF = 10;
/** Unschedulable pods older than this are flushed back every FLUSH_INTERVAL (upstream). */
export const UNSCHEDULABLE_TIMEOUT = 300;
export const FLUSH_INTERVAL = 30;
/** Measured bindings per throughput sample (RunResult.measured). */
export const MEASURE_WINDOW = 1000;
/** tolerationSeconds for the unreachable NoExecute taint when the pod has no toleration for it. */
export const DEFAULT_TOLERATION_SECONDS = 300;
export const UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

/** A pod slot's state. */
const State = {
  Free: 0,
  Active: 1,
  Backoff: 2,
  Unschedulable: 3,
  Running: 4,
  Deleted: 5,
  /** Held by its schedulingGates (the SchedulingGates PreEnqueue plugin): never attempted. */
  Gated: 6,
} as const;
type State = (typeof State)[keyof typeof State];

/** Queued event kinds. */
const Ev = {
  Complete: 1,
  BackoffDone: 2,
  Flush: 3,
  Cluster: 4,
  Evict: 5,
  /** A control-plane timer (its callback in #timers); WeakTimer does not keep the run going. */
  Timer: 6,
  WeakTimer: 7,
} as const;
type Ev = (typeof Ev)[keyof typeof Ev];

/** Whether events of `kind` keep the run going (the flush and weak timers do not). */
function isLive(kind: Ev): boolean {
  return kind !== Ev.Flush && kind !== Ev.WeakTimer;
}

/** Per-slot outcome of a controller's pod at completion. */
const Outcome = { Draw: 0, Fails: 1, Succeeds: 2 } as const;

export interface EngineOptions {
  readonly build?: CoreBuild;
  /** Called every `progressEvery` events with the simulated time and counters. */
  readonly onProgress?: (p: { time: number; submitted: number; scheduled: number }) => void;
  readonly progressEvery?: number;
  /**
   * Check the invariants after every instant (tests): no node holds more than its allocatable
   * (cpu, memory, pods), every live pod is in exactly one place (a node, or the queue).
   * Throws on a violation. O(pods) per instant.
   */
  readonly audit?: boolean;
}

/** Runs one simulation to its end and returns the result. */
export async function simulate(
  input: SimulationInput,
  opts: EngineOptions = {},
): Promise<RunResult> {
  const sim = new Simulation(input, opts);
  return sim.run();
}

class Simulation {
  readonly #input: SimulationInput;
  readonly #opts: EngineOptions;
  readonly #profile: Profile;
  #core!: WasmScheduler;
  #nodes: Node[];
  /** Node changes at the current instant await one rebuild; nodes whose NoExecute taints changed. */
  #rebuildNeeded = false;
  readonly #taintChecks: string[] = [];
  /** Names of failed nodes (unreachable taints applied). */
  readonly #failed = new Set<string>();
  #now = 0;

  // ---- pods (struct of arrays, slots recycled) ----
  #cap = 0;
  #obj: (Pod | undefined)[] = [];
  #tmpl: (Pod | undefined)[] = [];
  #state = new Uint8Array(0);
  #gen = new Uint32Array(0);
  #cls = new Int32Array(0);
  #node = new Int32Array(0);
  #prio = new Int32Array(0);
  #created = new Float64Array(0);
  #enqueued = new Float64Array(0);
  #seq = new Float64Array(0);
  #lastAttempt = new Float64Array(0);
  #unschedSince = new Float64Array(0);
  #duration = new Float64Array(0);
  #attempts = new Uint16Array(0);
  #measured = new Uint8Array(0);
  #bound = new Uint8Array(0);
  /** GPU devices (bit mask) a running pod holds; -1 before its first binding. */
  #gpuMask = new Int32Array(0);
  /** By-name *Decreasing policies: the pod's size (src/sim/strategies.ts), larger first. */
  #size = new Float64Array(0);
  readonly #decreasing: boolean;
  #sizeOf: ((pod: Pod) => number) | undefined;
  /** Pods created per template object (the workload's typical pods for the packing metrics). */
  readonly #templateCount = new Map<Pod, number>();
  #free: number[] = [];
  #seqNext = 0;
  readonly #byName = new Map<string, number>();
  /** Pending pods nominated to a node by their preemption: slot → node name. */
  readonly #nominatedAt = new Map<number, string>();
  readonly #serial = new Map<string, number>();
  /** Per node index: running pod slots in bind order. */
  #onNode: number[][] = [];
  readonly #classOfTemplate = new Map<Pod, number>();

  // ---- queues ----
  readonly #active: IdHeap;
  readonly #unschedulable = new Set<number>();
  /** Per unschedulable pod: the plugins that rejected it (src/sim/queueing-hints.ts). */
  readonly #rejectorsOf: (readonly string[] | undefined)[] = [];
  /** Unschedulable pods by rejector plugin; "" holds the pods without rejectors. */
  readonly #byRejector = new Map<string, Set<number>>();
  /** Cluster events since the unschedulable pods were last checked against them. */
  #queueEvents: QueueEvent[] = [];
  /**
   * A pod's cycle is running: the events it causes (its preemption victims deleted) are kept for
   * it, as upstream records events for in-flight pods.
   */
  #inFlight = false;
  #flushScheduled = false;

  // ---- events (struct of arrays) ----
  #evCap = 0;
  #evTime = new Float64Array(0);
  #evSeq = new Float64Array(0);
  #evKind = new Uint8Array(0);
  #evId = new Int32Array(0);
  #evGen = new Uint32Array(0);
  #evFree: number[] = [];
  #evSeqNext = 0;
  /** Queued events other than flushes. */
  #liveEvents = 0;
  readonly #events: IdHeap;
  readonly #cluster: ClusterEvent[];
  #arrivals!: Iterator<PodArrival>;
  #nextArrival: PodArrival | undefined;

  // ---- metrics ----
  readonly #latency = new LatencyRecorder();
  #submitted = 0;
  #scheduled = 0;
  #preempted = 0;
  #evicted = 0;
  #completed = 0;
  #attemptsTotal = 0;
  #eventsProcessed = 0;
  readonly #pending = new TimeWeighted();
  #pendingCount = 0;
  readonly #series: [number, number][] = [];
  #seriesGap = 0;
  readonly #requested = new Map<string, number>();
  #allocatable = new Map<string, number>();
  readonly #allocation = new Map<string, TimeWeighted>();
  #nodesUsed = 0;
  #nodesUsedMax = 0;
  /** Wall-clock ms: the first measured pod's creation, the last measured binding, the window's start. */
  #measureStart = -1;
  #measureEnd = -1;
  #windowStart = -1;
  #measuredCount = 0;
  readonly #window = MEASURE_WINDOW;
  readonly #samples: number[] = [];

  // ---- control plane ----
  readonly #controllers: readonly Controller[];
  /** PersistentVolumes, claims, classes and CSINodes (undefined: the run has none). */
  readonly #volumes: VolumeState | undefined;
  readonly #admission: Admission | undefined;
  /** The objects the scheduler reads; controllers add ReplicaSets (putObject). */
  #objects: ClusterObjects | undefined;
  /** Per slot: 1 for a pod created through the API (its controllers hear of it). */
  #managed = new Uint8Array(0);
  /** Per slot: how a controller's pod ends at completion (Outcome). */
  #outcome = new Uint8Array(0);
  readonly #timers: ((() => void) | undefined)[] = [];
  readonly #timerFree: number[] = [];
  /** Callbacks waiting to be delivered (callbacks never nest). */
  readonly #notes: (() => void)[] = [];
  #notifying = false;
  /** Names of the current nodes. */
  readonly #nodeNames = new Set<string>();
  /** Canonical template per pod class key, for pods created through the API. */
  readonly #apiTemplates = new Map<string, Pod>();
  #failureDraws: { nextDouble(): number } | undefined;
  #rejected = 0;
  readonly #rejectedBy = new Map<string, number>();
  #warnings = 0;
  readonly #warningsBy = new Map<string, number>();
  readonly #api: ControlPlaneApi;

  constructor(input: SimulationInput, opts: EngineOptions) {
    this.#input = input;
    this.#opts = opts;
    this.#profile = input.profile;
    this.#nodes = [...input.nodes];
    for (const n of this.#nodes) this.#nodeNames.add(n.metadata.name);
    this.#objects = input.objects;
    // The storage state the volume plugins read and bindings change; it outlives core rebuilds.
    const kept = input.objects?.kept ?? [];
    if (kept.some((o) => VOLUME_KINDS.has(o.kind)) || input.controllers !== undefined) {
      try {
        this.#volumes = VolumeState.fromKept(kept);
      } catch (e) {
        if (e instanceof VolumeObjectError) throw InputError.of({ file: input.name }, e.message);
        throw e;
      }
      bindImmediateClaims(this.#volumes);
    }
    this.#controllers =
      input.controllers?.(
        this.#volumes === undefined
          ? undefined
          : volumeClaimSink(this.#volumes, (obj) =>
              this.#event({
                resource: "PersistentVolumeClaim",
                action: Action.Add,
                obj: storageObject(obj),
              }),
            ),
      ) ?? [];
    this.#admission = input.admission === undefined ? undefined : new Admission(input.admission);
    this.#api = this.#makeApi();
    this.#cluster = [...(input.events ?? [])].sort((a, b) => a.time - b.time);
    this.#decreasing = profileSelection(input.profile)?.decreasing === true;
    this.#active = new IdHeap((a, b) => {
      const pa = this.#prio[a] as number;
      const pb = this.#prio[b] as number;
      if (pa !== pb) return pa > pb;
      if (this.#decreasing) {
        const sa = this.#size[a] as number;
        const sb = this.#size[b] as number;
        if (sa !== sb) return sa > sb;
      }
      const ea = this.#enqueued[a] as number;
      const eb = this.#enqueued[b] as number;
      if (ea !== eb) return ea < eb;
      return (this.#seq[a] as number) < (this.#seq[b] as number);
    });
    this.#events = new IdHeap((a, b) => {
      const ta = this.#evTime[a] as number;
      const tb = this.#evTime[b] as number;
      if (ta !== tb) return ta < tb;
      return (this.#evSeq[a] as number) < (this.#evSeq[b] as number);
    });
  }

  async run(): Promise<RunResult> {
    const input = this.#input;
    const t0 = performance.now();
    await this.#rebuild();
    // Pods bound at time 0.
    for (const a of input.boundPods ?? []) {
      this.#admission?.charge(a.template);
      const id = this.#create(a, 0);
      const node = this.#core.table.indexOf(a.template.spec.nodeName);
      if (node < 0) {
        this.#enqueue(id);
        continue;
      }
      this.#bindExisting(id, node);
    }
    if ((input.boundPods ?? []).length > 0) await this.#rebuild();
    if (this.#controllers.length > 0) {
      this.#timer(0, () => {
        for (const c of this.#controllers) c.start(this.#api);
      });
    }
    this.#cluster.forEach((e, i) => {
      this.#push(e.time, Ev.Cluster, i, 0);
    });
    this.#arrivals = input.arrivals[Symbol.iterator]();
    this.#pullArrival();
    const end = input.endTime ?? Number.POSITIVE_INFINITY;
    const every = this.#opts.progressEvery ?? 100_000;
    let nextProgress = every;
    for (;;) {
      // Only flushes left and no arrival: nothing can change any more (a retry fails the same way).
      if (this.#liveEvents === 0 && this.#nextArrival === undefined) break;
      const evTop = this.#events.peek();
      const tEv = evTop < 0 ? Number.POSITIVE_INFINITY : (this.#evTime[evTop] as number);
      const tAr = this.#nextArrival?.time ?? Number.POSITIVE_INFINITY;
      const t = Math.min(tEv, tAr);
      if (t === Number.POSITIVE_INFINITY || t > end) break;
      this.#advance(t);
      // Everything at this instant: arrivals, then the queued events (completions, retries, …).
      while (this.#nextArrival !== undefined && this.#nextArrival.time === t) {
        this.#arrive(this.#nextArrival, t);
        this.#eventsProcessed++;
        this.#pullArrival();
      }
      for (;;) {
        const e = this.#events.peek();
        if (e < 0 || (this.#evTime[e] as number) !== t) break;
        this.#events.pop();
        this.#eventsProcessed++;
        if (isLive(this.#evKind[e] as Ev)) this.#liveEvents--;
        if (this.#evKind[e] === Ev.Cluster) {
          this.#clusterEvent(this.#cluster[this.#evId[e] as number] as ClusterEvent);
        } else {
          this.#handle(e);
        }
        this.#evFree.push(e);
      }
      // A controller's object change during the pass stops it for a rebuild, then it goes on.
      do {
        await this.#afterClusterEvents();
        this.#schedulePending();
      } while (this.#rebuildNeeded);
      if (this.#opts.audit) this.#audit();
      if (this.#eventsProcessed >= nextProgress) {
        nextProgress = this.#eventsProcessed + every;
        this.#opts.onProgress?.({
          time: t,
          submitted: this.#submitted,
          scheduled: this.#scheduled,
        });
      }
    }
    const simEnd = Number.isFinite(end) && end > this.#now ? end : this.#now;
    this.#advance(simEnd);
    return this.#result(simEnd, (performance.now() - t0) / 1000);
  }

  // ---- time and metrics --------------------------------------------------------------------

  #advance(t: number): void {
    this.#now = t;
    // Pending-pods samples: at least #seriesGap apart; when 200 pile up, every other one goes
    // and the gap doubles, so the series stays evenly spread over any run length.
    const last = this.#series[this.#series.length - 1];
    if (last === undefined || t - last[0] >= this.#seriesGap) {
      this.#series.push([t, this.#pendingCount]);
      if (this.#series.length >= 200) {
        const kept = this.#series.filter((_, i) => i % 2 === 0);
        this.#series.length = 0;
        this.#series.push(...kept);
        this.#seriesGap = Math.max(this.#seriesGap * 2, (t - (kept[0]?.[0] ?? 0)) / 100);
      }
    }
  }

  #setPending(delta: number): void {
    this.#pendingCount += delta;
    this.#pending.set(this.#now, this.#pendingCount);
  }

  #account(id: number, sign: 1 | -1): void {
    const cls = this.#core.classes.get(this.#classOf(id));
    const add = (name: string, v: number) => {
      if (v === 0) return;
      const total = (this.#requested.get(name) ?? 0) + sign * v;
      this.#requested.set(name, total);
      const alloc = this.#allocatable.get(name);
      let tw = this.#allocation.get(name);
      if (tw === undefined) {
        tw = new TimeWeighted();
        this.#allocation.set(name, tw);
      }
      tw.set(this.#now, alloc ? total / alloc : 0);
    };
    add("cpu", cls.requests.milliCPU);
    add("memory", cls.requests.memory);
    add("ephemeral-storage", cls.requests.ephemeralStorage);
    add("pods", 1);
    for (const [name, v] of cls.requests.scalar) add(name, v);
  }

  // ---- pods --------------------------------------------------------------------------------

  #grow(): void {
    const cap = Math.max(1024, this.#cap * 2);
    const g = <T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.#state = g(this.#state, (n) => new Uint8Array(n));
    this.#gen = g(this.#gen, (n) => new Uint32Array(n));
    this.#cls = g(this.#cls, (n) => new Int32Array(n));
    this.#node = g(this.#node, (n) => new Int32Array(n));
    this.#prio = g(this.#prio, (n) => new Int32Array(n));
    this.#created = g(this.#created, (n) => new Float64Array(n));
    this.#enqueued = g(this.#enqueued, (n) => new Float64Array(n));
    this.#seq = g(this.#seq, (n) => new Float64Array(n));
    this.#lastAttempt = g(this.#lastAttempt, (n) => new Float64Array(n));
    this.#unschedSince = g(this.#unschedSince, (n) => new Float64Array(n));
    this.#duration = g(this.#duration, (n) => new Float64Array(n));
    this.#attempts = g(this.#attempts, (n) => new Uint16Array(n));
    this.#measured = g(this.#measured, (n) => new Uint8Array(n));
    this.#bound = g(this.#bound, (n) => new Uint8Array(n));
    this.#gpuMask = g(this.#gpuMask, (n) => new Int32Array(n));
    this.#size = g(this.#size, (n) => new Float64Array(n));
    this.#managed = g(this.#managed, (n) => new Uint8Array(n));
    this.#outcome = g(this.#outcome, (n) => new Uint8Array(n));
    for (let i = this.#cap; i < cap; i++) this.#free.push(cap - 1 - (i - this.#cap));
    this.#cap = cap;
  }

  /**
   * A new pod in the API store (created at `t`), not queued yet; `own` is the pod object itself
   * when it is not stamped from `a.template` (a controller's pod).
   */
  #create(a: PodArrival, t: number, own?: Pod): number {
    if (this.#free.length === 0) this.#grow();
    const id = this.#free.pop() as number;
    const tmpl = a.template;
    const ns = tmpl.metadata.namespace;
    let name = a.name;
    if (name === undefined) {
      const base = tmpl.metadata.name;
      const k = this.#serial.get(base) ?? 0;
      this.#serial.set(base, k + 1);
      name = `${base}-${k}`;
    }
    const pod: Pod =
      own === undefined
        ? { ...tmpl, metadata: { ...tmpl.metadata, name, uid: `${ns}/${name}` } }
        : { ...own, metadata: { ...own.metadata, uid: `${ns}/${name}` } };
    this.#obj[id] = pod;
    this.#managed[id] = 0;
    this.#tmpl[id] = tmpl;
    this.#byName.set(`${ns}/${name}`, id);
    this.#gen[id] = (this.#gen[id] as number) + 1;
    this.#cls[id] = -1;
    this.#node[id] = -1;
    this.#prio[id] = tmpl.spec.priority ?? 0;
    this.#created[id] = t;
    this.#attempts[id] = 0;
    this.#duration[id] = a.duration;
    this.#bound[id] = 0;
    this.#gpuMask[id] = -1;
    this.#templateCount.set(tmpl, (this.#templateCount.get(tmpl) ?? 0) + 1);
    if (this.#decreasing) this.#size[id] = this.#podSize(tmpl);
    const m = this.#input.measure;
    this.#measured[id] = t >= (m?.from ?? 0) && t < (m?.to ?? Number.POSITIVE_INFINITY) ? 1 : 0;
    if (this.#measured[id] === 1 && this.#measureStart < 0) {
      this.#measureStart = performance.now();
      this.#windowStart = this.#measureStart;
    }
    this.#submitted++;
    return id;
  }

  /** An arrival through admission (when configured) into the queue; a rejection is counted. */
  #arrive(a: PodArrival, t: number): void {
    let arrival = a;
    if (this.#admission !== undefined) {
      const r = this.#admission.admit(a.template);
      if (!r.ok) {
        this.#reject(r.reason);
        return;
      }
      if (r.pod !== a.template) arrival = { ...a, template: r.pod };
    }
    this.#admit(this.#create(arrival, t));
  }

  #reject(reason: string): void {
    this.#rejected++;
    const key = rejectionReason(reason);
    this.#rejectedBy.set(key, (this.#rejectedBy.get(key) ?? 0) + 1);
  }

  #classOf(id: number): number {
    let c = this.#cls[id] as number;
    if (c >= 0) return c;
    const tmpl = this.#tmpl[id] as Pod;
    const known = this.#classOfTemplate.get(tmpl);
    c = known ?? this.#core.classes.classOf(this.#obj[id] as Pod);
    if (known === undefined) this.#classOfTemplate.set(tmpl, c);
    this.#cls[id] = c;
    return c;
  }

  /** Frees a finished pod's slot. */
  #release(id: number): void {
    this.#nominatedAt.delete(id);
    const pod = this.#obj[id] as Pod;
    this.#byName.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
    this.#obj[id] = undefined;
    this.#tmpl[id] = undefined;
    this.#state[id] = State.Free;
    this.#gen[id] = (this.#gen[id] as number) + 1;
    this.#free.push(id);
  }

  /** A new pod enters the queue — unless its scheduling gates hold it back (PreEnqueue). */
  #admit(id: number): void {
    if ((this.#tmpl[id] as Pod).spec.schedulingGates.length > 0) {
      this.#state[id] = State.Gated;
      this.#setPending(1);
      return;
    }
    this.#enqueue(id);
  }

  #enqueue(id: number): void {
    if (this.#state[id] === State.Free || this.#state[id] === State.Running) this.#setPending(1);
    this.#state[id] = State.Active;
    this.#enqueued[id] = this.#now;
    this.#seq[id] = this.#seqNext++;
    this.#active.push(id);
  }

  #backoffOf(id: number): number {
    const n = Math.max(1, this.#attempts[id] as number);
    return Math.min(INITIAL_BACKOFF * 2 ** (n - 1), MAX_BACKOFF);
  }

  /** Moves an unschedulable pod to activeQ or, while its backoff lasts, to backoffQ. */
  #requeue(id: number): void {
    const until = (this.#lastAttempt[id] as number) + this.#backoffOf(id);
    if (until <= this.#now) {
      this.#enqueue(id);
      return;
    }
    this.#state[id] = State.Backoff;
    this.#push(until, Ev.BackoffDone, id, this.#gen[id] as number);
  }

  /** A pod whose cycle failed joins the unschedulable pods, filed under its rejectors. */
  #addUnschedulable(id: number, rejectors: readonly string[]): void {
    this.#unschedulable.add(id);
    this.#rejectorsOf[id] = rejectors;
    for (const name of rejectors.length === 0 ? [""] : rejectors) {
      let set = this.#byRejector.get(name);
      if (set === undefined) {
        set = new Set();
        this.#byRejector.set(name, set);
      }
      set.add(id);
    }
  }

  #removeUnschedulable(id: number): void {
    this.#unschedulable.delete(id);
    const rejectors = this.#rejectorsOf[id] ?? [];
    for (const name of rejectors.length === 0 ? [""] : rejectors) {
      this.#byRejector.get(name)?.delete(id);
    }
    this.#rejectorsOf[id] = undefined;
  }

  /** Records a cluster event for the queue (only while some pod is unschedulable). */
  #event(ev: QueueEvent): void {
    if (this.#unschedulable.size > 0 || this.#inFlight) this.#queueEvents.push(ev);
  }

  /**
   * The events since the last check against the unschedulable pods: each pod some event may help
   * (isPodWorthRequeuing: its rejectors' queueing hints) moves to activeQ or backoffQ, in the
   * order the pods became unschedulable; the others stay (see the module comment).
   */
  #moveOnEvents(): void {
    const events = this.#queueEvents;
    this.#queueEvents = [];
    if (this.#unschedulable.size === 0 || events.length === 0) return;
    const candidates = new Set<number>(this.#byRejector.get("") ?? []);
    for (const [name, ids] of this.#byRejector) {
      if (name === "" || ids.size === 0) continue;
      if (!events.some((ev) => registersFor(name, ev))) continue;
      for (const id of ids) candidates.add(id);
    }
    const moving: number[] = [];
    for (const id of candidates) {
      const pod = this.#obj[id] as Pod;
      const rejectors = this.#rejectorsOf[id] ?? [];
      if (events.some((ev) => isPodWorthRequeuing(pod, rejectors, ev))) moving.push(id);
    }
    moving.sort(
      (a, b) => (this.#unschedSince[a] as number) - (this.#unschedSince[b] as number) || a - b,
    );
    for (const id of moving) {
      this.#removeUnschedulable(id);
      this.#requeue(id);
    }
  }

  #schedulePending(): void {
    if (this.#queueEvents.length > 0) this.#moveOnEvents();
    for (;;) {
      if (this.#rebuildNeeded) break;
      const id = this.#active.pop();
      if (id < 0) break;
      // A pod deleted while in activeQ: its slot is freed only now, so no stale entry remains.
      if (this.#state[id] === State.Deleted) {
        this.#release(id);
        continue;
      }
      if (this.#state[id] !== State.Active) continue;
      this.#attempt(id);
      if (this.#queueEvents.length > 0) this.#moveOnEvents();
    }
  }

  #attempt(id: number): void {
    this.#attemptsTotal++;
    this.#attempts[id] = Math.min(65535, (this.#attempts[id] as number) + 1);
    this.#lastAttempt[id] = this.#now;
    const core = this.#core;
    const cls = this.#classOf(id);
    const pod = this.#obj[id] as Pod;
    const volumes = this.#volumes?.version;
    const node = core.schedule(pod, cls, this.#nominatedPods(id));
    if (node >= 0) {
      this.#gpuMask[id] = core.lastGpuMask;
      this.#bind(id, node);
      // VolumeBinding bound or provisioned the pod's claims: PersistentVolume events.
      if (volumes !== undefined && this.#volumes?.version !== volumes) {
        this.#event({ resource: "PersistentVolume", action: Action.Update, obj: BOUND_VOLUMES });
      }
      return;
    }
    const p = core.lastPreemption;
    this.#inFlight = true;
    if (p?.node) {
      for (const v of p.victims) {
        const victim = this.#byName.get(v);
        if (victim !== undefined && this.#state[victim] === State.Running) {
          this.#preempted++;
          this.#delete(victim, "Preempted");
        }
      }
      this.#obj[id] = { ...pod, status: { ...pod.status, nominatedNodeName: p.node } };
      this.#nominatedAt.set(id, p.node);
    }
    this.#state[id] = State.Unschedulable;
    this.#unschedSince[id] = this.#now;
    this.#addUnschedulable(id, core.lastRejectors ?? []);
    this.#inFlight = false;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#push(this.#now + FLUSH_INTERVAL, Ev.Flush, 0, 0);
    }
  }

  /** The pending pods nominated to a node (other than `id`), for the core's reservation. */
  #nominatedPods(id: number): NominatedPod[] | undefined {
    if (this.#nominatedAt.size === 0) return undefined;
    const out: NominatedPod[] = [];
    for (const [other, name] of this.#nominatedAt) {
      if (other === id) continue;
      out.push({ pod: this.#obj[other] as Pod, node: this.#core.table.indexOf(name) });
    }
    return out;
  }

  /** The core assumed pod `id` on `node`: it runs from now. */
  /** Stranded capacity and GPU fragmentation at the end (src/sim/strategies.ts). */
  #packing(): PackingMetrics {
    const core = this.#core;
    const t = core.table;
    const nodes: NodeState[] = [];
    for (let i = 0; i < t.count; i++) {
      const node = t.nodes[i] as Node;
      nodes.push({
        cpuAlloc: t.allocMilliCPU[i] as number,
        cpuFree: (t.allocMilliCPU[i] as number) - (t.reqMilliCPU[i] as number),
        memAlloc: t.allocMemory[i] as number,
        memFree: (t.allocMemory[i] as number) - (t.reqMemory[i] as number),
        podsFree: (t.allowedPods[i] as number) - (t.podCount[i] as number),
        model: nodeGpus(node).model,
        gpuUsed: core.gpuDevices(i),
      });
    }
    const typical = this.#input.typicalPods ?? typicalFromCounts(this.#templateCount);
    return packingMetrics(nodes, typical);
  }

  /** A *Decreasing policy's size of `pod` (docs/placement-strategies.md), per template. */
  #podSize(pod: Pod): number {
    if (this.#sizeOf === undefined) this.#sizeOf = podSizer(this.#input.nodes);
    return this.#sizeOf(pod);
  }

  #bind(id: number, node: number): void {
    this.#nominatedAt.delete(id);
    this.#setPending(-1);
    this.#state[id] = State.Running;
    this.#node[id] = node;
    this.#onBound(id, node);
    this.#scheduled++;
    if (this.#bound[id] === 0) {
      this.#bound[id] = 1;
      if (this.#measured[id] === 1) {
        this.#latency.record(this.#now - (this.#created[id] as number));
        this.#measuredBound();
      }
    }
    // AssignedPodAdd: may help pods waiting for pod affinity or spread (their hints decide).
    if (this.#unschedulable.size > 0)
      this.#event({ resource: "Pod", action: 1, pod: this.#assigned(id) });
    if (this.#managed[id] === 1) {
      const pod = this.#obj[id] as Pod;
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      const name = this.#core.table.nodes[node]?.metadata.name ?? "";
      this.#notify(() => {
        for (const c of this.#controllers) c.podBound?.(key, pod, name);
      });
    }
  }

  #measuredBound(): void {
    const now = performance.now();
    this.#measuredCount++;
    this.#measureEnd = now;
    if (this.#measuredCount % this.#window === 0) {
      const ms = now - this.#windowStart;
      this.#samples.push(ms > 0 ? (this.#window * 1000) / ms : 0);
      this.#windowStart = now;
    }
  }

  /** Pod `id` as bound to `node` (spec.nodeName set), for the queue's assigned-pod events. */
  #assigned(id: number, node = this.#node[id] as number): Pod {
    const pod = this.#obj[id] as Pod;
    const name = this.#core.table.nodes[node]?.metadata.name ?? "";
    return pod.spec.nodeName === name ? pod : { ...pod, spec: { ...pod.spec, nodeName: name } };
  }

  #bindExisting(id: number, node: number): void {
    this.#state[id] = State.Running;
    this.#node[id] = node;
    this.#bound[id] = 1;
    this.#onBound(id, node);
  }

  #onBound(id: number, node: number): void {
    let list = this.#onNode[node];
    if (list === undefined) {
      list = [];
      this.#onNode[node] = list;
    }
    if (list.length === 0) {
      this.#nodesUsed++;
      if (this.#nodesUsed > this.#nodesUsedMax) this.#nodesUsedMax = this.#nodesUsed;
    }
    list.push(id);
    this.#account(id, 1);
    const d = this.#duration[id] as number;
    if (Number.isFinite(d)) this.#push(this.#now + d, Ev.Complete, id, this.#gen[id] as number);
  }

  /**
   * Takes a running pod off its node (the core forgets it) and frees it. A workload pod (not a
   * simulated controller's) with a controller owner reference that was evicted, preempted or
   * lost with its node comes back as a new pending pod of the same template.
   */
  #delete(id: number, end: PodEnd): void {
    const node = this.#node[id] as number;
    this.#core.unbind(this.#obj[id] as Pod, node, this.#classOf(id));
    this.#account(id, -1);
    const list = this.#onNode[node] as number[];
    list.splice(list.indexOf(id), 1);
    if (list.length === 0) this.#nodesUsed--;
    const tmpl = this.#tmpl[id] as Pod;
    const duration = this.#duration[id] as number;
    const managed = this.#managed[id] === 1;
    // AssignedPodDelete (the #assigned copy only when someone may hear it).
    if (this.#unschedulable.size > 0 || this.#inFlight) {
      this.#event({ resource: "Pod", action: 2, pod: this.#assigned(id, node) });
    }
    this.#gone(id, end);
    this.#release(id);
    const lost = end === "Evicted" || end === "Preempted" || end === "NodeRemoved";
    if (lost && !managed && tmpl.metadata.ownerReferences.some((o) => o.controller)) {
      this.#arrive({ time: this.#now, template: tmpl, duration }, this.#now);
    }
  }

  /** A pod leaves the store: its quota charge is released and its controllers are told. */
  #gone(id: number, end: PodEnd): void {
    const pod = this.#obj[id] as Pod;
    this.#admission?.release(pod);
    if (this.#managed[id] === 1) {
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      this.#notify(() => {
        for (const c of this.#controllers) c.podEnded?.(key, pod, end);
      });
    }
  }

  /** How a controller's pod that ran its duration ends. */
  #completion(id: number): PodEnd {
    const o = this.#outcome[id] as number;
    if (o === Outcome.Fails) return "Failed";
    if (o === Outcome.Succeeds) return "Succeeded";
    const text = (this.#obj[id] as Pod).metadata.annotations[FAILURE_PROBABILITY_ANNOTATION];
    const p = text === undefined ? 0 : Number(text);
    if (!(p > 0)) return "Succeeded";
    this.#failureDraws ??= streamRandom(this.#input.seed, "controlplane/pod-failures");
    return this.#failureDraws.nextDouble() < p ? "Failed" : "Succeeded";
  }

  // ---- control plane -----------------------------------------------------------------------

  /**
   * Runs `fn` now, or after the callback being delivered returns (so callbacks never nest),
   * in the order they were asked for.
   */
  #notify(fn: () => void): void {
    this.#notes.push(fn);
    if (this.#notifying) return;
    this.#notifying = true;
    try {
      for (let i = 0; i < this.#notes.length; i++) (this.#notes[i] as () => void)();
    } finally {
      this.#notes.length = 0;
      this.#notifying = false;
    }
  }

  #timer(at: number, fn: () => void, weak = false): void {
    if (!(at >= this.#now)) throw new RangeError(`timer at ${at}s is before now (${this.#now}s)`);
    const i = this.#timerFree.pop() ?? this.#timers.length;
    this.#timers[i] = fn;
    this.#push(at, weak ? Ev.WeakTimer : Ev.Timer, i, 0);
  }

  /** A controller's pod through admission into the queue. */
  #apiCreate(pod: Pod, duration: number, fails: boolean | undefined): CreateResult {
    const { name, namespace } = pod.metadata;
    const key = `${namespace}/${name}`;
    if (this.#byName.has(key)) {
      return { ok: false, reason: `pods ${JSON.stringify(name)} already exists` };
    }
    let admitted = pod;
    if (this.#admission !== undefined) {
      const r = this.#admission.admit(pod);
      if (!r.ok) {
        this.#reject(r.reason);
        return r;
      }
      admitted = r.pod;
    }
    // One shared template per pod class: the engine's per-template caches stay small.
    const classKey = podClassKey(admitted);
    let tmpl = this.#apiTemplates.get(classKey);
    if (tmpl === undefined) {
      tmpl = admitted;
      this.#apiTemplates.set(classKey, tmpl);
    }
    const id = this.#create(
      { time: this.#now, template: tmpl, duration, name },
      this.#now,
      admitted,
    );
    this.#managed[id] = 1;
    this.#outcome[id] =
      fails === undefined ? Outcome.Draw : fails ? Outcome.Fails : Outcome.Succeeds;
    this.#admit(id);
    return { ok: true, key };
  }

  #makeApi(): ControlPlaneApi {
    const sim = this;
    const live = (key: string): number | undefined => {
      const id = sim.#byName.get(key);
      if (id === undefined) return undefined;
      const st = sim.#state[id] as State;
      return st === State.Free || st === State.Deleted ? undefined : id;
    };
    return {
      get now() {
        return sim.#now;
      },
      createPod: (pod, duration, fails) => sim.#apiCreate(pod, duration, fails),
      deletePod: (key) => {
        const id = live(key);
        if (id === undefined) return false;
        sim.#deleteLive(id);
        return true;
      },
      timer: (at, fn, options) => sim.#timer(at, fn, options?.weak === true),
      nodes: () => sim.#nodes,
      nodeReady: (name) => sim.#nodeNames.has(name) && !sim.#failed.has(name),
      podPhase: (key) => {
        const id = live(key);
        if (id === undefined) return undefined;
        return sim.#state[id] === State.Running ? "Running" : "Pending";
      },
      podNode: (key) => {
        const id = live(key);
        if (id === undefined || sim.#state[id] !== State.Running) return undefined;
        return sim.#core.table.nodes[sim.#node[id] as number]?.metadata.name;
      },
      random: (name) => {
        const r = streamRandom(sim.#input.seed, `controlplane/${name}`);
        return { next: () => r.nextDouble() };
      },
      event: (kind) => {
        sim.#warnings++;
        sim.#warningsBy.set(kind, (sim.#warningsBy.get(kind) ?? 0) + 1);
      },
      putObject: (obj) => sim.#putObject(obj),
    };
  }

  #putObject(obj: KeptObject): void {
    const same = (o: KeptObject) =>
      o.kind === obj.kind &&
      o.metadata.namespace === obj.metadata.namespace &&
      o.metadata.name === obj.metadata.name;
    if (VOLUME_KINDS.has(obj.kind)) {
      const old = (this.#objects?.kept ?? []).find(same);
      this.#event({
        resource: obj.kind as "PersistentVolumeClaim",
        action: old === undefined ? Action.Add : Action.Update,
        obj: storageObject(obj),
        ...(old === undefined ? {} : { old: storageObject(old) }),
      });
    }
    const kept = (this.#objects?.kept ?? []).filter((o) => !same(o));
    kept.push(obj);
    this.#objects = { ...this.#objects, kept };
    this.#rebuildNeeded = true;
  }

  // ---- events ------------------------------------------------------------------------------

  #push(time: number, kind: Ev, id: number, gen: number): void {
    if (this.#evFree.length === 0) {
      const cap = Math.max(1024, this.#evCap * 2);
      const g = <T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(
        a: T,
        make: (n: number) => T,
      ): T => {
        const b = make(cap);
        b.set(a);
        return b;
      };
      this.#evTime = g(this.#evTime, (n) => new Float64Array(n));
      this.#evSeq = g(this.#evSeq, (n) => new Float64Array(n));
      this.#evKind = g(this.#evKind, (n) => new Uint8Array(n));
      this.#evId = g(this.#evId, (n) => new Int32Array(n));
      this.#evGen = g(this.#evGen, (n) => new Uint32Array(n));
      for (let i = cap - 1; i >= this.#evCap; i--) this.#evFree.push(i);
      this.#evCap = cap;
    }
    const e = this.#evFree.pop() as number;
    this.#evTime[e] = time;
    this.#evSeq[e] = this.#evSeqNext++;
    this.#evKind[e] = kind;
    this.#evId[e] = id;
    this.#evGen[e] = gen;
    this.#events.push(e);
    if (isLive(kind)) this.#liveEvents++;
  }

  #pullArrival(): void {
    const r = this.#arrivals.next();
    if (r.done) {
      this.#nextArrival = undefined;
      return;
    }
    const a = r.value;
    if (this.#nextArrival !== undefined && a.time < this.#nextArrival.time) {
      throw new Error(`arrivals out of order: ${a.time} after ${this.#nextArrival.time}`);
    }
    this.#nextArrival = a;
  }

  /** Handles a queued event other than a cluster event. */
  #handle(e: number): void {
    const id = this.#evId[e] as number;
    const current = (this.#gen[id] as number) === (this.#evGen[e] as number);
    switch (this.#evKind[e] as Ev) {
      case Ev.Complete:
        if (current && this.#state[id] === State.Running) {
          this.#completed++;
          this.#delete(id, this.#managed[id] === 1 ? this.#completion(id) : "Succeeded");
        }
        return;
      case Ev.BackoffDone:
        if (current && this.#state[id] === State.Backoff) {
          this.#state[id] = State.Unschedulable; // enqueue counts it pending already
          this.#enqueue(id);
        }
        return;
      case Ev.Evict:
        if (current && this.#state[id] === State.Running) {
          const name = this.#core.table.nodes[this.#node[id] as number]?.metadata.name ?? "";
          if (this.#failed.has(name) || this.#noExecuteLeft(id)) {
            this.#evicted++;
            this.#delete(id, "Evicted");
          }
        }
        return;
      case Ev.Flush:
        this.#flush();
        return;
      case Ev.Timer:
      case Ev.WeakTimer: {
        const fn = this.#timers[id] as () => void;
        this.#timers[id] = undefined;
        this.#timerFree.push(id);
        this.#notify(fn);
        return;
      }
    }
  }

  /** flushUnschedulablePodsLeftover: pods unschedulable for 5 minutes move back. */
  #flush(): void {
    this.#flushScheduled = false;
    for (const id of [...this.#unschedulable]) {
      if (this.#now - (this.#unschedSince[id] as number) < UNSCHEDULABLE_TIMEOUT) continue;
      this.#removeUnschedulable(id);
      this.#requeue(id);
    }
    if (this.#unschedulable.size > 0) {
      this.#flushScheduled = true;
      this.#push(this.#now + FLUSH_INTERVAL, Ev.Flush, 0, 0);
    }
  }

  // ---- cluster events ----------------------------------------------------------------------

  /**
   * Applies a cluster event to the node list (the core is rebuilt once per instant, after all of
   * its events: see #afterClusterEvents).
   */
  #clusterEvent(ev: ClusterEvent): void {
    const at = (name: string) => this.#nodes.findIndex((n) => n.metadata.name === name);
    const change = (name: string, f: (n: Node) => Node) => {
      const i = at(name);
      if (i < 0) throw new Error(`cluster event at ${ev.time}s: no node ${name}`);
      const old = this.#nodes[i] as Node;
      const node = f(old);
      this.#nodes[i] = node;
      for (const action of nodeUpdateActions(old, node)) {
        this.#event({ resource: "Node", action, node, old });
      }
    };
    let removed: string | undefined;
    switch (ev.kind) {
      case "addNode":
        this.#nodes.push(ev.node);
        this.#event({ resource: "Node", action: Action.Add, node: ev.node });
        this.#nodeNames.add(ev.node.metadata.name);
        break;
      case "removeNode":
        if (at(ev.node) < 0) throw new Error(`cluster event at ${ev.time}s: no node ${ev.node}`);
        removed = ev.node;
        break;
      case "cordon":
      case "uncordon":
        change(ev.node, (n) => ({
          ...n,
          spec: { ...n.spec, unschedulable: ev.kind === "cordon" },
        }));
        break;
      case "setTaints":
        change(ev.node, (n) => ({ ...n, spec: { ...n.spec, taints: [...ev.taints] } }));
        break;
      case "fail":
        this.#failed.add(ev.node);
        change(ev.node, (n) => ({
          ...n,
          spec: {
            ...n.spec,
            taints: [
              ...n.spec.taints.filter((t) => t.key !== UNREACHABLE_TAINT),
              { key: UNREACHABLE_TAINT, value: "", effect: "NoSchedule" },
              { key: UNREACHABLE_TAINT, value: "", effect: "NoExecute" },
            ],
          },
        }));
        break;
      case "recover":
        this.#failed.delete(ev.node);
        change(ev.node, (n) => ({
          ...n,
          spec: { ...n.spec, taints: n.spec.taints.filter((t) => t.key !== UNREACHABLE_TAINT) },
        }));
        break;
      case "deletePods":
        this.#deletePods(ev.namespace, ev.count ?? Number.POSITIVE_INFINITY);
        // No node changed: no rebuild.
        return;
    }
    if (removed !== undefined) {
      const node = this.#nodes[at(removed)] as Node;
      this.#event({ resource: "Node", action: Action.Delete, node });
      // Pod GC deletes the pods bound to a node that is gone.
      const i = this.#core.table.indexOf(removed);
      for (const id of [...(this.#onNode[i] ?? [])]) {
        this.#evicted++;
        this.#delete(id, "NodeRemoved");
      }
      this.#nodes = this.#nodes.filter((n) => n.metadata.name !== removed);
      this.#nodeNames.delete(removed);
    }
    this.#rebuildNeeded = true;
    if (ev.kind === "fail" || ev.kind === "setTaints") this.#taintChecks.push(ev.node);
    if (this.#controllers.length > 0) this.#nodeNotes(ev, removed);
  }

  /** Tells the controllers about a node change (after it is applied to the node list). */
  #nodeNotes(ev: ClusterEvent, removed: string | undefined): void {
    if (ev.kind === "addNode") {
      const node = ev.node;
      this.#notify(() => {
        for (const c of this.#controllers) c.nodeAdded?.(node);
      });
    } else if (removed !== undefined) {
      this.#notify(() => {
        for (const c of this.#controllers) c.nodeRemoved?.(removed);
      });
    } else if (ev.kind !== "deletePods") {
      const node = this.#nodes.find((n) => n.metadata.name === ev.node) as Node;
      const ready = !this.#failed.has(ev.node);
      this.#notify(() => {
        for (const c of this.#controllers) c.nodeChanged?.(node, ready);
      });
    }
  }

  /** After an instant's cluster events: one rebuild, then the taint manager's evictions. */
  async #afterClusterEvents(): Promise<void> {
    if (!this.#rebuildNeeded) return;
    this.#rebuildNeeded = false;
    await this.#rebuild();
    // NoExecute taints (a failed node's, or set ones): evict what does not tolerate them.
    for (const name of new Set(this.#taintChecks)) {
      const node = this.#nodes.find((n) => n.metadata.name === name);
      const i = this.#core.table.indexOf(name);
      if (node === undefined || i < 0) continue;
      for (const id of this.#onNode[i] ?? []) this.#scheduleEviction(id, node);
    }
    this.#taintChecks.length = 0;
  }

  /** Deletes up to `count` pods of `namespace`, oldest first (API deletions: nothing re-creates them). */
  #deletePods(namespace: string, count: number): void {
    const ids: number[] = [];
    for (let id = 0; id < this.#cap; id++) {
      const st = this.#state[id] as State;
      if (st === State.Free || st === State.Deleted) continue;
      if ((this.#obj[id] as Pod).metadata.namespace === namespace) ids.push(id);
    }
    ids.sort((a, b) => (this.#created[a] as number) - (this.#created[b] as number) || a - b);
    for (const id of ids.slice(0, Math.min(ids.length, count))) this.#deleteLive(id);
  }

  /** Deletes a live pod (pending or running) through the API: nothing re-creates it. */
  #deleteLive(id: number): void {
    const st = this.#state[id] as State;
    if (st === State.Running) {
      this.#delete(id, "Deleted");
      return;
    }
    this.#setPending(-1);
    this.#gone(id, "Deleted");
    if (st === State.Unschedulable) this.#removeUnschedulable(id);
    // A pending pod with a nominated node frees the room it held there (upstream reports it as
    // AssignedPodDelete to the pods that waited behind the nomination).
    const pod = this.#obj[id] as Pod;
    if ((pod.status.nominatedNodeName ?? "") !== "") {
      this.#event({ resource: "Pod", action: 2, pod });
    }
    if (st === State.Active) {
      // Still in activeQ: freed when popped.
      this.#state[id] = State.Deleted;
      this.#nominatedAt.delete(id);
      const pod = this.#obj[id] as Pod;
      this.#byName.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
      return;
    }
    this.#release(id);
  }

  /** Taint manager: the pod's eviction time under the node's NoExecute taints (none: stays). */
  #scheduleEviction(id: number, node: Node): void {
    const pod = this.#obj[id] as Pod;
    let at = Number.POSITIVE_INFINITY;
    for (const taint of node.spec.taints) {
      if (taint.effect !== "NoExecute") continue;
      const tol = pod.spec.tolerations.find((t) => toleratesTaint(t, taint));
      let seconds: number;
      if (tol !== undefined) {
        if (tol.tolerationSeconds === undefined) continue;
        seconds = Math.max(0, tol.tolerationSeconds);
      } else if (taint.key === UNREACHABLE_TAINT) {
        seconds = DEFAULT_TOLERATION_SECONDS;
      } else {
        seconds = 0;
      }
      at = Math.min(at, this.#now + seconds);
    }
    if (Number.isFinite(at)) this.#push(at, Ev.Evict, id, this.#gen[id] as number);
  }

  /** Whether the pod's node still has a NoExecute taint the pod does not tolerate forever. */
  #noExecuteLeft(id: number): boolean {
    const node = this.#core.table.nodes[this.#node[id] as number];
    const pod = this.#obj[id] as Pod;
    return (node?.spec.taints ?? []).some(
      (t) =>
        t.effect === "NoExecute" &&
        !pod.spec.tolerations.some(
          (x) => toleratesTaint(x, t) && x.tolerationSeconds === undefined,
        ),
    );
  }

  /**
   * A core over the current nodes with every running pod bound again in its node's order; the
   * start index and the PRNG stream carry over.
   */
  async #rebuild(): Promise<void> {
    const old = this.#core as WasmScheduler | undefined;
    const oldNames = old?.nodeNames ?? [];
    const core = await WasmScheduler.create({
      nodes: this.#nodes,
      profile: this.#profile,
      seed: this.#input.seed,
      ...(this.#input.percentageOfNodesToScore === undefined
        ? {}
        : { percentageOfNodesToScore: this.#input.percentageOfNodesToScore }),
      ...(this.#objects === undefined ? {} : { objects: this.#objects }),
      ...(this.#opts.build === undefined ? {} : { build: this.#opts.build }),
      typicalPods: this.#input.typicalPods,
      ...(this.#volumes === undefined ? {} : { volumes: this.#volumes }),
    });
    if (old !== undefined) {
      core.randomState = old.randomState;
      core.nextStartNodeIndex = old.nextStartNodeIndex;
    }
    // The rejectors of failed cycles feed the queueing hints (src/sim/queueing-hints.ts).
    core.recordRejectors = true;
    this.#core = core;
    this.#classOfTemplate.clear();
    for (let id = 0; id < this.#cap; id++) this.#cls[id] = -1;
    // Bind the running pods again, node by node in their order, re-indexed by the new table.
    const before = this.#onNode;
    this.#onNode = [];
    before.forEach((ids, i) => {
      const node = core.table.indexOf(oldNames[i] ?? "");
      if (node < 0) return;
      this.#onNode[node] = ids;
      for (const id of ids) {
        this.#node[id] = node;
        const mask = this.#gpuMask[id] as number;
        core.bind(this.#obj[id] as Pod, node, this.#classOf(id), mask < 0 ? undefined : mask);
        this.#gpuMask[id] = core.lastGpuMask;
      }
    });
    // Allocatable totals (allocation fractions) over the current nodes.
    const alloc = new Map<string, number>();
    const add = (k: string, v: number) => alloc.set(k, (alloc.get(k) ?? 0) + v);
    for (const n of this.#nodes) {
      const a = nodeAllocatable(n);
      add("cpu", a.milliCPU);
      add("memory", a.memory);
      add("ephemeral-storage", a.ephemeralStorage);
      add("pods", a.allowedPodNumber);
      for (const [k, v] of a.scalar) add(k, v);
    }
    this.#allocatable = alloc;
    for (const [name, tw] of this.#allocation) {
      const total = this.#requested.get(name) ?? 0;
      const a = alloc.get(name);
      tw.set(this.#now, a ? total / a : 0);
    }
  }

  #audit(): void {
    const seen = new Uint8Array(this.#cap);
    this.#onNode.forEach((ids, i) => {
      const node = this.#core.table.nodes[i] as Node;
      const a = nodeAllocatable(node);
      let cpu = 0;
      let mem = 0;
      for (const id of ids) {
        if (this.#state[id] !== State.Running || this.#node[id] !== i) {
          throw new Error(
            `audit at ${this.#now}s: pod slot ${id} listed on ${i} is not running there`,
          );
        }
        if (seen[id] === 1) throw new Error(`audit at ${this.#now}s: pod slot ${id} on two nodes`);
        seen[id] = 1;
        const r = this.#core.classes.get(this.#classOf(id)).requests;
        cpu += r.milliCPU;
        mem += r.memory;
      }
      const name = node.metadata.name;
      if (ids.length > a.allowedPodNumber || cpu > a.milliCPU || mem > a.memory) {
        throw new Error(
          `audit at ${this.#now}s: node ${name} over-committed: ${ids.length} pods, ${cpu}m cpu, ${mem} memory`,
        );
      }
    });
    let pending = 0;
    for (let id = 0; id < this.#cap; id++) {
      const st = this.#state[id] as State;
      if (st === State.Running && seen[id] !== 1) {
        throw new Error(`audit at ${this.#now}s: running pod slot ${id} on no node`);
      }
      if (
        st === State.Active ||
        st === State.Backoff ||
        st === State.Unschedulable ||
        st === State.Gated
      ) {
        pending++;
      }
    }
    if (pending !== this.#pendingCount) {
      throw new Error(
        `audit at ${this.#now}s: ${pending} pending pods, counted ${this.#pendingCount}`,
      );
    }
    this.#auditHints();
  }

  /**
   * The queueing hints never left a pod waiting that would fit now: every unschedulable pod
   * fails Filter on every node. Left out: pods while nominations hold room (the core's reservation
   * is not re-checked), pods with volumes (their plugins' hints follow storage events the engine
   * reports coarsely), and pods InterPodAffinity rejected (upstream's hint ignores the deletion of
   * an existing pod whose anti-affinity kept them out).
   */
  #auditHints(): void {
    if (this.#nominatedAt.size > 0 || this.#queueEvents.length > 0) return;
    for (const id of this.#unschedulable) {
      const pod = this.#obj[id] as Pod;
      const rejectors = this.#rejectorsOf[id] ?? [];
      if (rejectors.includes("InterPodAffinity") || pod.spec.volumes.length > 0) continue;
      if (this.#core.feasibleAnywhere(pod, this.#classOf(id))) {
        const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
        throw new Error(
          `audit at ${this.#now}s: ${name} (rejected by ${rejectors.join(", ") || "none"}) would fit now but waits among the unschedulable pods`,
        );
      }
    }
  }

  // ---- result ------------------------------------------------------------------------------

  #result(end: number, wall: number): RunResult {
    let unschedulable = 0;
    let pending = 0;
    let running = 0;
    for (let id = 0; id < this.#cap; id++) {
      const s = this.#state[id] as State;
      if (s === State.Running) running++;
      else if (s !== State.Free && s !== State.Deleted) {
        if ((this.#attempts[id] as number) > 0) unschedulable++;
        else pending++;
      }
    }
    const final: Record<string, number> = {};
    const timeWeighted: Record<string, number> = {};
    for (const [name, alloc] of [...this.#allocatable].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (alloc === 0 && !this.#requested.has(name)) continue;
      final[name] = alloc ? (this.#requested.get(name) ?? 0) / alloc : 0;
      timeWeighted[name] = this.#allocation.get(name)?.mean(end) ?? 0;
    }
    const measuredWall =
      this.#measureStart >= 0 && this.#measureEnd >= 0
        ? (this.#measureEnd - this.#measureStart) / 1000
        : 0;
    const step = Math.max(1, Math.ceil(this.#series.length / 100));
    const series = this.#series.filter((_, i) => i % step === 0).map(([t, v]) => [t, v] as const);
    return {
      schemaVersion: 1,
      scenario: this.#input.name,
      seed: this.#input.seed,
      profile: this.#profile.schedulerName,
      pods: {
        submitted: this.#submitted,
        scheduled: this.#scheduled,
        unschedulable,
        pending,
        preempted: this.#preempted,
        evicted: this.#evicted,
        completed: this.#completed,
        running,
      },
      schedulingAttempts: this.#attemptsTotal,
      simulatedSeconds: end,
      wallSeconds: wall,
      podsPerSecond: wall > 0 ? this.#scheduled / wall : 0,
      eventsPerSecond: wall > 0 ? this.#eventsProcessed / wall : 0,
      measured: {
        pods: this.#measuredCount,
        wallSeconds: measuredWall,
        podsPerSecond: measuredWall > 0 ? this.#measuredCount / measuredWall : 0,
        window: this.#window,
        samples: this.#samples,
      },
      latency: this.#latency.summary(),
      allocation: { final, timeWeighted },
      packing: this.#packing(),
      nodesUsed: { final: this.#nodesUsed, max: this.#nodesUsedMax },
      pendingPods: { max: this.#pending.max, mean: this.#pending.mean(end), series },
      admission: { rejected: this.#rejected, byReason: sortedRecord(this.#rejectedBy) },
      events: { warnings: this.#warnings, byReason: sortedRecord(this.#warningsBy) },
    };
  }
}

/** A map as a record with its keys in code-point order (stable JSON). */
function sortedRecord(m: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[k] = m.get(k) as number;
  }
  return out;
}
