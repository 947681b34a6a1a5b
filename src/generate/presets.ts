/**
 * Node shapes of common cloud instance types, for node pools (`instanceType: m5.xlarge`).
 *
 * **Approximate.** Allocatable is what each provider's managed Kubernetes publishes as its
 * reservation formula, applied to the nominal machine size; real nodes differ by tens of MiB
 * (kernel version, AMI, kubelet flags). Good enough for scheduling benchmarks, not for capacity
 * planning. The formulas (as documented by the providers in 2024–2025):
 *
 * - **Memory capacity** = 95 % of the nominal size (the kernel, firmware and hypervisor keep the
 *   rest; an m5.large's 8 GiB shows as ≈ 7.57 GiB on EKS).
 * - **CPU kube-reserved**, EKS and GKE: 6 % of the first core, 1 % of the second, 0.5 % of the
 *   third and fourth, 0.25 % of every core above four (an m5.xlarge keeps 3920m of 4000m). AKS:
 *   its published table (1 core 60m, 2 100m, 4 140m, 8 180m, 16 260m, 32 420m, 64 740m),
 *   interpolated linearly between rows.
 * - **Memory kube-reserved**: EKS `255Mi + 11Mi × max pods`; GKE 25 % of the first 4 GiB, 20 % of
 *   the next 4, 10 % of the next 8, 6 % of the next 112, 2 % above 128 GiB; AKS (v1.29+)
 *   `min(20Mi × max pods + 50Mi, 25 % of memory)`. Plus the kubelet's hard eviction threshold,
 *   100Mi, everywhere.
 * - **Max pods**: EKS's ENI limit for the type (VPC CNI without prefix delegation); GKE and AKS
 *   110.
 * - **Ephemeral storage**: a 100Gi root volume; allocatable 90 % of it (the `nodefs.available`
 *   10 % eviction threshold).
 * - **GPUs**: `nvidia.com/gpu`, as the NVIDIA device plugin advertises them.
 */
import { Quantity } from "../model/quantity.ts";
import type { ResourceList } from "../model/types.ts";

export type CloudProvider = "aws" | "gcp" | "azure";

/** A machine type: nominal size and the provider's pod limit. */
export interface InstanceTypePreset {
  /** The `node.kubernetes.io/instance-type` label value, e.g. `m5.xlarge`. */
  readonly name: string;
  readonly provider: CloudProvider;
  readonly vcpu: number;
  /** Nominal memory, GiB. */
  readonly memoryGiB: number;
  readonly maxPods: number;
  /** `nvidia.com/gpu` count; absent for CPU-only types. */
  readonly gpus?: number;
  /** GPU model, for documentation. */
  readonly gpuModel?: string;
  /** The `kubernetes.io/arch` label value. */
  readonly arch: "amd64" | "arm64";
}

function preset(
  provider: CloudProvider,
  name: string,
  vcpu: number,
  memoryGiB: number,
  maxPods: number,
  gpu?: { count: number; model: string },
): InstanceTypePreset {
  return {
    name,
    provider,
    vcpu,
    memoryGiB,
    maxPods,
    ...(gpu ? { gpus: gpu.count, gpuModel: gpu.model } : {}),
    arch: "amd64",
  };
}

/** The bundled instance types, by label value. */
export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypePreset> = new Map(
  [
    preset("aws", "m5.large", 2, 8, 29),
    preset("aws", "m5.xlarge", 4, 16, 58),
    preset("aws", "m5.2xlarge", 8, 32, 58),
    preset("aws", "m5.4xlarge", 16, 64, 234),
    preset("aws", "c5.xlarge", 4, 8, 58),
    preset("aws", "c5.2xlarge", 8, 16, 58),
    preset("aws", "c5.4xlarge", 16, 32, 234),
    preset("aws", "r5.xlarge", 4, 32, 58),
    preset("aws", "r5.2xlarge", 8, 64, 58),
    preset("aws", "g5.xlarge", 4, 16, 58, { count: 1, model: "NVIDIA A10G" }),
    preset("aws", "p3.2xlarge", 8, 61, 58, { count: 1, model: "NVIDIA V100" }),
    preset("aws", "p3.8xlarge", 32, 244, 234, { count: 4, model: "NVIDIA V100" }),
    preset("gcp", "n2-standard-4", 4, 16, 110),
    preset("gcp", "n2-standard-8", 8, 32, 110),
    preset("gcp", "n2-standard-16", 16, 64, 110),
    preset("gcp", "n2-highmem-8", 8, 64, 110),
    preset("gcp", "a2-highgpu-1g", 12, 85, 110, { count: 1, model: "NVIDIA A100 40GB" }),
    preset("azure", "Standard_D4s_v5", 4, 16, 110),
    preset("azure", "Standard_D8s_v5", 8, 32, 110),
    preset("azure", "Standard_D16s_v5", 16, 64, 110),
    preset("azure", "Standard_E8s_v5", 8, 64, 110),
    preset("azure", "Standard_NC6s_v3", 6, 112, 110, { count: 1, model: "NVIDIA V100" }),
  ].map((p) => [p.name, p]),
);

const MI = 1024;
const GI = 1024 * 1024;
/** In KiB. */
const EVICTION_HARD_KI = 100 * MI;
const ROOT_VOLUME_GI = 100;

/** EKS/GKE CPU kube-reserved, millicores. */
function tieredCpuReserved(cores: number): number {
  let m = 0;
  m += 60 * Math.min(cores, 1);
  m += 10 * Math.min(Math.max(cores - 1, 0), 1);
  m += 5 * Math.min(Math.max(cores - 2, 0), 2);
  m += 2.5 * Math.max(cores - 4, 0);
  return Math.round(m);
}

const AKS_CPU_TABLE: readonly (readonly [number, number])[] = [
  [1, 60],
  [2, 100],
  [4, 140],
  [8, 180],
  [16, 260],
  [32, 420],
  [64, 740],
];

/** AKS CPU kube-reserved, millicores, interpolated in its table. */
function aksCpuReserved(cores: number): number {
  let prev = AKS_CPU_TABLE[0]!;
  if (cores <= prev[0]) return prev[1];
  for (const row of AKS_CPU_TABLE.slice(1)) {
    if (cores <= row[0]) {
      const f = (cores - prev[0]) / (row[0] - prev[0]);
      return Math.round(prev[1] + f * (row[1] - prev[1]));
    }
    prev = row;
  }
  return prev[1];
}

/** GKE memory kube-reserved, KiB. */
function gkeMemoryReservedKi(memoryGiB: number): number {
  const tiers: readonly (readonly [number, number])[] = [
    [4, 0.25],
    [4, 0.2],
    [8, 0.1],
    [112, 0.06],
    [Number.POSITIVE_INFINITY, 0.02],
  ];
  let left = memoryGiB;
  let reserved = 0;
  for (const [size, rate] of tiers) {
    const part = Math.min(left, size);
    reserved += part * rate;
    left -= part;
    if (left <= 0) break;
  }
  return Math.round(reserved * GI);
}

/** The reservations of `p`: CPU in millicores, memory in KiB (eviction threshold excluded). */
function reserved(p: InstanceTypePreset): { cpuMilli: number; memoryKi: number } {
  switch (p.provider) {
    case "aws":
      return { cpuMilli: tieredCpuReserved(p.vcpu), memoryKi: (255 + 11 * p.maxPods) * MI };
    case "gcp":
      return { cpuMilli: tieredCpuReserved(p.vcpu), memoryKi: gkeMemoryReservedKi(p.memoryGiB) };
    case "azure":
      return {
        cpuMilli: aksCpuReserved(p.vcpu),
        memoryKi: Math.min((20 * p.maxPods + 50) * MI, Math.round(p.memoryGiB * 0.25 * GI)),
      };
  }
}

/** Capacity and allocatable of a node of type `p`, per the module comment. */
export function presetResources(p: InstanceTypePreset): {
  capacity: ResourceList;
  allocatable: ResourceList;
} {
  const memoryKi = Math.floor(p.memoryGiB * GI * 0.95);
  const r = reserved(p);
  const storageKi = ROOT_VOLUME_GI * GI;
  const capacity = new Map<string, Quantity>([
    ["cpu", Quantity.parse(String(p.vcpu))],
    ["memory", Quantity.parse(`${memoryKi}Ki`)],
    ["ephemeral-storage", Quantity.parse(`${ROOT_VOLUME_GI}Gi`)],
    ["pods", Quantity.parse(String(p.maxPods))],
  ]);
  const allocatable = new Map<string, Quantity>([
    ["cpu", Quantity.parse(`${p.vcpu * 1000 - r.cpuMilli}m`)],
    ["memory", Quantity.parse(`${memoryKi - r.memoryKi - EVICTION_HARD_KI}Ki`)],
    ["ephemeral-storage", Quantity.parse(`${Math.floor(storageKi * 0.9)}Ki`)],
    ["pods", Quantity.parse(String(p.maxPods))],
  ]);
  if (p.gpus !== undefined) {
    const gpus = Quantity.parse(String(p.gpus));
    capacity.set("nvidia.com/gpu", gpus);
    allocatable.set("nvidia.com/gpu", gpus);
  }
  return { capacity, allocatable };
}
