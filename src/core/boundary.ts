/**
 * The JS↔WASM boundary: the only module that talks to `build/gantry.wasm`.
 *
 * ## Memory layout (one linear memory, exported by the module; JavaScript owns the layout)
 *
 * ```
 * [0, 64 KiB)             AssemblyScript's static data (the core allocates nothing at run time)
 * [64 KiB, T)             the node table (src/encode/node-table.ts documents every column)
 * [T, E)                  core columns (below), 16-byte aligned
 * ```
 *
 * The memory is grown exactly once, to E, before any typed-array view exists: a non-shared
 * `memory.grow` detaches every view (toolchain.md §4). T is found by a dry-run layout of the
 * node table over a plain ArrayBuffer.
 *
 * Core columns (N = node table capacity, L = label entries, S = scalar resources, K = class slots):
 *
 * | column          | type     | length   | content                                                   |
 * |-----------------|----------|----------|-----------------------------------------------------------|
 * | `nodeNameIds`   | i32      | N        | interned node name (NodeName filter, matchFields)         |
 * | `labelNumOk`    | u8       | L        | 1 when the label value parses as a base-10 int64 (Gt/Lt)  |
 * | `labelNumWords` | u32      | 2L       | that value as (lo, hi) words                              |
 * | `scalarCols`    | u32      | 2S       | (alloc offset, requested offset) of each scalar column    |
 * | `feasible`      | i32      | N        | scratch: feasible node indices of the current cycle       |
 * | `totals`        | f64/i64  | N        | scratch: total score per feasible position (i64)          |
 * | `detail`        | f64/i64  | 11N      | scratch: per-plugin scores per feasible position (i64)    |
 * | `codes`         | u8       | N        | scratch: filter verdict per node (evaluate mode)          |
 * | `ports`         | u8       | N        | scratch: 1 where the pod's host ports conflict            |
 * | `blocked`       | u8       | N        | scratch: 1 where nominated pods leave the pod no room     |
 * | `list`          | i32      | N        | scratch: PreFilterResult node subset                      |
 * | `nodeVersion`   | i32      | N        | bumped whenever a node's requested columns change          |
 * | `changeLog`     | i32      | 8192     | ring of changed nodes, replayed by the class trees         |
 * | `domains`       | i32      | 16N      | per topology key, each node's value index (src/core/domains.ts) |
 * | `spread.*`      | …        | …        | PodTopologySpread: counter columns, per-cycle sums, weights, ln table (src/core/spread.ts) |
 * | `ipa.*`         | …        | …        | InterPodAffinity: domain counters (64 × (N + 1) i32), score scratch (src/core/interpod.ts) |
 * | `slot<k>.*`     | …        | N each   | per class slot: extraVal f64 / extraVer i32 (the first gantry score plugin's cache, src/core/strategies.ts), code u8, taint i32, taintRaw i32, affRaw i32, image i32, cacheVal i32, cacheVer i32 (score cache), tree (selection tree; both in assembly/schedule.ts), spread areas, ipa term blocks |
 * | `desc`          | u8       | 256 KiB  | scratch: a pod class descriptor (assembly/static.ts)      |
 * | `gpu.*`         | u8/i32/u16 | N, 16N, 17N | GPU devices per node: count u8, model id i32, used milli u16 × 16, tag counts u16 × 17 (src/core/strategies.ts) |
 * | `extra.*`       | f64/i32  | N        | scratch: raw (i64) and normalized (i32) scores of gantry's score plugins |
 * | `fgd.*`         | f64      | 5·256, 99 | FGD's typical pods (cpu, gpu milli, num gpu, model mask, p) and ⌊100σ⌋ thresholds |
 * | `pod.*`         | i32/f64  | small    | current pod's scalar kinds/amounts (accounted, and filtered: without ignoredResources), fit and balanced requests, spread counter columns and InterPodAffinity domain-counter records it counts in |
 * | `profile.*`     | i32      | small    | fit kinds/weights, RTC shape, balanced kinds              |
 *
 * Hot exports take numbers only (offsets, counts, requests); no strings cross the boundary.
 *
 * One import: `env.hostFilter(node) → code`, the host-evaluated Filter plugins' verdict for the
 * current pod on one node (src/core/host-filters.ts), called by the filter loop only for pods
 * those plugins apply to (`setPodHostFilter(1)`).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

/** The ABI version this host speaks; must equal the module's `ABI_VERSION`. */
export const ABI_VERSION = 1;

/** Bytes reserved at the bottom of memory for AssemblyScript's static data. */
export const STATIC_RESERVE = 65536;

/** The module's exports, typed. */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  readonly ABI_VERSION: WebAssembly.Global;
  bindResources(
    n: number,
    aCpu: number,
    aMem: number,
    aEph: number,
    aPods: number,
    rCpu: number,
    rMem: number,
    rEph: number,
    pods: number,
    zCpu: number,
    zMem: number,
    flags: number,
    names: number,
    kinds: number,
    cols: number,
  ): void;
  bindStatic(
    lOff: number,
    lKey: number,
    lVal: number,
    tOff: number,
    tKey: number,
    tVal: number,
    tEff: number,
    iOff: number,
    iId: number,
    iSize: number,
    iNodes: number,
    nOk: number,
    nWords: number,
  ): void;
  computeStatic(
    desc: number,
    order: number,
    unschedKey: number,
    emptyVal: number,
    outCode: number,
    outTaint: number,
    outTaintRaw: number,
    outAffRaw: number,
    outImage: number,
  ): number;
  setProfile(
    wTaint: number,
    wAffinity: number,
    wFit: number,
    wBalanced: number,
    wImage: number,
    filterBits: number,
    strategy: number,
    nFit: number,
    fitKind: number,
    fitWeight: number,
    nShape: number,
    shape: number,
    nBal: number,
    balKind: number,
    balVersion: number,
    feasible: number,
    /** 1 when every node's memory and ephemeral storage is below 2^45 bytes (f64 division exact). */
    exactF64: number,
    weightSpread: number,
  ): void;
  /** PodTopologySpread's constraints for the current class (assembly/plugins/podtopologyspread.ts). */
  setSpread(
    n: number,
    hard: number,
    blocks: number,
    requireAll: number,
    lnTable: number,
    ignored: number,
    weights: number,
    /** The class's i64 change-log position for its incremental DoNotSchedule sums. */
    seq: number,
  ): void;
  /** The counter columns the current class's pods count in (u32 offsets at `list`). */
  setCounters(list: number, n: number): void;
  bindSpreadScratch(raw: number, norm: number): void;
  /** InterPodAffinity's Score weight and its raw (i64) / normalized (i32) score scratch. */
  setInterPodProfile(weight: number, raw: number, norm: number): void;
  /** InterPodAffinity's term blocks for the current class (assembly/plugins/interpodaffinity.ts). */
  setInterPod(
    blocks: number,
    aff: number,
    anti: number,
    exist: number,
    score: number,
    self: number,
    local: number,
  ): void;
  /** The domain-counter records (3 u32 each at `list`) the current class's pods count in. */
  setDomainCounters(list: number, n: number): void;
  /** Nodes the current pod may not take this cycle (u8 per node), 0 for none; reset by setPod. */
  setPodBlocked(ptr: number): void;
  /** 1: the filter loop asks `env.hostFilter(node)` for the current pod; reset by setPod. */
  setPodHostFilter(on: number): void;
  /** The current pod's interned spec.nodeName (-1 when unset) and whether NodeName runs. */
  setPodNodeName(id: number, enabled: number): void;
  setPod(
    cpu: number,
    mem: number,
    eph: number,
    nzCpu: number,
    nzMem: number,
    nScalar: number,
    scalarKind: number,
    scalarAmt: number,
    fitReq: number,
    balReq: number,
    code: number,
    taintRaw: number,
    affRaw: number,
    image: number,
    ports: number,
    skip: number,
    cacheVal: number,
    cacheVer: number,
    nFilter: number,
    filterKind: number,
    filterAmt: number,
    /** The class's maximum TaintToleration / NodeAffinity raw score over all nodes. */
    taintMax: number,
    affMax: number,
    /** The class's selection tree block, 0 for none. */
    tree: number,
  ): void;
  bindChangeLog(ptr: number, size: number): void;
  bindVersions(ptr: number): void;
  filterNodes(numToFind: number, list: number, listLen: number, codes: number): number;
  /** A failed cycle's verdicts as a bit mask (1 << code), every node of the list visited. */
  failureMask(list: number, listLen: number): number;
  scoreAndSelect(found: number, totals: number, detail: number): number;
  scheduleOne(numToFind: number, list: number, listLen: number, totals: number): number;
  fits(node: number): number;
  /** 1 when a failing resource's request exceeds the node's allocatable on its own. */
  fitUnresolvable(node: number): number;
  adjustCounter(column: number, node: number, delta: number): void;
  assume(node: number): void;
  forget(node: number): void;
  setNextStart(v: number): void;
  /** gantry's strategies (assembly/plugins/strategies.ts, src/core/strategies.ts). */
  bindStrategies(
    count: number,
    model: number,
    used: number,
    tags: number,
    raw: number,
    norm: number,
    cuts: number,
  ): void;
  setStrategyProfile(gpuFilter: number, gpuSelect: number, selection: number): void;
  addExtraScore(kind: number, weight: number): void;
  setTypical(ptr: number, n: number): void;
  setGpuPod(numGpu: number, milli: number, models: number): void;
  /** The class's cache of the first extra score (f64 × N values, i32 × N versions; 0 = none). */
  setExtraCache(val: number, ver: number): void;
  /** Before an assume: -2 a cycle (the profile's device choice), -1 `best`, else a device mask. */
  setBindMask(mask: number): void;
  /** Before a forget: the devices to release. */
  setReleaseMask(mask: number): void;
  readonly lastGpuMask: WebAssembly.Global;
  selectByStrategy(found: number, feasible: number): number;
  readonly nextStart: WebAssembly.Global;
  readonly lastProcessed: WebAssembly.Global;
  readonly lastFeasible: WebAssembly.Global;
  seedRandom(seedLo: number, seedHi: number, seqLo: number, seqHi: number): void;
  nextU32(): number;
  nextBounded(bound: number): number;
  randomWord(k: number): number;
  setRandomState(stateLo: number, stateHi: number, incLo: number, incHi: number): void;
}

export type CoreBuild = "release" | "debug";

/** What the core imports: the host-evaluated Filter verdict of node `node` (0 = pass). */
export interface CoreImports {
  hostFilter(node: number): number;
}

const NO_IMPORTS: CoreImports = { hostFilter: () => 0 };

const compiled = new Map<CoreBuild, Promise<WebAssembly.Module>>();

/** Compiles `build/gantry.wasm` (or the debug build) once per process. */
export function coreModule(build: CoreBuild = "release"): Promise<WebAssembly.Module> {
  let m = compiled.get(build);
  if (m === undefined) {
    const file = build === "release" ? "gantry.wasm" : "gantry.debug.wasm";
    const path = createRequire(import.meta.url).resolve(`#build/${file}`);
    m = readFile(path).then((bytes) => WebAssembly.compile(bytes));
    compiled.set(build, m);
  }
  return m;
}

/** Instantiates a fresh core (its own memory, its own state). */
export async function instantiateCore(
  build: CoreBuild = "release",
  imports: CoreImports = NO_IMPORTS,
): Promise<CoreExports> {
  const module = await coreModule(build);
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`gantry core: abort at ${line}:${col}`);
      },
      hostFilter: (node: number) => imports.hostFilter(node),
    },
  });
  const exports = instance.exports as unknown as CoreExports;
  const abi = exports.ABI_VERSION.value as number;
  if (abi !== ABI_VERSION) {
    throw new Error(`gantry core: ABI version ${abi}, host expects ${ABI_VERSION}; rebuild`);
  }
  return exports;
}
