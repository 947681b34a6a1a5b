/**
 * `WasmScheduler.evaluate` over a profile with no Filter plugin (as the single-plugin Score tables
 * of test/reference/plugins use): every node is feasible, scored, and its code is CoreCode.Pass.
 * Regression test: the core's no-Filter path (assembly/schedule.ts `filterNodes`,
 * `filters & 4 == 0`) once returned the feasible list without writing the codes, so `evaluate`
 * reported CoreCode.PreFilterResult (8) for nodes it also listed as feasible.
 */
import { describe, expect, it } from "vitest";
import { CoreCode, WasmScheduler } from "../../src/core/scheduler.ts";
import { makeNode, makePod } from "../helpers/builders.ts";
import { singlePluginProfile } from "../reference/engines.ts";

describe("WasmScheduler.evaluate without Filter plugins", () => {
  it("lists every node feasible with CoreCode.Pass and scores it", async () => {
    const s = await WasmScheduler.create({
      nodes: [makeNode({ name: "a" }), makeNode({ name: "b" })],
      profile: singlePluginProfile({ score: "TaintToleration" }),
      build: "debug",
    });
    const ev = s.evaluate(makePod());
    expect([...ev.codes]).toEqual([CoreCode.Pass, CoreCode.Pass]);
    expect([...ev.feasible].sort()).toEqual([0, 1]);
    expect(ev.scores.map((sc) => sc.taint)).toEqual([100, 100]);
  });
});
