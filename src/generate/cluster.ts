/**
 * Node pools: `count` identical nodes (one shape, one set of labels and taints) spread over zones,
 * produced as the `Node` objects the manifest decoder would produce for the equivalent manifests
 * (`src/manifest/node.ts`): API defaults applied, uid derived from the name, a `Ready` condition.
 * A heterogeneous cluster is several pools.
 *
 * Node `i` (0-based) of a pool is named `<namePrefix>-<i>` and labelled:
 *
 * - `kubernetes.io/hostname: <name>` (always; a pool cannot override it),
 * - `kubernetes.io/os: linux`, `kubernetes.io/arch: <arch>` (`amd64` unless the instance type or
 *   the pool says otherwise),
 * - `node.kubernetes.io/instance-type` when the pool names an instance type,
 * - `topology.kubernetes.io/region` / `topology.kubernetes.io/zone` when the pool has them,
 * - then the pool's own labels (which may override all but the hostname).
 *
 * Zones: with plain zone names the nodes go round-robin (node i in zone `i mod zones`), so each
 * zone gets `count/zones` nodes give or take one. With weights, each node's zone is drawn with
 * probability `weight / Σ weights` from the pool's own generator (`streamRandom(seed,
 * "pool/<name>")`, one double per node), so adding or changing another pool never changes this
 * pool's nodes. Nodes share their pool's resource lists, taints and images (all immutable).
 */
import type { Location } from "../diagnostics.ts";
import { deriveUid } from "../manifest/meta.ts";
import type { ContainerImage, Labels, Node, ResourceList, Taint } from "../model/types.ts";
import { streamRandom } from "./random.ts";

export const HOSTNAME_LABEL = "kubernetes.io/hostname";
export const ZONE_LABEL = "topology.kubernetes.io/zone";
export const REGION_LABEL = "topology.kubernetes.io/region";
export const INSTANCE_TYPE_LABEL = "node.kubernetes.io/instance-type";
export const ARCH_LABEL = "kubernetes.io/arch";
export const OS_LABEL = "kubernetes.io/os";

/** A zone and its share of a pool's nodes. */
export interface ZoneWeight {
  readonly name: string;
  /** Relative weight, > 0; used only when the pool's assignment is `weighted`. */
  readonly weight: number;
}

/** A pool of identical nodes. */
export interface NodePoolSpec {
  /** Names the pool (and its generator); unique within a cluster. */
  readonly name: string;
  /** Node names are `<namePrefix>-<i>`. */
  readonly namePrefix: string;
  /** Nodes at time 0; more can join through `addNode` events. */
  readonly count: number;
  /** The `node.kubernetes.io/instance-type` label, when set. */
  readonly instanceType?: string;
  /** The `kubernetes.io/arch` label; default `amd64`. */
  readonly arch?: string;
  readonly capacity: ResourceList;
  readonly allocatable: ResourceList;
  /** Extra labels, applied over the well-known ones (never over the hostname). */
  readonly labels: Labels;
  readonly region?: string;
  /** Empty: no zone label. */
  readonly zones: readonly ZoneWeight[];
  readonly zoneAssignment: "roundRobin" | "weighted";
  readonly taints: readonly Taint[];
  readonly images: readonly ContainerImage[];
  readonly unschedulable: boolean;
  /** Where the pool is defined (file and field path), for the nodes' `source`. */
  readonly source?: Location;
}

/** The name of node `index` of `pool`. */
export function poolNodeName(pool: NodePoolSpec, index: number): string {
  return `${pool.namePrefix}-${index}`;
}

/** The node `index` of `pool` in `zone` (no draw). */
export function makePoolNode(pool: NodePoolSpec, index: number, zone: string | undefined): Node {
  const name = poolNodeName(pool, index);
  const labels: Record<string, string> = {
    [ARCH_LABEL]: pool.arch ?? "amd64",
    [OS_LABEL]: "linux",
  };
  if (pool.instanceType !== undefined) labels[INSTANCE_TYPE_LABEL] = pool.instanceType;
  if (pool.region !== undefined) labels[REGION_LABEL] = pool.region;
  if (zone !== undefined) labels[ZONE_LABEL] = zone;
  Object.assign(labels, pool.labels);
  labels[HOSTNAME_LABEL] = name;
  return {
    kind: "Node",
    metadata: {
      name,
      namespace: "",
      uid: deriveUid("Node", "", name),
      labels,
      annotations: {},
      ownerReferences: [],
    },
    spec: { unschedulable: pool.unschedulable, taints: pool.taints },
    status: {
      capacity: pool.capacity,
      allocatable: pool.allocatable,
      images: pool.images,
      conditions: [{ type: "Ready", status: "True" }],
    },
    source: { file: "<generated>", ...pool.source, object: `Node ${name}` },
  };
}

/**
 * The nodes of `pool` under run seed `seed`, from node 0 on, endlessly: the first `pool.count`
 * form the cluster at time 0, the next ones join through `addNode` events.
 */
export function* poolNodes(pool: NodePoolSpec, seed: number | bigint): Generator<Node, never> {
  const zones = pool.zones;
  if (pool.zoneAssignment === "weighted" && zones.length > 0) {
    const rng = streamRandom(seed, `pool/${pool.name}`);
    const total = zones.reduce((s, z) => s + z.weight, 0);
    for (let i = 0; ; i++) {
      let u = rng.nextDouble() * total;
      let zone = zones[zones.length - 1]!;
      for (const z of zones) {
        if (u < z.weight) {
          zone = z;
          break;
        }
        u -= z.weight;
      }
      yield makePoolNode(pool, i, zone.name);
    }
  }
  for (let i = 0; ; i++) {
    yield makePoolNode(pool, i, zones.length > 0 ? zones[i % zones.length]!.name : undefined);
  }
}

/** The first `n` nodes of a pool's sequence. */
export function takeNodes(pool: NodePoolSpec, seed: number | bigint, n: number): Node[] {
  const out: Node[] = [];
  if (n <= 0) return out;
  for (const node of poolNodes(pool, seed)) {
    out.push(node);
    if (out.length === n) break;
  }
  return out;
}

/** The cluster at time 0: each pool's first `count` nodes, pool after pool. */
export function clusterNodes(pools: readonly NodePoolSpec[], seed: number | bigint): Node[] {
  return pools.flatMap((p) => takeNodes(p, seed, p.count));
}
