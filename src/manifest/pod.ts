/**
 * Pod decoding: validation of the fields gantry models and the API server's Pod defaulting
 * (`SetDefaults_Pod`, `SetDefaults_PodSpec`): schedulerName `default-scheduler`, container
 * requests from limits, pod-level requests (`defaultPodRequests`), hostNetwork host ports, port
 * protocol `TCP`, toleration operator `Equal`, volumes without a source as `emptyDir`.
 */

import type { Location } from "../diagnostics.ts";
import { gpuAnnotationErrors, wholeGpuRequest } from "../model/gpu.ts";
import type { Quantity } from "../model/quantity.ts";
import type {
  Container,
  ContainerPort,
  Pod,
  PodSpec,
  PodStatus,
  Protocol,
  ResourceRequirements,
  Volume,
} from "../model/types.ts";
import type { Field } from "./field.ts";
import { isObject, quote } from "./field.ts";
import { decodeMeta } from "./meta.ts";
import {
  aggregateContainerRequests,
  cmpMilli,
  isOvercommitAllowed,
  isPodLevelResource,
  readContainerRequirements,
  readResourceList,
} from "./resources.ts";
import {
  INT32_MAX,
  INT32_MIN,
  readAffinity,
  readTolerations,
  readTopologySpreadConstraints,
} from "./scheduling.ts";
import {
  checkFormat,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  qualifiedNameErrors,
  readLabels,
} from "./validation.ts";

/** The scheduler a pod gets when it names none. */
export const DEFAULT_SCHEDULER_NAME = "default-scheduler";

const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

/** `IsValidPortName` (IANA service name): ≤ 15 lower-case alphanumerics or `-`, one letter at least. */
function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push("must be no more than 15 characters");
  if (!/^[-a-z0-9]+$/.test(name))
    errs.push("must contain only lower-case alphanumeric characters (a-z, 0-9) or '-'");
  if (!/[a-z]/.test(name)) errs.push("must contain at least one letter (a-z)");
  if (name.includes("--")) errs.push("must not contain consecutive hyphens");
  if (name.startsWith("-") || name.endsWith("-")) errs.push("must not begin or end with a hyphen");
  return errs;
}

function readPort(field: Field, hostNetwork: boolean): ContainerPort | undefined {
  const p = field.object();
  const nameField = p.get("name");
  const name = nameField.optString();
  if (name) checkFormat(nameField, name, "port name", portNameErrors);
  const cpField = p.get("containerPort");
  if (!cpField.present) cpField.error("required");
  const containerPort = cpField.intInRange(1, 65535);
  const hpField = p.get("hostPort");
  const hostPortRaw = hpField.optInt();
  let hostPort = hostPortRaw ?? 0;
  if (hostPort !== 0 && (hostPort < 1 || hostPort > 65535)) {
    hpField.error("must be between 1 and 65535, inclusive");
    hostPort = 0;
  }
  const protoField = p.get("protocol");
  const protocol = protoField.value === "" ? "TCP" : (protoField.oneOf(PROTOCOLS) ?? "TCP");
  const hostIP = p.get("hostIP").string();
  if (containerPort === undefined) return undefined;
  if (hostNetwork) {
    if (hostPort === 0) hostPort = containerPort;
    else if (hostPort !== containerPort)
      hpField.error("must match containerPort when hostNetwork is true");
  }
  return { ...(name ? { name } : {}), containerPort, hostPort, protocol, hostIP };
}

/** Per-list state for host-port uniqueness (`AccumulateUniqueHostPorts`): id → first path. */
type HostPorts = Map<string, string>;

function readContainer(
  field: Field,
  init: boolean,
  hostNetwork: boolean,
  hostPorts: HostPorts,
): Container {
  const c = field.object();
  const nameField = c.get("name");
  const name = nameField.requiredString();
  if (name) checkFormat(nameField, name, "container name", dns1123LabelErrors);
  const image = c.get("image").requiredString();
  const resources = readContainerRequirements(c.get("resources"));
  const ports: ContainerPort[] = [];
  for (const f of c.get("ports").list()) {
    const port = readPort(f, hostNetwork);
    if (!port) continue;
    ports.push(port);
    if (port.hostPort === 0) continue;
    const id = `${port.protocol}/${port.hostIP}/${port.hostPort}`;
    const first = hostPorts.get(id);
    const at = f.get("hostPort");
    if (first !== undefined) at.error(`${port.hostPort}/${port.protocol} duplicates ${first}`);
    else hostPorts.set(id, at.path);
  }
  const rpField = c.get("restartPolicy");
  let restartPolicy: "Always" | undefined;
  if (init) restartPolicy = rpField.oneOf(["Always"] as const);
  else if (rpField.present) rpField.error("must not be set on regular containers");
  return { name, image, resources, ports, ...(restartPolicy ? { restartPolicy } : {}) };
}

/** Reads a container list, reporting names already used by an earlier container of the pod. */
function readContainers(
  field: Field,
  init: boolean,
  hostNetwork: boolean,
  names: Map<string, string>,
): Container[] {
  const hostPorts: HostPorts = new Map();
  return field.list().map((f) => {
    const c = readContainer(f, init, hostNetwork, hostPorts);
    if (c.name) {
      const at = f.get("name");
      const first = names.get(c.name);
      if (first !== undefined) at.error(`${quote(c.name)} duplicates ${first}`);
      else names.set(c.name, at.path);
    }
    return c;
  });
}

function readVolume(field: Field): Volume {
  const v = field.object();
  const nameField = v.get("name");
  const name = nameField.requiredString();
  if (name) checkFormat(nameField, name, "volume name", dns1123LabelErrors);
  const raw = isObject(v.value) ? v.value : {};
  const sources = Object.keys(raw).filter((k) => k !== "name" && raw[k] !== null);
  if (sources.length > 1)
    v.error(`must specify exactly one volume source, found ${sources.join(", ")}`);
  // SetDefaults_Volume: no source means emptyDir.
  const source = sources[0] ?? "emptyDir";
  let persistentVolumeClaim: Volume["persistentVolumeClaim"];
  if (source === "persistentVolumeClaim") {
    const pvc = v.get("persistentVolumeClaim").object();
    persistentVolumeClaim = {
      claimName: pvc.get("claimName").requiredString(),
      readOnly: pvc.get("readOnly").bool(false),
    };
  }
  const spec = raw[source];
  return {
    name,
    ...(persistentVolumeClaim ? { persistentVolumeClaim } : {}),
    ephemeral: source === "ephemeral",
    source,
    ...(DISK_SOURCES.has(source) && isObject(spec) ? { sourceSpec: spec } : {}),
  };
}

/** Inline volume sources whose identity matters to the volume plugins (disk conflicts, limits). */
const DISK_SOURCES = new Set([
  "awsElasticBlockStore",
  "gcePersistentDisk",
  "azureDisk",
  "cinder",
  "csi",
  "rbd",
  "iscsi",
  "portworxVolume",
  "vsphereVolume",
  "azureFile",
]);

/**
 * Pod-level `spec.resources` (feature PodLevelResources): names limited to cpu, memory and huge
 * pages; requests defaulted per `defaultPodRequests` when limits are set (from the aggregated
 * container requests for cpu/memory, else from the limit); requests ≤ limits; pod requests ≥ the
 * aggregated container requests; pod limits ≥ every container's limit.
 */
function readPodResources(
  field: Field,
  containers: readonly Container[],
  initContainers: readonly Container[],
): ResourceRequirements | undefined {
  const res = field.object();
  if (!res.present) return undefined;
  const requestsField = res.get("requests");
  const limitsField = res.get("limits");
  const requests = readResourceList(requestsField, "pod");
  const limits = readResourceList(limitsField, "pod");
  const aggregate = aggregateContainerRequests(containers, initContainers);

  if (limits.size > 0) {
    for (const [name, q] of aggregate) {
      if (!requests.has(name) && isPodLevelResource(name) && isOvercommitAllowed(name))
        requests.set(name, q);
    }
    for (const [name, q] of limits) if (!requests.has(name)) requests.set(name, q);
  }

  for (const [name, request] of requests) {
    const at = requestsField.get(name);
    const limit = limits.get(name);
    if (limit !== undefined) {
      const c = cmpMilli(request, limit);
      if (c !== 0 && !isOvercommitAllowed(name))
        at.error(`must be equal to ${name} limit of ${limit.toString()}`);
      else if (c > 0)
        at.error(`must be less than or equal to ${name} limit of ${limit.toString()}`);
    }
    const ctr = aggregate.get(name);
    if (ctr !== undefined && cmpMilli(ctr, request) > 0)
      at.error(
        `must be greater than or equal to aggregate container requests of ${ctr.toString()}`,
      );
  }
  for (const [name, limit] of limits) {
    let maxCtr: Quantity | undefined;
    for (const c of [...containers, ...initContainers]) {
      const l = c.resources.limits.get(name);
      if (l !== undefined && (maxCtr === undefined || cmpMilli(l, maxCtr) > 0)) maxCtr = l;
    }
    if (maxCtr !== undefined && cmpMilli(maxCtr, limit) > 0)
      limitsField
        .get(name)
        .error(`must be greater than or equal to container limits of ${maxCtr.toString()}`);
  }
  return { requests, limits };
}

function readSpec(field: Field): PodSpec {
  const spec = field.object();
  const hostNetwork = spec.get("hostNetwork").bool(false);

  const containerNames = new Map<string, string>();
  const containersField = spec.get("containers");
  const containers = readContainers(containersField, false, hostNetwork, containerNames);
  if (containers.length === 0 && (!containersField.present || Array.isArray(containersField.value)))
    containersField.error("required");
  const initField = spec.get("initContainers");
  const initContainers = readContainers(initField, true, hostNetwork, containerNames);

  const nodeNameField = spec.get("nodeName");
  const nodeName = nodeNameField.string();
  if (nodeName) checkFormat(nodeNameField, nodeName, "node name", dns1123SubdomainErrors);

  const schedulingGates: string[] = [];
  const gateNames = new Map<string, string>();
  for (const item of spec.get("schedulingGates").list()) {
    const nf = item.object().get("name");
    const name = nf.requiredString();
    if (!name) continue;
    if (!checkFormat(nf, name, "scheduling gate name", qualifiedNameErrors)) continue;
    const first = gateNames.get(name);
    if (first !== undefined) {
      nf.error(`${quote(name)} duplicates ${first}`);
      continue;
    }
    gateNames.set(name, nf.path);
    schedulingGates.push(name);
  }
  if (nodeName && schedulingGates.length > 0)
    nodeNameField.error("must not be set while schedulingGates are present");

  const pcField = spec.get("priorityClassName");
  const priorityClassName = pcField.string();
  if (priorityClassName)
    checkFormat(pcField, priorityClassName, "priority class name", dns1123SubdomainErrors);
  const priority = spec.get("priority").intInRange(INT32_MIN, INT32_MAX);
  const preemptionPolicy = spec
    .get("preemptionPolicy")
    .oneOf(["PreemptLowerPriority", "Never"] as const);
  const affinity = readAffinity(spec.get("affinity"));
  const resources = readPodResources(spec.get("resources"), containers, initContainers);

  const volumes: Volume[] = [];
  const volumeNames = new Map<string, string>();
  for (const item of spec.get("volumes").list()) {
    const v = readVolume(item);
    const first = volumeNames.get(v.name);
    if (v.name && first !== undefined)
      item.get("name").error(`${quote(v.name)} duplicates ${first}`);
    else if (v.name) volumeNames.set(v.name, item.get("name").path);
    volumes.push(v);
  }

  return {
    nodeName,
    schedulerName: spec.get("schedulerName").string() || DEFAULT_SCHEDULER_NAME,
    nodeSelector: readLabels(spec.get("nodeSelector")),
    ...(affinity ? { affinity } : {}),
    tolerations: readTolerations(spec.get("tolerations")),
    containers,
    initContainers,
    overhead: readResourceList(spec.get("overhead"), "any"),
    ...(resources ? { resources } : {}),
    ...(priority !== undefined ? { priority } : {}),
    priorityClassName,
    ...(preemptionPolicy ? { preemptionPolicy } : {}),
    topologySpreadConstraints: readTopologySpreadConstraints(spec.get("topologySpreadConstraints")),
    volumes,
    schedulingGates,
    hostNetwork,
  };
}

function readStatus(field: Field): PodStatus {
  const status = field.object();
  const phase = status.get("phase").oneOf(PHASES);
  const nominatedNodeName = status.get("nominatedNodeName").optString();
  const startTime = status.get("startTime").optString();
  return {
    ...(phase ? { phase } : {}),
    ...(nominatedNodeName ? { nominatedNodeName } : {}),
    ...(startTime ? { startTime } : {}),
  };
}

/** Decodes, validates and defaults a Pod document rooted at `root`. */
export function decodePod(root: Field, source: Location): Pod {
  const pod: Pod = {
    kind: "Pod",
    metadata: decodeMeta(root, "Pod", { namespaced: true, name: dns1123SubdomainErrors }),
    spec: readSpec(root.get("spec")),
    status: readStatus(root.get("status")),
    source,
  };
  checkGpu(root, pod);
  return pod;
}

/** GPU sharing annotations (model/gpu.ts), reported at their annotation paths. */
function checkGpu(root: Field, pod: Pod): void {
  const annotations = root.get("metadata").get("annotations");
  let whole = 0;
  try {
    whole = wholeGpuRequest(pod);
  } catch {
    return; // an invalid quantity is reported where it is read
  }
  for (const e of gpuAnnotationErrors(pod.metadata.annotations, whole)) {
    annotations.get(e.path.slice(e.path.indexOf("[") + 2, -2)).error(e.message);
  }
}
