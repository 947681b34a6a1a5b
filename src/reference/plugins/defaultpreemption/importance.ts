/**
 * Pod priority and importance (upstream `component-helpers` `PodPriority`,
 * `pkg/scheduler/util/utils.go`: `GetPodStartTime`, `MoreImportantPod`,
 * `GetEarliestPodStartTime`; semantics §5.4, §5.5).
 */
import type { Pod } from "../../../model/types.ts";

/** `spec.priority`, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

/**
 * "Now" for a pod without (or with an unparsable) `status.startTime`: upstream substitutes
 * `time.Now()`, later than every recorded start; the reference uses the largest int64
 * nanosecond value, so such pods are later than every recorded start and equal to each other.
 */
export const NOW_NANOS = (1n << 63n) - 1n;

/**
 * `status.startTime` (RFC 3339, optional fraction up to nanoseconds) as nanoseconds since the
 * epoch, or {@link NOW_NANOS}.
 */
export function podStartTime(pod: Pod): bigint {
  const t = pod.status.startTime;
  if (t === undefined) return NOW_NANOS;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(t);
  if (!m) return NOW_NANOS;
  const millis = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(millis)) return NOW_NANOS;
  const fraction = BigInt((m[2] ?? "").padEnd(9, "0"));
  return BigInt(millis) * 1_000_000n + fraction;
}

/**
 * Sort comparator for "more important first" (upstream `MoreImportantPod`): higher priority
 * first; equal priority → earlier start time first. Pods equal on both compare 0 (a stable sort
 * keeps their node order; upstream's `sort.Slice` is an insertion sort — also stable — below 13
 * elements, unspecified above).
 */
export function compareImportance(a: Pod, b: Pod): number {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pb - pa;
  const sa = podStartTime(a);
  const sb = podStartTime(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The earliest start time among the victims that have the highest priority (upstream
 * `GetEarliestPodStartTime`). `victims` must not be empty.
 */
export function earliestStartOfHighestPriority(victims: readonly Pod[]): bigint {
  let maxPriority = Number.NEGATIVE_INFINITY;
  let earliest = NOW_NANOS;
  for (const pod of victims) {
    const p = podPriority(pod);
    const start = podStartTime(pod);
    if (p > maxPriority) {
      maxPriority = p;
      earliest = start;
    } else if (p === maxPriority && start < earliest) {
      earliest = start;
    }
  }
  return earliest;
}
