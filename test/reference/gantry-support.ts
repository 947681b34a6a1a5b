/** Helpers for the tests of gantry's plugins in the reference scheduler. */
import { EXTENSION_POINTS, type ExtensionPoint } from "../../src/config/names.ts";
import type { PluginArgs, PluginRef, Profile, ProfileSelection } from "../../src/config/types.ts";
import type { Pod } from "../../src/model/types.ts";
import { CycleState } from "../../src/reference/framework/cycle-state.ts";
import {
  type FrameworkHandle,
  isPreScorePlugin,
  isScorePlugin,
  type NodeScore,
  type Plugin,
  type PluginFactory,
} from "../../src/reference/framework/interfaces.ts";
import type { NodeInfo } from "../../src/reference/framework/node-info.ts";
import type { Snapshot } from "../../src/reference/framework/snapshot.ts";
import { SUCCESS } from "../../src/reference/framework/status.ts";
import { Pcg32 } from "../../src/reference/rand.ts";
import { makePod } from "../helpers/builders.ts";

/** A handle over a fixed snapshot with a random generator and other plugins' args. */
export function gantryHandle(
  snapshot: Snapshot,
  rng: Pcg32 = new Pcg32(0n),
  args: ReadonlyMap<string, unknown> = new Map(),
): FrameworkHandle {
  return {
    snapshot: () => snapshot,
    rng: () => rng,
    pluginArgs: (name) => args.get(name),
    runFilterPluginsWithNominatedPods: () => SUCCESS,
    runPreFilterExtensionAddPod: () => SUCCESS,
    runPreFilterExtensionRemovePod: () => SUCCESS,
  };
}

/** Runs PreScore (if any), Score on every node of `infos` in order, then NormalizeScore. */
export function scoreAll(plugin: Plugin, pod: Pod, infos: readonly NodeInfo[]) {
  if (!isScorePlugin(plugin)) throw new Error("not a score plugin");
  const state = new CycleState();
  if (isPreScorePlugin(plugin)) plugin.preScore(state, pod, infos);
  const scores: NodeScore[] = infos.map((info) => {
    const s = plugin.score(state, pod, info);
    if (typeof s !== "number") throw new Error(`score failed: ${s.reasons.join(", ")}`);
    return { name: info.name, score: s };
  });
  const raw = scores.map((s) => s.score);
  plugin.normalizeScore?.(state, pod, scores);
  return { raw, normalized: scores.map((s) => s.score) };
}

/** Builds a plugin from its factory over the snapshot. */
export function build(
  factory: PluginFactory,
  snapshot: Snapshot,
  args?: unknown,
  rng?: Pcg32,
  otherArgs?: ReadonlyMap<string, unknown>,
): Plugin {
  return factory(args, gantryHandle(snapshot, rng, otherArgs));
}

/** A resolved profile with exactly the given plugins (score entries are `[name, weight]`). */
export function profileOf(o: {
  readonly filter?: readonly string[];
  readonly preFilter?: readonly string[];
  readonly score?: readonly (readonly [string, number])[];
  readonly reserve?: readonly string[];
  readonly pluginConfig?: ReadonlyMap<string, PluginArgs>;
  readonly selection?: ProfileSelection;
  readonly percentageOfNodesToScore?: number;
}): Profile {
  const plugins = {} as Record<ExtensionPoint, PluginRef[]>;
  for (const p of EXTENSION_POINTS) plugins[p] = [];
  plugins.preFilter = (o.preFilter ?? []).map((name) => ({ name, weight: 0 }));
  plugins.filter = (o.filter ?? []).map((name) => ({ name, weight: 0 }));
  plugins.score = (o.score ?? []).map(([name, weight]) => ({ name, weight }));
  plugins.reserve = (o.reserve ?? []).map((name) => ({ name, weight: 0 }));
  return {
    schedulerName: "default-scheduler",
    plugins,
    pluginConfig: o.pluginConfig ?? new Map(),
    ...(o.selection ? { selection: o.selection } : {}),
    ...(o.percentageOfNodesToScore === undefined
      ? {}
      : { percentageOfNodesToScore: o.percentageOfNodesToScore }),
  };
}

/** A shared-GPU pod: `milli` of one GPU (annotation), plus optional cpu request and models. */
export function sharePod(
  name: string,
  milli: number,
  o: { cpu?: string; models?: string; nodeName?: string } = {},
): Pod {
  return makePod({
    name,
    annotations: {
      "gantry.dev/gpu-milli": String(milli),
      ...(o.models === undefined ? {} : { "gantry.dev/gpu-model": o.models }),
    },
    requests: o.cpu === undefined ? {} : { cpu: o.cpu },
    ...(o.nodeName === undefined ? {} : { nodeName: o.nodeName }),
  });
}

/** A whole-GPU pod: `k` × `nvidia.com/gpu`. */
export function wholePod(
  name: string,
  k: number,
  o: { cpu?: string; models?: string; nodeName?: string } = {},
): Pod {
  return makePod({
    name,
    annotations: o.models === undefined ? {} : { "gantry.dev/gpu-model": o.models },
    requests: { "nvidia.com/gpu": String(k), ...(o.cpu === undefined ? {} : { cpu: o.cpu }) },
    ...(o.nodeName === undefined ? {} : { nodeName: o.nodeName }),
  });
}
