/**
 * A minimal reader of the Alibaba GPU v2023 CSVs (traces.md §1): node lists
 * (`sn,cpu_milli,memory_mib,gpu,model`) and pod lists (full header, or the multigpu* files'
 * `name,cpu_milli,memory_mib,num_gpu,gpu_milli`). Columns are found by header name; the files
 * contain no quoting, so a line is split on `,`. Only what the simulator uses is read
 * (traces.md §2): times, qos and phase are dropped.
 */
import { type GpuNode, type GpuPod, makeGpuNode, makeGpuPod } from "./model.ts";

function rows(text: string): { header: string[]; lines: string[][] } {
  const all = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = (all[0] ?? "").split(",").map((h) => h.trim());
  return { header, lines: all.slice(1).map((l) => l.split(",")) };
}

function column(header: readonly string[], name: string, required: boolean): number {
  const i = header.indexOf(name);
  if (i < 0 && required) throw new Error(`trace CSV: missing column ${name}`);
  return i;
}

function num(cells: readonly string[], i: number): number {
  if (i < 0) return 0;
  const s = (cells[i] ?? "").trim();
  return s === "" ? 0 : Number(s);
}

/** Parses a pod list; each row becomes one pod via `makeGpuPod`, in file order. */
export function parsePodCsv(text: string): GpuPod[] {
  const { header, lines } = rows(text);
  const name = column(header, "name", true);
  const cpu = column(header, "cpu_milli", true);
  const mem = column(header, "memory_mib", true);
  const ng = column(header, "num_gpu", true);
  const gm = column(header, "gpu_milli", true);
  const spec = column(header, "gpu_spec", false);
  return lines.map((c) =>
    makeGpuPod({
      name: (c[name] ?? "").trim(),
      cpuMilli: num(c, cpu),
      memoryMib: num(c, mem),
      numGpu: num(c, ng),
      gpuMilli: num(c, gm),
      gpuSpec: spec < 0 ? "" : (c[spec] ?? "").trim(),
    }),
  );
}

/** Parses a node list; each row becomes an empty node via `makeGpuNode` (pods = 1001). */
export function parseNodeCsv(text: string): GpuNode[] {
  const { header, lines } = rows(text);
  const sn = column(header, "sn", true);
  const cpu = column(header, "cpu_milli", true);
  const mem = column(header, "memory_mib", true);
  const gpu = column(header, "gpu", true);
  const model = column(header, "model", true);
  return lines.map((c) =>
    makeGpuNode({
      name: (c[sn] ?? "").trim(),
      cpuMilli: num(c, cpu),
      memoryMib: num(c, mem),
      gpuCount: num(c, gpu),
      model: (c[model] ?? "").trim(),
    }),
  );
}
