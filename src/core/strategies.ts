/**
 * The host side of gantry's strategies in the core (assembly/plugins/strategies.ts;
 * docs/placement-strategies.md): GPU devices per node, card model ids, the pod's GPU request,
 * the extra score plugins and the by-name selection of a profile, FGD's typical pods.
 */
import type { Profile, ProfileSelection } from "../config/types.ts";
import type { PodClass } from "../encode/pod-class.ts";
import { MAX_NODE_GPUS, nodeGpus, podGpuRequest } from "../model/gpu.ts";
import type { Node } from "../model/types.ts";
import type { CoreExports } from "./boundary.ts";
import { CoreLimitError } from "./domains.ts";

/** gantry's score plugins and the core's kind numbers (assembly/plugins/strategies.ts KIND_*). */
export const STRATEGY_SCORE_KINDS: Readonly<Record<string, number>> = {
  FirstFit: 1,
  BestFit: 2,
  WorstFit: 3,
  DotProduct: 4,
  RandomScore: 5,
  GpuRandomScore: 6,
  GpuDotProdScore: 7,
  GpuClusteringScore: 8,
  GpuPackingScore: 9,
  GpuBestFitScore: 10,
  FGDScore: 11,
};

/** By-name selection: the core's mode numbers (the KIND_* of the same strategy). */
export const SELECTION_MODES: Readonly<Record<string, number>> = {
  FirstFit: 1,
  BestFit: 2,
  WorstFit: 3,
  DotProduct: 4,
  Random: 5,
};

/** GpuShare's device choice at Reserve, as the core numbers it. */
const GPU_SELECT: Readonly<Record<string, number>> = { best: 0, random: 1, fgd: 2 };

/** One typical pod of FGD's target workload (milli-CPU, milli-GPU per GPU, models, share p). */
export interface TypicalPodShape {
  readonly cpuMilli: number;
  readonly gpuMilli: number;
  readonly numGpu: number;
  readonly models: readonly string[];
  readonly p: number;
}

/** Most card models a run may name (a u32 mask in the core). */
export const MAX_GPU_MODELS = 32;
/** Most typical pods FGD keeps. */
export const MAX_TYPICAL = 256;

/** Column lengths of the strategies' core columns for `n` nodes (bytes for u8 columns). */
export function strategyColumns(n: number): [string, "u8" | "i32" | "f64", number][] {
  return [
    ["gpu.count", "u8", n],
    ["gpu.model", "i32", n],
    ["gpu.used", "u8", 2 * MAX_NODE_GPUS * n],
    ["gpu.tags", "u8", 2 * (MAX_NODE_GPUS + 1) * n],
    ["extra.raw", "f64", n],
    ["extra.norm", "i32", n],
    ["fgd.typical", "f64", 5 * MAX_TYPICAL],
    ["fgd.cuts", "f64", 99],
  ];
}

/** Whether the profile runs gantry's strategies at all (GPU filter, extra scores, selection). */
export interface StrategyProfile {
  readonly gpuFilter: boolean;
  readonly selection: number;
  readonly extras: readonly { readonly kind: number; readonly weight: number }[];
}

/** The profile's by-name selection (set by the policy layer; not in KubeSchedulerConfiguration). */
export function profileSelection(profile: Profile): ProfileSelection | undefined {
  return profile.selection;
}

/** The typical pods named by FGDScore's args (undefined when it derives them from the workload). */
export function typicalFromArgs(profile: Profile): readonly TypicalPodShape[] | undefined {
  const args = profile.pluginConfig.get("FGDScore");
  return args?.kind === "FGDScoreArgs" ? args.typicalPods : undefined;
}

export class StrategyHost {
  readonly #core: CoreExports;
  readonly #buffer: ArrayBufferLike;
  readonly #cols: Record<string, number>;
  readonly #modelIds = new Map<string, number>();
  readonly #podGpu = new Map<number, [number, number, number]>();
  readonly profile: StrategyProfile;

  constructor(
    core: CoreExports,
    buffer: ArrayBufferLike,
    cols: Record<string, number>,
    nodes: readonly Node[],
    profile: Profile,
    typical: readonly TypicalPodShape[] | undefined,
  ) {
    this.#core = core;
    this.#buffer = buffer;
    this.#cols = cols;
    const n = nodes.length;
    const count = new Uint8Array(buffer, cols["gpu.count"] as number, n);
    const model = new Int32Array(buffer, cols["gpu.model"] as number, n);
    nodes.forEach((node, i) => {
      const g = nodeGpus(node);
      count[i] = Math.min(g.count, MAX_NODE_GPUS);
      model[i] = g.model === "" ? -1 : this.modelId(g.model);
    });
    const cuts = new Float64Array(buffer, cols["fgd.cuts"] as number, 99);
    for (let k = 1; k <= 99; k++) cuts[k - 1] = Math.log(k / (100 - k));
    core.bindStrategies(
      cols["gpu.count"] as number,
      cols["gpu.model"] as number,
      cols["gpu.used"] as number,
      cols["gpu.tags"] as number,
      cols["extra.raw"] as number,
      cols["extra.norm"] as number,
      cols["fgd.cuts"] as number,
    );
    const gpuFilter = profile.plugins.filter.some((p) => p.name === "GpuShare");
    const shareArgs = profile.pluginConfig.get("GpuShare");
    const method = shareArgs?.kind === "GpuShareArgs" ? shareArgs.gpuSelection : "best";
    const select = GPU_SELECT[method] ?? 0;
    const sel = profileSelection(profile);
    const selection = sel === undefined ? 0 : (SELECTION_MODES[sel.strategy] ?? 0);
    const extras: { kind: number; weight: number }[] = [];
    for (const p of profile.plugins.score) {
      const kind = STRATEGY_SCORE_KINDS[p.name];
      if (kind !== undefined) extras.push({ kind, weight: p.weight });
    }
    this.profile = { gpuFilter, selection, extras };
    core.setStrategyProfile(gpuFilter ? 1 : 0, select, selection);
    for (const e of extras) core.addExtraScore(e.kind, e.weight);
    this.#setTypical(typical ?? typicalFromArgs(profile) ?? []);
  }

  /** The card model's id (0..31), assigned on first sight. */
  modelId(model: string): number {
    let id = this.#modelIds.get(model);
    if (id === undefined) {
      id = this.#modelIds.size;
      if (id >= MAX_GPU_MODELS) {
        throw new CoreLimitError(
          `more than ${MAX_GPU_MODELS} GPU card models (at ${JSON.stringify(model)})`,
        );
      }
      this.#modelIds.set(model, id);
    }
    return id;
  }

  /** The model mask of a list of models (0 = any). */
  #mask(models: readonly string[]): number {
    let m = 0;
    for (const name of models) m |= 1 << this.modelId(name);
    return m >>> 0;
  }

  #setTypical(typical: readonly TypicalPodShape[]): void {
    if (typical.length > MAX_TYPICAL) {
      throw new CoreLimitError(`more than ${MAX_TYPICAL} typical pods for FGDScore`);
    }
    const rec = new Float64Array(
      this.#buffer,
      this.#cols["fgd.typical"] as number,
      5 * MAX_TYPICAL,
    );
    typical.forEach((t, k) => {
      rec[5 * k] = t.cpuMilli;
      rec[5 * k + 1] = t.gpuMilli;
      rec[5 * k + 2] = t.numGpu;
      rec[5 * k + 3] = this.#mask(t.models);
      rec[5 * k + 4] = t.p;
    });
    this.#core.setTypical(this.#cols["fgd.typical"] as number, typical.length);
  }

  /** Binds the GPU request of class `cls` as the core's current pod's. */
  activate(cls: PodClass): void {
    let g = this.#podGpu.get(cls.id);
    if (g === undefined) {
      const r = podGpuRequest(cls.exemplar);
      g = r === null ? [0, 0, 0] : [r.numGpu, r.gpuMilli, this.#mask(r.models)];
      this.#podGpu.set(cls.id, g);
    }
    this.#core.setGpuPod(g[0], g[1], g[2]);
  }

  /** Used milli per device of node `i` (a copy). */
  deviceUse(i: number, count: number): number[] {
    const used = new Uint16Array(
      this.#buffer,
      (this.#cols["gpu.used"] as number) + 2 * MAX_NODE_GPUS * i,
      MAX_NODE_GPUS,
    );
    return Array.from(used.subarray(0, count));
  }

  /** Device count of node `i`. */
  devices(i: number): number {
    return new Uint8Array(this.#buffer, this.#cols["gpu.count"] as number, i + 1)[i] as number;
  }
}
