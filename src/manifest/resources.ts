/**
 * Resource lists and requirements: quantity parsing, resource-name rules, requests defaulted to
 * limits, and the requests/limits consistency rules of the API server
 * (`ValidateResourceRequirements`, `IsOvercommitAllowed`), plus the container aggregate used by
 * pod-level resource defaulting and validation.
 */
import { parseQuantity, type Quantity, QuantityError } from "../model/quantity.ts";
import type { ResourceRequirements } from "../model/types.ts";
import type { Field } from "./field.ts";
import { quote } from "./field.ts";
import { qualifiedNameErrors } from "./validation.ts";

/** Which resource names a list accepts. */
export type ResourceNames = "container" | "pod" | "any";

/** `hugepages-<size>`. */
export function isHugePages(name: string): boolean {
  return name.startsWith("hugepages-");
}

/** Native resources: unprefixed, or in the `kubernetes.io` domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

/** `IsOvercommitAllowed`: native resources except huge pages; extended ones need request = limit. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** Resources that may appear in pod-level `spec.resources` (feature PodLevelResources). */
export function isPodLevelResource(name: string): boolean {
  return name === "cpu" || name === "memory" || isHugePages(name);
}

const CONTAINER_STANDARD = new Set(["cpu", "memory", "ephemeral-storage"]);

/** Checks a resource name; reports at `field` (the list) and returns whether it is acceptable. */
function checkResourceName(field: Field, name: string, names: ResourceNames): boolean {
  const errs = qualifiedNameErrors(name);
  if (errs.length > 0) {
    field.error(`${quote(name)} is not a valid resource name: ${errs.join("; ")}`);
    return false;
  }
  if (names === "container" && !name.includes("/")) {
    if (!CONTAINER_STANDARD.has(name) && !isHugePages(name)) {
      field.error(
        `${quote(name)} is not a valid resource name: must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or a domain-qualified extended resource`,
      );
      return false;
    }
  }
  if (names === "pod" && !isPodLevelResource(name)) {
    field.error(`${quote(name)} is not one of cpu, memory, hugepages-<size>`);
    return false;
  }
  return true;
}

/** Parses one quantity field (string or YAML number); reports and returns `undefined` on error. */
export function readQuantity(field: Field): Quantity | undefined {
  const v = field.value;
  if (v === undefined) return undefined;
  if (typeof v !== "string" && typeof v !== "number") {
    field.error("must be a quantity (a string or a number)");
    return undefined;
  }
  try {
    return parseQuantity(v);
  } catch (e) {
    if (e instanceof QuantityError) {
      field.error(e.message);
      return undefined;
    }
    throw e;
  }
}

/**
 * Reads a `ResourceList` (`requests`, `limits`, `overhead`, `capacity`, …): names checked per
 * `names`, quantities parsed, negative values reported. Invalid entries are dropped.
 */
export function readResourceList(field: Field, names: ResourceNames): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, f] of field.entries()) {
    const nameOk = checkResourceName(field, name, names);
    const q = readQuantity(f);
    if (q === undefined) {
      if (!f.present) f.error("required");
      continue;
    }
    if (q.sign() < 0) {
      f.error("must be greater than or equal to 0");
      continue;
    }
    if (nameOk) out.set(name, q);
  }
  return out;
}

/**
 * Compares two quantities after the API server's rounding up to milli-units
 * (`SetDefaults_ResourceList`), which happens before validation.
 */
export function cmpMilli(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const x = a.milliValue();
  const y = b.milliValue();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Reads a container's `resources` (`{requests, limits}`): every limit without a request
 * also becomes the request (`SetDefaults_Pod`), then each request must not exceed its limit,
 * and resources that cannot be overcommitted (extended resources, huge pages) need a limit equal
 * to the request.
 */
export function readContainerRequirements(field: Field): ResourceRequirements {
  const res = field.object();
  const requestsField = res.get("requests");
  const limitsField = res.get("limits");
  const explicit = readResourceList(requestsField, "container");
  const limits = readResourceList(limitsField, "container");

  const requests = new Map(explicit);
  for (const [name, limit] of limits) if (!requests.has(name)) requests.set(name, limit);

  for (const [name, request] of explicit) {
    const limit = limits.get(name);
    const at = requestsField.get(name);
    if (limit !== undefined) {
      const c = cmpMilli(request, limit);
      if (c !== 0 && !isOvercommitAllowed(name)) {
        at.error(`must be equal to ${name} limit of ${limit.toString()}`);
      } else if (c > 0) {
        at.error(`must be less than or equal to ${name} limit of ${limit.toString()}`);
      }
    } else if (!isOvercommitAllowed(name)) {
      limitsField
        .get(name)
        .error(
          "required (a resource that cannot be overcommitted needs a limit equal to its request)",
        );
    }
  }
  return { requests, limits };
}

function addInto(into: Map<string, Quantity>, list: ReadonlyMap<string, Quantity>): void {
  for (const [k, q] of list) {
    const cur = into.get(k);
    into.set(k, cur === undefined ? q : cur.add(q));
  }
}

function maxInto(into: Map<string, Quantity>, list: ReadonlyMap<string, Quantity>): void {
  for (const [k, q] of list) {
    const cur = into.get(k);
    if (cur === undefined || q.cmp(cur) > 0) into.set(k, q);
  }
}

/** A container as far as request aggregation is concerned. */
export interface RequestingContainer {
  readonly resources: ResourceRequirements;
  readonly restartPolicy?: "Always";
}

/**
 * component-helpers `AggregateContainerRequests` (no pod-level resources, no overhead):
 * max(sum of regular containers and sidecars, max init-time usage), per resource.
 */
export function aggregateContainerRequests(
  containers: readonly RequestingContainer[],
  initContainers: readonly RequestingContainer[],
): Map<string, Quantity> {
  const reqs = new Map<string, Quantity>();
  for (const c of containers) addInto(reqs, c.resources.requests);
  const sidecars = new Map<string, Quantity>();
  const initMax = new Map<string, Quantity>();
  for (const c of initContainers) {
    if (c.restartPolicy === "Always") {
      addInto(reqs, c.resources.requests);
      addInto(sidecars, c.resources.requests);
      maxInto(initMax, sidecars);
    } else {
      const usage = new Map(c.resources.requests);
      addInto(usage, sidecars);
      maxInto(initMax, usage);
    }
  }
  maxInto(reqs, initMax);
  return reqs;
}
