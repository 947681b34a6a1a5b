/**
 * `gantry bench` and `gantry gate` through the CLI: a bench run (tiny sizes) yields a result the
 * gate's parser accepts, in every format to `--out`; a scenario bench repeats with identical
 * metrics; the gate's exit codes (0 pass, 3 regression, 2 input or usage error) on synthetic
 * files; `--update-baseline` writes the baseline. The statistics are tested in test/gate.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BENCH_FORMATS } from "../../src/benchmark/formats/index.ts";
import { formatJson } from "../../src/benchmark/formats/json.ts";
import { parseBenchResult } from "../../src/benchmark/result.ts";
import { DEFAULT_METRICS, synthetic } from "../benchmark/fixtures.ts";
import { runCli } from "../helpers/cli.ts";

const tmp = () => mkdtemp(join(tmpdir(), "gantry-bench-"));

describe("gantry bench", () => {
  it("runs the suites (--smoke sizes) into a valid result, every format written to --out", async () => {
    const dir = await tmp();
    const r = await runCli([
      "bench",
      "--smoke",
      "--json",
      "--out",
      dir,
      "--format",
      "json,bmf",
      "--format",
      "junit",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = parseBenchResult(r.stdout, "stdout");
    expect(result.quick).toBe(true);
    const names = result.benchmarks.map((b) => b.name);
    expect(names).toContain("boundary: 5000 calls");
    expect(names.some((n) => n.startsWith("kernel: NodeResourcesFit"))).toBe(true);
    expect(names.some((n) => n.startsWith("SchedulingBasic"))).toBe(true);
    expect(names.some((n) => n.startsWith("generator:"))).toBe(true);
    expect(result.ratios.map((q) => q.name)).toContain(
      "wasm linear scan / TS reference, ns per visit, percentageOfNodesToScore 100",
    );
    expect(result.metrics.find((m) => m.name.endsWith("pods scheduled"))?.value).toBe(100);
    const file = parseBenchResult(await readFile(join(dir, "bench.json"), "utf8"), "bench.json");
    expect(file.benchmarks.length).toBe(result.benchmarks.length);
    expect(JSON.parse(await readFile(join(dir, BENCH_FORMATS.bmf.fileName), "utf8"))).toBeTypeOf(
      "object",
    );
    expect(await readFile(join(dir, BENCH_FORMATS.junit.fileName), "utf8")).toContain("<testsuite");
    // One format to a file path; the table still goes to stderr.
    const one = await runCli([
      "bench",
      "--smoke",
      "--out",
      join(dir, "gab.json"),
      "--format",
      "gab-smaller",
    ]);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe("");
    expect(one.stderr).toContain("ratio");
    const gab = JSON.parse(await readFile(join(dir, "gab.json"), "utf8")) as { unit: string }[];
    expect(gab.some((e) => e.unit === "ns/visit")).toBe(true);
  }, 60_000);

  it("benchmarks a scenario --repeat times with identical metrics; the table goes to stderr", async () => {
    const r = await runCli([
      "bench",
      "--scenario",
      "fixtures/scenarios/small.yaml",
      "--repeat",
      "2",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const result = parseBenchResult(r.stdout, "stdout");
    const wall = result.benchmarks.find((b) => b.name === "scenario small: wall time");
    expect(wall?.samples.length).toBe(2);
    expect(wall?.kind).toBe("scenario");
    const names = result.metrics.map((m) => m.name);
    expect(names).toContain("scenario small: pods scheduled");
    expect(names).toContain("scenario small: latency p99 (simulated)");
    const t = await runCli([
      "bench",
      "--scenario",
      "fixtures/scenarios/small.yaml",
      "--repeat",
      "1",
    ]);
    expect(t.code).toBe(0);
    expect(t.stdout).toBe("");
    expect(t.stderr).toMatch(/scenario small: pods scheduled\s+\d+/);
  }, 60_000);

  it("rejects bad flags and inputs with exit 2", async () => {
    const bad = [
      ["bench", "--format", "yaml"],
      ["bench", "--format", "json,bmf"],
      ["bench", "--repeat", "3"],
      ["bench", "--scenario", "fixtures/scenarios/small.yaml", "--repeat", "0"],
      ["bench", "--scenario", "fixtures/scenarios/small.yaml", "--quick"],
    ];
    for (const argv of bad) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/error/);
    }
    const missing = await runCli(["bench", "--scenario", "no/such.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no/such.yaml");
  });
});

describe("gantry gate", () => {
  const write = async (dir: string, name: string, text: string) => {
    const p = join(dir, name);
    await writeFile(p, text);
    return p;
  };

  it("exits 0 on a pass, 3 on a regression or a changed metric, with the report on stdout", async () => {
    const dir = await tmp();
    const base = await write(dir, "base.json", formatJson(synthetic({ seed: 1 })));
    const same = await write(dir, "same.json", formatJson(synthetic({ seed: 2 })));
    const slow = await write(dir, "slow.json", formatJson(synthetic({ seed: 3, slowdown: 1.2 })));
    const changed = await write(
      dir,
      "changed.json",
      formatJson(
        synthetic({
          seed: 4,
          metrics: DEFAULT_METRICS.map((m, i) => (i === 0 ? { ...m, value: m.value - 1 } : m)),
        }),
      ),
    );
    const pass = await runCli(["gate", same, "--baseline", base]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^gantry gate: pass/);

    const reg = await runCli(["gate", slow, "--baseline", base]);
    expect(reg.code).toBe(3);
    expect(reg.stdout).toMatch(/REGRESSION/);
    // A uniform 20 % slowdown leaves the machine-independent ratio alone: timings not gated pass.
    const ratiosOnly = await runCli(["gate", slow, "--baseline", base, "--no-gate-timings"]);
    expect(ratiosOnly.code).toBe(0);
    // A generous tolerance passes it too.
    expect((await runCli(["gate", slow, "--baseline", base, "--tolerance", "50%"])).code).toBe(0);

    const md = join(dir, "gate.md");
    const junit = join(dir, "gate.xml");
    const diff = await runCli([
      "gate",
      changed,
      "--baseline",
      base,
      "--markdown",
      md,
      "--junit",
      junit,
    ]);
    expect(diff.code).toBe(3);
    expect(diff.stdout).toContain("showcase: pods scheduled");
    expect(await readFile(md, "utf8")).toMatch(/^## ❌/);
    expect(await readFile(junit, "utf8")).toContain("<failure");
    expect(
      (await runCli(["gate", changed, "--baseline", base, "--metric-tolerance", "1%"])).code,
    ).toBe(0);

    const json = await runCli(["gate", same, "--baseline", base, "--json"]);
    expect(JSON.parse(json.stdout).verdict).toBe("pass");
    const mdOut = await runCli(["gate", same, "--baseline", base, "--markdown"]);
    expect(mdOut.stdout).toMatch(/^## ✅/);
  });

  it("exits 2 for unreadable or invalid files and bad flags", async () => {
    const dir = await tmp();
    const base = await write(dir, "base.json", formatJson(synthetic({ seed: 1 })));
    const broken = await write(dir, "broken.json", "{not json");
    const wrong = await write(dir, "wrong.json", JSON.stringify({ schema: "gantry.dev/bench/v1" }));
    const cases: [string[], RegExp][] = [
      [["gate", join(dir, "none.json"), "--baseline", base], /none\.json: no such file/],
      [["gate", broken, "--baseline", base], /broken\.json: not valid JSON/],
      [["gate", wrong, "--baseline", base], /wrong\.json: .*is required/],
      [["gate", base, "--baseline", base, "--tolerance", "lots"], /--tolerance/],
      [["gate", base, "--baseline", base, "--tolerance", "5"], /5%/],
      [["gate", base, "--baseline", base, "--calibration", "nope"], /calibration benchmark "nope"/],
      [["gate", base], /--baseline/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("--update-baseline writes the current result over the baseline and exits 0", async () => {
    const dir = await tmp();
    const slow = formatJson(synthetic({ seed: 3, slowdown: 1.2 }));
    const cur = await write(dir, "cur.json", slow);
    const base = await write(dir, "base.json", formatJson(synthetic({ seed: 1 })));
    const r = await runCli(["gate", cur, "--baseline", base, "--update-baseline"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("baseline updated");
    expect(await readFile(base, "utf8")).toBe(slow);
    // A baseline that does not exist yet is created.
    const fresh = join(dir, "sub", "baseline.json");
    expect((await runCli(["gate", cur, "--baseline", fresh, "--update-baseline"])).code).toBe(0);
    expect(await readFile(fresh, "utf8")).toBe(slow);
    expect((await runCli(["gate", cur, "--baseline", fresh])).code).toBe(0);
  });
});
