/**
 * The Go text/template subset scheduler_perf's templates use: `{{.Index}}`, templateParams,
 * scheduler_perf's helpers, Go's number printing; unsupported constructs (skip the workload) and
 * malformed templates (an input error) kept apart; the parse-once fast path for per-index
 * templates agrees with rendering and parsing each object.
 */
import { describe, expect, it } from "vitest";
import { parseYaml } from "../../src/manifest/parse.ts";
import { SkipWorkload, TemplateFiles } from "../../src/perf/objects.ts";
import {
  float,
  formatGoFloat,
  int,
  renderTemplate,
  str,
  Template,
  type TemplateEnv,
  TemplateError,
  TemplateUnsupportedError,
} from "../../src/perf/template.ts";

const env = (entries: Record<string, ReturnType<typeof int>>): TemplateEnv =>
  new Map(Object.entries(entries));

describe("template rendering", () => {
  it("prints .Index and template params", () => {
    const e = env({ Index: int(7), cpu: str("250m"), count: float(3) });
    expect(renderTemplate("name: pod-{{.Index}}\ncpu: {{ .cpu }}\nn: {{.count}}", e)).toBe(
      "name: pod-7\ncpu: 250m\nn: 3",
    );
  });

  it("runs scheduler_perf's helpers with Go's int truncation", () => {
    const e = env({ Index: int(7), per: float(3), p: float(1000) });
    const r = (t: string) => renderTemplate(t, e);
    expect(r("{{DivideInt .Index .per}}")).toBe("2");
    expect(r("{{AddInt 0 .p}}")).toBe("1000");
    expect(r("{{AddInt 1 2 3}}")).toBe("6");
    expect(r("{{SubtractInt .Index 10}}")).toBe("-3");
    expect(r("{{MultiplyInt .Index 2}}")).toBe("14");
    expect(r("{{Mod .Index 4}}")).toBe("3");
    expect(r("{{DivideFloat .Index 2}}")).toBe("3.5");
    expect(r("{{MultiplyFloat .p 1000}}")).toBe("1e+06");
    expect(r("{{div .Index 2}}")).toBe("3");
    expect(r("{{MultiplyInt 100 (AddInt .Index 1)}}")).toBe("800");
    expect(r("{{.Index | AddInt 1}}")).toBe("8");
  });

  it("prints float64 params as Go's %v does", () => {
    expect(formatGoFloat(5)).toBe("5");
    expect(formatGoFloat(0.5)).toBe("0.5");
    expect(formatGoFloat(100000)).toBe("100000");
    expect(formatGoFloat(1000000)).toBe("1e+06");
    expect(formatGoFloat(1234567)).toBe("1.234567e+06");
    expect(formatGoFloat(0.0001)).toBe("0.0001");
    expect(formatGoFloat(0.00001)).toBe("1e-05");
    expect(formatGoFloat(-2.5)).toBe("-2.5");
  });

  it("honours trim markers and comments", () => {
    expect(renderTemplate("a  {{- .Index -}}  b{{/* note */}}", env({ Index: int(1) }))).toBe(
      "a1b",
    );
  });

  it("flags control structures and unknown functions as unsupported (a skip, not an error)", () => {
    expect(() => Template.parse("{{if .x}}a{{end}}")).toThrow(TemplateUnsupportedError);
    expect(() => Template.parse("{{range .x}}{{end}}")).toThrow(TemplateUnsupportedError);
    expect(() => renderTemplate('{{printf "%d" 1}}', env({}))).toThrow(TemplateUnsupportedError);
    expect(() => Template.parse("{{$x := 1}}")).toThrow(TemplateUnsupportedError);
  });

  it("reports malformed templates as errors", () => {
    expect(() => Template.parse("a {{.Index")).toThrow(TemplateError);
    expect(() => renderTemplate("{{.Missing}}", env({}))).toThrow(/no entry for key "Missing"/);
    expect(() => renderTemplate("{{DivideInt 1 0}}", env({}))).toThrow(/division by zero/);
    expect(() => renderTemplate("{{Mod 1}}", env({}))).toThrow(/wrong number of args/);
  });

  it("knows a template without actions is static", () => {
    expect(Template.parse("kind: Pod\n").isStatic).toBe(true);
    expect(Template.parse("name: {{.Index}}\n").isStatic).toBe(false);
  });
});

describe("template files", () => {
  const files = new TemplateFiles();
  const indexed = "fixtures/perf/plan/templates/pod-indexed.yaml";
  const extended = "fixtures/perf/scheduler-perf/misc/templates/node-with-extended-resource.yaml";

  it("instantiates per-index templates exactly as rendering and parsing them would", () => {
    for (const path of [indexed, extended]) {
      const t = files.get(path);
      for (const i of [0, 1, 7, 12]) {
        const e = new Map([
          ["Index", int(i)],
          ["Count", int(20)],
          ["cpu", str("200m")],
        ]);
        const slow = parseYaml(t.render(e), path).documents[0]?.value;
        expect(files.render(path, e)).toEqual(slow);
      }
    }
    const e = new Map([
      ["Index", int(4)],
      ["cpu", str("200m")],
      ["Count", int(6)],
    ]);
    expect(files.render(indexed, e)).toMatchObject({
      metadata: { name: "indexed-4", labels: { slot: "0", half: "half-1" } },
      spec: { containers: [{ resources: { requests: { cpu: "200m", memory: "500Mi" } } }] },
    });
    expect(files.render(extended, new Map([["Index", int(3)]]))).toMatchObject({
      status: { capacity: { "foo.com/bar-3": 1 } },
    });
  });

  it("turns a template with conditionals into a skip reason", () => {
    expect(() => files.get("fixtures/perf/plan/templates/pod-conditional.yaml")).toThrow(
      SkipWorkload,
    );
  });
});
