/**
 * A loaded scenario's run input: the merged arrival stream and the {@link SimulationInput}.
 */
import { mergeArrivals, podStream } from "../generate/pods.ts";
import { withTypicalPods } from "../sim/strategies.ts";
import type { PodArrival, SimulationInput } from "../sim/types.ts";
import type { Scenario } from "./types.ts";

/** A scenario's parts, everything but what is derived. */
export type ScenarioParts = Omit<
  Scenario,
  "arrivals" | "toSimulationInput" | "percentageOfNodesToScore"
>;

/** Completes `parts` into a {@link Scenario}. */
export function makeScenario(parts: ScenarioParts): Scenario {
  const arrivals = (): Iterable<PodArrival> => {
    const sources: Iterable<PodArrival>[] = [];
    if (parts.pods.length > 0) sources.push(parts.pods);
    for (const s of parts.streams) sources.push(podStream(s, parts.seed));
    return sources.length === 0 ? [] : mergeArrivals(sources);
  };
  const scenario: Scenario = {
    ...parts,
    percentageOfNodesToScore: parts.config.percentageOfNodesToScore,
    arrivals,
    toSimulationInput(): SimulationInput {
      // FGDScore without typical pods in its args takes them from the whole workload.
      return withTypicalPods(
        {
          name: parts.name,
          nodes: parts.nodes,
          boundPods: parts.boundPods,
          objects: parts.objects,
          profile: parts.profile,
          percentageOfNodesToScore: parts.config.percentageOfNodesToScore,
          arrivals: arrivals(),
          events: parts.events,
          seed: parts.seed,
          ...(parts.endTime !== undefined ? { endTime: parts.endTime } : {}),
          ...(parts.measure !== undefined ? { measure: parts.measure } : {}),
          ...(parts.controlPlane !== undefined
            ? {
                controllers: parts.controlPlane.controllers,
                admission: parts.controlPlane.admission,
              }
            : {}),
        },
        arrivals,
      );
    },
  };
  return scenario;
}
