/**
 * Plugin and framework results (upstream `framework.Status`; semantics §1.1). The codes keep their
 * kube-scheduler spelling. Success carries no reasons; every non-success status records the plugin
 * that produced it once the framework has seen it.
 */

export type Code =
  /** The plugin ran and found nothing wrong. */
  | "Success"
  /** An internal error: the scheduling cycle fails for this pod. */
  | "Error"
  /** The node does not fit; preemption might help. */
  | "Unschedulable"
  /** The node does not fit and preemption cannot help. */
  | "UnschedulableAndUnresolvable"
  /** PreFilter / PreScore: the plugin has nothing to do for this pod; its Filter / Score is skipped. */
  | "Skip";

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that returned it; `""` until the framework records it. */
  readonly plugin: string;
}

export const SUCCESS: Status = Object.freeze({ code: "Success", reasons: [], plugin: "" });

export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons, plugin: "" };
}

/** A copy of `status` attributed to `plugin`. */
export function withPlugin(status: Status, plugin: string): Status {
  return { ...status, plugin };
}

export function isSuccess(status: Status): boolean {
  return status.code === "Success";
}

export function isSkip(status: Status): boolean {
  return status.code === "Skip";
}

/** Unschedulable or UnschedulableAndUnresolvable (upstream `IsRejected`). */
export function isRejected(status: Status): boolean {
  return status.code === "Unschedulable" || status.code === "UnschedulableAndUnresolvable";
}

/** The reasons joined by `", "` (upstream `Status.Message`). */
export function statusMessage(status: Status): string {
  return status.reasons.join(", ");
}
