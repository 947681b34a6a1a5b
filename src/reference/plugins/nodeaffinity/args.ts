/**
 * NodeAffinityArgs (type from `src/config/types.ts`; semantics §1.6: no addedAffinity by default).
 */
import type { NodeAffinityArgs } from "../../external.ts";

export type { NodeAffinityArgs } from "../../external.ts";

export function defaultNodeAffinityArgs(args: unknown): NodeAffinityArgs {
  const a = (args ?? {}) as Partial<NodeAffinityArgs>;
  return a.addedAffinity
    ? { kind: "NodeAffinityArgs", addedAffinity: a.addedAffinity }
    : { kind: "NodeAffinityArgs" };
}
