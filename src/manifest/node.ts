/**
 * Node decoding: cluster-scoped metadata (DNS-1123 subdomain name), `spec.unschedulable`,
 * `spec.taints`, and `status` capacity, allocatable (defaulting to capacity when absent,
 * `SetDefaults_NodeStatus`), images and conditions.
 */
import type { Location } from "../diagnostics.ts";
import { GPU_RESOURCE, MAX_NODE_GPUS } from "../model/gpu.ts";
import type { ContainerImage, Node, NodeCondition, NodeSpec, NodeStatus } from "../model/types.ts";
import type { Field } from "./field.ts";
import { decodeMeta } from "./meta.ts";
import { readResourceList } from "./resources.ts";
import { readTaints } from "./scheduling.ts";
import { dns1123SubdomainErrors } from "./validation.ts";

const CONDITION_STATUSES = ["True", "False", "Unknown"] as const;

function readSpec(field: Field): NodeSpec {
  const spec = field.object();
  return {
    unschedulable: spec.get("unschedulable").bool(false),
    taints: readTaints(spec.get("taints")),
  };
}

function readImages(field: Field): ContainerImage[] {
  return field.list().map((item) => {
    const img = item.object();
    const sizeField = img.get("sizeBytes");
    return {
      names: img.get("names").stringList(),
      sizeBytes: sizeField.intInRange(0, Number.MAX_SAFE_INTEGER) ?? 0,
    };
  });
}

function readConditions(field: Field): NodeCondition[] {
  const out: NodeCondition[] = [];
  for (const item of field.list()) {
    const c = item.object();
    const type = c.get("type").requiredString();
    const status = c.get("status").requiredOneOf(CONDITION_STATUSES);
    if (type && status) out.push({ type, status });
  }
  return out;
}

function readStatus(field: Field): NodeStatus {
  const status = field.object();
  const capacity = readResourceList(status.get("capacity"), "any");
  const allocField = status.get("allocatable");
  const allocatable = allocField.present ? readResourceList(allocField, "any") : capacity;
  const gpus = allocatable.get(GPU_RESOURCE);
  if (gpus !== undefined && gpus.value() > BigInt(MAX_NODE_GPUS)) {
    (allocField.present ? allocField : status.get("capacity"))
      .get(GPU_RESOURCE)
      .error(`${gpus.toString()} GPUs: gantry models at most ${MAX_NODE_GPUS} devices per node`);
  }
  return {
    capacity,
    allocatable,
    images: readImages(status.get("images")),
    conditions: readConditions(status.get("conditions")),
  };
}

/** Decodes, validates and defaults a Node document rooted at `root`. */
export function decodeNode(root: Field, source: Location): Node {
  return {
    kind: "Node",
    metadata: decodeMeta(root, "Node", { namespaced: false, name: dns1123SubdomainErrors }),
    spec: readSpec(root.get("spec")),
    status: readStatus(root.get("status")),
    source,
  };
}
