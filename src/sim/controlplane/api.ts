/**
 * The contract between the simulation engine (src/sim/engine.ts) and the control plane around the
 * scheduler (issue 8): workload controllers, admission (namespaces, ResourceQuota, LimitRange)
 * and the API store's view of pods and nodes, all in simulated time.
 *
 * The engine owns the clock, the scheduling queue, binding and kubelet lifecycles. Controllers
 * act only through {@link ControlPlaneApi} (create and delete pods, timers) and learn what happens
 * through the {@link Controller} callbacks, in the order the engine processes events. Every
 * callback runs at the engine's current instant; pods a controller creates are queued at that
 * instant and scheduled in the same scheduling pass.
 *
 * Pod callbacks (`podBound`, `podEnded`) report the pods created through
 * {@link ControlPlaneApi.createPod} only, to every controller (each picks its own by owner
 * reference); the workload's own pods (arrivals, manifest pods) are not reported. Callbacks
 * never nest: what a callback causes (a `deletePod` ending a pod) is reported after it returns.
 */
import type { KeptObject, Node, Pod } from "../../model/types.ts";

/** How a pod ended or went away. */
export type PodEnd =
  /** Ran its duration and exited 0 (phase Succeeded). */
  | "Succeeded"
  /** Ran its duration and exited non-zero (phase Failed): `gantry.dev/failure-probability`. */
  | "Failed"
  /** Deleted through the API (a controller, a `deletePods` event). */
  | "Deleted"
  /** Evicted by the taint manager (NoExecute taints past tolerationSeconds). */
  | "Evicted"
  /** Deleted as a preemption victim. */
  | "Preempted"
  /** Its node was removed (pod GC). */
  | "NodeRemoved";

/** The outcome of a create call: the API server's admission answer. */
export type CreateResult =
  | { readonly ok: true; readonly key: string }
  | {
      readonly ok: false;
      /** The API server's message, e.g. `exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`. */
      readonly reason: string;
    };

/** What controllers may do; implemented by the engine. */
export interface ControlPlaneApi {
  /** The current simulated time (seconds). */
  readonly now: number;
  /**
   * Creates a pod through admission (namespace exists, LimitRange defaults applied, ResourceQuota
   * checked and charged). `pod.metadata.name` must be unique in its namespace among live pods.
   * The pod runs for `duration` seconds once bound (`Infinity`: until deleted), then ends
   * Succeeded, or Failed when `fails` is true.
   */
  createPod(pod: Pod, duration: number, fails?: boolean): CreateResult;
  /** Deletes a live pod (any state) by `namespace/name`; returns false when there is none. */
  deletePod(key: string): boolean;
  /**
   * Calls `fn` at simulated time `at` (≥ now), after the events already queued for that time.
   * A timer keeps the run going until it fires (a run with a timer that re-arms itself forever
   * needs an `endTime`); a `weak` one does not — like the scheduler's unschedulable-pod flush,
   * the run ends when only weak timers are left (retries after admission rejections).
   */
  timer(at: number, fn: () => void, options?: { readonly weak?: boolean }): void;
  /** The current nodes (spec and taints as the scheduler sees them). */
  nodes(): readonly Node[];
  /** Whether node `name` is Ready (not failed). */
  nodeReady(name: string): boolean;
  /** A live pod's phase: Pending (queued or unschedulable), Running, or undefined when gone. */
  podPhase(key: string): "Pending" | "Running" | undefined;
  /** The node a running pod is bound to. */
  podNode(key: string): string | undefined;
  /**
   * A seeded random source, uniform on [0, 1): the run's stream `controlplane/<name>` (see
   * src/generate/random.ts), so each name is independent and the same name restarts the same
   * sequence — call once and keep it.
   */
  random(name: string): { next(): number };
  /** Records a warning event (counted by `kind` in the result's `events` and the run summary). */
  event(kind: string, message: string): void;
  /**
   * Creates or replaces (by kind, namespace and name) an object the scheduler reads — a
   * ReplicaSet a Deployment creates, so PodTopologySpread's system default constraints follow
   * its pods' owner reference to its selector. The scheduler sees it from the next scheduling
   * cycle on (the engine rebuilds its view once per instant: use it for rare changes only).
   * Optional so that test doubles may leave it out; the engine implements it.
   */
  putObject?(obj: KeptObject): void;
}

/** A controller (or any control-plane component) driven by the engine. */
export interface Controller {
  /** Called once at time 0, after the initial nodes and bound pods are in place. */
  start(api: ControlPlaneApi): void;
  /** A pod was bound to `node` (it is Running from now). */
  podBound?(key: string, pod: Pod, node: string): void;
  /** A pod ended or went away (it is gone from the store after this call). */
  podEnded?(key: string, pod: Pod, end: PodEnd): void;
  /** A node joined the cluster. */
  nodeAdded?(node: Node): void;
  /** A node left the cluster (its pods were already reported NodeRemoved). */
  nodeRemoved?(name: string): void;
  /** A node's spec changed (cordon, taints) or its readiness changed. */
  nodeChanged?(node: Node, ready: boolean): void;
}

/** Annotation on a pod (template): the probability that it ends Failed, 0..1 (default 0). */
export const FAILURE_PROBABILITY_ANNOTATION = "gantry.dev/failure-probability";
