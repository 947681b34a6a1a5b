/**
 * What a simulation run measures, and the JSON result `gantry run --json` prints (schema
 * version 1). Latencies go into an HDR histogram (hdr-histogram-js) in microseconds of simulated
 * time; allocation is integrated piecewise-constant over simulated time.
 */
import * as hdr from "hdr-histogram-js";
import type { PackingMetrics } from "./strategies.ts";

/** Summary of a distribution in simulated seconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface RunResult {
  readonly schemaVersion: 1;
  readonly scenario: string;
  readonly seed: number;
  readonly profile: string;
  readonly pods: {
    /** Pods created (arrivals, re-creations after eviction included). */
    readonly submitted: number;
    /** Bindings made by the scheduler. */
    readonly scheduled: number;
    /** Pods still pending at the end after at least one failed attempt. */
    readonly unschedulable: number;
    /** Pods still pending at the end that were never attempted (the run ended first). */
    readonly pending: number;
    /** Victims deleted by preemption. */
    readonly preempted: number;
    /** Pods evicted from failed nodes (NoExecute taints past their tolerationSeconds). */
    readonly evicted: number;
    /** Pods that ran to completion. */
    readonly completed: number;
    /** Pods running at the end. */
    readonly running: number;
  };
  readonly schedulingAttempts: number;
  /** Simulated seconds at the end of the run. */
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  /** Bindings per wall-clock second (the whole run). */
  readonly podsPerSecond: number;
  /** Events processed per wall-clock second (arrivals, completions, cluster events, retries). */
  readonly eventsPerSecond: number;
  /**
   * Scheduling throughput over the pods created in the measured window (scheduler_perf's
   * SchedulingThroughput): bindings per wall-clock second from the first such pod's creation to
   * the last one's binding, and the same rate over successive windows of `window` bindings
   * (upstream samples once a second; gantry's runs are often shorter than a second).
   */
  readonly measured: {
    readonly pods: number;
    readonly wallSeconds: number;
    readonly podsPerSecond: number;
    readonly window: number;
    readonly samples: readonly number[];
  };
  /** Creation → binding, simulated seconds, for pods created in the measured window. */
  readonly latency: LatencySummary;
  /** Requested / allocatable per resource, at the end and averaged over simulated time. */
  readonly allocation: {
    readonly final: Readonly<Record<string, number>>;
    readonly timeWeighted: Readonly<Record<string, number>>;
  };
  /**
   * Packing quality at the end (src/sim/strategies.ts): stranded capacity per resource and GPU
   * fragmentation against the workload's typical pods.
   */
  readonly packing: PackingMetrics;
  readonly nodesUsed: { readonly final: number; readonly max: number };
  /** Pending pods (queued or unschedulable): maximum and time-weighted mean. */
  readonly pendingPods: {
    readonly max: number;
    readonly mean: number;
    /** Up to 100 (time, pending) samples, evenly spread over the run. */
    readonly series: readonly (readonly [number, number])[];
  };
  /**
   * Pod creations the API server's admission rejected (src/sim/controlplane/admission.ts:
   * missing namespace, LimitRange, ResourceQuota) — arrivals and controllers' creations and
   * retries alike — counted by reason: the message without its figures (`exceeded quota: q`,
   * `namespaces "x" not found`). Not counted in `pods.submitted`.
   */
  readonly admission: {
    readonly rejected: number;
    readonly byReason: Readonly<Record<string, number>>;
  };
  /** Warning events the control plane recorded (`FailedCreate`, …), counted by reason. */
  readonly events: {
    readonly warnings: number;
    readonly byReason: Readonly<Record<string, number>>;
  };
}

/** A latency recorder in simulated seconds (microsecond resolution, 3 significant digits). */
export class LatencyRecorder {
  readonly #h = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  #count = 0;
  #sum = 0;
  #max = 0;

  record(seconds: number): void {
    const us = Math.max(0, Math.round(seconds * 1e6));
    this.#h.recordValue(us);
    this.#count++;
    this.#sum += seconds;
    if (seconds > this.#max) this.#max = seconds;
  }

  summary(): LatencySummary {
    const q = (p: number) => (this.#count === 0 ? 0 : this.#h.getValueAtPercentile(p) / 1e6);
    return {
      count: this.#count,
      p50: q(50),
      p90: q(90),
      p99: q(99),
      max: this.#max,
      mean: this.#count === 0 ? 0 : this.#sum / this.#count,
    };
  }
}

/** Integrates a piecewise-constant value over simulated time. */
export class TimeWeighted {
  #last = 0;
  #value = 0;
  #area = 0;
  #max = 0;

  /** The value changes to `value` at `time` (non-decreasing). */
  set(time: number, value: number): void {
    this.#area += this.#value * (time - this.#last);
    this.#last = time;
    this.#value = value;
    if (value > this.#max) this.#max = value;
  }

  get value(): number {
    return this.#value;
  }

  get max(): number {
    return this.#max;
  }

  /** The mean over [0, `end`]. */
  mean(end: number): number {
    const area = this.#area + this.#value * (end - this.#last);
    return end > 0 ? area / end : this.#value;
  }
}
