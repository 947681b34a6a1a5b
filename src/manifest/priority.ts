/**
 * The API server's Priority admission step (`plugin/pkg/admission/priority`), which
 * kube-scheduler relies on: a pod's `spec.priority` and `spec.preemptionPolicy` come from its
 * PriorityClass (or the global default class, or 0), never from the pod itself.
 *
 * Rules applied over the loaded PriorityClasses plus the two built-in system classes:
 * - `priorityClassName` empty: the `globalDefault` class applies if there is one (its name is
 *   filled in); otherwise priority 0.
 * - A named class must exist — unless the pod already carries `spec.priority` (an object
 *   exported from a live cluster was admitted there; its priority is kept as is).
 * - A pod-supplied `priority`/`preemptionPolicy` that differs from the class's is an error.
 * - At most one PriorityClass may be `globalDefault`.
 */
import type { Diagnostics, Location } from "../diagnostics.ts";
import type { KeptObject, Pod } from "../model/types.ts";
import { Field, type Scope } from "./field.ts";
import { INT32_MAX, INT32_MIN } from "./scheduling.ts";

type PreemptionPolicy = "PreemptLowerPriority" | "Never";

interface PriorityClassInfo {
  readonly name: string;
  readonly value: number;
  readonly preemptionPolicy: PreemptionPolicy;
  readonly globalDefault: boolean;
}

/** The built-in classes every cluster has (`scheduling.SystemPriorityClasses`). */
const SYSTEM_CLASSES: readonly PriorityClassInfo[] = [
  {
    name: "system-node-critical",
    value: 2000001000,
    preemptionPolicy: "PreemptLowerPriority",
    globalDefault: false,
  },
  {
    name: "system-cluster-critical",
    value: 2000000000,
    preemptionPolicy: "PreemptLowerPriority",
    globalDefault: false,
  },
];

/** Priority when no class applies (`scheduling.DefaultPriorityWhenNoDefaultClassExists`). */
const DEFAULT_PRIORITY = 0;

function scopeOf(obj: { readonly source: Location }, diags: Diagnostics): Scope {
  const { path: _path, ...loc } = obj.source;
  return { diags, loc };
}

function rootOf(obj: { readonly source: Location }, value: unknown, diags: Diagnostics): Field {
  return new Field(scopeOf(obj, diags), obj.source.path ?? "", value);
}

/** Reads and validates the PriorityClasses among the kept objects. */
function readClasses(
  kept: readonly KeptObject[],
  diags: Diagnostics,
): Map<string, PriorityClassInfo> {
  const classes = new Map<string, PriorityClassInfo>(SYSTEM_CLASSES.map((c) => [c.name, c]));
  let defaultClass: string | undefined;
  for (const obj of kept) {
    if (obj.kind !== "PriorityClass") continue;
    const root = rootOf(obj, obj.body, diags);
    const name = obj.metadata.name;
    const valueField = root.get("value");
    if (!valueField.present) valueField.error("required");
    const value = valueField.intInRange(INT32_MIN, INT32_MAX);
    const preemptionPolicy =
      root.get("preemptionPolicy").oneOf(["PreemptLowerPriority", "Never"] as const) ??
      "PreemptLowerPriority";
    const gdField = root.get("globalDefault");
    const globalDefault = gdField.bool(false);
    if (!name || value === undefined) continue;
    if (SYSTEM_CLASSES.some((c) => c.name === name)) {
      root.get("metadata").get("name").error(`${name} is a built-in PriorityClass`);
      continue;
    }
    if (globalDefault) {
      if (defaultClass !== undefined) {
        gdField.error(`PriorityClass ${defaultClass} is already the global default`);
        continue;
      }
      defaultClass = name;
    }
    classes.set(name, { name, value, preemptionPolicy, globalDefault });
  }
  return classes;
}

/**
 * Returns the pods with `priority`, `preemptionPolicy` and (for the global default)
 * `priorityClassName` set as the Priority admission plugin would; problems go to `diags`.
 */
export function admitPriorities(
  pods: readonly Pod[],
  kept: readonly KeptObject[],
  diags: Diagnostics,
): Pod[] {
  const classes = readClasses(kept, diags);
  const globalDefault = [...classes.values()].find((c) => c.globalDefault);
  return pods.map((pod) => {
    const spec = pod.spec;
    const root = rootOf(pod, undefined, diags).get("spec");
    let cls: PriorityClassInfo | undefined;
    if (spec.priorityClassName === "") {
      cls = globalDefault;
    } else {
      cls = classes.get(spec.priorityClassName);
      if (cls === undefined) {
        if (spec.priority !== undefined) return pod;
        root.get("priorityClassName").error(`no PriorityClass named "${spec.priorityClassName}"`);
        return pod;
      }
    }
    const priority = cls?.value ?? DEFAULT_PRIORITY;
    const preemptionPolicy: PreemptionPolicy = cls?.preemptionPolicy ?? "PreemptLowerPriority";
    if (spec.priority !== undefined && spec.priority !== priority) {
      root
        .get("priority")
        .error(
          `must not differ from the value of ${cls ? `PriorityClass ${cls.name}` : "the default priority"} (${priority})`,
        );
    }
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== preemptionPolicy && cls) {
      root
        .get("preemptionPolicy")
        .error(
          `must not differ from the preemptionPolicy of PriorityClass ${cls.name} (${preemptionPolicy})`,
        );
    }
    return {
      ...pod,
      spec: {
        ...spec,
        priority,
        preemptionPolicy: cls ? preemptionPolicy : (spec.preemptionPolicy ?? preemptionPolicy),
        priorityClassName: cls?.name ?? spec.priorityClassName,
      },
    };
  });
}
