/**
 * TaintToleration (semantics §4.7; upstream `plugins/tainttoleration/taint_toleration.go`).
 * Filter, PreScore, Score, NormalizeScore.
 */
import type { Pod, Taint, Toleration } from "../../../model/types.ts";
import type { CycleState } from "../../framework/cycle-state.ts";
import type {
  FilterPlugin,
  NodeScore,
  PluginFactory,
  PreScorePlugin,
  ScorePlugin,
} from "../../framework/interfaces.ts";
import type { NodeInfo } from "../../framework/node-info.ts";
import { newStatus, type Status, SUCCESS } from "../../framework/status.ts";
import { defaultNormalizeScore } from "../../helpers/normalize-score.ts";
import {
  findMatchingUntoleratedTaint,
  tolerationsTolerateTaint,
} from "../../helpers/tolerations.ts";
import { TaintToleration } from "../names.ts";

const PRE_SCORE_STATE_KEY = `PreScore${TaintToleration}`;

/** `node(s) had untolerated taint {<key>: <value>}` (the value, not the effect). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
}

/** The pod tolerations that matter for scoring: effect empty or PreferNoSchedule. */
function preferNoScheduleTolerations(pod: Pod): Toleration[] {
  return pod.spec.tolerations.filter((t) => t.effect === "" || t.effect === "PreferNoSchedule");
}

export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TaintToleration;

  /** The first NoSchedule/NoExecute taint no toleration tolerates → UnschedulableAndUnresolvable. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const taint = findMatchingUntoleratedTaint(
      nodeInfo.node.spec.taints,
      pod.spec.tolerations,
      (t) => t.effect === "NoSchedule" || t.effect === "NoExecute",
    );
    if (!taint) return SUCCESS;
    return newStatus("UnschedulableAndUnresolvable", untoleratedTaintReason(taint));
  }

  preScore(state: CycleState, pod: Pod): Status {
    state.write(PRE_SCORE_STATE_KEY, preferNoScheduleTolerations(pod));
    return SUCCESS;
  }

  /** Raw score: the number of PreferNoSchedule taints not tolerated by the kept tolerations. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const tolerations =
      state.read<Toleration[]>(PRE_SCORE_STATE_KEY) ?? preferNoScheduleTolerations(pod);
    let count = 0;
    for (const taint of nodeInfo.node.spec.taints) {
      if (taint.effect !== "PreferNoSchedule") continue;
      if (!tolerationsTolerateTaint(tolerations, taint)) count++;
    }
    return count;
  }

  /** DefaultNormalizeScore(reverse = true): fewer intolerable taints → higher score. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(scores, true);
    return SUCCESS;
  }
}

export const newTaintToleration: PluginFactory = () => new TaintTolerationPlugin();
