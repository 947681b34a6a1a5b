/**
 * The replay through gantry's WASM core (`gantry replay --engine core`): the trace's nodes and
 * pods as Kubernetes objects (docs/placement-strategies.md's GPU fields), each paper policy as its
 * by-name profile (src/scenario/named-policies.ts), one kube-scheduler cycle per pod — ties broken
 * by selectHost's draw from the core's PRNG seeded with the run's seed. The recorded series are
 * those of src/replay/engine.ts: arrived and used GPU milli and Σ_n F_n after every pod (F_n kept
 * per node and recomputed for the node a pod lands on).
 */
import { defaultSchedulerConfig, type Profile } from "../config/index.ts";
import { WasmScheduler } from "../core/scheduler.ts";
import {
  fragmentationOf,
  type GpuNode,
  type GpuPod,
  MILLI,
  type PolicyName,
  podGpuMilliTotal,
  type TargetShape,
} from "../gpu/index.ts";
import { objectMeta, simpleNode, simplePod } from "../model/construct.ts";
import {
  GPU_COUNT_ANNOTATION,
  GPU_MILLI_ANNOTATION,
  GPU_MODEL_KEY,
  GPU_RESOURCE,
} from "../model/gpu.ts";
import { parseQuantity } from "../model/quantity.ts";
import type { Node, Pod } from "../model/types.ts";
import { namedPolicyProfile, PAPER_NAME } from "../scenario/named-policies.ts";
import { coreProfile } from "../sim/profile.ts";
import type { ReplaySeries } from "./engine.ts";

/** gantry's by-name policy for each of the paper's names. */
const GANTRY_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PAPER_NAME).map(([gantry, paper]) => [paper, gantry]),
);

const quantities = (m: Record<string, string>) =>
  new Map(Object.entries(m).map(([k, v]) => [k, parseQuantity(v)]));

const LOC = { file: "<trace>" };

/** A trace node as a Kubernetes Node (cpu, memory, pods, nvidia.com/gpu, model label). */
export function traceNode(n: GpuNode): Node {
  const alloc = quantities({
    cpu: `${n.cpuAllocatable}m`,
    memory: `${n.memoryAllocatable}Mi`,
    pods: String(n.maxPods),
    ...(n.gpuUsed.length > 0 ? { [GPU_RESOURCE]: String(n.gpuUsed.length) } : {}),
  });
  const labels: Record<string, string> = n.model === "" ? {} : { [GPU_MODEL_KEY]: n.model };
  return simpleNode(objectMeta(n.name, { uid: n.name, labels }), alloc, LOC);
}

/** A trace pod as a Kubernetes Pod (requests; GPUs through the gpu-milli annotations). */
export function tracePod(p: GpuPod, name: string): Pod {
  const requests = quantities({ cpu: `${p.cpuMilli}m`, memory: `${p.memoryMib}Mi` });
  const annotations: Record<string, string> =
    p.numGpu === 0
      ? {}
      : {
          [GPU_MILLI_ANNOTATION]: String(p.gpuMilli),
          [GPU_COUNT_ANNOTATION]: String(p.numGpu),
          ...(p.gpuSpec.length > 0 ? { [GPU_MODEL_KEY]: p.gpuSpec.join("|") } : {}),
        };
  return simplePod(
    objectMeta(name, { namespace: "default", uid: name, annotations }),
    { name: "main", image: "trace" },
    requests,
    LOC,
  );
}

/** The core profile of the paper policy `policy`. */
export function replayProfile(policy: PolicyName): Profile {
  const base = defaultSchedulerConfig().profiles[0] as Profile;
  const named = namedPolicyProfile(GANTRY_NAME[policy] as string, base);
  if (named === undefined) throw new Error(`replay: no gantry policy for ${policy}`);
  return coreProfile(named).profile;
}

/** Runs the replay of `order` through the core; see the module comment. */
export async function simulateReplayCore(input: {
  readonly nodes: readonly GpuNode[];
  readonly pods: readonly GpuPod[];
  readonly order: readonly number[];
  readonly typical: readonly TargetShape[];
  readonly policy: PolicyName;
  readonly seed: number;
}): Promise<ReplaySeries> {
  const { nodes, pods, order, typical } = input;
  const core = await WasmScheduler.create({
    nodes: nodes.map(traceNode),
    profile: replayProfile(input.policy),
    seed: input.seed,
    typicalPods: typical,
  });
  const t = core.table;
  const models = t.nodes.map((n) => n.metadata.labels[GPU_MODEL_KEY] ?? "");
  const fragOf = (i: number): number => {
    const used = core.gpuDevices(i);
    if (used.length === 0) return 0;
    const cpuLeft = (t.allocMilliCPU[i] as number) - (t.reqMilliCPU[i] as number);
    return fragmentationOf(
      cpuLeft,
      used.map((u) => MILLI - u),
      models[i] as string,
      typical,
    );
  };
  const frag = Float64Array.from({ length: t.count }, (_, i) => fragOf(i));
  let fragSum = 0;
  for (const f of frag) fragSum += f;
  // One Pod object per trace pod (clones share their original's): classes are per shape.
  const objects = new Map<number, Pod>();
  const E = order.length;
  const arrived = new Float64Array(E);
  const usedOut = new Float64Array(E);
  const fragOut = new Float64Array(E);
  let arrivedTot = 0;
  let used = 0;
  let placed = 0;
  let failed = 0;
  for (let e = 0; e < E; e++) {
    const pi = order[e] as number;
    const gp = pods[pi] as GpuPod;
    let pod = objects.get(pi);
    if (pod === undefined) {
      pod = tracePod(gp, gp.name === "" ? `pod-${pi}` : gp.name);
      objects.set(pi, pod);
    }
    arrivedTot += podGpuMilliTotal(gp);
    const node = core.schedule(pod);
    if (node < 0) failed++;
    else {
      placed++;
      const mask = core.lastGpuMask;
      for (let g = 0; g < 16; g++) if (mask & (1 << g)) used += gp.gpuMilli;
      const f = fragOf(node);
      fragSum += f - (frag[node] as number);
      frag[node] = f;
    }
    arrived[e] = arrivedTot;
    usedOut[e] = used;
    fragOut[e] = fragSum;
  }
  return { arrived, used: usedOut, frag: fragOut, placed, failed };
}
