// gantry's WebAssembly core (AssemblyScript).
//
// The core owns no memory management: JavaScript lays out every column in linear memory once
// (src/core/boundary.ts documents the layout) and passes byte offsets. Exports take numbers
// only and allocate nothing (runtime: stub).
//
// Modules: table.ts (the node table's columns), state.ts (the bound profile and pod),
// static.ts (per-class static filters and scores), plugins/ (one module per plugin with a
// per-pod part), cache.ts (the per-node score cache), schedule.ts (the cycle: filter with
// sampling, score, selectHost, assume), select.ts (incremental selection), rand.ts (PCG32).

export { balancedScore } from "./plugins/balancedallocation";
export { fitScore, fits, fitUnresolvable } from "./plugins/noderesourcesfit";
export { setSpread } from "./plugins/podtopologyspread";
export { setDomainCounters, setInterPod, setInterPodProfile } from "./plugins/interpodaffinity";
export {
  addExtraScore,
  bindStrategies,
  lastGpuMask,
  selectByStrategy,
  setBindMask,
  setExtraCache,
  setGpuPod,
  setReleaseMask,
  setStrategyProfile,
  setTypical,
} from "./plugins/strategies";
export { nextBounded, nextU32, randomWord, seedRandom, setRandomState } from "./rand";
export {
  adjustCounter,
  assume,
  bindSpreadScratch,
  failureMask,
  filterNodes,
  forget,
  lastFeasible,
  lastProcessed,
  nextStart,
  scheduleOne,
  scoreAndSelect,
  setNextStart,
} from "./schedule";
export {
  bindChangeLog,
  bindVersions,
  setCounters,
  setPod,
  setPodBlocked,
  setPodHostFilter,
  setPodNodeName,
  setProfile,
} from "./state";
export { computeStatic } from "./static";
export { bindResources, bindStatic } from "./table";

/** Version of the JS↔WASM ABI; the host checks it at load time. */
export const ABI_VERSION: i32 = 1;
