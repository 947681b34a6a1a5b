/** The Priority admission step: priority and preemptionPolicy come from PriorityClasses. */
import { describe, expect, it } from "vitest";
import { collectManifestsFromString } from "../../src/manifest/index.ts";
import { lines } from "./helpers.ts";

const pc = (name: string, value: number, extra = "") =>
  `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${name}}\nvalue: ${value}\n${extra}`;
const pod = (name: string, spec = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: a, image: i}]\n${spec}`;

function load(...docs: string[]) {
  return collectManifestsFromString(docs.join("---\n"), "p.yaml");
}

describe("priority admission", () => {
  it("no class and no global default: priority 0, PreemptLowerPriority", () => {
    const r = load(pod("a"));
    expect(lines(r)).toEqual([]);
    expect(r.pods[0]?.spec).toMatchObject({
      priority: 0,
      preemptionPolicy: "PreemptLowerPriority",
      priorityClassName: "",
    });
  });

  it("a named class sets priority and preemptionPolicy, whatever the document order", () => {
    const r = load(
      pod("a", "  priorityClassName: low\n"),
      pc("low", -5, "preemptionPolicy: Never\n"),
    );
    expect(lines(r)).toEqual([]);
    expect(r.pods[0]?.spec).toMatchObject({
      priority: -5,
      preemptionPolicy: "Never",
      priorityClassName: "low",
    });
  });

  it("the global default class applies to pods without a class name", () => {
    const r = load(
      pc("std", 1000, "globalDefault: true\n"),
      pod("a"),
      pod("b", "  priorityClassName: system-node-critical\n"),
    );
    expect(lines(r)).toEqual([]);
    expect(r.pods.map((p) => [p.spec.priorityClassName, p.spec.priority])).toEqual([
      ["std", 1000],
      ["system-node-critical", 2000001000],
    ]);
  });

  it("a missing class is an error unless the pod already carries its priority", () => {
    const r = load(
      pod("a", "  priorityClassName: gone\n"),
      pod("b", "  priorityClassName: gone\n  priority: 7\n"),
    );
    expect(lines(r)).toEqual([
      'p.yaml: doc 1 (Pod default/a): spec.priorityClassName: no PriorityClass named "gone"',
    ]);
    expect(r.pods[1]?.spec.priority).toBe(7);
  });

  it("rejects a pod priority or preemptionPolicy that differs from the class", () => {
    const r = load(
      pc("hi", 10),
      pod("a", "  priorityClassName: hi\n  priority: 10\n"),
      pod("b", "  priorityClassName: hi\n  preemptionPolicy: Never\n"),
      pod("c", "  priority: 3\n"),
    );
    expect(lines(r)).toEqual([
      "p.yaml: doc 3 (Pod default/b): spec.preemptionPolicy: must not differ from the preemptionPolicy of PriorityClass hi (PreemptLowerPriority)",
      "p.yaml: doc 4 (Pod default/c): spec.priority: must not differ from the value of the default priority (0)",
    ]);
  });

  it("validates PriorityClasses: value required, one global default, no built-in names", () => {
    const r = load(
      "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: novalue}\n",
      pc("d1", 1, "globalDefault: true\n"),
      pc("d2", 2, "globalDefault: true\n"),
      pc("system-node-critical", 5),
    );
    expect(lines(r)).toEqual([
      "p.yaml: doc 1 (PriorityClass novalue): value: required",
      "p.yaml: doc 3 (PriorityClass d2): globalDefault: PriorityClass d1 is already the global default",
      "p.yaml: doc 4 (PriorityClass system-node-critical): metadata.name: system-node-critical is a built-in PriorityClass",
    ]);
  });
});
