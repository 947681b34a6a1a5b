/**
 * Seeded, streaming generators: node pools (`cluster.ts`, shapes from `presets.ts`), pod streams
 * (`pods.ts`), the distributions and arrival processes they draw from (`distributions.ts`), the
 * PRNG (`random.ts`: PCG32, one stream per generator), and the encoder back to Kubernetes
 * manifests (`encode.ts`) and YAML (`render.ts`).
 */
export {
  ARCH_LABEL,
  clusterNodes,
  HOSTNAME_LABEL,
  INSTANCE_TYPE_LABEL,
  makePoolNode,
  type NodePoolSpec,
  OS_LABEL,
  poolNodeName,
  poolNodes,
  REGION_LABEL,
  takeNodes,
  ZONE_LABEL,
  type ZoneWeight,
} from "./cluster.ts";
export {
  ARRIVAL_PROCESS_KINDS,
  type ArrivalProcess,
  type ArrivalProcessKind,
  arrivalTimes,
  type Clamp,
  DISTRIBUTION_KINDS,
  type Distribution,
  type DistributionKind,
  distributionMean,
  diurnalRate,
  lognormalFromQuantiles,
  sample,
  standardNormal,
  Z_99,
} from "./distributions.ts";
export {
  type EncodeNodeOptions,
  encodeKept,
  encodeNamespace,
  encodeNode,
  encodePod,
  encodeResources,
  KWOK_NODE_ANNOTATION,
  type Manifest,
} from "./encode.ts";
export {
  mergeArrivals,
  type PodStreamSpec,
  type PodTemplate,
  podStream,
  VARIANT_CACHE_SIZE,
} from "./pods.ts";
export {
  type CloudProvider,
  INSTANCE_TYPES,
  type InstanceTypePreset,
  presetResources,
} from "./presets.ts";
export { fnv1a64, Random, splitMix64, streamRandom } from "./random.ts";
export {
  BUILT_IN_NAMESPACES,
  kindFileName,
  type ManifestDocument,
  manifestDocuments,
  type RenderOptions,
} from "./render.ts";
