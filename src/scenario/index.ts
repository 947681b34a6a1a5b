/**
 * Scenarios: a cluster, a workload, a scheduler configuration and a simulation's settings, from a
 * scenario file (`gantry.dev/v1alpha1` `Scenario`, format in `parse.ts`) or from plain
 * Kubernetes manifests, loaded into the {@link SimulationInput} the engine runs.
 *
 *     const scenario = await loadScenario("fixtures/scenarios/small.yaml");
 *     const input = scenario.toSimulationInput(); // fresh, lazy arrivals on every call
 */
export { formatDuration, NEVER, parseDuration, parseRunTime } from "./duration.ts";
export {
  BUILT_IN_PROFILES,
  type LoadScenarioOptions,
  loadScenario,
  loadScenarioFromString,
  type ScenarioFromManifestsOptions,
  scenarioFromManifests,
  syntheticPriorityClassName,
} from "./load.ts";
export { type ClassifiedManifests, classifyManifests } from "./manifests.ts";
export { DEFAULT_MAX_PODS } from "./parse.ts";
export {
  EVENT_KINDS,
  type EventKind,
  type EventSpec,
  SCENARIO_API_VERSION,
  SCENARIO_KIND,
  type Scenario,
  type ScenarioSpec,
  type SchedulerSpec,
} from "./types.ts";
