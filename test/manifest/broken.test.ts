/**
 * The deliberately broken fixtures (`fixtures/broken/`): one concern per file, every error of a
 * file reported, each with file, document, object and field path.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/diagnostics.ts";
import { collectManifests, loadManifests } from "../../src/manifest/index.ts";
import { lines } from "./helpers.ts";

const dir = "fixtures/broken";

async function errorsOf(name: string): Promise<string[]> {
  return lines(await collectManifests([`${dir}/${name}`]));
}

describe("fixtures/broken", () => {
  it("bad-quantity.yaml: names file, doc, object and path", async () => {
    expect(await errorsOf("bad-quantity.yaml")).toEqual([
      'fixtures/broken/bad-quantity.yaml: doc 3 (Pod default/web-1): spec.containers[0].resources.requests.cpu: "1.5q" is not a valid quantity',
    ]);
  });

  it("bad-yaml.yaml: a syntax error with line and column; other documents still load", async () => {
    const r = await collectManifests([`${dir}/bad-yaml.yaml`]);
    expect(lines(r)).toEqual([
      "fixtures/broken/bad-yaml.yaml: doc 2: invalid YAML at line 11, column 1: Flow map in block collection must be sufficiently indented and end with a }",
    ]);
    expect(r.namespaces.map((n) => n.metadata.name)).toEqual(["ok"]);
  });

  it("bad-json.json: a JSON syntax error with line and column", async () => {
    expect(await errorsOf("bad-json.json")).toEqual([
      "fixtures/broken/bad-json.json: invalid JSON at line 5, column 60: Expected double-quoted property name",
    ]);
  });

  it("missing-kind.yaml: missing kind, missing apiVersion, a document that is not an object", async () => {
    expect(await errorsOf("missing-kind.yaml")).toEqual([
      "fixtures/broken/missing-kind.yaml: doc 1: kind: required",
      "fixtures/broken/missing-kind.yaml: doc 2 (Pod default/no-api-version): apiVersion: required",
      "fixtures/broken/missing-kind.yaml: doc 3: must be an object with apiVersion and kind",
    ]);
  });

  it("wrong-types.yaml: wrongly typed modelled fields", async () => {
    const f = "fixtures/broken/wrong-types.yaml: Pod default/wrong-types";
    expect(await errorsOf("wrong-types.yaml")).toEqual([
      `${f}: metadata.labels.app: must be a string`,
      `${f}: metadata.labels.enabled: must be a string (unquoted yes, no, on, off, true and false are YAML booleans: quote the value)`,
      `${f}: spec.hostNetwork: must be a boolean`,
      `${f}: spec.containers: must be a list`,
      `${f}: spec.priority: must be an integer`,
      `${f}: spec.nodeSelector: must be an object`,
      `${f}: spec.tolerations: must be a list`,
    ]);
  });

  it("bad-labels.yaml: invalid name, label keys and label values", async () => {
    const f = "fixtures/broken/bad-labels.yaml: Node Node_1";
    const subdomain =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    const namePart =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    expect(await errorsOf("bad-labels.yaml")).toEqual([
      `${f}: metadata.name: "Node_1" is not a valid name: ${subdomain}`,
      `${f}: metadata.labels: "-bad-key" is not a valid label key: ${namePart}`,
      `${f}: metadata.labels[example.com/ok]: "bad value!" is not a valid label value: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      `${f}: metadata.labels: "a/b/c" is not a valid label key: a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      `${f}: metadata.labels[kubernetes.io/hostname]: "this-label-value-is-far-too-long-to-be-a-valid-kubernetes-label-value" is not a valid label value: must be no more than 63 characters`,
    ]);
  });

  it("bad-tolerations.yaml: operator, value, empty key, tolerationSeconds, effect", async () => {
    const f = "fixtures/broken/bad-tolerations.yaml: Pod default/tol: spec.tolerations";
    expect(await errorsOf("bad-tolerations.yaml")).toEqual([
      `${f}[0].operator: "Foo" is not one of Equal, Exists`,
      `${f}[1].value: must be empty when operator is Exists`,
      `${f}[2].operator: must be Exists when key is empty (an empty key matches every taint)`,
      `${f}[3].effect: must be NoExecute when tolerationSeconds is set`,
      `${f}[4].effect: "Sometimes" is not one of NoSchedule, PreferNoSchedule, NoExecute`,
    ]);
  });

  it("duplicate.yaml: the same kind/namespace/name twice names both places", async () => {
    const r = await collectManifests([`${dir}/duplicate.yaml`]);
    expect(lines(r)).toEqual([
      "fixtures/broken/duplicate.yaml: doc 2 (Pod default/web): metadata.name: duplicate Pod default/web (first defined at fixtures/broken/duplicate.yaml: doc 1)",
    ]);
    // A Node may share a Pod's name: only the same kind clashes.
    expect(r.nodes.map((n) => n.metadata.name)).toEqual(["web"]);
    expect(r.pods).toHaveLength(1);
  });

  it("bad-resources.yaml: negative, unknown name, over limit, extended resources", async () => {
    const f = "fixtures/broken/bad-resources.yaml: Pod default/res: spec";
    expect(await errorsOf("bad-resources.yaml")).toEqual([
      `${f}.containers[0].resources.requests.cpu: must be greater than or equal to 0`,
      `${f}.containers[0].resources.requests: "cpus" is not a valid resource name: must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or a domain-qualified extended resource`,
      `${f}.containers[0].resources.requests.memory: must be less than or equal to memory limit of 1Gi`,
      `${f}.containers[0].resources.requests[nvidia.com/gpu]: must be equal to nvidia.com/gpu limit of 2`,
      `${f}.containers[0].resources.limits[example.com/fpga]: required (a resource that cannot be overcommitted needs a limit equal to its request)`,
      `${f}.overhead.cpu: must be a quantity (a string or a number)`,
    ]);
  });

  it("bad-affinity.yaml: node selector requirements, weights, label selectors, terms", async () => {
    const f = "fixtures/broken/bad-affinity.yaml: Pod default/aff: spec.affinity";
    const req = `${f}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]`;
    const pref = `${f}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution`;
    const anti = `${f}.podAntiAffinity`;
    expect(await errorsOf("bad-affinity.yaml")).toEqual([
      `${req}.matchExpressions[0].values: required when operator is In or NotIn`,
      `${req}.matchExpressions[1].values: must be empty when operator is Exists or DoesNotExist`,
      `${req}.matchExpressions[2].values: must have exactly one value when operator is Gt or Lt`,
      `${req}.matchExpressions[3].values[0]: "many" is not an integer`,
      `${req}.matchExpressions[4].operator: "Near" is not one of In, NotIn, Exists, DoesNotExist, Gt, Lt`,
      `${req}.matchFields[0].key: "metadata.labels" is not one of metadata.name`,
      `${req}.matchFields[0].operator: "Exists" is not one of In, NotIn`,
      `${req}.matchFields[0].values: must have exactly one value for a field selector`,
      `${pref}[0].weight: must be between 1 and 100, inclusive`,
      `${pref}[1].weight: must be between 1 and 100, inclusive`,
      `${anti}.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: required when operator is In or NotIn`,
      `${anti}.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: required`,
      `${anti}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: required`,
      `${anti}.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys: must not be set when labelSelector is not set`,
    ]);
  });

  it("bad-spread.yaml: maxSkew, topologyKey, enums, minDomains, duplicates", async () => {
    const f = "fixtures/broken/bad-spread.yaml: Pod default/spread: spec.topologySpreadConstraints";
    expect(await errorsOf("bad-spread.yaml")).toEqual([
      `${f}[0].maxSkew: must be greater than or equal to 1`,
      `${f}[1].topologyKey: required`,
      `${f}[1].whenUnsatisfiable: "Sometimes" is not one of DoNotSchedule, ScheduleAnyway`,
      `${f}[2].minDomains: must not be set unless whenUnsatisfiable is DoNotSchedule`,
      `${f}[2].nodeTaintsPolicy: "Maybe" is not one of Honor, Ignore`,
      `${f}[3]: duplicate of spec.topologySpreadConstraints[0]: topologyKey and whenUnsatisfiable must be unique`,
    ]);
  });

  it("bad-containers.yaml: containers required, names, images, ports, restartPolicy", async () => {
    const f = "fixtures/broken/bad-containers.yaml";
    const c = `${f}: doc 2 (Pod default/containers): spec`;
    expect(await errorsOf("bad-containers.yaml")).toEqual([
      `${f}: doc 1 (Pod default/no-containers): spec.containers: required`,
      `${c}.containers[0].image: required`,
      `${c}.containers[0].ports[0].containerPort: must be between 1 and 65535, inclusive`,
      `${c}.containers[0].ports[1].protocol: "HTTP" is not one of TCP, UDP, SCTP`,
      `${c}.containers[0].ports[1].hostPort: must match containerPort when hostNetwork is true`,
      `${c}.containers[0].restartPolicy: must not be set on regular containers`,
      `${c}.containers[1].ports[0].containerPort: must be between 1 and 65535, inclusive`,
      `${c}.containers[1].name: "app" duplicates spec.containers[0].name`,
      `${c}.initContainers[0].restartPolicy: "OnFailure" is not one of Always`,
      `${c}.initContainers[0].name: "init" duplicates spec.containers[2].name`,
      `${f}: doc 3 (Pod default/host-ports): spec.containers[1].ports[0].hostPort: 8080/TCP duplicates spec.containers[0].ports[0].hostPort`,
      `${f}: doc 3 (Pod default/host-ports): spec.containers[1].ports[2].hostPort: must be between 1 and 65535, inclusive`,
    ]);
  });

  it("bad-node.yaml: taints, capacity, allocatable, conditions", async () => {
    const f = "fixtures/broken/bad-node.yaml: Node node-1";
    expect(await errorsOf("bad-node.yaml")).toEqual([
      `${f}: spec.unschedulable: must be a boolean`,
      `${f}: spec.taints[0].effect: required`,
      `${f}: spec.taints[1].key: required`,
      `${f}: spec.taints[3]: duplicate of spec.taints[2]: taints must be unique by key and effect`,
      `${f}: status.capacity.cpu: must be greater than or equal to 0`,
      `${f}: status.allocatable.cpu: "4x" is not a valid quantity`,
      `${f}: status.conditions[0].status: must be a string (unquoted yes, no, on, off, true and false are YAML booleans: quote the value)`,
    ]);
  });

  it("bad-apiversion.yaml: the apiVersion must match the kind", async () => {
    const f = "fixtures/broken/bad-apiversion.yaml";
    expect(await errorsOf("bad-apiversion.yaml")).toEqual([
      `${f}: doc 1 (Deployment default/web): apiVersion: "extensions/v1beta1" is not one of apps/v1`,
      `${f}: doc 2 (Pod default/web): apiVersion: "apps/v1" is not one of v1`,
      `${f}: doc 3 (PriorityClass Bad_Name): metadata.name: "Bad_Name" is not a valid name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    ]);
  });

  it("bad-priority.yaml: int32 priority, unknown class, priority differing from its class", async () => {
    const f = "fixtures/broken/bad-priority.yaml";
    expect(await errorsOf("bad-priority.yaml")).toEqual([
      `${f}: doc 1 (Pod default/too-high): spec.priority: must be between -2147483648 and 2147483647, inclusive`,
      `${f}: doc 2 (Pod default/unknown-class): spec.preemptionPolicy: "Sometimes" is not one of PreemptLowerPriority, Never`,
      `${f}: doc 2 (Pod default/unknown-class): spec.priorityClassName: no PriorityClass named "gold"`,
      `${f}: doc 4 (Pod default/wrong-priority): spec.priority: must not differ from the value of PriorityClass silver (1000)`,
    ]);
  });

  it("the whole directory: every error of every file, in file order, thrown at once", async () => {
    const collected = await collectManifests([dir]);
    const errors = collected.diagnostics.filter((d) => d.severity === "error");
    const files = [...new Set(errors.map((d) => d.file))];
    expect(files).toEqual([
      "fixtures/broken/bad-affinity.yaml",
      "fixtures/broken/bad-apiversion.yaml",
      "fixtures/broken/bad-containers.yaml",
      "fixtures/broken/bad-json.json",
      "fixtures/broken/bad-labels.yaml",
      "fixtures/broken/bad-node.yaml",
      "fixtures/broken/bad-priority.yaml",
      "fixtures/broken/bad-quantity.yaml",
      "fixtures/broken/bad-resources.yaml",
      "fixtures/broken/bad-spread.yaml",
      "fixtures/broken/bad-tolerations.yaml",
      "fixtures/broken/bad-yaml.yaml",
      "fixtures/broken/duplicate.yaml",
      "fixtures/broken/missing-kind.yaml",
      "fixtures/broken/wrong-types.yaml",
    ]);
    const thrown = await loadManifests([dir]).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(InputError);
    const err = thrown as InputError;
    expect(err.diagnostics).toEqual(collected.diagnostics);
    expect(err.message.split("\n")).toEqual(lines(collected));
  });
});
