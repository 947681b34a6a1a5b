/**
 * WasmScheduler: kube-scheduler's scheduling cycle for one profile, run by the WebAssembly core
 * over the node table in linear memory. The host side (this file) keeps what is per class or
 * rare — pod classes, their static-filter results cached in slots, PreFilterResult subsets and
 * host ports — and calls the core once per pod with numbers only.
 *
 * Plugins run by the core: Filter — NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
 * NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity; Score — TaintToleration,
 * NodeAffinity, NodeResourcesFit, NodeResourcesBalancedAllocation, ImageLocality,
 * PodTopologySpread, InterPodAffinity; PostFilter — DefaultPreemption (src/core/preemption.ts,
 * on the core's live state). A profile naming any other Filter or Score plugin is rejected
 * (`unsupportedCorePlugins` lists them, so callers report them clearly).
 *
 * The host also keeps each node's pods (in bind order, with their classes): preemption reads
 * them, and counters created late are filled from them.
 */
import { defaultPluginArgs } from "../config/defaults.ts";
import type {
  DefaultPreemptionArgs,
  InterPodAffinityArgs,
  NodeAffinityArgs,
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  PodTopologySpreadArgs,
  Profile,
} from "../config/types.ts";
import { SYSTEM_DEFAULT_CONSTRAINTS } from "../config/types.ts";
import { Interner } from "../encode/intern.ts";
import { type Arena, LayoutPlan } from "../encode/layout.ts";
import { NodeTable, zoneRoundRobinOrder } from "../encode/node-table.ts";
import { type PodClass, PodClassTable } from "../encode/pod-class.ts";
import { isExtendedResourceName } from "../model/requests.ts";
import type { Node, NodeSelectorTerm, Pod } from "../model/types.ts";
import { parseInt64 } from "../model/validation.ts";
import { HostPortInfo } from "../reference/framework/host-ports.ts";
import { type ClusterObjects, Snapshot } from "../reference/framework/snapshot.ts";
import {
  defaultDefaultPreemptionArgs,
  readPodDisruptionBudgets,
} from "../reference/plugins/defaultpreemption/index.ts";
import { VolumeState } from "../reference/plugins/volumes/index.ts";
import { type CoreBuild, type CoreExports, instantiateCore, STATIC_RESERVE } from "./boundary.ts";
import { type DescriptorWriter, encodeClassDescriptor, termParses } from "./descriptor.ts";
import { DomainIndex, MAX_KEYS } from "./domains.ts";
import {
  HOST_FILTER_CODE,
  type HostFilter,
  type HostRejection,
  hostVerdictOn,
} from "./host-filters.ts";
import {
  type ClassInterPod,
  InterPodHost,
  IPA_WORDS,
  MAX_DC_RECORDS,
  MAX_DOMAIN_COUNTERS,
  MAX_IPA_BLOCKS,
  NO_INTERPOD,
} from "./interpod.ts";
import {
  type CorePreemption,
  type DryRunOps,
  dryRunPreemption,
  type NodeStatus,
  PREEMPT_NEVER,
  preempt,
} from "./preemption.ts";
import { numToFind } from "./sampling.ts";
import {
  type ClassSpread,
  MAX_COUNTERS,
  MAX_SPREAD,
  SPREAD_WORDS,
  SpreadHost,
  type SpreadSlot,
} from "./spread.ts";
import {
  profileSelection,
  STRATEGY_SCORE_KINDS,
  StrategyHost,
  strategyColumns,
  type TypicalPodShape,
} from "./strategies.ts";
import { bindPodVolumes, claimKeysOf, VOLUME_PLUGINS, volumeHostFilters } from "./volumes.ts";

/** Filter plugins the core runs, in the codes assembly/static.ts and schedule.ts use. */
const STATIC_FILTERS: Readonly<Record<string, number>> = {
  NodeUnschedulable: 1,
  NodeName: 2,
  TaintToleration: 3,
  NodeAffinity: 4,
};
const DYNAMIC_FILTERS = new Set([
  ...VOLUME_PLUGINS,
  "GpuShare",
  "NodePorts",
  "NodeResourcesFit",
  "PodTopologySpread",
  "InterPodAffinity",
]);
const SCORE_PLUGINS = new Set([
  "PodTopologySpread",
  "InterPodAffinity",
  "TaintToleration",
  "NodeAffinity",
  "NodeResourcesFit",
  "NodeResourcesBalancedAllocation",
  "ImageLocality",
  // Its Score (storage capacity) is off by default upstream: PreScore skips, it adds nothing.
  "VolumeBinding",
  ...Object.keys(STRATEGY_SCORE_KINDS),
]);

/** Filter verdict codes of the core (0 = feasible). */
export const CoreCode = {
  Pass: 0,
  NodeUnschedulable: 1,
  NodeName: 2,
  TaintToleration: 3,
  NodeAffinityAdded: 4,
  NodeAffinity: 5,
  NodePorts: 6,
  NodeResourcesFit: 7,
  /** Outside NodeAffinity's PreFilterResult (not evaluated by Filter). */
  PreFilterResult: 8,
  /** PodTopologySpread: the skew would exceed maxSkew. */
  PodTopologySpread: 9,
  /** PodTopologySpread: the node lacks a DoNotSchedule constraint's topology key. */
  PodTopologySpreadMissingLabel: 10,
  /** InterPodAffinity: the pod's required affinity (UnschedulableAndUnresolvable). */
  InterPodAffinity: 11,
  /** InterPodAffinity: the pod's required anti-affinity. */
  InterPodAffinityAnti: 12,
  /** InterPodAffinity: existing pods' required anti-affinity. */
  InterPodAffinityExisting: 13,
  /** InterPodAffinity's PreFilter rejected the pod (a term does not parse): every node. */
  InterPodAffinityPreFilter: 14,
  /** No room once nominated pods of at least the pod's priority are counted (NominatedPod). */
  NominatedPods: 15,
  /** GpuShare: the node has no GPU devices. */
  GpuNone: 16,
  /** GpuShare: the node's card model is not one the pod allows. */
  GpuModel: 17,
  /** GpuShare: the devices cannot hold the pod's GPUs. */
  GpuInsufficient: 18,
  /** A host-evaluated plugin (a volume plugin; which one: CoreEvaluation.hostRejections). */
  HostFilter: HOST_FILTER_CODE,
} as const;

/** The Filter plugin each rejecting CoreCode stands for (PreFilterResult is not a Filter verdict). */
export const CORE_CODE_PLUGIN: Readonly<Record<number, string>> = {
  [CoreCode.NodeUnschedulable]: "NodeUnschedulable",
  [CoreCode.NodeName]: "NodeName",
  [CoreCode.TaintToleration]: "TaintToleration",
  [CoreCode.NodeAffinityAdded]: "NodeAffinity",
  [CoreCode.NodeAffinity]: "NodeAffinity",
  [CoreCode.NodePorts]: "NodePorts",
  [CoreCode.NodeResourcesFit]: "NodeResourcesFit",
  [CoreCode.PodTopologySpread]: "PodTopologySpread",
  [CoreCode.PodTopologySpreadMissingLabel]: "PodTopologySpread",
  [CoreCode.InterPodAffinity]: "InterPodAffinity",
  [CoreCode.InterPodAffinityAnti]: "InterPodAffinity",
  [CoreCode.InterPodAffinityExisting]: "InterPodAffinity",
  [CoreCode.InterPodAffinityPreFilter]: "InterPodAffinity",
  [CoreCode.GpuNone]: "GpuShare",
  [CoreCode.GpuModel]: "GpuShare",
  [CoreCode.GpuInsufficient]: "GpuShare",
};

/** When the core's verdict order differs from a profile's Filter order (#attributeFirstFailure). */
interface Reattribution {
  /** NodePorts or NodeResourcesFit comes before a class-static filter plugin. */
  readonly dynamicFirst: boolean;
  /** NodeName comes before another class-static filter plugin (matters for pods with a nodeName). */
  readonly nodeNameFirst: boolean;
}

function reattribution(profile: Profile): Reattribution {
  const order = profile.plugins.filter.map((p) => p.name);
  const at = (name: string) => order.indexOf(name);
  const statics = ["NodeUnschedulable", "TaintToleration", "NodeAffinity"].map(at);
  const lastStatic = Math.max(at("NodeName"), ...statics);
  const dynamic = [at("NodePorts"), at("NodeResourcesFit")].filter((p) => p >= 0);
  const nodeName = at("NodeName");
  return {
    dynamicFirst: dynamic.some((p) => p < lastStatic),
    nodeNameFirst: nodeName >= 0 && statics.some((p) => p > nodeName),
  };
}

/** Plugins of `profile` at Filter or Score that the core does not run. */
export function unsupportedCorePlugins(profile: Profile): string[] {
  const out = new Set<string>();
  for (const p of profile.plugins.filter) {
    if (!(p.name in STATIC_FILTERS) && !DYNAMIC_FILTERS.has(p.name)) out.add(p.name);
  }
  for (const p of profile.plugins.score) {
    if (!SCORE_PLUGINS.has(p.name)) out.add(p.name);
  }
  return [...out];
}

/**
 * `profile` without the plugins the core does not run (those of {@link unsupportedCorePlugins},
 * at every extension point; at PostFilter the core runs DefaultPreemption only). The caller
 * reports what was dropped.
 */
export function restrictToCore(profile: Profile): Profile {
  const drop = new Set(unsupportedCorePlugins(profile));
  const plugins = Object.fromEntries(
    Object.entries(profile.plugins).map(([point, refs]) => [
      point,
      point === "postFilter"
        ? (refs as readonly { name: string }[]).filter((r) => r.name === "DefaultPreemption")
        : (refs as readonly { name: string; weight: number }[]).filter((r) => !drop.has(r.name)),
    ]),
  ) as unknown as Profile["plugins"];
  return { ...profile, plugins };
}

export interface WasmSchedulerOptions {
  /** The cluster's nodes, in any order (the snapshot order is computed, semantics §1.2). */
  readonly nodes: readonly Node[];
  /** Pods already bound (`spec.nodeName` naming a node); they are accounted, not scheduled. */
  readonly boundPods?: readonly Pod[];
  /** A resolved profile (src/config); its Filter and Score plugins must be core plugins. */
  readonly profile: Profile;
  /** The global `percentageOfNodesToScore` (the profile's own value wins when set). */
  readonly percentageOfNodesToScore?: number;
  /** Seed of selectHost's PRNG. */
  readonly seed?: number | bigint;
  /** Services, ReplicaSets and StatefulSets (PodTopologySpread's default constraints). */
  readonly objects?: ClusterObjects;
  /**
   * Select through the per-class incremental tree when a cycle allows it (default true). False
   * forces the linear filter-and-score scan on every cycle: same placements, for measuring it.
   */
  readonly incremental?: boolean;
  /** Class slots with cached static filters (default: as many as fit 64 MiB, 4…256). */
  readonly classSlots?: number;
  readonly build?: CoreBuild;
  /**
   * Filter plugins the host evaluates (the volume plugins, src/core/host-filters.ts), in the
   * profile's Filter order; each must be one the profile runs at Filter.
   */
  readonly hostFilters?: readonly HostFilter[];
  /**
   * The storage state of the volume plugins (shared with the caller, which sees claims bound as
   * pods are placed); default: decoded from `objects`' PersistentVolumes, claims, StorageClasses
   * and CSINodes.
   */
  readonly volumes?: VolumeState;
  /** FGDScore's typical pods, when derived from the workload (overrides its args). */
  readonly typicalPods?: readonly TypicalPodShape[] | undefined;
}

/** Per-pod result of {@link WasmScheduler.evaluate}: every node's verdict and every score. */
export interface CoreEvaluation {
  /** Node index → CoreCode, in table order. */
  readonly codes: Uint8Array;
  /** For TaintToleration failures, the index of the untolerated taint on the node. */
  readonly taintIndex: Int32Array;
  /** Feasible node indices in the order scored. */
  readonly feasible: readonly number[];
  /** Per feasible position: scores per plugin (raw and normalized where they differ). */
  readonly scores: readonly {
    taintRaw: number;
    taint: number;
    affinityRaw: number;
    affinity: number;
    fit: number;
    balanced: number;
    image: number;
    spreadRaw: number;
    spread: number;
    interPodRaw: number;
    interPod: number;
    /** gantry's score plugins (docs/placement-strategies.md), weighted and summed. */
    strategies: number;
    total: number;
  }[];
  /**
   * Whether NodeAffinity / NodeResourcesBalancedAllocation / PodTopologySpread / InterPodAffinity
   * skipped PreScore, and whether InterPodAffinity skipped PreFilter.
   */
  readonly skipped: Skips;
  /** Selected node index, or -1. */
  readonly selected: number;
  /** Set when the cycle fails with an Error status (an unparsable preferred node affinity term). */
  readonly error?: string;
  /** DefaultPreemption's outcome, when no node is feasible and the profile runs it at PostFilter. */
  readonly preemption?: CorePreemption;
}

/**
 * A pending pod nominated to a node by an earlier preemption. `schedule` counts those of at
 * least the scheduled pod's priority on their nodes, as upstream's
 * RunFilterPluginsWithNominatedPods does: a node where the pod no longer fits beside them is
 * blocked for the cycle (CoreCode.NominatedPods). Not modelled: the second pass without them
 * (it matters only when a nominated pod would satisfy the pod's affinity), and nominations
 * inside preemption's own dry run.
 */
export interface NominatedPod {
  readonly pod: Pod;
  /** The nominated node's table index. */
  readonly node: number;
}

/** PreScore skips (and InterPodAffinity's PreFilter skip) of a cycle. */
export interface Skips {
  readonly affinity: boolean;
  readonly balanced: boolean;
  readonly spread: boolean;
  readonly interPodAffinity: boolean;
  readonly interPodAffinityPreFilter: boolean;
}

interface Slot {
  classId: number;
  lastUse: number;
  code: number;
  taint: number;
  taintRaw: number;
  affRaw: number;
  image: number;
  cacheVal: number;
  cacheVer: number;
  /** The first gantry score plugin's per-node cache (0 when the profile has none). */
  extraVal: number;
  extraVer: number;
  /** Maxima of the class's TaintToleration / NodeAffinity raw scores over all nodes. */
  taintMax: number;
  affMax: number;
  /** The class's selection tree block (assembly/schedule.ts, "Incremental selection"). */
  tree: number;
  /** PodTopologySpread: the class's areas and the summary of its constraints. */
  spread: SpreadSlot;
  spreadInfo: ClassSpread;
  /** InterPodAffinity: the class's term blocks and their summary. */
  ipa: number;
  ipaInfo: ClassInterPod;
}

const NO_SPREAD: ClassSpread = { n: 0, hard: 0, requireAll: false };
/** No nominations (a shared constant: the cycle allocates nothing for the common case). */
const NO_NOMINATED: readonly NominatedPod[] = [];
const NO_REJECTORS: readonly string[] = [];

/**
 * The rejector reported for a node that only nominated pods of at least the pod's priority fill
 * (upstream names the plugin that failed with them added; the core's verdict does not say which).
 */
export const NOMINATED_PODS_REJECTOR = "NominatedPods";

/** i64 words per feasible position in the `detail` scratch (assembly/schedule.ts). */
const DETAIL_WORDS = 12;

/** Whether a profile runs `plugin` at Filter or Score. */
function profileRuns(profile: Profile, plugin: string): boolean {
  return [...profile.plugins.filter, ...profile.plugins.score].some((p) => p.name === plugin);
}

interface HostState {
  /** Per node: its used host ports (upstream's HostPortInfo: a set, as kube-scheduler keeps it). */
  readonly used: Map<number, HostPortInfo>;
}

const DESC_BYTES = 256 * 1024;
/** Entries in the change log ring (a power of two); a class tree further behind is rebuilt. */
const CHANGE_LOG = 8192;
const POD_SCALARS = 64;

/** kube-scheduler's cycle for one profile on the WebAssembly core; see the module comment. */
export class WasmScheduler {
  readonly table: NodeTable;
  readonly classes: PodClassTable;
  readonly interner: Interner;
  readonly profile: Profile;
  readonly #core: CoreExports;
  readonly #arena: Arena;
  readonly #cols: Record<string, number>;
  readonly #slots: Slot[];
  readonly #slotOfClass = new Map<number, Slot>();
  readonly #percentage: number;
  readonly #staticOrder: number;
  readonly #fitArgs: NodeResourcesFitArgs;
  readonly #fitKinds: number[];
  readonly #balKinds: number[];
  readonly #balResources: readonly { readonly name: string; readonly weight: number }[];
  readonly #nodePortsOn: boolean;
  readonly #affinityPreFilter: boolean;
  readonly #addedAffinity: NodeAffinityArgs["addedAffinity"];
  readonly #host: HostState = { used: new Map() };
  readonly #desc: DescriptorWriter;
  readonly #weights: Record<string, number>;
  readonly #classError = new Map<number, boolean>();
  /** NodeName runs at Filter (checked per pod: the class key leaves spec.nodeName out). */
  #nodeNameOn = false;
  /** PodTopologySpread's host side, when the profile runs it. */
  readonly #spread: SpreadHost | undefined;
  /** InterPodAffinity's host side, when the profile runs it. */
  readonly #interPod: InterPodHost | undefined;
  readonly #preFilterOfClass = new Map<number, Int32Array | null | "unresolvable">();
  readonly #incremental: boolean;
  /** DefaultPreemption's args when the profile runs it at PostFilter. */
  readonly #preemption: DefaultPreemptionArgs | undefined;
  /** Placed pods per priority: whether any pod could be a preemption victim. */
  readonly #priorities = new Map<number, number>();
  /** Per node: the class of each of its pods (aligned with #podsOn). */
  readonly #classesOn: number[][] = [];
  /** Per node: the GPU devices (mask) of each of its pods (aligned with #podsOn). */
  readonly #gpuOn: number[][] = [];
  /** GPU devices, gantry's score plugins and by-name selection. */
  readonly #strategies: StrategyHost;
  /** Per node: its pods in the reference's NodeInfo order. */
  readonly #podsOn: Pod[][] = [];
  /** When #attributeFirstFailure can change a verdict (the profile's Filter order). */
  readonly #reattribution: Reattribution;
  /** Class ids of nominated pods (#nominatedClassOf). */
  readonly #nominatedClasses = new WeakMap<Pod, number>();
  /** Services, ReplicaSets, StatefulSets, PodDisruptionBudgets, Namespaces. */
  readonly #objects: Snapshot;
  /** The current cycle's nominated-pods mask (`blocked` column) or 0. */
  #blocked = 0;
  /** Host-evaluated Filter plugins, and those that apply to the current pod. */
  readonly #hostFilters: readonly HostFilter[];
  #hostActive: readonly HostFilter[] = [];
  /** 1 while the core asks the host for the current pod (`setPodHostFilter`), else 0. */
  #hostOn = 0;
  #hostPod: Pod | undefined;
  /** The current pod's host rejection per node, for the nodes the filter loop asked about. */
  readonly #hostRejections: (HostRejection | undefined)[] = [];
  /** The storage state the volume plugins read and VolumeBinding changes (undefined: not run). */
  readonly #volumes: VolumeState | undefined;
  /** Placed pods per claim `namespace/name` (VolumeRestrictions' ReadWriteOncePod check). */
  readonly #claimsInUse = new Map<string, number>();
  /** Bumped whenever #claimsInUse changes. */
  #claimsVersion = 0;
  /** For whom, and on what, the host filters' PreFilter (`begin`) last ran. */
  #begun: { pod: Pod; claims: number; state: number } | undefined;
  /** DefaultPreemption's outcome of the last `schedule` / `scheduleClass` that reached PostFilter. */
  lastPreemption: CorePreemption | undefined;
  /**
   * Record, for each failed cycle, the plugins that rejected the pod in `lastRejectors` (costs a
   * Filter pass over every node when the profile runs no DefaultPreemption). Off by default.
   */
  recordRejectors = false;
  /**
   * With `recordRejectors`: the rejecting plugins of the last cycle when it failed (sorted names;
   * empty after an Error status), else undefined.
   */
  lastRejectors: readonly string[] | undefined;
  #tick = 0;
  #currentClass = -1;
  #currentPorts = 0;

  private constructor(
    core: CoreExports,
    table: NodeTable,
    interner: Interner,
    profile: Profile,
    arena: Arena,
    cols: Record<string, number>,
    slots: Slot[],
    opts: WasmSchedulerOptions,
  ) {
    this.#core = core;
    this.table = table;
    this.interner = interner;
    this.classes = new PodClassTable(interner);
    this.profile = profile;
    this.#reattribution = reattribution(profile);
    this.#arena = arena;
    this.#cols = cols;
    this.#slots = slots;
    // A by-name strategy filters every node (docs/placement-strategies.md).
    this.#percentage =
      profileSelection(profile) !== undefined
        ? 100
        : (profile.percentageOfNodesToScore ?? opts.percentageOfNodesToScore ?? 0);
    this.#incremental = opts.incremental ?? true;
    const volumeNames = profile.plugins.filter
      .map((p) => p.name)
      .filter((n) => (VOLUME_PLUGINS as readonly string[]).includes(n));
    this.#volumes =
      volumeNames.length > 0
        ? (opts.volumes ?? VolumeState.fromKept(opts.objects?.kept ?? []))
        : undefined;
    this.#hostFilters = [
      ...(this.#volumes === undefined
        ? []
        : volumeHostFilters(
            volumeNames,
            this.#volumes,
            (k) => (this.#claimsInUse.get(k) ?? 0) > 0,
          )),
      ...(opts.hostFilters ?? []),
    ];
    this.#preemption = profile.plugins.postFilter.some((p) => p.name === "DefaultPreemption")
      ? defaultDefaultPreemptionArgs(profile.pluginConfig.get("DefaultPreemption"))
      : undefined;
    // Profiles from src/config carry defaulted args for every enabled plugin; a hand-built
    // profile without them gets upstream's defaults.
    this.#fitArgs = (profile.pluginConfig.get("NodeResourcesFit") ??
      defaultPluginArgs("NodeResourcesFit", undefined)) as NodeResourcesFitArgs;
    const bal = (profile.pluginConfig.get("NodeResourcesBalancedAllocation") ??
      defaultPluginArgs(
        "NodeResourcesBalancedAllocation",
        undefined,
      )) as NodeResourcesBalancedAllocationArgs;
    this.#balResources = bal.resources;
    const balResources = bal.resources;
    const aff = profile.pluginConfig.get("NodeAffinity") as NodeAffinityArgs | undefined;
    this.#addedAffinity = aff?.addedAffinity;
    this.#desc = {
      view: new DataView(arena.buffer, cols.desc as number, DESC_BYTES),
      base: cols.desc as number,
    };

    // Static filter order (nibbles) and the dynamic filter bits.
    let order = 0;
    let shift = 0;
    let filterBits = profile.plugins.filter.length > 0 ? 4 : 0;
    let fitSeen = false;
    let spreadHard = false;
    let interPodFilter = false;
    for (const p of profile.plugins.filter) {
      const s = STATIC_FILTERS[p.name];
      if (p.name === "NodeName") {
        this.#nodeNameOn = true;
      } else if (s !== undefined) {
        order |= s << shift;
        shift += 4;
      } else if (p.name === "NodePorts") {
        filterBits |= 1;
        if (fitSeen) filterBits |= 8;
      } else if (p.name === "NodeResourcesFit") {
        filterBits |= 2;
        fitSeen = true;
      } else if (p.name === "PodTopologySpread") {
        spreadHard = true;
      } else if (p.name === "InterPodAffinity") {
        interPodFilter = true;
      } else if (p.name === "GpuShare") {
        // Run by the core's strategies (src/core/strategies.ts).
      } else if ((VOLUME_PLUGINS as readonly string[]).includes(p.name)) {
        // Evaluated by the host (src/core/volumes.ts).
      } else {
        throw new Error(`WasmScheduler: filter plugin ${p.name} is not run by the core`);
      }
    }
    this.#staticOrder = order;
    this.#nodePortsOn = (filterBits & 1) !== 0;
    this.#affinityPreFilter = profile.plugins.preFilter.some((p) => p.name === "NodeAffinity");

    const weights: Record<string, number> = {};
    for (const p of profile.plugins.score) {
      if (!SCORE_PLUGINS.has(p.name)) {
        throw new Error(`WasmScheduler: score plugin ${p.name} is not run by the core`);
      }
      weights[p.name] = p.weight;
    }
    const spreadArgs = profile.pluginConfig.get("PodTopologySpread") as
      | PodTopologySpreadArgs
      | undefined;
    const systemDefaulted = spreadArgs === undefined || spreadArgs.defaultingType === "System";
    const spreadSoft = weights.PodTopologySpread !== undefined;
    const objects = new Snapshot([], [], opts.objects ?? {});
    this.#objects = objects;
    const domains = new DomainIndex(arena.buffer, cols.domains as number, table);
    const placements = {
      forEach: (f: (classId: number, node: number) => void) => {
        this.#classesOn.forEach((ids, node) => {
          for (const c of ids) f(c, node);
        });
      },
    };
    this.#spread =
      spreadHard || spreadSoft
        ? new SpreadHost(
            arena.buffer,
            {
              counters: cols["spread.counters"] as number,
              sums: cols["spread.sums"] as number,
              reg: cols["spread.reg"] as number,
            },
            table,
            this.classes,
            objects,
            domains,
            placements,
            {
              defaults: systemDefaulted
                ? SYSTEM_DEFAULT_CONSTRAINTS
                : (spreadArgs?.defaultConstraints ?? []),
              systemDefaulted,
              hard: spreadHard,
              soft: spreadSoft,
            },
          )
        : undefined;
    const ipaArgs = (profile.pluginConfig.get("InterPodAffinity") ??
      defaultPluginArgs("InterPodAffinity", undefined)) as InterPodAffinityArgs;
    const interPodScore = weights.InterPodAffinity !== undefined;
    this.#interPod =
      interPodFilter || interPodScore
        ? new InterPodHost(
            arena.buffer,
            cols["ipa.counters"] as number,
            table,
            domains,
            objects,
            this.classes,
            placements,
            {
              hardPodAffinityWeight: ipaArgs.hardPodAffinityWeight,
              ignorePreferredTermsOfExistingPods: ipaArgs.ignorePreferredTermsOfExistingPods,
              filter: interPodFilter,
              score: interPodScore,
            },
          )
        : undefined;
    core.setInterPodProfile(
      weights.InterPodAffinity ?? 0,
      cols["ipa.raw"] as number,
      cols["ipa.norm"] as number,
    );
    if (this.#spread !== undefined) {
      const ln = new Float64Array(arena.buffer, cols["spread.ln"] as number, table.count + 2);
      for (let k = 0; k < ln.length; k++) ln[k] = Math.log(k + 2);
      core.bindSpreadScratch(cols["spread.raw"] as number, cols["spread.norm"] as number);
    }
    this.#weights = weights;

    const kindOf = (name: string): number => {
      if (name === "cpu") return 0;
      if (name === "memory") return 1;
      if (name === "ephemeral-storage") return 2;
      const k = table.scalarIndex(name);
      return k < 0 ? -1 : 3 + k;
    };
    this.#fitKinds = this.#fitArgs.scoringStrategy.resources.map((r) => kindOf(r.name));
    this.#balKinds = balResources.map((r) => kindOf(r.name));
    const strategy = { LeastAllocated: 0, MostAllocated: 1, RequestedToCapacityRatio: 2 }[
      this.#fitArgs.scoringStrategy.type
    ];
    const i32 = (name: string) => new Int32Array(arena.buffer, cols[name] as number, 64);
    const fitKind = i32("profile.fitKind");
    const fitWeight = i32("profile.fitWeight");
    this.#fitArgs.scoringStrategy.resources.forEach((r, j) => {
      fitKind[j] = this.#fitKinds[j] as number;
      fitWeight[j] = r.weight;
    });
    const shape = this.#fitArgs.scoringStrategy.requestedToCapacityRatio?.shape ?? [];
    const shapeView = i32("profile.shape");
    shape.forEach((pt, j) => {
      shapeView[2 * j] = pt.utilization;
      shapeView[2 * j + 1] = pt.score * 10; // args scores are 0..10; MaxNodeScore / 10 = 10
    });
    const balKind = i32("profile.balKind");
    this.#balKinds.forEach((k, j) => {
      balKind[j] = k;
    });
    core.setProfile(
      weights.TaintToleration ?? 0,
      weights.NodeAffinity ?? 0,
      weights.NodeResourcesFit ?? 0,
      weights.NodeResourcesBalancedAllocation ?? 0,
      weights.ImageLocality ?? 0,
      filterBits,
      strategy,
      this.#fitKinds.length,
      cols["profile.fitKind"] as number,
      cols["profile.fitWeight"] as number,
      shape.length,
      cols["profile.shape"] as number,
      this.#balKinds.length,
      cols["profile.balKind"] as number,
      bal.formula === "v1.36" ? 136 : 135,
      cols.feasible as number,
      exactF64(table) ? 1 : 0,
      weights.PodTopologySpread ?? 0,
    );
    this.#strategies = new StrategyHost(
      core,
      arena.buffer,
      cols,
      table.nodes,
      profile,
      opts.typicalPods,
    );
    this.reseed(opts.seed ?? 0);

    for (const pod of opts.boundPods ?? []) this.#bindExisting(pod);
  }

  /** Builds the node table in a fresh core instance and binds the profile. */
  static async create(opts: WasmSchedulerOptions): Promise<WasmScheduler> {
    // The core calls back for host-evaluated filters; the holder is bound to the scheduler below.
    const imports = { hostFilter: (_node: number) => 0 };
    const core = await instantiateCore(opts.build ?? "release", imports);
    const bad = unsupportedCorePlugins(opts.profile);
    if (bad.length > 0) {
      throw new Error(`WasmScheduler: plugins not run by the core: ${bad.join(", ")}`);
    }
    const order = zoneRoundRobinOrder(opts.nodes);
    const nodes = order.map((i) => opts.nodes[i] as Node);
    const interner = new Interner();
    for (const n of nodes) interner.id(n.metadata.name);
    interner.id("");
    interner.id("node.kubernetes.io/unschedulable");

    // Dry run: the node table's size, so memory grows once.
    const base = Math.max(STATIC_RESERVE, core.memory.buffer.byteLength);
    const dry = NodeTable.build(nodes, { interner, base });
    const n = dry.capacity;
    const labels = dry.labelKeys.length;
    const scalars = dry.scalarNames.length;
    const treeLeaves = 2 ** Math.ceil(Math.log2(Math.max(dry.count, 1)));
    const spreadCols = profileRuns(opts.profile, "PodTopologySpread");
    const extras = opts.profile.plugins.score.some((p) => p.name in STRATEGY_SCORE_KINDS);
    const ipaCols = profileRuns(opts.profile, "InterPodAffinity");
    const slotBytes =
      25 * n +
      24 * treeLeaves +
      16 +
      (spreadCols ? 17 * MAX_SPREAD * n : 0) +
      (extras ? 12 * n : 0);
    const slotsWanted =
      opts.classSlots ?? Math.max(4, Math.min(256, Math.floor((64 << 20) / slotBytes)));

    const plan = new LayoutPlan(dry.arena.end);
    const cols: Record<string, number> = {};
    const col = (name: string, type: "u8" | "i32" | "u32" | "f64", len: number) => {
      cols[name] = plan.column(name, type, len).offset;
    };
    col("nodeNameIds", "i32", n);
    col("labelNumOk", "u8", Math.max(labels, 1));
    col("labelNumWords", "u32", 2 * Math.max(labels, 1));
    col("scalarCols", "u32", 2 * Math.max(scalars, 1));
    col("feasible", "i32", n);
    col("totals", "f64", n);
    col("detail", "f64", DETAIL_WORDS * n);
    col("codes", "u8", n);
    col("ports", "u8", n);
    col("blocked", "u8", n);
    col("list", "i32", n);
    for (let k = 0; k < slotsWanted; k++) {
      col(`slot${k}.code`, "u8", n);
      col(`slot${k}.taint`, "i32", n);
      col(`slot${k}.taintRaw`, "i32", n);
      col(`slot${k}.affRaw`, "i32", n);
      col(`slot${k}.image`, "i32", n);
      col(`slot${k}.cacheVal`, "i32", n);
      col(`slot${k}.cacheVer`, "i32", n);
      col(`slot${k}.extraVal`, "f64", extras ? n : 1);
      col(`slot${k}.extraVer`, "i32", extras ? n : 1);
      col(`slot${k}.tree`, "i32", 4 + 6 * treeLeaves);
      col(`slot${k}.spread`, "i32", MAX_SPREAD * SPREAD_WORDS);
      col(`slot${k}.incl`, "u8", spreadCols ? MAX_SPREAD * n : 1);
      col(`slot${k}.spreadSums`, "i32", spreadCols ? MAX_SPREAD * (n + 2) : 1);
      col(`slot${k}.spreadReg`, "u8", spreadCols ? MAX_SPREAD * (n + 2) : 1);
      col(`slot${k}.contrib`, "i32", spreadCols ? MAX_SPREAD * n : 1);
      col(`slot${k}.spreadSeq`, "f64", 1);
      col(`slot${k}.ipa`, "i32", ipaCols ? MAX_IPA_BLOCKS * IPA_WORDS : 1);
    }
    col("changeLog", "i32", CHANGE_LOG);
    for (const [name, type, len] of strategyColumns(n)) col(name, type, len);
    col("spread.counters", "i32", spreadCols ? (MAX_COUNTERS + 1) * n : 1);
    col("domains", "i32", spreadCols || ipaCols ? MAX_KEYS * n : 1);
    col("ipa.counters", "i32", ipaCols ? MAX_DOMAIN_COUNTERS * (n + 1) : 1);
    col("ipa.raw", "f64", n);
    col("ipa.norm", "i32", n);
    col("pod.domainCounters", "u32", 3 * MAX_DC_RECORDS);
    col("spread.sums", "i32", spreadCols ? MAX_SPREAD * (n + 2) : 1);
    col("spread.reg", "u8", spreadCols ? MAX_SPREAD * (n + 2) : 1);
    col("spread.ignored", "u8", n);
    col("spread.weights", "f64", MAX_SPREAD);
    col("spread.raw", "f64", n);
    col("spread.norm", "i32", n);
    col("spread.ln", "f64", n + 2);
    col("pod.counters", "u32", MAX_COUNTERS);
    col("nodeVersion", "i32", n);
    col("desc", "u8", DESC_BYTES);
    col("pod.scalarKind", "i32", POD_SCALARS);
    col("pod.scalarAmt", "f64", POD_SCALARS);
    col("pod.filterKind", "i32", POD_SCALARS);
    col("pod.filterAmt", "f64", POD_SCALARS);
    col("pod.fitReq", "f64", 64);
    col("pod.balReq", "f64", 64);
    col("profile.fitKind", "i32", 64);
    col("profile.fitWeight", "i32", 64);
    col("profile.shape", "i32", 64);
    col("profile.balKind", "i32", 64);
    if (opts.profile.pluginConfig.size > 0) {
      const fit = opts.profile.pluginConfig.get("NodeResourcesFit") as
        | NodeResourcesFitArgs
        | undefined;
      const shape = fit?.scoringStrategy.requestedToCapacityRatio?.shape.length ?? 0;
      if ((fit?.scoringStrategy.resources.length ?? 0) > 64 || shape > 32) {
        throw new Error("WasmScheduler: more than 64 scoring resources or 32 shape points");
      }
    }

    // Grow once to the end of everything, then lay out the table and the core columns.
    const memory = core.memory;
    const need = plan.end - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    const table = NodeTable.build(nodes, { interner, memory, base });
    if (table.arena.end !== dry.arena.end) throw new Error("WasmScheduler: layout changed");
    // An image name's size is the one of the first node listing it in the order nodes were
    // added (kube-scheduler's image state cache), not in snapshot order.
    const firstSize = new Map<number, number>();
    for (const node of opts.nodes) {
      for (const img of node.status.images) {
        for (const name of img.names) {
          const id = interner.lookup(name);
          if (id >= 0 && !firstSize.has(id)) firstSize.set(id, img.sizeBytes);
        }
      }
    }
    for (let j = 0; j < table.imageIds.length; j++) {
      const size = firstSize.get(table.imageIds[j] as number);
      if (size !== undefined) table.imageSizes[j] = size;
    }
    const arena = plan.commit({ memory });

    // Fill the core columns.
    const names = new Int32Array(arena.buffer, cols.nodeNameIds as number, n).fill(-1);
    nodes.forEach((node, i) => {
      names[i] = interner.id(node.metadata.name);
    });
    const numOk = new Uint8Array(arena.buffer, cols.labelNumOk as number, labels);
    const numWords = new Uint32Array(arena.buffer, cols.labelNumWords as number, 2 * labels);
    for (let j = 0; j < labels; j++) {
      const v = parseInt64(interner.str(table.labelValues[j] as number));
      if (v !== undefined) {
        numOk[j] = 1;
        numWords[2 * j] = Number(BigInt.asUintN(32, v));
        numWords[2 * j + 1] = Number(BigInt.asUintN(32, v >> 32n));
      }
    }
    const sc = new Uint32Array(arena.buffer, cols.scalarCols as number, 2 * Math.max(scalars, 1));
    const so = table.scalarOffsets();
    for (let k = 0; k < scalars; k++) {
      sc[2 * k] = so.alloc[k] as number;
      sc[2 * k + 1] = so.req[k] as number;
    }
    const o = table.offsets();
    const at = (name: string) => o[name] as number;
    core.bindResources(
      table.count,
      at("allocMilliCPU"),
      at("allocMemory"),
      at("allocEphemeralStorage"),
      at("allowedPods"),
      at("reqMilliCPU"),
      at("reqMemory"),
      at("reqEphemeralStorage"),
      at("podCount"),
      at("nonZeroMilliCPU"),
      at("nonZeroMemory"),
      at("flags"),
      cols.nodeNameIds as number,
      scalars,
      cols.scalarCols as number,
    );
    core.bindStatic(
      at("labelOffsets"),
      at("labelKeys"),
      at("labelValues"),
      at("taintOffsets"),
      at("taintKeys"),
      at("taintValues"),
      at("taintEffects"),
      at("imageOffsets"),
      at("imageIds"),
      at("imageSizes"),
      at("imageNodeCounts"),
      cols.labelNumOk as number,
      cols.labelNumWords as number,
    );
    core.bindVersions(cols.nodeVersion as number);
    core.bindChangeLog(cols.changeLog as number, CHANGE_LOG);
    const slots: Slot[] = [];
    for (let k = 0; k < slotsWanted; k++) {
      slots.push({
        classId: -1,
        lastUse: 0,
        code: cols[`slot${k}.code`] as number,
        taint: cols[`slot${k}.taint`] as number,
        taintRaw: cols[`slot${k}.taintRaw`] as number,
        affRaw: cols[`slot${k}.affRaw`] as number,
        image: cols[`slot${k}.image`] as number,
        cacheVal: cols[`slot${k}.cacheVal`] as number,
        cacheVer: cols[`slot${k}.cacheVer`] as number,
        extraVal: extras ? (cols[`slot${k}.extraVal`] as number) : 0,
        extraVer: extras ? (cols[`slot${k}.extraVer`] as number) : 0,
        taintMax: 0,
        affMax: 0,
        tree: cols[`slot${k}.tree`] as number,
        spread: {
          blocks: cols[`slot${k}.spread`] as number,
          incl: cols[`slot${k}.incl`] as number,
          sums: cols[`slot${k}.spreadSums`] as number,
          reg: cols[`slot${k}.spreadReg`] as number,
          contrib: cols[`slot${k}.contrib`] as number,
          seq: cols[`slot${k}.spreadSeq`] as number,
        },
        spreadInfo: NO_SPREAD,
        ipa: cols[`slot${k}.ipa`] as number,
        ipaInfo: NO_INTERPOD,
      });
      // The tree header: change-log position (-1: rebuild on first use) and leaf count.
      const header = new DataView(arena.buffer, cols[`slot${k}.tree`] as number, 16);
      header.setBigInt64(0, -1n, true);
      header.setInt32(8, treeLeaves, true);
    }
    const scheduler = new WasmScheduler(
      core,
      table,
      interner,
      opts.profile,
      arena,
      cols,
      slots,
      opts,
    );
    imports.hostFilter = (node) => scheduler.#hostVerdict(node);
    return scheduler;
  }

  /** The node names in snapshot (table) order. */
  get nodeNames(): string[] {
    return this.table.nodes.map((n) => n.metadata.name);
  }

  /** kube-scheduler's nextStartNodeIndex. */
  get nextStartNodeIndex(): number {
    return this.#core.nextStart.value as number;
  }

  /** Sets the start index (a rebuilt scheduler continuing another's run). */
  set nextStartNodeIndex(v: number) {
    this.#core.setNextStart(this.table.count === 0 ? 0 : v % this.table.count);
  }

  /** The PRNG's state (four u32 words), to continue the same stream in a rebuilt scheduler. */
  get randomState(): readonly [number, number, number, number] {
    const w = (k: number) => this.#core.randomWord(k) >>> 0;
    return [w(0), w(1), w(2), w(3)];
  }

  set randomState(s: readonly [number, number, number, number]) {
    this.#core.setRandomState(s[0], s[1], s[2], s[3]);
  }

  /**
   * Schedules one pod: returns the chosen node's table index (the pod is assumed there) or -1
   * when no node is feasible. `classId` (from `classes.classOf` on an identical spec) skips
   * deriving the class from `pod`.
   */
  schedule(pod: Pod, classId?: number, nominated?: readonly NominatedPod[]): number {
    const cls = this.classes.get(classId ?? this.classes.classOf(pod));
    return this.#schedule(cls, pod.spec.nodeName, pod, nominated);
  }

  /**
   * Schedules one pod of class `classId` (from `classes.classOf`): the streaming form, for pods
   * that exist only as a class id and a count. `nodeName` is the pod's spec.nodeName (pod classes
   * leave it out). Returns the node index or -1.
   */
  scheduleClass(classId: number, nodeName = ""): number {
    const cls = this.classes.get(classId);
    return this.#schedule(cls, nodeName, cls.exemplar);
  }

  /**
   * One cycle for `pod` of class `cls`; when no node is feasible and the profile runs
   * DefaultPreemption, PostFilter too (its outcome in `lastPreemption`; nothing is deleted or
   * assumed — applying it is the caller's business, as in the reference's `scheduleOne`).
   */
  #schedule(
    cls: PodClass,
    nodeName: string,
    pod: Pod,
    nominated: readonly NominatedPod[] = NO_NOMINATED,
  ): number {
    this.lastPreemption = undefined;
    this.lastRejectors = undefined;
    const node = this.#cycle(cls, nodeName, pod, nominated);
    if (node === -2 && this.recordRejectors) this.lastRejectors = NO_REJECTORS;
    if (node !== -1) return node < 0 ? -1 : node;
    // A pod that may never preempt needs no statuses (PodEligibleToPreemptOthers comes first).
    const never = pod.spec.preemptionPolicy === "Never";
    const codes =
      this.#preemption !== undefined && !never ? this.#statusCodes(cls, nodeName) : undefined;
    if (this.recordRejectors) {
      this.lastRejectors =
        codes !== undefined
          ? this.#rejectors(codes, this.#preFilter(cls) !== undefined)
          : this.#rejectorsOfCycle(cls, nodeName);
    }
    if (this.#preemption !== undefined) {
      this.lastPreemption = never
        ? { node: null, victims: [], notEligible: PREEMPT_NEVER }
        : this.#postFilter(cls, pod, codes as Uint8Array).preemption;
    }
    return -1;
  }

  /**
   * Upstream's Diagnosis.UnschedulablePlugins of a failed cycle: the plugin behind each node's
   * first failing verdict (`codes` from #statusCodes), plus NodeAffinity when its PreFilterResult
   * restricted the nodes (`restricted`: upstream's RunPreFilterPlugins returns such plugins as
   * the initial set); a node blocked by nominated pods is reported as
   * {@link NOMINATED_PODS_REJECTOR}. Sorted.
   */
  #rejectors(codes: Uint8Array, restricted: boolean): readonly string[] {
    // The codes seen, as a bit mask (codes are below 32), then their plugins.
    let mask = 0;
    for (let i = 0; i < codes.length; i++) mask |= 1 << (codes[i] as number);
    return this.#rejectorsOfMask(mask, restricted, (i) => codes[i] === CoreCode.HostFilter);
  }

  /**
   * #rejectors without the per-node statuses (no PostFilter to feed): the core's `failureMask`
   * over the nodes the cycle filtered — unless the profile's Filter order could change a
   * verdict's plugin (#attributeFirstFailure), then the statuses after all.
   */
  #rejectorsOfCycle(cls: PodClass, nodeName: string): readonly string[] {
    const r = this.#reattribution;
    if (r.dynamicFirst || (r.nodeNameFirst && nodeName !== "")) {
      return this.#rejectors(this.#statusCodes(cls, nodeName), this.#preFilter(cls) !== undefined);
    }
    const pre = this.#preFilter(cls);
    if (pre === "unresolvable") return ["NodeAffinity"];
    const slot = this.#activate(cls);
    if (slot.ipaInfo.error === "preFilter") return ["InterPodAffinity"];
    this.#core.setPodBlocked(this.#blocked);
    this.#core.setPodHostFilter(this.#hostOn);
    this.#hostRejections.length = 0;
    const mask = this.#core.failureMask(
      pre === undefined ? 0 : (this.#cols.list as number),
      pre === undefined ? 0 : pre.length,
    );
    return this.#rejectorsOfMask(
      mask,
      pre !== undefined,
      (i) => this.#hostRejections[i] !== undefined,
    );
  }

  /** The plugins behind the codes of `mask`; `hostRejected(i)`: node i got a host verdict. */
  #rejectorsOfMask(
    mask: number,
    restricted: boolean,
    hostRejected: (i: number) => boolean,
  ): readonly string[] {
    const seen = new Set<string>();
    if (restricted) seen.add("NodeAffinity");
    for (let c = 1; c < 32; c++) {
      if ((mask & (1 << c)) === 0) continue;
      if (c === CoreCode.HostFilter) {
        for (let i = 0; i < this.#hostRejections.length; i++) {
          const r = this.#hostRejections[i];
          if (r !== undefined && hostRejected(i)) seen.add(r.plugin);
        }
      } else if (c === CoreCode.PreFilterResult) seen.add("NodeAffinity");
      else if (c === CoreCode.NominatedPods) seen.add(NOMINATED_PODS_REJECTOR);
      else {
        const plugin = CORE_CODE_PLUGIN[c];
        if (plugin !== undefined) seen.add(plugin);
      }
    }
    return [...seen].sort();
  }

  /** The cycle of #schedule: the node, -1 when none fits, -2 after an Error status. */
  #cycle(cls: PodClass, nodeName: string, pod: Pod, nominated: readonly NominatedPod[]): number {
    this.#setNodeName(nodeName);
    this.#blocked = nominated.length === 0 ? 0 : this.#blockedByNominated(cls, pod, nominated);
    const pre = this.#preFilter(cls);
    if (pre === "unresolvable") return -1;
    const active = this.#activate(cls);
    this.#core.setPodBlocked(this.#blocked);
    this.#hostOn = this.#hostPass(pod);
    this.#core.setPodHostFilter(this.#hostOn);
    if (active.spreadInfo.error === "preFilter") return -2;
    if (active.ipaInfo.error === "preFilter") return -1;
    const list = pre === undefined ? 0 : (this.#cols.list as number);
    const listLen = pre === undefined ? 0 : pre.length;
    const k = numToFind(pre === undefined ? this.table.count : pre.length, this.#percentage);
    let node: number;
    if (this.#strategies.profile.selection === 0 && this.#preScoreError(cls)) {
      // PreScore fails the cycle, unless a single feasible node skips scoring altogether (a
      // by-name strategy runs no PreScore).
      const found = this.#core.filterNodes(k, list, listLen, 0);
      if (found === 0) return -1;
      if (found !== 1) return -2;
      node = new Int32Array(this.#arena.buffer, this.#cols.feasible as number, 1)[0] as number;
      this.#core.assume(node);
    } else {
      node = this.#core.scheduleOne(k, list, listLen, this.#cols.totals as number);
    }
    if (node >= 0) {
      this.#placed(cls, node, pod);
      if (this.#volumes !== undefined) {
        bindPodVolumes(pod, this.table.nodes[node] as Node, this.#volumes);
      }
    }
    return node;
  }

  /** Re-seeds selectHost's PRNG (PCG32 with stream 0, as the reference's `new Pcg32(seed)`). */
  reseed(seed: number | bigint): void {
    const s = BigInt.asUintN(64, BigInt(seed));
    this.#core.seedRandom(Number(s & 0xffffffffn), Number(s >> 32n), 0, 0);
  }

  /** Schedules one pod and returns the chosen node's name, or null. */
  scheduleName(pod: Pod): string | null {
    const i = this.schedule(pod);
    return i < 0 ? null : (this.table.nodes[i]?.metadata.name ?? null);
  }

  /**
   * Evaluates one pod as `gantry explain` does: Filter on every node (no sampling, nextStart
   * untouched), every feasible node scored, selectHost with the PRNG. Does not assume the pod.
   * `candidates` (table indices) restricts scoring to those nodes, as if the rest failed Filter.
   */
  evaluate(pod: Pod, candidates?: ReadonlySet<number>): CoreEvaluation {
    const core = this.#core;
    const cls = this.classes.get(this.classes.classOf(pod));
    this.#setNodeName(pod.spec.nodeName);
    const n = this.table.count;
    const pre = this.#preFilter(cls);
    const codes = new Uint8Array(n);
    const slot = this.#activate(cls);
    this.#hostOn = this.#hostPass(pod);
    core.setPodHostFilter(this.#hostOn);
    const taintIndex = new Int32Array(this.#arena.buffer, slot.taint, n).slice();
    const skipped = this.#skips(cls);
    if (pre === "unresolvable") {
      codes.fill(CoreCode.PreFilterResult);
      const preemption = this.#postFilter(cls, pod, codes);
      return { codes, taintIndex, feasible: [], scores: [], skipped, selected: -1, ...preemption };
    }
    if (slot.spreadInfo.error === "preFilter") {
      const error = "PodTopologySpread: a hard constraint's label selector does not parse";
      return { codes, taintIndex, feasible: [], scores: [], skipped, selected: -1, error };
    }
    if (slot.ipaInfo.error === "preFilter") {
      codes.fill(CoreCode.InterPodAffinityPreFilter);
      const preemption = this.#postFilter(cls, pod, codes);
      return { codes, taintIndex, feasible: [], scores: [], skipped, selected: -1, ...preemption };
    }
    let found = this.#filterAll(pre, codes, pod.spec.nodeName);
    let feasible = Array.from(
      new Int32Array(this.#arena.buffer, this.#cols.feasible as number, found),
    );
    if (candidates !== undefined) {
      feasible = feasible.filter((i) => candidates.has(i));
      new Int32Array(this.#arena.buffer, this.#cols.feasible as number, feasible.length).set(
        feasible,
      );
      found = feasible.length;
    }
    if (found === 0) {
      const preemption = candidates === undefined ? this.#postFilter(cls, pod, codes) : undefined;
      return { codes, taintIndex, feasible, scores: [], skipped, selected: -1, ...preemption };
    }
    if (this.#strategies.profile.selection !== 0) {
      // A by-name strategy replaces Score and selectHost.
      const chosen = core.selectByStrategy(found, this.#cols.feasible as number);
      return {
        codes,
        taintIndex,
        feasible,
        scores: [],
        skipped,
        selected: feasible[chosen] as number,
      };
    }
    if (this.#preScoreError(cls)) {
      const error =
        "PreScore failed: a preferred node affinity term, a spread selector or a pod affinity term does not parse";
      return { codes, taintIndex, feasible, scores: [], skipped, selected: -1, error };
    }
    // Explain mode scores even a single feasible node (scheduleOne would skip scoring).
    const pos = core.scoreAndSelect(
      found,
      this.#cols.totals as number,
      this.#cols.detail as number,
    );
    const totals = new BigInt64Array(this.#arena.buffer, this.#cols.totals as number, found);
    const w = DETAIL_WORDS;
    const detail = new BigInt64Array(this.#arena.buffer, this.#cols.detail as number, w * found);
    const scores = feasible.map((_, p) => ({
      taintRaw: Number(detail[w * p]),
      taint: Number(detail[w * p + 1]),
      affinityRaw: Number(detail[w * p + 2]),
      affinity: Number(detail[w * p + 3]),
      fit: Number(detail[w * p + 4]),
      balanced: Number(detail[w * p + 5]),
      image: Number(detail[w * p + 6]),
      spreadRaw: Number(detail[w * p + 7]),
      spread: Number(detail[w * p + 8]),
      interPodRaw: Number(detail[w * p + 9]),
      interPod: Number(detail[w * p + 10]),
      strategies: Number(detail[w * p + 11]),
      total: Number(totals[p]),
    }));
    return { codes, taintIndex, feasible, scores, skipped, selected: feasible[pos] as number };
  }

  /**
   * Filter alone, on every node (no sampling, no scoring, nothing assumed, the start index
   * unchanged): the number of nodes where a pod of class `classId` fits. For measuring the
   * filter kernel and for diagnostics.
   */
  countFeasible(classId: number): number {
    const cls = this.classes.get(classId);
    const pre = this.#preFilter(cls);
    if (pre === "unresolvable") return 0;
    this.#activate(cls);
    const saved = this.#core.nextStart.value as number;
    const found = this.#core.filterNodes(
      this.table.count,
      pre === undefined ? 0 : (this.#cols.list as number),
      pre === undefined ? 0 : pre.length,
      0,
    );
    this.#core.setNextStart(saved);
    return found;
  }

  /**
   * Whether `pod` (of class `classId`) passes Filter on some node in the current state: nominated
   * pods left out, no sampling, nothing assumed, the start index and the PRNG untouched. For the
   * simulation's audit of its queueing hints.
   */
  feasibleAnywhere(pod: Pod, classId: number): boolean {
    const cls = this.classes.get(classId);
    this.#setNodeName(pod.spec.nodeName);
    const pre = this.#preFilter(cls);
    if (pre === "unresolvable") return false;
    const slot = this.#activate(cls);
    if (slot.spreadInfo.error === "preFilter" || slot.ipaInfo.error === "preFilter") return false;
    this.#core.setPodBlocked(0);
    this.#hostOn = this.#hostPass(pod);
    this.#core.setPodHostFilter(this.#hostOn);
    const saved = this.#core.nextStart.value as number;
    const found = this.#core.filterNodes(
      1,
      pre === undefined ? 0 : (this.#cols.list as number),
      pre === undefined ? 0 : pre.length,
      0,
    );
    this.#core.setNextStart(saved);
    return found > 0;
  }

  /**
   * Removes a pod previously scheduled or bound on node `node` (its class must be known; pass
   * `classId` when the caller has it, to skip deriving it from the spec).
   */
  unbind(pod: Pod, node: number, classId?: number): number {
    const on = this.#podsOn[node];
    const at = on?.findIndex((p) => p.metadata.uid === pod.metadata.uid) ?? -1;
    // The class the pod was placed with, else derived from the spec.
    const cls = this.classes.get(
      classId ?? (at >= 0 ? this.#classesOn[node]?.[at] : undefined) ?? this.classes.classOf(pod),
    );
    this.#activate(cls);
    const mask = at >= 0 ? (this.#gpuOn[node]?.[at] ?? 0) : 0;
    this.#core.setReleaseMask(mask);
    this.#core.forget(node);
    if (at >= 0) {
      const prio = on?.[at]?.spec.priority ?? 0;
      const left = (this.#priorities.get(prio) ?? 1) - 1;
      if (left === 0) this.#priorities.delete(prio);
      else this.#priorities.set(prio, left);
      on?.splice(at, 1);
      this.#classesOn[node]?.splice(at, 1);
      if (this.#volumes !== undefined) this.#countClaims(pod, -1);
      this.#gpuOn[node]?.splice(at, 1);
    }
    // Upstream's NodeInfo.RemovePod releases each of the pod's ports, even one another pod on
    // the node also declared (bound pods bypass NodePorts): HostPortInfo is a set.
    const used = this.#host.used.get(node);
    for (const hp of cls.hostPorts) used?.remove(hp.hostIP, hp.protocol, hp.hostPort);
    return mask;
  }

  // -------------------------------------------------------------------------------------------

  #bindExisting(pod: Pod): void {
    const node = this.table.indexOf(pod.spec.nodeName);
    if (node >= 0) this.bind(pod, node);
  }

  /**
   * Accounts `pod` as bound on node `node` without scheduling it (the counterpart of `unbind`):
   * for pods bound elsewhere, or re-bound into a rebuilt scheduler. `classId` as in `schedule`.
   */
  bind(pod: Pod, node: number, classId?: number, gpuMask?: number): void {
    const cls = this.classes.get(classId ?? this.classes.classOf(pod));
    this.#activate(cls);
    this.#core.setBindMask(gpuMask ?? -1);
    this.#core.assume(node);
    this.#core.setBindMask(-2);
    this.#placed(cls, node, pod);
  }

  /**
   * The host-evaluated plugin that rejected node `i` in the last cycle or evaluation
   * (CoreCode.HostFilter), with its status and reasons.
   */
  hostRejection(i: number): HostRejection | undefined {
    return this.#hostOn === 0 ? undefined : this.#hostRejections[i];
  }

  /** The GPU devices (bit mask) the last scheduled or bound pod took; 0 without GPUs. */
  get lastGpuMask(): number {
    return this.#core.lastGpuMask.value as number;
  }

  /** Node `i`'s GPU devices: used milli per device (empty for a node without GPUs). */
  gpuDevices(i: number): number[] {
    return this.#strategies.deviceUse(i, this.#strategies.devices(i));
  }

  /**
   * Upstream's RunFilterPluginsWithNominatedPods for the nodes holding nominations: each such
   * node is filtered for `pod` with the nominated pods of at least its priority assumed there;
   * a node that fails is blocked for this cycle (u8 mask in the `blocked` column, or 0 when none).
   */
  #blockedByNominated(cls: PodClass, pod: Pod, nominated: readonly NominatedPod[]): number {
    const priority = pod.spec.priority ?? 0;
    const byNode = new Map<number, Pod[]>();
    for (const n of nominated) {
      if ((n.pod.spec.priority ?? 0) < priority || n.pod.metadata.uid === pod.metadata.uid)
        continue;
      if (n.node < 0) continue;
      const list = byNode.get(n.node) ?? [];
      list.push(n.pod);
      byNode.set(n.node, list);
    }
    if (byNode.size === 0) return 0;
    const n = this.table.count;
    const mask = new Uint8Array(this.#arena.buffer, this.#cols.blocked as number, n).fill(0);
    for (const [node, pods] of byNode) {
      const ports = this.#host.used.get(node)?.clone();
      for (const p of pods) this.bind(p, node, this.#nominatedClassOf(p));
      if (!this.#passesOn(cls, node, pod)) mask[node] = 1;
      for (const p of pods) this.unbind(p, node);
      if (ports !== undefined) this.#host.used.set(node, ports);
    }
    return this.#cols.blocked as number;
  }

  /**
   * The class of a nominated pod, remembered per Pod object: nominated pods are added to their
   * nodes for every cycle of a pod of lower priority, and the model's objects are immutable.
   */
  #nominatedClassOf(pod: Pod): number {
    let id = this.#nominatedClasses.get(pod);
    if (id === undefined) {
      id = this.classes.classOf(pod);
      this.#nominatedClasses.set(pod, id);
    }
    return id;
  }

  /**
   * Whether a pod of `cls` passes Filter on `node` alone in the current state, nominated pods
   * left out (the start index unchanged; overwrites the `list` scratch).
   */
  #passesOn(cls: PodClass, node: number, pod: Pod): boolean {
    const core = this.#core;
    const host = this.#hostFilters.filter((f) => f.applies(pod));
    if (host.length > 0) {
      this.#beginHost(host, pod);
      const n = this.table.nodes[node] as Node;
      if (hostVerdictOn(host, pod, n, this.#podsOn[node] ?? []) !== undefined) return false;
    }
    this.#activate(cls);
    core.setPodBlocked(0);
    core.setPodHostFilter(0);
    new Int32Array(this.#arena.buffer, this.#cols.list as number, 1)[0] = node;
    const saved = core.nextStart.value as number;
    const found = core.filterNodes(1, this.#cols.list as number, 1, 0);
    core.setNextStart(saved);
    return found === 1;
  }

  /**
   * Prepares the host-evaluated Filter plugins for `pod`: those that apply, evaluated lazily for
   * each node the filter loop visits (#hostVerdict). Returns 1 when any applies, else 0.
   */
  #hostPass(pod: Pod): number {
    if (this.#hostFilters.length === 0) return 0;
    this.#hostActive = this.#hostFilters.filter((f) => f.applies(pod));
    this.#begun = undefined;
    this.#beginHost(this.#hostActive, pod);
    this.#hostPod = pod;
    this.#hostRejections.length = 0;
    return this.#hostActive.length > 0 ? 1 : 0;
  }

  /**
   * The host filters' PreFilter for `pod` (`begin`), skipped when it already ran for this pod on
   * the same claims in use and storage state (preemption's dry run asks node after node).
   */
  #beginHost(filters: readonly HostFilter[], pod: Pod): void {
    const b = this.#begun;
    const state = this.#volumes?.version ?? 0;
    if (b !== undefined && b.pod === pod && b.claims === this.#claimsVersion && b.state === state) {
      return;
    }
    for (const f of filters) f.begin?.(pod);
    this.#begun = { pod, claims: this.#claimsVersion, state };
  }

  /** Counts `pod`'s claims in or out of #claimsInUse. */
  #countClaims(pod: Pod, delta: 1 | -1): void {
    if (pod.spec.volumes.length === 0) return;
    this.#claimsVersion++;
    for (const k of claimKeysOf(pod)) {
      const n = (this.#claimsInUse.get(k) ?? 0) + delta;
      if (n > 0) this.#claimsInUse.set(k, n);
      else this.#claimsInUse.delete(k);
    }
  }

  /** The core's callback: the current pod's host verdict on node `i` (a code, 0 = pass). */
  #hostVerdict(i: number): number {
    const pod = this.#hostPod;
    if (pod === undefined || this.#hostActive.length === 0) return 0;
    const r = hostVerdictOn(
      this.#hostActive,
      pod,
      this.table.nodes[i] as Node,
      this.#podsOn[i] ?? [],
    );
    this.#hostRejections[i] = r;
    return r === undefined ? 0 : HOST_FILTER_CODE;
  }

  /** The host-side bookkeeping of `pod` (of class `cls`) assumed on `node`. */
  #placed(cls: PodClass, node: number, pod: Pod): void {
    this.#recordPorts(cls, node);
    const prio = pod.spec.priority ?? 0;
    this.#priorities.set(prio, (this.#priorities.get(prio) ?? 0) + 1);
    let on = this.#podsOn[node];
    if (on === undefined) {
      on = [];
      this.#podsOn[node] = on;
      this.#classesOn[node] = [];
    }
    on.push(pod);
    this.#classesOn[node]?.push(cls.id);
    if (this.#volumes !== undefined) this.#countClaims(pod, 1);
    let gpus = this.#gpuOn[node];
    if (gpus === undefined) {
      gpus = [];
      this.#gpuOn[node] = gpus;
    }
    gpus.push(this.#core.lastGpuMask.value as number);
  }

  /**
   * Every node's Filter verdict for `cls` (explain-mode codes, the start index untouched), for
   * PostFilter after a cycle found no node.
   */
  #statusCodes(cls: PodClass, nodeName: string): Uint8Array {
    const n = this.table.count;
    const codes = new Uint8Array(n);
    const pre = this.#preFilter(cls);
    if (pre === "unresolvable") return codes.fill(CoreCode.PreFilterResult);
    const slot = this.#activate(cls);
    this.#core.setPodBlocked(this.#blocked);
    this.#core.setPodHostFilter(this.#hostOn);
    if (slot.ipaInfo.error === "preFilter") return codes.fill(CoreCode.InterPodAffinityPreFilter);
    this.#filterAll(pre, codes, nodeName);
    return codes;
  }

  /**
   * Filter on every node of the PreFilterResult subset `pre` (all nodes when undefined) for the
   * current class, no sampling, the start index unchanged: each node's first failing plugin into
   * `codes` (nodes outside `pre`: PreFilterResult). Returns the feasible count (feasible scratch).
   */
  #filterAll(pre: Int32Array | undefined, codes: Uint8Array, nodeName: string): number {
    const core = this.#core;
    const scratch = new Uint8Array(this.#arena.buffer, this.#cols.codes as number, codes.length);
    scratch.fill(CoreCode.PreFilterResult);
    const saved = core.nextStart.value as number;
    core.setNextStart(0);
    const found = core.filterNodes(
      codes.length,
      pre === undefined ? 0 : (this.#cols.list as number),
      pre === undefined ? 0 : pre.length,
      this.#cols.codes as number,
    );
    core.setNextStart(saved);
    codes.set(scratch);
    this.#attributeFirstFailure(codes, nodeName);
    return found;
  }

  /** A node's Filter status from its code (the current class bound, for NodeResourcesFit). */
  #statusOf(code: number, node: number): NodeStatus {
    switch (code) {
      case CoreCode.Pass:
        return "Success";
      case CoreCode.NodePorts:
      case CoreCode.NominatedPods:
      case CoreCode.PodTopologySpread:
      case CoreCode.InterPodAffinityAnti:
      case CoreCode.InterPodAffinityExisting:
      case CoreCode.GpuInsufficient:
        return "Unschedulable";
      case CoreCode.HostFilter:
        return this.#hostRejections[node]?.status ?? "UnschedulableAndUnresolvable";
      case CoreCode.NodeResourcesFit:
        return this.#core.fitUnresolvable(node) !== 0
          ? "UnschedulableAndUnresolvable"
          : "Unschedulable";
      default:
        return "UnschedulableAndUnresolvable";
    }
  }

  /**
   * DefaultPreemption over the failed cycle's `codes` ({} when the profile does not run it).
   * Runs the dry run on the live state (src/core/preemption.ts), restoring it node by node.
   */
  #postFilter(cls: PodClass, pod: Pod, codes: Uint8Array): { preemption?: CorePreemption } {
    const args = this.#preemption;
    if (args === undefined) return {};
    this.#activate(cls);
    const statuses = Array.from(codes, (c, i) => this.#statusOf(c, i));
    const preemption = preempt(pod, statuses, this.#dryRunOps(cls, pod), args);
    this.#activate(cls);
    return { preemption };
  }

  /**
   * DryRunPreemption alone, for tests and diagnostics: the candidates for `pod` among the nodes
   * named `nodes` (visited from `offset`, as upstream's dry run with that offset), each with its
   * victims (`ns/name`, most important first) and PDB violations. Nothing changes.
   */
  dryRunPreemption(
    pod: Pod,
    nodes: readonly string[],
    offset: number,
    numCandidates: number,
  ): { name: string; victims: string[]; numPDBViolations: number }[] {
    const cls = this.classes.get(this.classes.classOf(pod));
    this.#setNodeName(pod.spec.nodeName);
    this.#preFilter(cls);
    this.#activate(cls);
    const ops = this.#dryRunOps(cls, pod);
    const potential = nodes.map((name) => this.table.indexOf(name));
    const candidates = dryRunPreemption(pod, potential, ops, ops.pdbs(), offset, numCandidates);
    return candidates.map((c) => ({
      name: c.name,
      victims: c.victims.map((v) => `${v.metadata.namespace}/${v.metadata.name}`),
      numPDBViolations: c.numPDBViolations,
    }));
  }

  /** The dry run's view of the core for preemptor class `cls` (src/core/preemption.ts). */
  #dryRunOps(cls: PodClass, pod: Pod): DryRunOps {
    const core = this.#core;
    const adjust = (victim: Pod, node: number, delta: number) => {
      for (const col of this.#spread?.dryRunColumns(cls, victim) ?? []) {
        core.adjustCounter(col, node, delta);
      }
    };
    // The class of every pod the dry run has seen (victims are taken off and put back).
    const known = new Map<Pod, number>();
    // The GPU devices each victim held, restored when it is put back.
    const masks = new Map<Pod, number>();
    // Each touched node's host ports before the dry run took its first victim off: upstream's
    // dry run works on a copy of the NodeInfo, and HostPortInfo is a set — taking off one of two
    // pods sharing a port and putting it back would otherwise leave a port the real node freed
    // recorded again.
    const ports = new Map<number, HostPortInfo | undefined>();
    const ops: DryRunOps = {
      nodeCount: this.table.count,
      nodeName: (i) => this.table.nodes[i]?.metadata.name ?? "",
      podsOn: (i) => {
        const pods = this.#podsOn[i] ?? [];
        const ids = this.#classesOn[i] ?? [];
        pods.forEach((p, k) => {
          known.set(p, ids[k] as number);
        });
        return [...pods];
      },
      remove: (victim, node) => {
        if (!ports.has(node)) ports.set(node, this.#host.used.get(node)?.clone());
        masks.set(victim, this.unbind(victim, node, known.get(victim)));
        adjust(victim, node, -1);
      },
      add: (victim, node) => {
        const vc = this.classes.get(known.get(victim) ?? this.classes.classOf(victim));
        this.#activate(vc);
        core.setBindMask(masks.get(victim) ?? -1);
        core.assume(node);
        core.setBindMask(-2);
        this.#placed(vc, node, victim);
        adjust(victim, node, 1);
      },
      restoreOrder: (i, pods) => {
        const byPod = new Map<Pod, number>();
        (this.#podsOn[i] ?? []).forEach((p, k) => {
          byPod.set(p, this.#gpuOn[i]?.[k] ?? 0);
        });
        this.#podsOn[i] = [...pods];
        this.#classesOn[i] = pods.map((p) => known.get(p) as number);
        this.#gpuOn[i] = pods.map((p) => byPod.get(p) ?? masks.get(p) ?? 0);
        if (ports.has(i)) {
          const saved = ports.get(i);
          if (saved === undefined) this.#host.used.delete(i);
          else this.#host.used.set(i, saved);
          ports.delete(i);
        }
      },
      // The dry run does not re-add nominated pods (see NominatedPod).
      filterOn: (node) => (this.#passesOn(cls, node, pod) ? "Success" : "Unschedulable"),
      pdbs: () =>
        readPodDisruptionBudgets(this.#objects.objectsOf("PodDisruptionBudget"), () =>
          this.#podsOn.flatMap((pods) => pods ?? []),
        ),
      nextBounded: (bound) => core.nextBounded(bound),
      anyBelow: (priority) => {
        for (const p of this.#priorities.keys()) if (p < priority) return true;
        return false;
      },
    };
    return ops;
  }

  #recordPorts(cls: PodClass, node: number): void {
    if (cls.hostPorts.length === 0) return;
    let used = this.#host.used.get(node);
    if (used === undefined) {
      used = new HostPortInfo();
      this.#host.used.set(node, used);
    }
    for (const hp of cls.hostPorts) used.add(hp.hostIP, hp.protocol, hp.hostPort);
  }

  /**
   * NodeAffinity's PreFilterResult (semantics §4.8): a node subset (copied into the `list`
   * scratch for the core), none, or a conflict. Cached per class: it depends on the class's
   * matchFields and the node names only.
   */
  #preFilter(cls: PodClass): Int32Array | undefined | "unresolvable" {
    let pre = this.#preFilterOfClass.get(cls.id);
    if (pre === undefined) {
      pre = this.#computePreFilter(cls) ?? null;
      this.#preFilterOfClass.set(cls.id, pre);
    }
    if (pre === null) return undefined;
    if (pre === "unresolvable") return pre;
    new Int32Array(this.#arena.buffer, this.#cols.list as number, pre.length).set(pre);
    return pre;
  }

  /** The PreFilterResult of a class as node indices (computed once per class, see #preFilter). */
  #computePreFilter(cls: PodClass): Int32Array | undefined | "unresolvable" {
    if (!this.#affinityPreFilter) return undefined;
    const req =
      cls.exemplar.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (req === undefined) return undefined;
    let union: Set<string> | undefined = new Set();
    for (const term of req.nodeSelectorTerms) {
      const names = termNodeNames(term);
      if (names === undefined) {
        union = undefined;
        break;
      }
      for (const nm of names) union.add(nm);
    }
    if (union === undefined) return undefined;
    if (union.size === 0) return "unresolvable";
    const list: number[] = [];
    for (let i = 0; i < this.table.count; i++) {
      if (union.has(this.table.nodes[i]?.metadata.name ?? "")) list.push(i);
    }
    return Int32Array.from(list);
  }

  /**
   * NodeAffinity's PreScore fails the cycle with an Error when one of the pod's preferred terms
   * (weight ≠ 0, non-empty) does not parse (semantics §4.8). Cached per class.
   */
  #preScoreError(cls: PodClass): boolean {
    const slot = this.#slotOfClass.get(cls.id);
    if (slot?.spreadInfo.error === "preScore" || slot?.ipaInfo.error === "preScore") return true;
    let e = this.#classError.get(cls.id);
    if (e === undefined) {
      const na = cls.exemplar.spec.affinity?.nodeAffinity;
      e =
        this.#weights.NodeAffinity !== undefined &&
        (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some(
          (p) =>
            p.weight !== 0 &&
            (p.preference.matchExpressions.length > 0 || p.preference.matchFields.length > 0) &&
            !termParses(p.preference),
        );
      this.#classError.set(cls.id, e);
    }
    return e;
  }

  #skips(cls: PodClass): Skips {
    const na = cls.exemplar.spec.affinity?.nodeAffinity;
    const podPreferred = (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
    const addedPreferred =
      (this.#addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
    const affinity = !podPreferred && !addedPreferred;
    const balanced =
      this.#balResources.length === 0 ||
      this.#balResources.every((r) => requestOf(cls, r.name, false) === 0);
    const slot = this.#slotOfClass.get(cls.id);
    const info = slot?.spreadInfo ?? NO_SPREAD;
    const spread = info.n === info.hard;
    const ipa = slot?.ipaInfo ?? NO_INTERPOD;
    const host = this.#interPod;
    const interPodAffinity =
      host === undefined ||
      slot === undefined ||
      ipa.score === 0 ||
      host.preScoreSkips(ipa, slot.ipa);
    const interPodAffinityPreFilter =
      host === undefined || slot === undefined || host.preFilterSkips(ipa, slot.ipa);
    return { affinity, balanced, spread, interPodAffinity, interPodAffinityPreFilter };
  }

  /** Makes `cls` the core's current pod: its static slot computed and its requests bound. */
  #activate(cls: PodClass): Slot {
    const slot = this.#slotFor(cls);
    const ports = this.#portsMask(cls);
    const ipa = this.#interPod;
    if (
      this.#currentClass === cls.id &&
      ports === this.#currentPorts &&
      (this.#spread === undefined || !this.#spread.stale(cls)) &&
      (ipa === undefined || (!ipa.stale(cls) && slot.ipaInfo.epoch === ipa.termEpoch))
    ) {
      return slot;
    }
    // New existing-pod terms since the class's blocks were written: rewrite them.
    if (ipa !== undefined && slot.ipaInfo.epoch !== ipa.termEpoch) {
      slot.ipaInfo = ipa.encodeClass(cls, slot.ipa);
      // The tree's leaves hold the old blocks' verdicts: rebuild it.
      new DataView(this.#arena.buffer, slot.tree, 8).setBigInt64(0, -1n, true);
    }
    const buf = this.#arena.buffer;
    const cols = this.#cols;
    const scalarKind = new Int32Array(buf, cols["pod.scalarKind"] as number, POD_SCALARS);
    const scalarAmt = new Float64Array(buf, cols["pod.scalarAmt"] as number, POD_SCALARS);
    const filterKind = new Int32Array(buf, cols["pod.filterKind"] as number, POD_SCALARS);
    const filterAmt = new Float64Array(buf, cols["pod.filterAmt"] as number, POD_SCALARS);
    let nScalar = 0;
    let nFilter = 0;
    for (const [name, amount] of cls.requests.scalar) {
      if (amount === 0) continue;
      if (nScalar === POD_SCALARS) throw new Error("WasmScheduler: too many scalar requests");
      const kind = this.table.scalarIndex(name);
      scalarKind[nScalar] = kind;
      scalarAmt[nScalar] = amount;
      nScalar++;
      // ignoredResources / ignoredResourceGroups exempt extended resources from the filter only.
      if (isExtendedResourceName(name) && this.#ignored(name)) continue;
      filterKind[nFilter] = kind;
      filterAmt[nFilter] = amount;
      nFilter++;
    }
    const fitReq = new Float64Array(buf, cols["pod.fitReq"] as number, 64);
    this.#fitArgs.scoringStrategy.resources.forEach((r, j) => {
      fitReq[j] = requestOf(cls, r.name, true);
    });
    const balReq = new Float64Array(buf, cols["pod.balReq"] as number, 64);
    this.#balResources.forEach((r, j) => {
      balReq[j] = requestOf(cls, r.name, false);
    });
    const skips = this.#skips(cls);
    this.#core.setPod(
      cls.requests.milliCPU,
      cls.requests.memory,
      cls.requests.ephemeralStorage,
      cls.nonZero.milliCPU,
      cls.nonZero.memory,
      nScalar,
      cols["pod.scalarKind"] as number,
      cols["pod.scalarAmt"] as number,
      cols["pod.fitReq"] as number,
      cols["pod.balReq"] as number,
      slot.code,
      slot.taintRaw,
      slot.affRaw,
      slot.image,
      ports,
      (skips.affinity ? 1 : 0) | (skips.balanced ? 2 : 0),
      slot.cacheVal,
      slot.cacheVer,
      nFilter,
      cols["pod.filterKind"] as number,
      cols["pod.filterAmt"] as number,
      slot.taintMax,
      slot.affMax,
      this.#incremental ? slot.tree : 0,
    );
    this.#strategies.activate(cls);
    this.#core.setExtraCache(slot.extraVal, slot.extraVer);
    const info = slot.spreadInfo;
    this.#core.setSpread(
      info.n,
      info.hard,
      slot.spread.blocks,
      info.requireAll ? 1 : 0,
      cols["spread.ln"] as number,
      cols["spread.ignored"] as number,
      cols["spread.weights"] as number,
      slot.spread.seq,
    );
    const counters = this.#spread?.countersOf(cls, cols["pod.counters"] as number) ?? 0;
    this.#core.setCounters(cols["pod.counters"] as number, counters);
    const ii = slot.ipaInfo;
    this.#core.setInterPod(
      slot.ipa,
      ii.aff,
      ii.anti,
      ii.exist,
      ii.score,
      ii.selfMatch ? 1 : 0,
      ii.local ? 1 : 0,
    );
    const records = ipa?.recordsOf(cls, cols["pod.domainCounters"] as number) ?? 0;
    this.#core.setDomainCounters(cols["pod.domainCounters"] as number, records);
    this.#currentClass = cls.id;
    this.#currentPorts = ports;
    return slot;
  }

  #ignored(name: string): boolean {
    const a = this.#fitArgs;
    if (a.ignoredResources.includes(name)) return true;
    const group = name.slice(0, name.indexOf("/"));
    return a.ignoredResourceGroups.includes(group);
  }

  /** The class's static slot, computing it (LRU eviction) when not cached. */
  #slotFor(cls: PodClass): Slot {
    this.#tick++;
    const cached = this.#slotOfClass.get(cls.id);
    if (cached !== undefined) {
      cached.lastUse = this.#tick;
      return cached;
    }
    let victim = this.#slots[0] as Slot;
    for (const s of this.#slots) if (s.lastUse < victim.lastUse) victim = s;
    if (victim.classId >= 0) this.#slotOfClass.delete(victim.classId);
    if (this.#currentClass === victim.classId) this.#currentClass = -1;
    victim.classId = cls.id;
    victim.lastUse = this.#tick;
    new Int32Array(this.#arena.buffer, victim.cacheVer, this.table.count).fill(-1);
    if (victim.extraVer !== 0) {
      new Int32Array(this.#arena.buffer, victim.extraVer, this.table.count).fill(-1);
    }
    new DataView(this.#arena.buffer, victim.tree, 8).setBigInt64(0, -1n, true);
    this.#slotOfClass.set(cls.id, victim);
    const desc = encodeClassDescriptor(this.#desc, cls, this.interner, this.#addedAffinity);
    this.#core.computeStatic(
      desc,
      this.#staticOrder,
      this.interner.id("node.kubernetes.io/unschedulable"),
      this.interner.id(""),
      victim.code,
      victim.taint,
      victim.taintRaw,
      victim.affRaw,
      victim.image,
    );
    const n = this.table.count;
    victim.taintMax = Math.max(0, ...maxOf(new Int32Array(this.#arena.buffer, victim.taintRaw, n)));
    victim.affMax = Math.max(0, ...maxOf(new Int32Array(this.#arena.buffer, victim.affRaw, n)));
    victim.spreadInfo =
      this.#spread === undefined ? NO_SPREAD : this.#spread.encodeClass(cls, victim.spread);
    victim.ipaInfo =
      this.#interPod === undefined ? NO_INTERPOD : this.#interPod.encodeClass(cls, victim.ipa);
    new DataView(this.#arena.buffer, victim.spread.seq, 8).setBigInt64(0, -1n, true);
    return victim;
  }

  /** NodePorts (semantics §3.3): the conflict mask for the class's wanted ports, or 0. */
  #portsMask(cls: PodClass): number {
    if (!this.#nodePortsOn || cls.hostPorts.length === 0) return 0;
    const mask = new Uint8Array(this.#arena.buffer, this.#cols.ports as number, this.table.count);
    mask.fill(0);
    for (const [node, used] of this.#host.used) {
      for (const want of cls.hostPorts) {
        if (used.checkConflict(want.hostIP, want.protocol, want.hostPort)) mask[node] = 1;
      }
    }
    return this.#cols.ports as number;
  }

  /**
   * In evaluate mode, a node failing a static filter may also fail a dynamic filter that comes
   * earlier in the profile's Filter order; the first failing plugin is the one reported.
   */
  #attributeFirstFailure(codes: Uint8Array, podNodeName: string): void {
    const r = this.#reattribution;
    if (!r.dynamicFirst && !(r.nodeNameFirst && podNodeName !== "")) return;
    const order = this.profile.plugins.filter.map((p) => p.name);
    const pos = (name: string) => order.indexOf(name);
    // The class-static verdicts (codes 1–5); the per-pod ones are checked below.
    const staticName = (c: number) =>
      c >= CoreCode.NodeUnschedulable && c <= CoreCode.NodeAffinity
        ? CORE_CODE_PLUGIN[c]
        : undefined;
    const portsAt = pos("NodePorts");
    const fitAt = pos("NodeResourcesFit");
    const portMask =
      this.#currentPorts === 0
        ? undefined
        : new Uint8Array(this.#arena.buffer, this.#currentPorts, this.table.count);
    const nodeNameAt = pos("NodeName");
    for (let i = 0; i < codes.length; i++) {
      let c = codes[i] as number;
      // NodeName is checked per pod after the class's static filters: when both reject the
      // node, NodeName is the one reported if it comes earlier in the profile.
      const staticFail = staticName(c);
      if (
        staticFail !== undefined &&
        c !== 2 &&
        nodeNameAt >= 0 &&
        nodeNameAt < pos(staticFail) &&
        podNodeName !== "" &&
        this.table.nodes[i]?.metadata.name !== podNodeName
      ) {
        codes[i] = 2;
        c = 2;
      }
      const name = staticName(c);
      if (name === undefined) continue;
      const at = pos(name);
      const dyn: [number, number][] = [];
      if (portsAt >= 0 && portsAt < at && portMask?.[i] === 1)
        dyn.push([portsAt, CoreCode.NodePorts]);
      if (fitAt >= 0 && fitAt < at && !this.#fitsNode(i))
        dyn.push([fitAt, CoreCode.NodeResourcesFit]);
      dyn.sort((a, b) => a[0] - b[0]);
      if (dyn.length > 0) codes[i] = (dyn[0] as [number, number])[1];
    }
  }

  /** Binds the current pod's spec.nodeName for the NodeName filter. */
  #setNodeName(nodeName: string): void {
    const id = nodeName === "" ? -1 : this.interner.id(nodeName);
    this.#core.setPodNodeName(id, this.#nodeNameOn ? 1 : 0);
  }

  #fitsNode(i: number): boolean {
    return this.#core.fits(i) !== 0;
  }
}

/**
 * Whether f64 division truncates exactly like int64 division for every node's resource scores:
 * for integers x = (a − r) × 100 and a, trunc(x / a) in f64 is exact while a × 100 × 2^−53 < 1/a,
 * which holds for a < 2^45 (cpu millicores are far below that).
 */
function exactF64(table: NodeTable): boolean {
  const limit = 2 ** 45;
  for (let i = 0; i < table.count; i++) {
    if ((table.allocMemory[i] as number) >= limit) return false;
    if ((table.allocEphemeralStorage[i] as number) >= limit) return false;
  }
  return true;
}

/** The maximum of a column as a one-element list (empty for an empty column). */
function maxOf(a: Int32Array): number[] {
  if (a.length === 0) return [];
  let m = a[0] as number;
  for (let i = 1; i < a.length; i++) if ((a[i] as number) > m) m = a[i] as number;
  return [m];
}

/** The pod class's request of `name` for scoring: non-zero cpu/memory when `nonZero`. */
function requestOf(cls: PodClass, name: string, nonZero: boolean): number {
  if (name === "cpu") return nonZero ? cls.scoringNonZero.milliCPU : cls.requests.milliCPU;
  if (name === "memory") return nonZero ? cls.scoringNonZero.memory : cls.requests.memory;
  if (name === "ephemeral-storage") return cls.requests.ephemeralStorage;
  return cls.requests.scalar.get(name) ?? 0;
}

/** Node names a term restricts to via matchFields metadata.name In, or undefined for none. */
function termNodeNames(term: NodeSelectorTerm): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const f of term.matchFields) {
    if (f.key !== "metadata.name" || f.operator !== "In") continue;
    const vals = new Set(f.values);
    names = names === undefined ? vals : new Set([...names].filter((v) => vals.has(v)));
  }
  return names;
}

/** Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits, in int64 range. */
