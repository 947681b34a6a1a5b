/**
 * FGDScoreArgs (types from `src/config/types.ts`). The factory receives the config module's
 * defaulted args; absent fields get the defaults here. Typical pods absent from the args are
 * derived from the run's whole pod stream by the host ({@link profileWithTypicalPods}) before the
 * framework is built.
 */
import type { Pod } from "../../../model/types.ts";
import {
  type FGDScoreArgs,
  type Profile,
  type TypicalPodArg,
  typicalPods,
} from "../../external.ts";
import { gpuPodOf } from "../../framework/gpu.ts";
import { FGDScore } from "../names.ts";

export type { FGDScoreArgs, TypicalPodArg } from "../../external.ts";

/** Default `popularityThreshold` (%). */
export const DEFAULT_POPULARITY_THRESHOLD = 95;

/** Fills absent fields with the defaults (popularityThreshold 95; typicalPods stay absent). */
export function defaultFGDScoreArgs(args: unknown): FGDScoreArgs {
  const a = (args ?? {}) as Partial<FGDScoreArgs>;
  return {
    kind: "FGDScoreArgs",
    ...(a.typicalPods ? { typicalPods: a.typicalPods } : {}),
    popularityThreshold: a.popularityThreshold ?? DEFAULT_POPULARITY_THRESHOLD,
  };
}

/**
 * FGD's target workload from a pod stream (`src/gpu` `typicalPods` over the pods' GPU views:
 * cpu = NodeResourcesFit's cpu request, the GPU request of `src/model/gpu.ts`): the most frequent
 * (cpu, gpuMilli, numGpu, models) groups covering `threshold` % of the pods, most frequent first,
 * `weight` = the group's pod count, `p` = its share of the kept pods.
 */
export function typicalPodsFromPods(
  pods: readonly Pod[],
  threshold: number = DEFAULT_POPULARITY_THRESHOLD,
): TypicalPodArg[] {
  return typicalPods(pods.map(gpuPodOf), threshold).pods.map((t) => ({
    cpuMilli: t.cpuMilli,
    gpuMilli: t.gpuMilli,
    numGpu: t.numGpu,
    models: t.models,
    weight: t.count,
    p: t.p,
  }));
}

/**
 * The profile with FGDScore's typical pods filled in from `pods` (the run's whole pod stream)
 * when FGDScore has args without `typicalPods`; the profile itself otherwise.
 */
export function profileWithTypicalPods(profile: Profile, pods: readonly Pod[]): Profile {
  const a = profile.pluginConfig.get(FGDScore);
  if (a?.kind !== "FGDScoreArgs" || a.typicalPods) return profile;
  const pluginConfig = new Map(profile.pluginConfig);
  pluginConfig.set(FGDScore, {
    ...a,
    typicalPods: typicalPodsFromPods(pods, a.popularityThreshold),
  });
  return { ...profile, pluginConfig };
}

/** The typical pods of FGDScore args; throws when they were neither given nor derived. */
export function requireTypicalPods(args: FGDScoreArgs): readonly TypicalPodArg[] {
  if (!args.typicalPods) {
    throw new Error(
      "FGDScore: no typical pods; give FGDScoreArgs.typicalPods or derive them from the workload (profileWithTypicalPods)",
    );
  }
  return args.typicalPods;
}
