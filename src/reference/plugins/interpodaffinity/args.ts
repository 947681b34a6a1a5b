/**
 * InterPodAffinityArgs (type from `src/config/types.ts`; v1 defaults semantics §1.6:
 * `hardPodAffinityWeight: 1`, `ignorePreferredTermsOfExistingPods: false`). The factory receives
 * the config module's defaulted args; absent fields (e.g. in tests) get the v1 defaults here.
 */
// Type-only: `src/reference/external.ts` does not re-export this args type yet.
import type { InterPodAffinityArgs } from "../../external.ts";

export type { InterPodAffinityArgs } from "../../external.ts";

/** Fills absent fields with the v1 defaults. */
export function defaultInterPodAffinityArgs(args: unknown): InterPodAffinityArgs {
  const a = (args ?? {}) as Partial<InterPodAffinityArgs>;
  return {
    kind: "InterPodAffinityArgs",
    hardPodAffinityWeight: a.hardPodAffinityWeight ?? 1,
    ignorePreferredTermsOfExistingPods: a.ignorePreferredTermsOfExistingPods ?? false,
  };
}

/** `ValidateInterPodAffinityArgs`: hardPodAffinityWeight an integer in 0..100. */
export function validateInterPodAffinityArgs(args: InterPodAffinityArgs): string[] {
  const w = args.hardPodAffinityWeight;
  if (!Number.isInteger(w) || w < 0 || w > 100) {
    return [`hardPodAffinityWeight: Invalid value: ${w}: not in valid range [0, 100]`];
  }
  return [];
}
