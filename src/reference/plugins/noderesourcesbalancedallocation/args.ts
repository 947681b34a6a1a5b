/**
 * NodeResourcesBalancedAllocationArgs (type from `src/config/types.ts`; defaults semantics §1.6),
 * including gantry's `formula` (`"v1.35"` §4.5.1, default, or `"v1.36"` §4.5.2).
 */
import type { NodeResourcesBalancedAllocationArgs } from "../../external.ts";
import { DEFAULT_RESOURCES } from "../noderesourcesfit/args.ts";

export type { NodeResourcesBalancedAllocationArgs } from "../../external.ts";

export function defaultBalancedAllocationArgs(args: unknown): NodeResourcesBalancedAllocationArgs {
  const a = (args ?? {}) as Partial<NodeResourcesBalancedAllocationArgs>;
  return {
    kind: "NodeResourcesBalancedAllocationArgs",
    resources: a.resources ?? DEFAULT_RESOURCES,
    formula: a.formula ?? "v1.35",
  };
}
