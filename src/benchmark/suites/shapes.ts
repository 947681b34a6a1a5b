/**
 * scheduler_perf-shaped inputs, built directly as objects: nodes like its `node-default.yaml`
 * (4 CPU, 32Gi, 110 pods, three zones) and pods like its `pod-default.yaml` (100m CPU, 500Mi),
 * plus the topology variants the core suite measures (zone spread, anti-affinity, affinity).
 */
import { defaultSchedulerConfig } from "../../config/index.ts";
import type { Profile } from "../../config/types.ts";
import { restrictToCore } from "../../core/scheduler.ts";
import { objectMeta, simpleNode, simplePod } from "../../model/construct.ts";
import { Quantity } from "../../model/quantity.ts";
import type { Node, Pod } from "../../model/types.ts";
import { defaultRegistry, withImplementedPlugins } from "../../reference/index.ts";

const q = (s: string) => Quantity.parse(s);

const SOURCE = { file: "<bench>" };

/** `count` nodes shaped like scheduler_perf's node-default, across three zones. */
export function defaultNodes(count: number): Node[] {
  const allocatable = new Map([
    ["cpu", q("4")],
    ["memory", q("32Gi")],
    ["pods", q("110")],
  ]);
  return Array.from({ length: count }, (_, i) => {
    const name = `scheduler-perf-node-${i}`;
    const labels = {
      "kubernetes.io/hostname": name,
      "topology.kubernetes.io/zone": `zone${i % 3}`,
      "topology.kubernetes.io/region": "region1",
    };
    return simpleNode(objectMeta(name, { labels }), allocatable, SOURCE);
  });
}

/** A pod shaped like scheduler_perf's pod-default (label `app: bench`). */
export function defaultPod(name = "pod-default"): Pod {
  const requests = new Map([
    ["cpu", q("100m")],
    ["memory", q("500Mi")],
  ]);
  return simplePod(
    objectMeta(name, { namespace: "default", labels: { app: "bench" } }),
    { name: "pause", image: "registry.k8s.io/pause:3.10" },
    requests,
    SOURCE,
  );
}

/** The v1.35 default profile, restricted to the plugins both engines run today. */
export function defaultProfile(): Profile {
  const registry = defaultRegistry();
  return restrictToCore(
    withImplementedPlugins(defaultSchedulerConfig().profiles[0] as Profile, registry),
  );
}

/**
 * `profile` with only `plugin` at every extension point but queue sort, bind and post-filter:
 * the scan with that one plugin's filter and score (a per-plugin kernel). An empty `plugin`
 * (`""`) leaves the scan's frame alone: no filter, no score.
 */
export function onlyPlugin(profile: Profile, plugin: string): Profile {
  const keep = new Set(["queueSort", "bind", "postFilter"]);
  const plugins = Object.fromEntries(
    Object.entries(profile.plugins).map(([point, refs]) => [
      point,
      keep.has(point)
        ? refs
        : (refs as readonly { name: string }[]).filter((r) => r.name === plugin),
    ]),
  ) as unknown as Profile["plugins"];
  return { ...profile, plugins };
}

/** Task labels of the topology workloads. */
export const SPREAD = "zone spread maxSkew 1";
export const ANTI_AFFINITY = "required anti-affinity on hostname";
export const PREFERRED_AFFINITY = "preferred affinity on zone";

const selector = { matchLabels: { app: "bench" }, matchExpressions: [] };
const term = (topologyKey: string) => ({
  labelSelector: selector,
  namespaces: [],
  topologyKey,
  matchLabelKeys: [],
  mismatchLabelKeys: [],
});
const noAffinity = {
  requiredDuringSchedulingIgnoredDuringExecution: [],
  preferredDuringSchedulingIgnoredDuringExecution: [],
};

/** The pod-default pod with one of the topology workloads' constraints. */
export function topologyPod(
  label: typeof SPREAD | typeof ANTI_AFFINITY | typeof PREFERRED_AFFINITY,
): Pod {
  const pod = defaultPod();
  switch (label) {
    case SPREAD:
      // PodTopologySpread: pods spread over zones with maxSkew 1 (DoNotSchedule).
      return {
        ...pod,
        spec: {
          ...pod.spec,
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "DoNotSchedule" as const,
              labelSelector: selector,
              matchLabelKeys: [],
            },
          ],
        },
      };
    case ANTI_AFFINITY:
      // InterPodAffinity: required anti-affinity to the pod's own group on hostname (one per
      // node, scheduler_perf's SchedulingPodAntiAffinity shape).
      return {
        ...pod,
        spec: {
          ...pod.spec,
          affinity: {
            podAntiAffinity: {
              ...noAffinity,
              requiredDuringSchedulingIgnoredDuringExecution: [term("kubernetes.io/hostname")],
            },
          },
        },
      };
    default:
      // InterPodAffinity: preferred affinity (weight 1) to the pod's own group on zone.
      return {
        ...pod,
        spec: {
          ...pod.spec,
          affinity: {
            podAffinity: {
              ...noAffinity,
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 1, podAffinityTerm: term("topology.kubernetes.io/zone") },
              ],
            },
          },
        },
      };
  }
}
