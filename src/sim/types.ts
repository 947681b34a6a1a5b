/**
 * What a simulation runs: the contract between the inputs (scenario files, plain manifests,
 * generators, scheduler_perf configs) and the discrete-event engine (src/sim/engine.ts).
 *
 * Time is simulated seconds from the start (a float). Pods stream: `arrivals` is iterated lazily
 * and its records may share their `template` objects, so ten million pods never exist as ten
 * million Pod objects; the engine keeps per-pod state in flat arrays.
 */
import type { Profile } from "../config/types.ts";
import type { TypicalPodShape } from "../core/strategies.ts";
import type { Node, Pod, Taint } from "../model/types.ts";
import type { ClusterObjects } from "../reference/framework/snapshot.ts";
import type { AdmissionConfig } from "./controlplane/admission.ts";
import type { Controller } from "./controlplane/api.ts";
import type { ClaimSink } from "./controlplane/claims.ts";

/** Annotation giving a pod (or a template) its run time once bound: a Go duration (`90s`, `1h30m`) or `never`. */
export const DURATION_ANNOTATION = "gantry.dev/duration";
/** Annotation giving a pod its arrival time (a Go duration from the start); default 0. */
export const ARRIVAL_ANNOTATION = "gantry.dev/arrival";

/** One pod entering the simulation (created in the API store, queued for scheduling). */
export interface PodArrival {
  /** Simulated seconds since the start; arrivals come in non-decreasing time order. */
  readonly time: number;
  /**
   * The pod's spec. Arrivals of one template (or one variant of it) may share this object; the
   * engine derives the pod class from it once per object. Its `metadata.name` is the template's.
   */
  readonly template: Pod;
  /** Run time once bound, in seconds; `Infinity`: runs until deleted or evicted. */
  readonly duration: number;
  /** The pod's own name; without it the engine names it `<template name>-<n>`. */
  readonly name?: string;
}

/** A change to the cluster at a given time. */
export type ClusterEvent =
  | { readonly time: number; readonly kind: "addNode"; readonly node: Node }
  | {
      readonly time: number;
      readonly kind: "removeNode" | "cordon" | "uncordon" | "fail" | "recover";
      /** The node's name. */
      readonly node: string;
    }
  | {
      readonly time: number;
      readonly kind: "setTaints";
      readonly node: string;
      readonly taints: readonly Taint[];
    }
  | {
      readonly time: number;
      /** Deletes pods of `namespace` (pending or running), oldest first; `count` of them or all. */
      readonly kind: "deletePods";
      readonly namespace: string;
      readonly count?: number;
    };

/** Everything one simulation run needs. */
export interface SimulationInput {
  /** A name for reports (the scenario's). */
  readonly name: string;
  /** The cluster at time 0. */
  readonly nodes: readonly Node[];
  /** Pods already bound at time 0 (`spec.nodeName` set); they run for their duration. */
  readonly boundPods?: readonly PodArrival[];
  /** Namespaces, Services, ReplicaSets, StatefulSets, PodDisruptionBudgets, PriorityClasses. */
  readonly objects?: ClusterObjects;
  /** The resolved scheduling profile (src/config) and the global percentageOfNodesToScore. */
  readonly profile: Profile;
  readonly percentageOfNodesToScore?: number;
  /** The pod stream, lazily iterated, in non-decreasing time. */
  readonly arrivals: Iterable<PodArrival>;
  /** Cluster changes, in any order (the engine orders them by time). */
  readonly events?: readonly ClusterEvent[];
  /** Seeds everything random in the run (the core's selectHost and preemption draws included). */
  readonly seed: number;
  /** Stop at this simulated time (seconds); default: when no event is left. */
  readonly endTime?: number;
  /**
   * Metrics cover pods created in [from, to) (seconds); default: the whole run. Their bindings
   * also give the run's measured throughput (RunResult.measured).
   */
  readonly measure?: { readonly from?: number; readonly to?: number };
  /**
   * FGDScore's typical pods and the fragmentation metric's (docs/placement-strategies.md), when
   * the profile's args give none: derived from the whole workload (src/sim/strategies.ts `typicalPodsOf`).
   */
  readonly typicalPods?: readonly TypicalPodShape[] | undefined;
  /**
   * The control plane's controllers (src/sim/controlplane): a factory called once per run, so an
   * input can be simulated again with fresh controller state. Without it no controller runs and
   * the engine does no per-pod control-plane work.
   */
  readonly controllers?: (claims?: ClaimSink) => readonly Controller[];
  /**
   * Admission (namespaces, LimitRange, ResourceQuota) for every pod created — arrivals and
   * controllers' pods; bound pods are charged to their quotas. Without it nothing is checked.
   */
  readonly admission?: AdmissionConfig;
}
