/**
 * GpuShareArgs (types from `src/config/types.ts`). The factory receives the config module's
 * defaulted args; absent fields get the defaults here.
 */
import type { GpuShareArgs } from "../../external.ts";

export type { GpuSelection, GpuShareArgs } from "../../external.ts";

/** Fills absent fields with the defaults (`gpuSelection: best`). */
export function defaultGpuShareArgs(args: unknown): GpuShareArgs {
  const a = (args ?? {}) as Partial<GpuShareArgs>;
  return { kind: "GpuShareArgs", gpuSelection: a.gpuSelection ?? "best" };
}

/** Error messages of invalid args (empty = valid). */
export function validateGpuShareArgs(args: GpuShareArgs): string[] {
  const ok: readonly string[] = ["best", "random", "fgd"];
  return ok.includes(args.gpuSelection)
    ? []
    : [`gpuSelection: Unsupported value: ${JSON.stringify(args.gpuSelection)}`];
}
