/**
 * The published unallocated-GPU curve of the FGD paper's default trace (Weng et al., USENIX ATC
 * '23), as reconstructed in shared/research/traces.md §4 from the simulator repo's cached results
 * (`hkust-adsl/kubernetes-scheduler-simulator:experiments/analysis/expected_results/
 * analysis_allo_discrete.csv`, commit 1853fc0e; value = 100 − cell): median over tune seeds 42–51,
 * tune 1.3, shuffle on, `openb_node_list_gpu_node.csv` (6212 GPUs), `openb_pod_list_default.csv`.
 */
import type { PolicyName } from "../gpu/index.ts";

/** Where {@link PUBLISHED_UNALLOCATED} comes from. */
export const PUBLISHED_SOURCE =
  "hkust-adsl/kubernetes-scheduler-simulator experiments/analysis/expected_results/" +
  "analysis_allo_discrete.csv (default trace, median of seeds 42–51), via traces.md §4";

/** The arrive% rows of the published table. */
export const PUBLISHED_ARRIVED_PCT: readonly number[] = [
  80, 85, 90, 92, 94, 95, 100, 105, 110, 120, 130,
];

/** Unallocated GPU % (median over 10 seeds) by policy, one value per {@link PUBLISHED_ARRIVED_PCT}. */
export const PUBLISHED_UNALLOCATED: Readonly<Record<PolicyName, readonly number[]>> = {
  Random: [21.24, 16.85, 14.97, 14.69, 14.44, 14.32, 13.75, 13.45, 13.23, 12.84, 12.62],
  DotProd: [19.99, 14.99, 10.02, 9.5, 9.49, 9.47, 9.44, 9.39, 9.37, 9.29, 9.2],
  GpuClustering: [19.99, 14.99, 10.0, 8.49, 8.47, 8.47, 8.42, 8.38, 8.34, 8.27, 8.21],
  GpuPacking: [19.99, 14.99, 10.0, 8.28, 8.24, 8.23, 8.19, 8.15, 8.12, 8.05, 7.94],
  BestFit: [19.99, 14.99, 9.99, 8.0, 7.15, 7.14, 7.09, 7.06, 7.02, 6.96, 6.89],
  FGD: [19.99, 14.99, 10.0, 8.0, 5.98, 5.09, 4.77, 4.7, 4.68, 4.63, 4.6],
};

/** The published value at `arrivedPct`, or `undefined` when the table has no such row. */
export function publishedUnallocated(policy: PolicyName, arrivedPct: number): number | undefined {
  const i = PUBLISHED_ARRIVED_PCT.indexOf(arrivedPct);
  return i < 0 ? undefined : PUBLISHED_UNALLOCATED[policy][i];
}
