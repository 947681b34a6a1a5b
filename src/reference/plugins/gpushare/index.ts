/**
 * gantry's GpuShare (docs/placement-strategies.md "GpuShare"): Filter and Reserve for GPU pods;
 * a no-op for pods without a GPU request (`src/model/gpu.ts` `podGpuRequest`).
 *
 * Filter rejects, in this order:
 * 1. a node without GPU devices — UnschedulableAndUnresolvable {@link ERR_REASON_NO_GPU};
 * 2. a node whose model is not in the pod's non-empty model list — UnschedulableAndUnresolvable
 *    {@link ERR_REASON_GPU_MODEL};
 * 3. one GPU: no device with `free ≥ gpuMilli`; k > 1 GPUs: fewer than k fully free devices —
 *    Unschedulable {@link ERR_REASON_INSUFFICIENT_GPU}.
 * The first two are static mismatches that removing pods cannot fix, so preemption skips those
 * nodes (as upstream codes such verdicts); the third can be fixed by evicting GPU pods.
 *
 * Reserve chooses the devices (`GpuShareArgs.gpuSelection`) and records them under
 * `RESERVED_GPU_DEVICES_KEY`; the cycle assumes the pod onto them. Whole GPUs (and any k > 1
 * request) take the first k fully free devices in index order, for every method; a shared GPU
 * takes, among the devices with `free ≥ gpuMilli`:
 * - `best`: the least free milli, lowest index on ties;
 * - `random`: `candidates[rng.nextBounded(candidates.length)]` — one draw from the scheduler's
 *   stream, after selectHost, even when there is one candidate (as `src/gpu` `selectGpus`);
 * - `fgd`: the highest FGD score over FGDScore's typical pods, lowest index on ties (threshold
 *   counting, `src/gpu` `fgdScore`).
 */
import type { Pod } from "../../../model/types.ts";
import { fgdScore, podGpuRequest, selectGpus, type TargetShape } from "../../external.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import {
  gpuNodeOf,
  gpuPodOf,
  RESERVED_GPU_DEVICES_KEY,
  type ReservedGpuDevices,
} from "../../framework/gpu.ts";
import {
  type FilterPlugin,
  type FrameworkHandle,
  type Handle,
  handleRng,
  type PluginFactory,
  type ReservePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { defaultFGDScoreArgs, requireTypicalPods } from "../gpuscores/args.ts";
import { FGDScore, GpuShare } from "../names.ts";
import {
  defaultGpuShareArgs,
  type GpuSelection,
  type GpuShareArgs,
  validateGpuShareArgs,
} from "./args.ts";

/** Filter reason: the node has no GPU devices. */
export const ERR_REASON_NO_GPU = "node(s) had no GPU";
/** Filter reason: the node's card model is not among the pod's allowed models. */
export const ERR_REASON_GPU_MODEL = "node(s) had an unwanted GPU model";
/** Filter reason: not enough free GPU on the node's devices. */
export const ERR_REASON_INSUFFICIENT_GPU = "Insufficient GPU";

/**
 * The Filter verdict of the pod's GPU request on the node's devices (success for a non-GPU
 * pod); see the module comment.
 */
export function gpuShareFilter(pod: Pod, nodeInfo: NodeInfo): Status {
  const req = podGpuRequest(pod);
  if (!req) return SUCCESS;
  const { used, model } = nodeInfo.gpus;
  if (used.length === 0) return newStatus("UnschedulableAndUnresolvable", ERR_REASON_NO_GPU);
  if (req.models.length > 0 && !req.models.includes(model)) {
    return newStatus("UnschedulableAndUnresolvable", ERR_REASON_GPU_MODEL);
  }
  const fits =
    req.numGpu === 1
      ? used.some((u) => 1000 - u >= req.gpuMilli)
      : used.filter((u) => u === 0).length >= req.numGpu;
  return fits ? SUCCESS : newStatus("Unschedulable", ERR_REASON_INSUFFICIENT_GPU);
}

export class GpuSharePlugin implements FilterPlugin, ReservePlugin {
  readonly name = GpuShare;
  readonly gpuSelection: GpuSelection;
  private readonly handle: Handle;
  /** FGDScore's typical pods (the `fgd` method only). */
  private readonly typical: readonly TargetShape[];

  /**
   * Throws on invalid args, and for `fgd` when FGDScore's args (read through the handle) carry no
   * typical pods.
   */
  constructor(args: GpuShareArgs, handle: Handle) {
    const errs = validateGpuShareArgs(args);
    if (errs.length > 0) throw new Error(errs.join("; "));
    this.gpuSelection = args.gpuSelection;
    this.handle = handle;
    if (args.gpuSelection === "fgd") {
      const pluginArgs = (handle as Partial<FrameworkHandle>).pluginArgs;
      const fgd = pluginArgs?.call(handle, FGDScore);
      if (fgd === undefined) {
        throw new Error("GpuShare: gpuSelection fgd needs FGDScore's args (its typical pods)");
      }
      this.typical = requireTypicalPods(defaultFGDScoreArgs(fgd));
    } else {
      this.typical = [];
    }
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return gpuShareFilter(pod, nodeInfo);
  }

  /** The devices the pod would take on the node, or `null` when its request does not fit. */
  chooseDevices(pod: Pod, nodeInfo: NodeInfo): number[] | null {
    const gpuPod = gpuPodOf(pod);
    const node = gpuNodeOf(nodeInfo);
    if (this.gpuSelection === "fgd" && gpuPod.numGpu === 1 && gpuPod.gpuMilli < 1000) {
      const gpu = fgdScore(node, gpuPod, this.typical).gpu;
      return gpu === null ? null : [gpu];
    }
    if (this.gpuSelection === "random") {
      return selectGpus(gpuPod, node, "random", { rng: handleRng(this.handle) });
    }
    return selectGpus(gpuPod, node, "best");
  }

  reserve(state: CycleState, pod: Pod, nodeName: string): Status {
    if (!podGpuRequest(pod)) return SUCCESS;
    const nodeInfo = this.handle.snapshot().get(nodeName);
    if (!nodeInfo) return newStatus("Error", `node ${JSON.stringify(nodeName)} not found`);
    const devices = this.chooseDevices(pod, nodeInfo);
    if (!devices) return newStatus("Unschedulable", ERR_REASON_INSUFFICIENT_GPU);
    const reserved: ReservedGpuDevices = { node: nodeName, devices };
    state.write(RESERVED_GPU_DEVICES_KEY, reserved);
    return SUCCESS;
  }

  unreserve(state: CycleState): void {
    state.write(RESERVED_GPU_DEVICES_KEY, undefined);
  }
}

export const newGpuShare: PluginFactory = (args, handle) =>
  new GpuSharePlugin(defaultGpuShareArgs(args), handle);
