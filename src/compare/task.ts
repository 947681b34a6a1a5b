/**
 * One comparison task: a whole simulation of a scenario file with one seed and one policy. The
 * task is plain data (it crosses to piscina workers by structured clone); {@link runTask} loads
 * the scenario and resolves the policy itself, in whichever thread runs it.
 */
import type { BalancedAllocationFormula } from "../config/index.ts";
import { loadScenario } from "../scenario/index.ts";
import { simulate } from "../sim/engine.ts";
import type { RunResult } from "../sim/metrics.ts";
import { coreProfile } from "../sim/profile.ts";
import { withTypicalPods } from "../sim/strategies.ts";
import { type PolicyDescriptor, resolvePolicy } from "./policy.ts";

export interface CompareTask {
  /** The scenario file's path. */
  readonly scenario: string;
  /** Overrides the scenario's seed. */
  readonly seed: number;
  readonly policy: PolicyDescriptor;
  /** Simulated seconds to stop at (`--end`); default the scenario's. */
  readonly endTime?: number;
  readonly balancedAllocationFormula?: BalancedAllocationFormula;
  /**
   * Tests only: the task throws an Error with this message instead of running, as a crashing
   * worker would. Never set by the CLI.
   */
  readonly failForTest?: string;
}

/** Runs `task` to its end. Throws whatever the load or the run throws. */
export async function runTask(task: CompareTask): Promise<RunResult> {
  if (task.failForTest !== undefined) throw new Error(task.failForTest);
  const scenario = await loadScenario(task.scenario, { seed: task.seed });
  const base = scenario.toSimulationInput();
  const { profile } = coreProfile(
    resolvePolicy(task.policy, { balancedAllocationFormula: task.balancedAllocationFormula }),
  );
  return simulate(
    withTypicalPods(
      {
        ...base,
        profile,
        ...(task.endTime === undefined ? {} : { endTime: task.endTime }),
      },
      scenario.arrivals,
    ),
  );
}
