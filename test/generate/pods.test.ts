/**
 * Pod streams: deterministic per seed, one generator per aspect, weighted templates, label
 * groups sharing one Pod object per variant (bounded cache), count and until, merging, laziness.
 */
import { describe, expect, it } from "vitest";
import {
  mergeArrivals,
  type PodStreamSpec,
  type PodTemplate,
  podStream,
  VARIANT_CACHE_SIZE,
} from "../../src/generate/pods.ts";
import type { Pod } from "../../src/model/types.ts";
import type { PodArrival } from "../../src/sim/types.ts";
import { makePod } from "../helpers/builders.ts";

/** A template whose variants are `<name>-<k>` pods, counting its builds. */
function template(name: string, weight = 1, over: Partial<PodTemplate> = {}) {
  const counter = { builds: 0 };
  const t: PodTemplate = {
    weight,
    varies: true,
    duration: { kind: "exponential", mean: 60 },
    build: (k: number): Pod => {
      counter.builds++;
      return makePod({ name, labels: { app: `${name}-${k}` } });
    },
    ...over,
  };
  return { t, counter };
}

function stream(over: Partial<PodStreamSpec> = {}): PodStreamSpec {
  return {
    name: "web",
    templates: [template("web").t],
    groups: 1,
    count: 1000,
    start: 0,
    arrival: { kind: "poisson", rate: 10 },
    ...over,
  };
}

function take(it: Iterable<PodArrival>, n = Number.POSITIVE_INFINITY): PodArrival[] {
  const out: PodArrival[] = [];
  for (const a of it) {
    if (out.length >= n) break;
    out.push(a);
  }
  return out;
}

const summary = (a: PodArrival) => [a.time, a.template.metadata.labels["app"], a.duration];

describe("podStream", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const s = stream({ groups: 5 });
    const a = take(podStream(s, 1)).map(summary);
    expect(take(podStream(s, 1)).map(summary)).toEqual(a);
    expect(take(podStream(s, 2)).map(summary)).not.toEqual(a);
  });

  it("replays identically when iterated again", () => {
    const it = podStream(stream({ groups: 3 }), 4);
    expect(take(it).map(summary)).toEqual(take(it).map(summary));
  });

  it("stops at count, and at until (exclusive)", () => {
    expect(take(podStream(stream({ count: 17 }), 1))).toHaveLength(17);
    const bounded = take(podStream(stream({ count: undefined, until: 30, start: 10 }), 1));
    expect(bounded.every((a) => a.time >= 10 && a.time < 30)).toBe(true);
    // ≈ 10/s for 20 s; a Poisson count of mean 200 has SE √200 ≈ 14.
    expect(Math.abs(bounded.length - 200)).toBeLessThan(5 * Math.sqrt(200));
  });

  it("draws each aspect from its own generator: changing run times leaves times and groups", () => {
    const fixed = stream({ groups: 4 });
    const other = stream({
      groups: 4,
      templates: [template("web", 1, { duration: { kind: "uniform", min: 1, max: 2 } }).t],
    });
    const a = take(podStream(fixed, 9));
    const b = take(podStream(other, 9));
    expect(b.map((x) => [x.time, x.template.metadata.labels["app"]])).toEqual(
      a.map((x) => [x.time, x.template.metadata.labels["app"]]),
    );
    expect(b.map((x) => x.duration)).not.toEqual(a.map((x) => x.duration));
  });

  it("picks templates by weight", () => {
    // 20,000 picks of p = 0.8: SE √(p(1−p)/N) ≈ 0.0028; allow 5 SE.
    const n = 20_000;
    const s = stream({ count: n, templates: [template("a", 4).t, template("b", 1).t] });
    const share = take(podStream(s, 1)).filter((x) => x.template.metadata.name === "a").length / n;
    expect(Math.abs(share - 0.8)).toBeLessThan(5 * Math.sqrt(0.16 / n));
  });

  it("gives k uniform in [0, groups) and one shared Pod object per variant", () => {
    const { t, counter } = template("web");
    const arrivals = take(podStream(stream({ templates: [t], groups: 3, count: 3000 }), 1));
    expect(counter.builds).toBe(3);
    const byApp = new Map<string, Set<Pod>>();
    for (const a of arrivals) {
      const app = a.template.metadata.labels["app"]!;
      byApp.set(app, (byApp.get(app) ?? new Set()).add(a.template));
    }
    expect([...byApp.keys()].sort()).toEqual(["web-0", "web-1", "web-2"]);
    for (const objects of byApp.values()) expect(objects.size).toBe(1);
    // Each group ≈ 1000 of 3000 (SE √(3000·⅓·⅔) ≈ 26).
    for (const app of byApp.keys()) {
      const n = arrivals.filter((a) => a.template.metadata.labels["app"] === app).length;
      expect(Math.abs(n - 1000)).toBeLessThan(5 * 26);
    }
  });

  it("builds a template that does not vary once, whatever the groups", () => {
    const { t, counter } = template("web", 1, { varies: false });
    const arrivals = take(podStream(stream({ templates: [t], groups: 50 }), 1));
    expect(counter.builds).toBe(1);
    expect(new Set(arrivals.map((a) => a.template)).size).toBe(1);
  });

  it("bounds the variant cache", () => {
    const { t, counter } = template("web");
    const groups = VARIANT_CACHE_SIZE * 4;
    const arrivals = take(podStream(stream({ templates: [t], groups, count: 20_000 }), 1));
    // More distinct variants than the cache holds: some are rebuilt, none is kept beyond the bound.
    const distinct = new Set(arrivals.map((a) => a.template.metadata.labels["app"])).size;
    expect(distinct).toBeGreaterThan(VARIANT_CACHE_SIZE);
    expect(counter.builds).toBeGreaterThan(distinct);
  });

  it("maps `never` to an infinite run time", () => {
    const s = stream({ templates: [template("web", 1, { duration: "never" }).t], count: 5 });
    expect(take(podStream(s, 1)).every((a) => a.duration === Number.POSITIVE_INFINITY)).toBe(true);
  });

  it("is lazy: an endless stream yields its first arrivals (an eager one would never return)", () => {
    const s = stream({ count: undefined, until: undefined });
    const first = take(podStream(s, 1), 1000);
    expect(first).toHaveLength(1000);
    expect(first.every((a, i) => i === 0 || a.time >= (first[i - 1]?.time ?? 0))).toBe(true);
  });
});

describe("mergeArrivals", () => {
  const at = (time: number, name: string): PodArrival => ({
    time,
    template: makePod({ name }),
    duration: 1,
  });

  it("merges sources in time order, ties in source order", () => {
    const merged = take(
      mergeArrivals([
        [at(0, "a0"), at(2, "a2"), at(2, "a2b")],
        [at(1, "b1"), at(2, "b2")],
        [],
        [at(0, "c0")],
      ]),
    ).map((a) => a.template.metadata.name);
    expect(merged).toEqual(["a0", "c0", "b1", "a2", "a2b", "b2"]);
  });

  it("keeps each stream's arrivals when another stream is added", () => {
    const web = stream({ name: "web", groups: 2 });
    const batch = stream({ name: "batch", templates: [template("batch").t] });
    const alone = take(podStream(web, 3)).map(summary);
    const merged = take(mergeArrivals([podStream(batch, 3), podStream(web, 3)]))
      .filter((a) => a.template.metadata.name === "web")
      .map(summary);
    expect(merged).toEqual(alone);
  });
});
