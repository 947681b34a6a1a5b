// gantry's WebAssembly core (AssemblyScript).
//
// The core owns no memory management: JavaScript lays out every column in linear memory once
// (src/core/boundary.ts documents the layout) and passes byte offsets. Exports take numbers
// only and allocate nothing (runtime: stub).

export { fitResources } from "./fit";
export { nextBounded, nextU32, seedRandom } from "./rand";
export {
  assume,
  bindChangeLog,
  bindVersions,
  balancedScore,
  filterNodes,
  fitScore,
  fits,
  forget,
  lastFeasible,
  lastProcessed,
  nextStart,
  scheduleOne,
  scoreAndSelect,
  setNextStart,
  setPod,
  setProfile,
} from "./schedule";
export { computeStatic } from "./static";
export { bindResources, bindStatic } from "./table";

/** Version of the JS↔WASM ABI; the host checks it at load time. */
export const ABI_VERSION: i32 = 1;
