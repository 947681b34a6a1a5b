/**
 * Strict decoding of `profiles[].pluginConfig[].args`. As upstream, the args type is chosen by the
 * plugin name (`<name>Args`); the args may carry their own `apiVersion`
 * (`kubescheduler.config.k8s.io/v1` only) and `kind` (must then be `<name>Args`). gantry's own
 * plugins' args (`GpuShareArgs`, `FGDScoreArgs`) are decoded the same way.
 */
import { joinPath } from "../diagnostics.ts";
import { parseQuantity } from "../model/quantity.ts";
import {
  describe,
  type RawObject,
  type Reporter,
  readBool,
  readDuration,
  readInt,
  readList,
  readObject,
  readString,
  readStringItem,
} from "./decode.ts";
import { readDefaultConstraint, readNodeAffinity } from "./decode-affinity.ts";
import { invalid, notSupported, required } from "./messages.ts";
import { CONFIG_API_VERSION, type PluginWithArgs } from "./names.ts";
import type { V1PluginArgs, V1ResourceSpec, V1ShapePoint, V1TypicalPod } from "./v1.ts";

const TYPE_META = ["apiVersion", "kind"] as const;

function readResource(r: Reporter, value: unknown, path: string): V1ResourceSpec | undefined {
  const o = readObject(r, value, path, ["name", "weight"]);
  if (!o) return undefined;
  const weight = readInt(r, o, "weight", path, 64);
  const name = readString(r, o, "name", path) ?? "";
  return weight === undefined ? { name } : { name, weight };
}

function readShapePoint(r: Reporter, value: unknown, path: string): V1ShapePoint | undefined {
  const o = readObject(r, value, path, ["utilization", "score"]);
  if (!o) return undefined;
  return {
    utilization: readInt(r, o, "utilization", path) ?? 0,
    score: readInt(r, o, "score", path) ?? 0,
  };
}

function readShape(r: Reporter, o: RawObject, path: string): V1ShapePoint[] | undefined {
  return readList(r, o, "shape", path, (v, p) => readShapePoint(r, v, p));
}

function readStrings(r: Reporter, o: RawObject, key: string, path: string): string[] | undefined {
  return readList(r, o, key, path, (v, p) => readStringItem(r, v, p));
}

/** Reads an optional finite number field (integer or not). */
function readNumber(r: Reporter, o: RawObject, key: string, path: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    r.error(joinPath(path, key), `expected a number, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads an optional quantity field (string or number) as millicores (rounded up, as upstream). */
function readMilli(r: Reporter, o: RawObject, key: string, path: string): number | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  const p = joinPath(path, key);
  if (typeof value !== "string" && typeof value !== "number") {
    r.error(p, `expected a quantity, got ${describe(value)}`);
    return undefined;
  }
  try {
    const milli = parseQuantity(value).milliValue();
    if (milli > BigInt(Number.MAX_SAFE_INTEGER) || milli < -BigInt(Number.MAX_SAFE_INTEGER)) {
      r.error(p, `${JSON.stringify(value)} is out of the exactly representable range`);
      return undefined;
    }
    return Number(milli);
  } catch (e) {
    r.error(p, e instanceof Error ? e.message : String(e));
    return undefined;
  }
}

/** gantry `FGDScoreArgs.typicalPods[i]`: `{cpu, gpuMilli, numGpu, models?, weight}`. */
function readTypicalPod(r: Reporter, value: unknown, path: string): V1TypicalPod | undefined {
  const o = readObject(r, value, path, ["cpu", "gpuMilli", "numGpu", "models", "weight"]);
  if (!o) return undefined;
  for (const key of ["cpu", "gpuMilli", "numGpu", "weight"]) {
    if (o[key] === undefined || o[key] === null) r.error(joinPath(path, key), required());
  }
  return {
    ...opt("cpuMilli", readMilli(r, o, "cpu", path)),
    ...opt("gpuMilli", readInt(r, o, "gpuMilli", path)),
    ...opt("numGpu", readInt(r, o, "numGpu", path)),
    ...opt("models", readStrings(r, o, "models", path)),
    ...opt("weight", readNumber(r, o, "weight", path)),
  };
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function decodeBody(
  r: Reporter,
  plugin: PluginWithArgs,
  value: unknown,
  path: string,
): V1PluginArgs | undefined {
  switch (plugin) {
    case "NodeResourcesFit": {
      const o = readObject(r, value, path, [
        ...TYPE_META,
        "ignoredResources",
        "ignoredResourceGroups",
        "scoringStrategy",
      ]);
      if (!o) return undefined;
      let scoringStrategy:
        | NonNullable<Extract<V1PluginArgs, { kind: "NodeResourcesFitArgs" }>["scoringStrategy"]>
        | undefined;
      const ssPath = joinPath(path, "scoringStrategy");
      if (o["scoringStrategy"] !== undefined && o["scoringStrategy"] !== null) {
        const ss = readObject(r, o["scoringStrategy"], ssPath, [
          "type",
          "resources",
          "requestedToCapacityRatio",
        ]);
        if (ss) {
          const rtcPath = joinPath(ssPath, "requestedToCapacityRatio");
          let rtc: { shape?: V1ShapePoint[] } | undefined;
          if (
            ss["requestedToCapacityRatio"] !== undefined &&
            ss["requestedToCapacityRatio"] !== null
          ) {
            const ro = readObject(r, ss["requestedToCapacityRatio"], rtcPath, ["shape"]);
            if (ro) rtc = { ...opt("shape", readShape(r, ro, rtcPath)) };
          }
          scoringStrategy = {
            ...opt("type", readString(r, ss, "type", ssPath)),
            ...opt(
              "resources",
              readList(r, ss, "resources", ssPath, (v, p) => readResource(r, v, p)),
            ),
            ...opt("requestedToCapacityRatio", rtc),
          };
        }
      }
      return {
        kind: "NodeResourcesFitArgs",
        ...opt("ignoredResources", readStrings(r, o, "ignoredResources", path)),
        ...opt("ignoredResourceGroups", readStrings(r, o, "ignoredResourceGroups", path)),
        ...opt("scoringStrategy", scoringStrategy),
      };
    }
    case "NodeResourcesBalancedAllocation": {
      const o = readObject(r, value, path, [...TYPE_META, "resources"]);
      if (!o) return undefined;
      return {
        kind: "NodeResourcesBalancedAllocationArgs",
        ...opt(
          "resources",
          readList(r, o, "resources", path, (v, p) => readResource(r, v, p)),
        ),
      };
    }
    case "InterPodAffinity": {
      const o = readObject(r, value, path, [
        ...TYPE_META,
        "hardPodAffinityWeight",
        "ignorePreferredTermsOfExistingPods",
      ]);
      if (!o) return undefined;
      return {
        kind: "InterPodAffinityArgs",
        ...opt("hardPodAffinityWeight", readInt(r, o, "hardPodAffinityWeight", path)),
        ...opt(
          "ignorePreferredTermsOfExistingPods",
          readBool(r, o, "ignorePreferredTermsOfExistingPods", path),
        ),
      };
    }
    case "PodTopologySpread": {
      const o = readObject(r, value, path, [...TYPE_META, "defaultConstraints", "defaultingType"]);
      if (!o) return undefined;
      return {
        kind: "PodTopologySpreadArgs",
        ...opt(
          "defaultConstraints",
          readList(r, o, "defaultConstraints", path, (v, p) => readDefaultConstraint(r, v, p)),
        ),
        ...opt("defaultingType", readString(r, o, "defaultingType", path)),
      };
    }
    case "NodeAffinity": {
      const o = readObject(r, value, path, [...TYPE_META, "addedAffinity"]);
      if (!o) return undefined;
      const added =
        o["addedAffinity"] === undefined || o["addedAffinity"] === null
          ? undefined
          : readNodeAffinity(r, o["addedAffinity"], joinPath(path, "addedAffinity"));
      return { kind: "NodeAffinityArgs", ...opt("addedAffinity", added) };
    }
    case "DefaultPreemption": {
      const o = readObject(r, value, path, [
        ...TYPE_META,
        "minCandidateNodesPercentage",
        "minCandidateNodesAbsolute",
      ]);
      if (!o) return undefined;
      return {
        kind: "DefaultPreemptionArgs",
        ...opt("minCandidateNodesPercentage", readInt(r, o, "minCandidateNodesPercentage", path)),
        ...opt("minCandidateNodesAbsolute", readInt(r, o, "minCandidateNodesAbsolute", path)),
      };
    }
    case "VolumeBinding": {
      const o = readObject(r, value, path, [...TYPE_META, "bindTimeoutSeconds", "shape"]);
      if (!o) return undefined;
      return {
        kind: "VolumeBindingArgs",
        ...opt("bindTimeoutSeconds", readInt(r, o, "bindTimeoutSeconds", path, 64)),
        ...opt("shape", readShape(r, o, path)),
      };
    }
    case "DynamicResources": {
      const o = readObject(r, value, path, [...TYPE_META, "filterTimeout", "bindingTimeout"]);
      if (!o) return undefined;
      return {
        kind: "DynamicResourcesArgs",
        ...opt("filterTimeout", readDuration(r, o, "filterTimeout", path)),
        ...opt("bindingTimeout", readDuration(r, o, "bindingTimeout", path)),
      };
    }
    case "GpuShare": {
      const o = readObject(r, value, path, [...TYPE_META, "gpuSelection"]);
      if (!o) return undefined;
      return {
        kind: "GpuShareArgs",
        ...opt("gpuSelection", readString(r, o, "gpuSelection", path)),
      };
    }
    case "FGDScore": {
      const o = readObject(r, value, path, [...TYPE_META, "typicalPods", "popularityThreshold"]);
      if (!o) return undefined;
      return {
        kind: "FGDScoreArgs",
        ...opt(
          "typicalPods",
          readList(r, o, "typicalPods", path, (v, p) => readTypicalPod(r, v, p)),
        ),
        ...opt("popularityThreshold", readNumber(r, o, "popularityThreshold", path)),
      };
    }
  }
}

/**
 * Decodes the `args` of plugin `plugin` found at `path`. Checks the optional embedded
 * `apiVersion`/`kind` first; a mismatching kind is reported as upstream does
 * (`Invalid value: ...: has to match plugin args`) and the body is not decoded further.
 */
export function readPluginArgs(
  r: Reporter,
  plugin: PluginWithArgs,
  value: unknown,
  path: string,
): V1PluginArgs | undefined {
  const expectedKind = `${plugin}Args`;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const o = value as RawObject;
    const apiVersion = readString(r, o, "apiVersion", path);
    if (apiVersion !== undefined && apiVersion !== CONFIG_API_VERSION) {
      r.error(joinPath(path, "apiVersion"), notSupported(apiVersion, [CONFIG_API_VERSION]));
      return undefined;
    }
    const kind = readString(r, o, "kind", path);
    if (kind !== undefined && kind !== expectedKind) {
      r.error(path, invalid(kind, `has to match plugin args (kind ${expectedKind})`));
      return undefined;
    }
  }
  return decodeBody(r, plugin, value, path);
}
