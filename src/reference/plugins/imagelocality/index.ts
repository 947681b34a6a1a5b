/**
 * ImageLocality (semantics §4.6; upstream `plugins/imagelocality/image_locality.go`). Score only.
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type { Handle, PluginFactory, ScorePlugin } from "../../framework/interfaces.ts";
import { MAX_NODE_SCORE } from "../../framework/interfaces.ts";
import type { ImageStateSummary, NodeInfo } from "../../framework/node-info.ts";
import { mulDiv, truncToInt } from "../../helpers/int64.ts";
import { ImageLocality } from "../names.ts";

const MB = 1024 * 1024;
/** Below this summed size a node scores 0. */
export const MIN_THRESHOLD = 23 * MB;
/** Per-container cap of the summed size. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Appends `:latest` when the image has no tag (last `:` not after the last `/`). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** `trunc(size × (numNodes / totalNumNodes))`, the quotient in float64. */
function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  const spread = state.numNodes / totalNumNodes;
  return truncToInt(state.size * spread);
}

/**
 * `sum` over init then regular containers whose normalized image the node has; clamp to
 * `[23 MiB, 1000 MiB × #containers]`; score `100 × (sum − min) / (max − min)`.
 */
export function imageLocalityScore(pod: Pod, nodeInfo: NodeInfo, totalNumNodes: number): number {
  let sum = 0;
  for (const c of [...pod.spec.initContainers, ...pod.spec.containers]) {
    const state = nodeInfo.imageStates.get(normalizedImageName(c.image));
    if (state) sum += scaledImageScore(state, totalNumNodes);
  }
  const numContainers = pod.spec.initContainers.length + pod.spec.containers.length;
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
  else if (sum > maxThreshold) sum = maxThreshold;
  return mulDiv(MAX_NODE_SCORE, sum - MIN_THRESHOLD, maxThreshold - MIN_THRESHOLD);
}

export class ImageLocalityPlugin implements ScorePlugin {
  readonly name = ImageLocality;
  private readonly handle: Handle;

  constructor(handle: Handle) {
    this.handle = handle;
  }

  /** `totalNumNodes` is every node of the snapshot, not only the feasible ones. */
  score(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    return imageLocalityScore(pod, nodeInfo, this.handle.snapshot().numNodes);
  }
}

export const newImageLocality: PluginFactory = (_args, handle) => new ImageLocalityPlugin(handle);
