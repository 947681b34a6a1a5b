/**
 * scheduler_perf workloads on gantry's simulator (`gantry perf`):
 *
 * - `config.ts` — performance-config.yaml → test cases, ops, workloads (malformed input is an
 *   `InputError`; ops gantry does not simulate become skip reasons);
 * - `template.ts` — the Go text/template subset of scheduler_perf's object templates;
 * - `objects.ts` — rendered templates → decoded Nodes, Pods, Namespaces, kept objects;
 * - `plan.ts` — one workload → a `SimulationInput` (the op timeline, churn, deletions, the
 *   measured window, the end);
 * - `run.ts` — selection, the profile, `simulate()` per workload, the report;
 * - `dataitems.ts` — upstream's DataItems document and file;
 * - `report.ts` — the table for people.
 */
export {
  labelsEnabled,
  loadPerfConfig,
  type PerfConfig,
  type PerfOp,
  type PerfTestCase,
  type PerfWorkload,
  parsePerfConfig,
  thresholdFor,
} from "./config.ts";
export {
  type DataItem,
  type DataItems,
  dataItemsFileName,
  formatDataItems,
  throughputDataItem,
  writeDataItems,
} from "./dataitems.ts";
export { SkipWorkload, TemplateFiles } from "./objects.ts";
export {
  DEFAULT_HORIZON,
  OP_GAP,
  planArrivals,
  planWorkload,
  simulationInput,
  type WorkloadPlan,
} from "./plan.ts";
export { renderPerfTable } from "./report.ts";
export {
  DEFAULT_LABEL_FILTER,
  PERF_SCHEMA_VERSION,
  type PerfReport,
  type PerfRunOptions,
  runPerf,
  selectWorkloads,
  type WorkloadReport,
  WorkloadSelectionError,
} from "./run.ts";
