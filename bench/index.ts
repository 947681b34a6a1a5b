/**
 * `npm run bench [-- --quick] [-- --json]`: gantry's benchmark suites (src/benchmark/suites), the
 * same code `gantry bench` runs, straight from the TypeScript sources: the table on stdout, or
 * with `--json` the bench result (`gantry.dev/bench/v1`, what `gantry gate` reads).
 */
import { formatJson } from "../src/benchmark/formats/json.ts";
import { formatTable } from "../src/benchmark/formats/table.ts";
import { FULL_SUITE, QUICK_SUITE, runSuites } from "../src/benchmark/suites/index.ts";

const args = new Set(process.argv.slice(2));
const t0 = performance.now();
const log = (s: string) =>
  process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}\n`);
const result = await runSuites(args.has("--quick") ? QUICK_SUITE : FULL_SUITE, log);
process.stdout.write(args.has("--json") ? formatJson(result) : formatTable(result));
