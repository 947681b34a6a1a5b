/**
 * NodeResourcesFitArgs (types from `src/config/types.ts`; v1 defaults semantics §1.6). The
 * factory receives the config module's defaulted args; absent fields (e.g. in tests) get the v1
 * defaults here.
 */
import type { NodeResourcesFitArgs, ResourceSpec } from "../../external.ts";

export type {
  NodeResourcesFitArgs,
  ResourceSpec,
  ScoringStrategy,
  UtilizationShapePoint,
} from "../../external.ts";

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: "cpu", weight: 1 },
  { name: "memory", weight: 1 },
];

/** Fills absent fields with the v1 defaults (LeastAllocated over cpu:1, memory:1). */
export function defaultNodeResourcesFitArgs(args: unknown): NodeResourcesFitArgs {
  const a = (args ?? {}) as Partial<NodeResourcesFitArgs>;
  return {
    kind: "NodeResourcesFitArgs",
    ignoredResources: a.ignoredResources ?? [],
    ignoredResourceGroups: a.ignoredResourceGroups ?? [],
    scoringStrategy: a.scoringStrategy ?? { type: "LeastAllocated", resources: DEFAULT_RESOURCES },
  };
}

/**
 * The checks of upstream's `ValidateNodeResourcesFitArgs` that affect scoring: a known strategy,
 * resource weights in 1..100, and for RequestedToCapacityRatio a non-empty shape with utilization
 * 0..100 strictly increasing and scores 0..10. Returns error messages (empty = valid).
 */
export function validateNodeResourcesFitArgs(args: NodeResourcesFitArgs): string[] {
  const errs: string[] = [];
  const s = args.scoringStrategy;
  const types: readonly string[] = ["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"];
  if (!types.includes(s.type)) {
    errs.push(`scoringStrategy.type: Unsupported value: ${JSON.stringify(s.type)}`);
  }
  s.resources.forEach((r, i) => {
    if (!Number.isInteger(r.weight) || r.weight <= 0 || r.weight > 100) {
      errs.push(
        `scoringStrategy.resources[${i}].weight: Invalid value: ${r.weight}: resource weight of ${r.name} should be in range (0, 100]`,
      );
    }
  });
  if (s.type === "RequestedToCapacityRatio") {
    const shape = s.requestedToCapacityRatio?.shape ?? [];
    if (shape.length === 0)
      errs.push("scoringStrategy.requestedToCapacityRatio.shape: Required value");
    shape.forEach((p, i) => {
      const path = `scoringStrategy.requestedToCapacityRatio.shape[${i}]`;
      if (p.utilization < 0 || p.utilization > 100) {
        errs.push(
          `${path}.utilization: Invalid value: ${p.utilization}: not in valid range [0, 100]`,
        );
      } else if (i > 0 && p.utilization <= (shape[i - 1]?.utilization ?? -1)) {
        errs.push(`${path}.utilization: Invalid value: ${p.utilization}: should be increasing`);
      }
      if (p.score < 0 || p.score > 10) {
        errs.push(`${path}.score: Invalid value: ${p.score}: not in valid range [0, 10]`);
      }
    });
  }
  return errs;
}
