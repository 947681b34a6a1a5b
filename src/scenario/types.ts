/**
 * The scenario file (`apiVersion: gantry.dev/v1alpha1`, `kind: Scenario`) as parsed and
 * defaulted, and the loaded {@link Scenario}. The file format itself is documented in
 * `src/scenario/parse.ts`.
 */
import type {
  BalancedAllocationFormula,
  KubeSchedulerConfiguration,
  Profile,
} from "../config/types.ts";
import type { Diagnostic } from "../diagnostics.ts";
import type { NodePoolSpec } from "../generate/cluster.ts";
import type { PodStreamSpec } from "../generate/pods.ts";
import type { Node, Taint } from "../model/types.ts";
import type { ClusterObjects } from "../reference/framework/snapshot.ts";
import type { ControlPlaneSpec } from "../sim/controlplane/index.ts";
import type { ClusterEvent, PodArrival, SimulationInput } from "../sim/types.ts";

export const SCENARIO_API_VERSION = "gantry.dev/v1alpha1";
export const SCENARIO_KIND = "Scenario";

/** A cluster event as written: `at` in seconds. */
export type EventSpec =
  | {
      readonly at: number;
      readonly kind: "addNode";
      /** The pool the nodes come from (its next nodes, in the pool's naming sequence). */
      readonly pool: string;
      readonly count: number;
    }
  | {
      readonly at: number;
      readonly kind: "removeNode" | "cordon" | "uncordon" | "fail" | "recover";
      readonly node: string;
    }
  | {
      readonly at: number;
      readonly kind: "setTaints";
      readonly node: string;
      readonly taints: readonly Taint[];
    }
  | {
      readonly at: number;
      /** Sets a Deployment's `spec.replicas`. */
      readonly kind: "scale";
      /** `namespace/name`, or `name` in `default`. */
      readonly deployment: string;
      readonly replicas: number;
    }
  | {
      readonly at: number;
      /** Changes a Deployment's template (a new ReplicaSet): `image` for every container, or a restart. */
      readonly kind: "rollout";
      readonly deployment: string;
      readonly image?: string;
    };

export type EventKind = EventSpec["kind"];

export const EVENT_KINDS: readonly EventKind[] = [
  "addNode",
  "removeNode",
  "cordon",
  "uncordon",
  "fail",
  "recover",
  "setTaints",
  "scale",
  "rollout",
];

/** How the scheduler is configured. */
export interface SchedulerSpec {
  /**
   * Without a configuration: a built-in profile (`default`, `most-allocated`). With one: the
   * `schedulerName` of the profile to run (default: the only profile, else `default-scheduler`).
   */
  readonly profile?: string;
  /** A KubeSchedulerConfiguration file, resolved against the scenario's directory. */
  readonly configFile?: string;
  /** An inline KubeSchedulerConfiguration document. */
  readonly config?: unknown;
  readonly balancedAllocationFormula?: BalancedAllocationFormula;
}

/** A scenario document, parsed and defaulted. Paths are resolved against the scenario file. */
export interface ScenarioSpec {
  readonly metadata: { readonly name: string; readonly description?: string };
  readonly cluster: {
    readonly files: readonly string[];
    /** Inline manifests, as parsed. */
    readonly manifests: readonly unknown[];
    readonly pools: readonly NodePoolSpec[];
  };
  readonly workload: {
    readonly files: readonly string[];
    readonly manifests: readonly unknown[];
    readonly streams: readonly PodStreamSpec[];
  };
  readonly scheduler: SchedulerSpec;
  readonly simulation: {
    readonly seed: number;
    /** Seconds. */
    readonly endTime?: number;
    readonly measure?: { readonly from?: number; readonly to?: number };
  };
  readonly events: readonly EventSpec[];
  readonly outputs: { readonly json?: string };
}

/** A loaded, validated scenario: everything a run needs, with lazy pod streams. */
export interface Scenario {
  readonly name: string;
  readonly description?: string;
  /** The scenario file, or the manifest inputs joined with spaces. */
  readonly source: string;
  readonly spec: ScenarioSpec;
  /** The run seed (the file's, unless overridden when loading). */
  readonly seed: number;
  /** The cluster at time 0: manifest Nodes, then each pool's nodes. */
  readonly nodes: readonly Node[];
  /** Pods bound at time 0 (`spec.nodeName` set in the manifests). */
  readonly boundPods: readonly PodArrival[];
  /** Pending pods from the manifests, by arrival time (`gantry.dev/arrival`, default 0). */
  readonly pods: readonly PodArrival[];
  /** The generated pod streams. */
  readonly streams: readonly PodStreamSpec[];
  /** Namespaces and kept objects (PriorityClasses included, synthesized ones too). */
  readonly objects: ClusterObjects;
  /** Controllers (Deployments, …) and admission (namespaces, quotas, limit ranges). */
  readonly controlPlane?: ControlPlaneSpec;
  readonly config: KubeSchedulerConfiguration;
  readonly profile: Profile;
  readonly percentageOfNodesToScore: number;
  /** Cluster events, by time. */
  readonly events: readonly ClusterEvent[];
  readonly endTime?: number;
  readonly measure?: { readonly from?: number; readonly to?: number };
  readonly outputs: { readonly json?: string };
  /** Warnings found while loading. */
  readonly warnings: readonly Diagnostic[];
  /** Every arrival (manifest pods and streams merged), in time order; re-iterable, lazy. */
  arrivals(): Iterable<PodArrival>;
  /** The run's input; each call gives fresh iterables, so a run repeats identically. */
  toSimulationInput(): SimulationInput;
}
