/**
 * NodeAffinity (semantics §4.8; upstream `plugins/nodeaffinity/node_affinity.go`).
 * PreFilter, Filter, PreScore, Score, NormalizeScore.
 */
import type { Pod } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  NodeScore,
  PluginFactory,
  PreFilterOutput,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import {
  OBJECT_NAME_FIELD,
  ParsedNodeSelector,
  PreferredSchedulingTerms,
  RequiredNodeAffinity,
} from "../../helpers/node-selector.ts";
import { defaultNormalizeScore } from "../../helpers/normalize-score.ts";
import { NodeAffinity } from "../names.ts";
import { defaultNodeAffinityArgs, type NodeAffinityArgs } from "./args.ts";

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = "pod affinity terms conflict";

const PRE_FILTER_STATE_KEY = `PreFilter${NodeAffinity}`;
const PRE_SCORE_STATE_KEY = `PreScore${NodeAffinity}`;

/** The pod's parsed preferred terms; `undefined` when it has none. Throws nothing: see errors. */
function podPreferredTerms(pod: Pod): PreferredSchedulingTerms | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms && terms.length > 0 ? new PreferredSchedulingTerms(terms) : undefined;
}

export class NodeAffinityPlugin
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin
{
  readonly name = NodeAffinity;
  private readonly addedNodeSelector?: ParsedNodeSelector;
  private readonly addedPrefSchedTerms?: PreferredSchedulingTerms;

  /** Throws when the added affinity does not parse (upstream rejects the args). */
  constructor(args: NodeAffinityArgs) {
    const required = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      this.addedNodeSelector = new ParsedNodeSelector(required);
      const errs = this.addedNodeSelector.parseErrors;
      if (errs.length > 0) throw new Error(`addedAffinity: ${errs.join(", ")}`);
    }
    const preferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (preferred.length > 0) {
      this.addedPrefSchedTerms = new PreferredSchedulingTerms(preferred);
      const errs = this.addedPrefSchedTerms.parseErrors;
      if (errs.length > 0) throw new Error(`addedAffinity: ${errs.join(", ")}`);
    }
  }

  /**
   * Skip when the pod has neither required node affinity nor a nodeSelector and there is no added
   * required affinity. Otherwise the node names of `metadata.name In` matchFields form a
   * PreFilterResult: intersected within a term, unioned over terms, no restriction when any term
   * has none; an empty union is UnschedulableAndUnresolvable `pod affinity terms conflict`.
   */
  preFilter(state: CycleState, pod: Pod): PreFilterOutput {
    const required =
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const hasNodeSelector = Object.keys(pod.spec.nodeSelector).length > 0;
    if (!required && !this.addedNodeSelector && !hasNodeSelector) {
      return { result: null, status: newStatus("Skip") };
    }
    state.write(PRE_FILTER_STATE_KEY, new RequiredNodeAffinity(pod));
    if (!required || required.nodeSelectorTerms.length === 0)
      return { result: null, status: SUCCESS };

    let nodeNames: Set<string> | undefined;
    for (const term of required.nodeSelectorTerms) {
      let termNodeNames: Set<string> | undefined;
      for (const r of term.matchFields) {
        if (r.key !== OBJECT_NAME_FIELD || r.operator !== "In") continue;
        const values = new Set(r.values);
        termNodeNames = termNodeNames
          ? new Set([...termNodeNames].filter((n) => values.has(n)))
          : values;
      }
      if (!termNodeNames) return { result: null, status: SUCCESS };
      nodeNames = new Set([...(nodeNames ?? []), ...termNodeNames]);
    }
    if (nodeNames && nodeNames.size === 0) {
      return {
        result: null,
        status: newStatus("UnschedulableAndUnresolvable", ERR_REASON_CONFLICT),
      };
    }
    return { result: nodeNames ? { nodeNames } : null, status: SUCCESS };
  }

  /**
   * 1. added required affinity must match, else `…scheduler-enforced node affinity`;
   * 2. the pod's nodeSelector and required affinity must match (parse errors ignored),
   *    else `node(s) didn't match Pod's node affinity/selector`. Both UnschedulableAndUnresolvable.
   */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (this.addedNodeSelector && !this.addedNodeSelector.matches(nodeInfo.node)) {
      return newStatus("UnschedulableAndUnresolvable", ERR_REASON_ENFORCED);
    }
    const required =
      state.read<RequiredNodeAffinity>(PRE_FILTER_STATE_KEY) ?? new RequiredNodeAffinity(pod);
    if (!required.matches(nodeInfo.node)) {
      return newStatus("UnschedulableAndUnresolvable", ERR_REASON_POD);
    }
    return SUCCESS;
  }

  /** Error when the pod's preferred terms do not parse; Skip when neither side has any. */
  preScore(state: CycleState, pod: Pod): Status {
    const preferred = podPreferredTerms(pod);
    if (preferred && preferred.parseErrors.length > 0) {
      return newStatus("Error", preferred.parseErrors.join(", "));
    }
    if (!preferred && !this.addedPrefSchedTerms) return newStatus("Skip");
    state.write(PRE_SCORE_STATE_KEY, preferred ?? null);
    return SUCCESS;
  }

  /** Sum of the weights of the matching preferred terms (added + pod). */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    let count = this.addedPrefSchedTerms?.score(nodeInfo.node) ?? 0;
    let preferred = state.read<PreferredSchedulingTerms | null>(PRE_SCORE_STATE_KEY);
    if (preferred === undefined) {
      preferred = podPreferredTerms(pod) ?? null;
      if (preferred && preferred.parseErrors.length > 0) {
        return newStatus("Error", preferred.parseErrors.join(", "));
      }
    }
    if (preferred) count += preferred.score(nodeInfo.node);
    return count;
  }

  /** DefaultNormalizeScore(reverse = false). */
  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, false);
    return SUCCESS;
  }
}

export const newNodeAffinity: PluginFactory = (args) =>
  new NodeAffinityPlugin(defaultNodeAffinityArgs(args));
