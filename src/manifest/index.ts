/**
 * Manifest loading: Kubernetes YAML/JSON manifests → validated, API-defaulted gantry objects
 * (`src/model/types.ts`). See `load.ts` for inputs, `collector.ts` for dispatch, and the per-kind
 * decoders (`pod.ts`, `node.ts`, `namespace.ts`, `kept.ts`).
 */
export { API_VERSIONS, type LoadResult, ManifestCollector } from "./collector.ts";
export {
  addManifestFiles,
  collectManifests,
  collectManifestsFromString,
  errnoMessage,
  type LoadOptions,
  loadManifests,
  loadManifestsFromString,
  STDIN_NAME,
  throwOnErrors,
} from "./load.ts";
export { DEFAULT_NAMESPACE, deriveUid } from "./meta.ts";
export { NAMESPACE_NAME_LABEL } from "./namespace.ts";
export { DEFAULT_SCHEDULER_NAME } from "./pod.ts";
