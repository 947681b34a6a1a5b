import { describe, expect, it } from "vitest";
import { benchmark, benchResult, type Metric } from "../../src/benchmark/result.ts";
import { InputError } from "../../src/diagnostics.ts";
import { gate, gateCounts } from "../../src/gate/gate.ts";
import { renderGateJUnit } from "../../src/gate/junit.ts";
import { escapeCell, renderGateMarkdown } from "../../src/gate/markdown.ts";
import { renderGateText } from "../../src/gate/text.ts";
import { DEFAULT_METRICS, ENV, noisy, synthetic } from "../benchmark/fixtures.ts";
import { parseXml } from "../benchmark/xml.ts";

const baseline = synthetic({ seed: 1 });
const row = (r: ReturnType<typeof gate>, name: string) =>
  r.comparisons.find((c) => c.name === name)!;

describe("gate: timings", () => {
  it("fails a 20 % slowdown", () => {
    const r = gate(synthetic({ seed: 2, slowdown: 1.2 }), baseline);
    expect(r.verdict).toBe("regression");
    const wasm = row(r, "wasm: 5000 nodes");
    expect(wasm.status).toBe("regression");
    expect(wasm.failed).toBe(true);
    expect(wasm.slowdown).toBeGreaterThan(1.15);
    expect(wasm.interval!.low).toBeGreaterThan(1.05);
    expect(wasm.pValue).toBeLessThan(0.001);
    // pods/s is bigger-is-better: 20 % slower is a lower rate, also a regression.
    expect(row(r, "showcase").status).toBe("regression");
    expect(row(r, "showcase").ratio).toBeLessThan(1);
    // The ratio of two equally slowed benchmarks is unchanged.
    expect(row(r, "wasm/reference time").failed).toBe(false);
  });

  it("passes 2 % noise and a 2 % shift", () => {
    for (const [seed, slowdown] of [
      [3, 1],
      [4, 1.02],
      [5, 0.98],
    ] as const) {
      const r = gate(synthetic({ seed, slowdown }), baseline);
      expect(r.verdict, `seed ${seed}, slowdown ${slowdown}`).toBe("pass");
      for (const c of r.comparisons) {
        expect(["unchanged", "within-tolerance"]).toContain(c.status);
      }
    }
  });

  it("reports an improvement without failing", () => {
    const r = gate(synthetic({ seed: 6, slowdown: 0.8 }), baseline);
    expect(r.verdict).toBe("pass");
    expect(row(r, "wasm: 5000 nodes").status).toBe("improvement");
    expect(gateCounts(r).improvements).toBeGreaterThanOrEqual(2);
  });

  it("does not fail a large but insignificant change (one sample each)", () => {
    const one = (x: number) =>
      benchResult({
        environment: ENV,
        startedAt: "2025-01-31T12:00:00Z",
        quick: true,
        benchmarks: [
          benchmark({
            name: "t",
            kind: "scenario",
            unit: "s",
            biggerIsBetter: false,
            samples: [x],
          }),
        ],
      });
    const r = gate(one(15), one(10));
    expect(r.comparisons[0]?.status).toBe("inconclusive");
    expect(r.verdict).toBe("pass");
  });

  it("normalises by a calibration benchmark", () => {
    const slowMachine = { ...ENV, cpu: "Slower CPU" };
    const current = synthetic({ seed: 7, slowdown: 1.3, environment: slowMachine });
    const raw = gate(current, baseline);
    expect(raw.verdict).toBe("regression");
    expect(raw.notes[0]).toMatch(/^different machines: .*not comparable/);
    const cal = gate(current, baseline, { calibration: "reference: 5000 nodes" });
    expect(cal.verdict).toBe("pass");
    expect(cal.calibration?.factor).toBeCloseTo(1.3, 1);
    expect(row(cal, "reference: 5000 nodes").status).toBe("calibration");
    expect(row(cal, "wasm: 5000 nodes").slowdown).toBeCloseTo(1, 1);
    expect(row(cal, "showcase").failed).toBe(false);
    // A real slowdown on top of the machine's still fails.
    const worse = synthetic({ seed: 8, slowdown: 1.3, environment: slowMachine });
    const slowed = {
      ...worse,
      benchmarks: worse.benchmarks.map((b) =>
        b.name === "wasm: 5000 nodes"
          ? benchmark({ ...b, samples: b.samples.map((x) => x * 1.25) })
          : b,
      ),
    };
    const r = gate(slowed, baseline, { calibration: "reference: 5000 nodes" });
    expect(row(r, "wasm: 5000 nodes").status).toBe("regression");
  });

  it("rejects a calibration benchmark missing from either side", () => {
    expect(() =>
      gate(baseline, baseline, {
        calibration: "nope",
        files: { current: "cur.json", baseline: "base.json" },
      }),
    ).toThrow(InputError);
    expect(() =>
      gate(baseline, baseline, {
        calibration: "nope",
        files: { current: "cur.json", baseline: "base.json" },
      }),
    ).toThrow(
      'cur.json: benchmarks: calibration benchmark "nope" is missing\nbase.json: benchmarks: calibration benchmark "nope" is missing',
    );
    expect(() => gate(baseline, baseline, { tolerance: -1 })).toThrow(
      "gate options: tolerance: must be a non-negative number",
    );
  });

  it("reports but does not fail timing regressions when timings are not gated; ratios still gate", () => {
    const current = synthetic({ seed: 9, slowdown: 1.2 });
    const r = gate(current, baseline, { gateTimings: false });
    expect(row(r, "wasm: 5000 nodes").status).toBe("regression");
    expect(r.verdict).toBe("pass");
    // Slow only the numerator: the ratio regresses.
    const skewed = {
      ...current,
      benchmarks: current.benchmarks.map((b) =>
        b.name === "reference: 5000 nodes"
          ? benchmark({ ...b, samples: b.samples.map((x) => x / 1.2 / 1.3) })
          : b,
      ),
    };
    const fixedRatio = {
      ...skewed,
      ratios: [
        {
          ...skewed.ratios[0]!,
          value: skewed.benchmarks[0]!.summary.median / skewed.benchmarks[1]!.summary.median,
        },
      ],
    };
    const q = gate(fixedRatio, baseline, { gateTimings: false });
    expect(row(q, "wasm/reference time").status).toBe("regression");
    expect(q.verdict).toBe("regression");
  });

  it("fails a missing benchmark, reports a new one, and is deterministic", () => {
    const current = synthetic({ seed: 10 });
    const dropped = {
      ...current,
      benchmarks: [
        ...current.benchmarks.filter((b) => b.name !== "showcase"),
        benchmark({
          name: "generator",
          kind: "timing",
          unit: "ms",
          biggerIsBetter: false,
          samples: noisy(1, 20, 3, 0.02),
        }),
      ],
    };
    const r = gate(dropped, baseline);
    expect(row(r, "showcase")).toMatchObject({ status: "missing", failed: true });
    expect(row(r, "generator")).toMatchObject({ status: "new", failed: false });
    expect(r.verdict).toBe("regression");
    expect(gate(dropped, baseline)).toEqual(r);
  });

  it("fails a unit change as incompatible", () => {
    const current = synthetic({ seed: 11 });
    const changed = {
      ...current,
      benchmarks: current.benchmarks.map((b) =>
        b.name === "showcase" ? { ...b, unit: "pods/min" } : b,
      ),
    };
    const c = row(gate(changed, baseline), "showcase");
    expect(c.status).toBe("incompatible");
    expect(c.message).toContain('unit changed from "pods/s" to "pods/min"');
  });
});

describe("gate: deterministic metrics", () => {
  const withMetric = (seed: number, metrics: readonly Metric[]) => synthetic({ seed, metrics });

  it("passes identical metrics", () => {
    const r = gate(withMetric(12, DEFAULT_METRICS), baseline);
    expect(r.metrics.every((m) => m.status === "equal" && !m.failed)).toBe(true);
    expect(r.verdict).toBe("pass");
  });

  it("fails one changed placement metric with a readable diff", () => {
    const metrics = DEFAULT_METRICS.map((m) =>
      m.name === "showcase: pods scheduled" ? { ...m, value: 99750 } : m,
    );
    const r = gate(withMetric(13, metrics), baseline);
    expect(r.verdict).toBe("regression");
    const m = r.metrics.find((x) => x.failed)!;
    expect(m).toMatchObject({
      name: "showcase: pods scheduled",
      status: "changed",
      baseline: 99812,
      current: 99750,
      delta: -62,
    });
    expect(m.message).toBe("changed: 99812 → 99750 (-62, -0.06 %)");
    const text = renderGateText(r);
    expect(text.split("\n")[0]).toBe("gantry gate: REGRESSION (1 changed metric)");
    expect(text).toContain("deterministic metrics: 2 of 3 equal");
    expect(text).toMatch(
      /showcase: pods scheduled +99,812 +99,750 +−62 +−0\.06 % +pods +✗ changed/,
    );
    // Only the changed metric is listed.
    expect(text).not.toMatch(/showcase: nodes used +4,210/);
  });

  it("honours a relative tolerance, and reports missing and new metrics", () => {
    const metrics: Metric[] = [
      ...DEFAULT_METRICS.filter((m) => m.name !== "showcase: nodes used").map((m) =>
        m.name === "showcase: cpu allocation" ? { ...m, value: 0.7135 } : m,
      ),
      { name: "showcase: fragmentation", kind: "deterministic", value: 0.1, unit: "fraction" },
    ];
    const r = gate(withMetric(14, metrics), baseline, { metricTolerance: 0.001 });
    const by = (n: string) => r.metrics.find((m) => m.name === n)!;
    expect(by("showcase: cpu allocation").status).toBe("within-tolerance");
    expect(by("showcase: nodes used")).toMatchObject({ status: "missing", failed: true });
    expect(by("showcase: fragmentation")).toMatchObject({ status: "new", failed: false });
    expect(
      gate(withMetric(14, metrics), baseline).metrics.find(
        (m) => m.name === "showcase: cpu allocation",
      )?.status,
    ).toBe("changed");
  });
});

describe("gate renderings", () => {
  const r = gate(synthetic({ seed: 15, slowdown: 1.2 }), baseline);

  it("writes a Markdown PR comment", () => {
    const md = renderGateMarkdown(r);
    expect(md.startsWith("## ❌ gantry gate: REGRESSION")).toBe(true);
    expect(md).toContain("### Failures (");
    expect(md).toMatch(/\| wasm: 5000 nodes \| ❌ regression \| worse by \d+\.\d %/);
    expect(md).toContain("<details open><summary>Benchmarks and ratios (4)</summary>");
    // Every table row has as many cells as its header.
    for (const block of md.split("\n\n")) {
      const lines = block.split("\n").filter((l) => l.startsWith("|"));
      if (lines.length === 0) continue;
      const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
      for (const l of lines) expect(cells(l)).toBe(cells(lines[0]!));
    }
    expect(escapeCell("a|b<c>\n`d`")).toBe("a\\|b&lt;c&gt; \\`d\\`");
    expect(renderGateMarkdown(gate(baseline, baseline)).startsWith("## ✅ gantry gate: pass")).toBe(
      true,
    );
  });

  it("writes JUnit with a failure per failing row", () => {
    const root = parseXml(renderGateJUnit(r));
    const suite = root.children[0]!;
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases).toHaveLength(r.metrics.length + r.comparisons.length);
    const failing = cases.filter((c) => c.children.some((x) => x.name === "failure"));
    expect(failing.map((c) => c.attrs["name"])).toEqual(
      r.comparisons.filter((c) => c.failed).map((c) => c.name),
    );
    expect(suite.attrs["failures"]).toBe(String(failing.length));
  });

  it("writes the text report with bands and p-values", () => {
    const text = renderGateText(r);
    expect(text).toMatch(/^gantry gate: REGRESSION \(\d regressions?\)/);
    expect(text).toMatch(
      /wasm: 5000 nodes +[\d.]+ +[\d.]+ +ms +\+\d+\.\d % +\+\d+\.\d % … \+\d+\.\d % +p < 0\.001 +60\/60 +✗ regression/,
    );
  });
});
