/**
 * Validation of defaulted plugin args, after upstream
 * `pkg/scheduler/apis/config/validation/validation_pluginargs.go`: same rules, same field paths
 * (relative to `profiles[i].pluginConfig[j].args`), same messages. Every problem is reported.
 *
 * Feature-gate-dependent rules follow v1.35's defaults: StorageCapacityScoring is off (so
 * `VolumeBindingArgs.shape` is rejected), DRASchedulerFilterTimeout is on; `bindingTimeout` is
 * accepted and must be at least 1 s.
 */
import { joinPath } from "../diagnostics.ts";
import type { NodeAffinity, NodeSelectorTerm } from "../model/types.ts";
import { labelValueErrors, qualifiedNameErrors } from "../model/validation.ts";
import type { Reporter } from "./decode.ts";
import { duplicate, forbidden, invalid, notSupported, required } from "./messages.ts";
import type {
  DefaultPreemptionArgs,
  DynamicResourcesArgs,
  FGDScoreArgs,
  GpuShareArgs,
  InterPodAffinityArgs,
  NodeAffinityArgs,
  NodeResourcesBalancedAllocationArgs,
  NodeResourcesFitArgs,
  PluginArgs,
  PodTopologySpreadArgs,
  ResourceSpec,
  UtilizationShapePoint,
  VolumeBindingArgs,
} from "./types.ts";

const SCORING_STRATEGY_TYPES = ["LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"];
/** `config.MaxCustomPriorityScore`. */
const MAX_CUSTOM_PRIORITY_SCORE = 10;

/** metav1validation.ValidateLabelName: one `Invalid value` per problem. */
export function validateLabelName(r: Reporter, path: string, name: string): void {
  for (const msg of qualifiedNameErrors(name)) r.error(path, invalid(name, msg));
}

function validateShape(r: Reporter, path: string, shape: readonly UtilizationShapePoint[]): void {
  if (shape.length === 0) {
    r.error(path, required("at least one point must be specified"));
    return;
  }
  for (let i = 1; i < shape.length; i++) {
    if (shape[i - 1]!.utilization >= shape[i]!.utilization) {
      r.error(
        joinPath(joinPath(path, i), "utilization"),
        invalid(shape[i]!.utilization, "values must be sorted in increasing order"),
      );
      break;
    }
  }
  shape.forEach((pt, i) => {
    const p = joinPath(path, i);
    if (pt.utilization < 0 || pt.utilization > 100) {
      r.error(joinPath(p, "utilization"), invalid(pt.utilization, "not in valid range [0, 100]"));
    }
    if (pt.score < 0 || pt.score > MAX_CUSTOM_PRIORITY_SCORE) {
      r.error(
        joinPath(p, "score"),
        invalid(pt.score, `not in valid range [0, ${MAX_CUSTOM_PRIORITY_SCORE}]`),
      );
    }
  });
}

function validateResources(r: Reporter, path: string, resources: readonly ResourceSpec[]): void {
  resources.forEach((res, i) => {
    if (res.weight <= 0 || res.weight > 100) {
      r.error(
        joinPath(joinPath(path, i), "weight"),
        invalid(res.weight, `resource weight of ${res.name} not in valid range (0, 100]`),
      );
    }
  });
}

function validateFit(r: Reporter, path: string, a: NodeResourcesFitArgs): void {
  a.ignoredResources.forEach((res, i) => {
    validateLabelName(r, joinPath(joinPath(path, "ignoredResources"), i), res);
  });
  a.ignoredResourceGroups.forEach((group, i) => {
    const p = joinPath(joinPath(path, "ignoredResourceGroups"), i);
    if (group.includes("/")) r.error(p, invalid(group, "resource group name can't contain '/'"));
    validateLabelName(r, p, group);
  });
  const sp = joinPath(path, "scoringStrategy");
  const ss = a.scoringStrategy;
  if (!SCORING_STRATEGY_TYPES.includes(ss.type)) {
    r.error(joinPath(sp, "type"), notSupported(ss.type, SCORING_STRATEGY_TYPES));
  }
  validateResources(r, joinPath(sp, "resources"), ss.resources);
  const rtcPath = joinPath(sp, "requestedToCapacityRatio");
  if (ss.type === "RequestedToCapacityRatio") {
    if (!ss.requestedToCapacityRatio) {
      r.error(rtcPath, required("must be specified when type is RequestedToCapacityRatio"));
    } else {
      validateShape(r, joinPath(rtcPath, "shape"), ss.requestedToCapacityRatio.shape);
    }
  } else if (ss.requestedToCapacityRatio) {
    r.error(rtcPath, forbidden("must be nil when type is not RequestedToCapacityRatio"));
  }
}

function validateBalancedAllocation(
  r: Reporter,
  path: string,
  a: NodeResourcesBalancedAllocationArgs,
): void {
  const seen = new Set<string>();
  a.resources.forEach((res, i) => {
    const p = joinPath(joinPath(path, "resources"), i);
    if (seen.has(res.name)) r.error(joinPath(p, "name"), duplicate(res.name));
    else seen.add(res.name);
    if (res.weight !== 1) r.error(joinPath(p, "weight"), invalid(res.weight, "must be 1"));
  });
}

function validateInterPodAffinity(r: Reporter, path: string, a: InterPodAffinityArgs): void {
  const w = a.hardPodAffinityWeight;
  if (w < 0 || w > 100) {
    r.error(joinPath(path, "hardPodAffinityWeight"), invalid(w, "not in valid range [0, 100]"));
  }
}

function validateTopologySpread(r: Reporter, path: string, a: PodTopologySpreadArgs): void {
  const dtPath = joinPath(path, "defaultingType");
  if (a.defaultingType !== "System" && a.defaultingType !== "List") {
    r.error(dtPath, notSupported(a.defaultingType, ["System", "List"]));
  } else if (a.defaultingType === "System" && a.defaultConstraints.length > 0) {
    r.error(dtPath, invalid(a.defaultingType, "when .defaultConstraints are not empty"));
  }
  const dcPath = joinPath(path, "defaultConstraints");
  a.defaultConstraints.forEach((c, i) => {
    const p = joinPath(dcPath, i);
    if (c.maxSkew <= 0)
      r.error(joinPath(p, "maxSkew"), invalid(c.maxSkew, "not in valid range (0, inf)"));
    if (c.topologyKey === "") r.error(joinPath(p, "topologyKey"), required("can not be empty"));
    else validateLabelName(r, joinPath(p, "topologyKey"), c.topologyKey);
    if ((c.whenUnsatisfiable as string) === "") {
      r.error(joinPath(p, "whenUnsatisfiable"), required("can not be empty"));
    }
    const earlier = a.defaultConstraints
      .slice(0, i)
      .some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable);
    if (earlier) r.error(p, duplicate(`{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
  });
}

/** Checks one term the way `nodeaffinity.NewNodeSelector` parses it (labels.NewRequirement rules). */
function validateTerm(r: Reporter, path: string, term: NodeSelectorTerm): void {
  term.matchExpressions.forEach((req, j) => {
    const p = joinPath(joinPath(path, "matchExpressions"), j);
    const keyErrs = qualifiedNameErrors(req.key);
    if (keyErrs.length > 0) r.error(joinPath(p, "key"), invalid(req.key, keyErrs.join("; ")));
    const vp = joinPath(p, "values");
    switch (req.operator) {
      case "In":
      case "NotIn":
        if (req.values.length === 0) {
          r.error(
            vp,
            invalid(req.values, "for 'in', 'notin' operators, values set can't be empty"),
          );
        }
        break;
      case "Exists":
      case "DoesNotExist":
        if (req.values.length !== 0) {
          r.error(
            vp,
            invalid(req.values, "values set must be empty for exists and does not exist"),
          );
        }
        break;
      case "Gt":
      case "Lt":
        if (req.values.length !== 1) {
          r.error(
            vp,
            invalid(req.values, "for 'Gt', 'Lt' operators, exactly one value is required"),
          );
        }
        req.values.forEach((v, k) => {
          if (!/^[+-]?\d+$/.test(v)) {
            r.error(
              joinPath(vp, k),
              invalid(v, "for 'Gt', 'Lt' operators, the value must be an integer"),
            );
          }
        });
        break;
    }
    req.values.forEach((v, k) => {
      const errs = labelValueErrors(v);
      if (errs.length > 0) r.error(joinPath(vp, k), invalid(v, errs.join("; ")));
    });
  });
  term.matchFields.forEach((req, j) => {
    const p = joinPath(joinPath(path, "matchFields"), j);
    if (req.operator !== "In" && req.operator !== "NotIn") {
      r.error(joinPath(p, "operator"), notSupported(req.operator, ["In", "NotIn"]));
    } else if (req.values.length !== 1) {
      r.error(joinPath(p, "values"), invalid(req.values, "must have one element"));
    }
  });
}

/** Validates a NodeAffinity as the scheduler parses it (`NodeAffinityArgs.addedAffinity`). */
export function validateNodeAffinity(r: Reporter, path: string, affinity: NodeAffinity): void {
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    const p = joinPath(
      joinPath(path, "requiredDuringSchedulingIgnoredDuringExecution"),
      "nodeSelectorTerms",
    );
    required.nodeSelectorTerms.forEach((t, i) => {
      validateTerm(r, joinPath(p, i), t);
    });
  }
  affinity.preferredDuringSchedulingIgnoredDuringExecution.forEach((t, i) => {
    const p = joinPath(joinPath(path, "preferredDuringSchedulingIgnoredDuringExecution"), i);
    validateTerm(r, joinPath(p, "preference"), t.preference);
  });
}

function validateNodeAffinityArgs(r: Reporter, path: string, a: NodeAffinityArgs): void {
  if (a.addedAffinity) validateNodeAffinity(r, joinPath(path, "addedAffinity"), a.addedAffinity);
}

function validateDefaultPreemption(r: Reporter, path: string, a: DefaultPreemptionArgs): void {
  const pp = joinPath(path, "minCandidateNodesPercentage");
  const ap = joinPath(path, "minCandidateNodesAbsolute");
  const pct = a.minCandidateNodesPercentage;
  const abs = a.minCandidateNodesAbsolute;
  if (pct < 0 || pct > 100) r.error(pp, invalid(pct, "not in valid range [0, 100]"));
  if (abs < 0) r.error(ap, invalid(abs, "not in valid range [0, inf)"));
  if (pct === 0 && abs === 0) {
    r.error(pp, invalid(pct, "cannot be zero at the same time as minCandidateNodesAbsolute"));
    r.error(ap, invalid(abs, "cannot be zero at the same time as minCandidateNodesPercentage"));
  }
}

function validateVolumeBinding(r: Reporter, path: string, a: VolumeBindingArgs): void {
  if (a.bindTimeoutSeconds < 0) {
    r.error(
      joinPath(path, "bindTimeoutSeconds"),
      invalid(a.bindTimeoutSeconds, "invalid BindTimeoutSeconds, should not be a negative value"),
    );
  }
  if (a.shape.length > 0) {
    r.error(
      joinPath(path, "shape"),
      invalid(
        a.shape,
        "unexpected field `shape`, remove it or turn on the feature gate StorageCapacityScoring",
      ),
    );
  }
}

function validateDynamicResources(r: Reporter, path: string, a: DynamicResourcesArgs): void {
  if (a.filterTimeoutSeconds < 0) {
    r.error(
      joinPath(path, "filterTimeout"),
      invalid(`${a.filterTimeoutSeconds}s`, "must be zero or positive"),
    );
  }
  if (a.bindingTimeoutSeconds < 1) {
    r.error(
      joinPath(path, "bindingTimeout"),
      invalid(`${a.bindingTimeoutSeconds}s`, "must be at least 1 second"),
    );
  }
}

/** gantry's GPU selection methods (`GpuShareArgs.gpuSelection`). */
export const GPU_SELECTIONS = ["best", "random", "fgd"];

function validateGpuShare(r: Reporter, path: string, a: GpuShareArgs): void {
  if (!GPU_SELECTIONS.includes(a.gpuSelection)) {
    r.error(joinPath(path, "gpuSelection"), notSupported(a.gpuSelection, GPU_SELECTIONS));
  }
}

/**
 * gantry's FGDScoreArgs: `popularityThreshold` in (0, 100]; `typicalPods`, when given, non-empty,
 * each with cpu ≥ 0, numGpu an integer in 0..16, gpuMilli 0 for a CPU-only shape (numGpu 0) and
 * 1..1000 otherwise, non-empty model names, and a positive weight.
 */
function validateFgdScore(r: Reporter, path: string, a: FGDScoreArgs): void {
  const t = a.popularityThreshold;
  if (!(t > 0 && t <= 100)) {
    r.error(joinPath(path, "popularityThreshold"), invalid(t, "not in valid range (0, 100]"));
  }
  if (!a.typicalPods) return;
  const tp = joinPath(path, "typicalPods");
  if (a.typicalPods.length === 0) {
    r.error(
      tp,
      required("at least one typical pod (omit typicalPods to derive them from the workload)"),
    );
  }
  a.typicalPods.forEach((pod, i) => {
    const p = joinPath(tp, i);
    if (pod.cpuMilli < 0) r.error(joinPath(p, "cpu"), invalid(`${pod.cpuMilli}m`, "must be ≥ 0"));
    if (pod.numGpu < 0 || pod.numGpu > 16) {
      r.error(joinPath(p, "numGpu"), invalid(pod.numGpu, "not in valid range [0, 16]"));
    }
    if (pod.numGpu === 0 && pod.gpuMilli !== 0) {
      r.error(joinPath(p, "gpuMilli"), invalid(pod.gpuMilli, "must be 0 when numGpu is 0"));
    } else if (pod.numGpu !== 0 && (pod.gpuMilli < 1 || pod.gpuMilli > 1000)) {
      r.error(joinPath(p, "gpuMilli"), invalid(pod.gpuMilli, "not in valid range [1, 1000]"));
    }
    pod.models.forEach((m, j) => {
      if (m === "") r.error(joinPath(joinPath(p, "models"), j), required("can not be empty"));
    });
    if (!(pod.weight > 0)) {
      r.error(joinPath(p, "weight"), invalid(pod.weight, "must be a positive number"));
    }
  });
}

/** Validates defaulted args found at `path` (`profiles[i].pluginConfig[j].args`). */
export function validatePluginArgs(r: Reporter, path: string, args: PluginArgs): void {
  switch (args.kind) {
    case "NodeResourcesFitArgs":
      validateFit(r, path, args);
      break;
    case "NodeResourcesBalancedAllocationArgs":
      validateBalancedAllocation(r, path, args);
      break;
    case "InterPodAffinityArgs":
      validateInterPodAffinity(r, path, args);
      break;
    case "PodTopologySpreadArgs":
      validateTopologySpread(r, path, args);
      break;
    case "NodeAffinityArgs":
      validateNodeAffinityArgs(r, path, args);
      break;
    case "DefaultPreemptionArgs":
      validateDefaultPreemption(r, path, args);
      break;
    case "VolumeBindingArgs":
      validateVolumeBinding(r, path, args);
      break;
    case "DynamicResourcesArgs":
      validateDynamicResources(r, path, args);
      break;
    case "GpuShareArgs":
      validateGpuShare(r, path, args);
      break;
    case "FGDScoreArgs":
      validateFgdScore(r, path, args);
      break;
  }
}
