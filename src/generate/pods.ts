/**
 * Pod streams: pods created over simulated time from weighted templates, lazily.
 *
 * For each arrival a stream draws, each aspect from its own generator so that changing one aspect
 * (say, the run-time distribution) never moves another (the arrival times):
 *
 * | aspect   | generator                      | draws per pod                                   |
 * | -------- | ------------------------------ | ----------------------------------------------- |
 * | time     | `stream/<name>/arrival`        | per {@link ArrivalProcess}                      |
 * | template | `stream/<name>/template`       | one double, when there are several templates    |
 * | group k  | `stream/<name>/group`          | one bounded integer in `[0, groups)`, if > 1    |
 * | run time | `stream/<name>/duration`       | per {@link Distribution} of the chosen template |
 *
 * **Memory stays flat.** Arrivals of one template variant (template, k) share one `Pod` object:
 * variants are built on first use and kept in a cache of at most {@link VARIANT_CACHE_SIZE}
 * entries per stream (least recently used out first; a variant evicted and needed again is
 * rebuilt, as an equal but distinct object). A template that does not vary is built once. Each
 * {@link PodArrival} is four fields; nothing else is allocated per pod, and nothing is computed
 * before it is asked for. Arrivals carry no `name`: the engine names them `<template>-<n>`.
 *
 * Iterating a stream twice gives the same arrivals (fresh generators per iteration; the variant
 * cache is shared, so the same Pod objects come back while they stay cached).
 */
import type { Pod } from "../model/types.ts";
import type { PodArrival } from "../sim/types.ts";
import { type ArrivalProcess, arrivalTimes, type Distribution, sample } from "./distributions.ts";
import { streamRandom } from "./random.ts";

/** Most template variants a stream keeps built at once. */
export const VARIANT_CACHE_SIZE = 4096;

/** One of a stream's pod templates. */
export interface PodTemplate {
  /** Relative weight among the stream's templates, > 0. */
  readonly weight: number;
  /**
   * Builds the pod of group `k` (`0 ≤ k < groups`). Called once per variant while it stays
   * cached; only with `k = 0` when the template does not vary.
   */
  readonly build: (k: number) => Pod;
  /** Whether the pod depends on `k` (the template uses `{{k}}`). */
  readonly varies: boolean;
  /** Run time once bound, in seconds, or `never` (runs until deleted or evicted). */
  readonly duration: Distribution | "never";
}

/** A stream of pods. */
export interface PodStreamSpec {
  /** Names the stream's generators; unique within a scenario. */
  readonly name: string;
  readonly templates: readonly PodTemplate[];
  /** Number of label groups G: each pod gets `k` uniform in `[0, G)`. */
  readonly groups: number;
  /** Stop after this many pods. */
  readonly count?: number;
  /** Simulated time of the stream's start, seconds. */
  readonly start: number;
  /** No arrival at or after this time (seconds). */
  readonly until?: number;
  readonly arrival: ArrivalProcess;
}

/**
 * The arrivals of `stream` under run seed `seed`, in non-decreasing time, lazily; endless when
 * the stream has neither `count` nor `until`.
 */
export function podStream(stream: PodStreamSpec, seed: number | bigint): Iterable<PodArrival> {
  if (stream.templates.length === 0) throw new RangeError(`stream ${stream.name} has no template`);
  const cache = new Map<number, Pod>();
  const fixed: (Pod | undefined)[] = stream.templates.map(() => undefined);
  const groups = Math.max(1, stream.groups);

  const variant = (index: number, k: number): Pod => {
    const t = stream.templates[index]!;
    if (!t.varies) {
      let pod = fixed[index];
      if (pod === undefined) {
        pod = t.build(0);
        fixed[index] = pod;
      }
      return pod;
    }
    const key = index * groups + k;
    let pod = cache.get(key);
    if (pod !== undefined) {
      cache.delete(key);
      cache.set(key, pod);
      return pod;
    }
    pod = t.build(k);
    if (cache.size >= VARIANT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, pod);
    return pod;
  };

  const cumulative: number[] = [];
  let total = 0;
  for (const t of stream.templates) {
    total += t.weight;
    cumulative.push(total);
  }

  return {
    *[Symbol.iterator](): Generator<PodArrival> {
      const name = stream.name;
      const times = arrivalTimes(
        stream.arrival,
        streamRandom(seed, `stream/${name}/arrival`),
        stream.start,
      );
      const templateRng = streamRandom(seed, `stream/${name}/template`);
      const groupRng = streamRandom(seed, `stream/${name}/group`);
      const durationRng = streamRandom(seed, `stream/${name}/duration`);
      const count = stream.count ?? Number.POSITIVE_INFINITY;
      const until = stream.until ?? Number.POSITIVE_INFINITY;
      const last = cumulative.length - 1;
      for (let n = 0; n < count; n++) {
        const time = times.next().value;
        if (time >= until) return;
        let index = 0;
        if (last > 0) {
          const u = templateRng.nextDouble() * total;
          while (index < last && u >= cumulative[index]!) index++;
        }
        const k = groups > 1 ? groupRng.nextBounded(groups) : 0;
        const t = stream.templates[index]!;
        const duration =
          t.duration === "never" ? Number.POSITIVE_INFINITY : sample(t.duration, durationRng);
        yield { time, template: variant(index, k), duration };
      }
    },
  };
}

/**
 * Merges arrival sources, each in non-decreasing time, into one in non-decreasing time; equal
 * times keep source order (the first source's first). Lazy; O(sources) per arrival.
 */
export function mergeArrivals(sources: readonly Iterable<PodArrival>[]): Iterable<PodArrival> {
  if (sources.length === 1) return sources[0]!;
  return {
    *[Symbol.iterator](): Generator<PodArrival> {
      const iters = sources.map((s) => s[Symbol.iterator]());
      const heads: (PodArrival | undefined)[] = iters.map((it) => {
        const r = it.next();
        return r.done ? undefined : r.value;
      });
      for (;;) {
        let best = -1;
        let bestTime = Number.POSITIVE_INFINITY;
        for (let i = 0; i < heads.length; i++) {
          const h = heads[i];
          if (h !== undefined && (best < 0 || h.time < bestTime)) {
            best = i;
            bestTime = h.time;
          }
        }
        if (best < 0) return;
        yield heads[best]!;
        const r = iters[best]!.next();
        heads[best] = r.done ? undefined : r.value;
      }
    },
  };
}
