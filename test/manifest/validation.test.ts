/** Validation rules not covered by the broken fixtures, with exact messages. */
import { describe, expect, it } from "vitest";
import {
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from "../../src/manifest/validation.ts";
import { diagnosticsOf, podDiagnostics, podObject } from "./helpers.ts";

const P = "o.json: Pod default/p";

describe("format validators (apimachinery rules)", () => {
  it("qualified names", () => {
    expect(qualifiedNameErrors("app")).toEqual([]);
    expect(qualifiedNameErrors("app.kubernetes.io/name")).toEqual([]);
    expect(qualifiedNameErrors("A_b.c-D")).toEqual([]);
    expect(qualifiedNameErrors("a".repeat(63))).toEqual([]);
    expect(qualifiedNameErrors("a".repeat(64))).toEqual([
      "name part must be no more than 63 characters",
    ]);
    expect(qualifiedNameErrors("/a")).toEqual(["prefix part must be non-empty"]);
    // As upstream: an empty name part also fails the name regex.
    expect(qualifiedNameErrors("a/")).toEqual([
      "name part must be non-empty",
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
    expect(qualifiedNameErrors("Example.com/a")).toEqual([
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    ]);
    expect(qualifiedNameErrors("a_")).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    ]);
  });

  it("label values", () => {
    expect(labelValueErrors("")).toEqual([]);
    expect(labelValueErrors("v1.2_3-x")).toEqual([]);
    expect(labelValueErrors("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(labelValueErrors("-a")).toHaveLength(1);
    expect(labelValueErrors("a b")).toHaveLength(1);
  });

  it("DNS names", () => {
    expect(dns1123SubdomainErrors("web-1.example")).toEqual([]);
    expect(dns1123SubdomainErrors("Web")).toHaveLength(1);
    expect(dns1123SubdomainErrors(`${"a".repeat(250)}.com`)).toEqual([
      "must be no more than 253 characters",
    ]);
    expect(dns1123LabelErrors("web-1")).toEqual([]);
    expect(dns1123LabelErrors("web.1")).toHaveLength(1);
    expect(dns1035LabelErrors("web-1")).toEqual([]);
    expect(dns1035LabelErrors("1web")).toHaveLength(1);
  });
});

describe("metadata", () => {
  it("name required; generateName is called out", () => {
    expect(diagnosticsOf({ apiVersion: "v1", kind: "Pod", spec: podObject().spec })).toEqual([
      "o.json: Pod: metadata.name: required",
    ]);
    expect(
      diagnosticsOf({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { generateName: "web-" },
        spec: podObject().spec,
      }),
    ).toEqual(["o.json: Pod: metadata.name: required (generateName is not supported)"]);
    expect(diagnosticsOf({ apiVersion: "v1", kind: "Node", metadata: { name: "" } })).toEqual([
      "o.json: Node: metadata.name: required",
    ]);
  });

  it("namespace, annotations and owner references", () => {
    const obj = podObject(
      {},
      {
        namespace: "Team_A",
        annotations: { "Example.com/Note": "x", "bad key!": "y", ok: 1 },
        ownerReferences: [{ kind: "ReplicaSet", name: "rs" }],
      },
    );
    expect(diagnosticsOf(obj)).toEqual([
      `o.json: Pod Team_A/p: metadata.namespace: "Team_A" is not a valid namespace: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      "o.json: Pod Team_A/p: metadata.annotations.ok: must be a string",
      `o.json: Pod Team_A/p: metadata.annotations: "bad key!" is not a valid annotation key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      "o.json: Pod Team_A/p: metadata.ownerReferences[0].apiVersion: required",
      "o.json: Pod Team_A/p: metadata.ownerReferences[0].uid: required",
    ]);
  });

  it("metadata must be an object; labels a map of strings", () => {
    expect(diagnosticsOf({ apiVersion: "v1", kind: "Node", metadata: "n" })).toEqual([
      "o.json: Node: metadata: must be an object",
      "o.json: Node: metadata.name: required",
    ]);
    expect(
      diagnosticsOf({ apiVersion: "v1", kind: "Node", metadata: { name: "n", labels: ["a"] } }),
    ).toEqual(["o.json: Node n: metadata.labels: must be an object"]);
  });

  it("unknown fields are not errors", () => {
    expect(
      diagnosticsOf({
        ...podObject({
          dnsPolicy: "ClusterFirst",
          securityContext: { runAsUser: 1 },
          someFutureField: [1],
        }),
        extra: true,
      }),
    ).toEqual([]);
  });
});

describe("containers", () => {
  it("container names are DNS-1123 labels; images required", () => {
    expect(podDiagnostics({ containers: [{ name: "App_1" }] })).toEqual([
      `${P}: spec.containers[0].name: "App_1" is not a valid container name: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      `${P}: spec.containers[0].image: required`,
    ]);
    expect(podDiagnostics({ containers: [{ image: "x" }, "y"] })).toEqual([
      `${P}: spec.containers[0].name: required`,
      `${P}: spec.containers[1]: must be an object`,
      `${P}: spec.containers[1].name: required`,
      `${P}: spec.containers[1].image: required`,
    ]);
  });

  it("port names (IANA service names)", () => {
    expect(
      podDiagnostics({
        containers: [{ name: "a", image: "i", ports: [{ name: "HTTP-", containerPort: 80 }] }],
      }),
    ).toEqual([
      `${P}: spec.containers[0].ports[0].name: "HTTP-" is not a valid port name: must contain only lower-case alphanumeric characters (a-z, 0-9) or '-'; must contain at least one letter (a-z); must not begin or end with a hyphen`,
    ]);
  });

  it("init containers may be restartable sidecars", () => {
    expect(
      podDiagnostics({ initContainers: [{ name: "s", image: "i", restartPolicy: "Always" }] }),
    ).toEqual([]);
  });
});

describe("resources", () => {
  it("hugepages need limits equal to requests; huge pages are container resources", () => {
    expect(
      podDiagnostics({
        containers: [
          {
            name: "a",
            image: "i",
            resources: { requests: { "hugepages-2Mi": "4Mi" }, limits: { "hugepages-2Mi": "2Mi" } },
          },
        ],
      }),
    ).toEqual([
      `${P}: spec.containers[0].resources.requests.hugepages-2Mi: must be equal to hugepages-2Mi limit of 2Mi`,
    ]);
  });

  it("compares requests and limits after rounding up to milli-units", () => {
    // 1.0004 and 1.0002 both round up to 1001m: not over the limit, as upstream.
    expect(
      podDiagnostics({
        containers: [
          {
            name: "a",
            image: "i",
            resources: { requests: { cpu: "1.0004" }, limits: { cpu: "1.0002" } },
          },
        ],
      }),
    ).toEqual([]);
  });

  it("a quantity entry with no value is required", () => {
    expect(
      podDiagnostics({
        containers: [{ name: "a", image: "i", resources: { requests: { cpu: null } } }],
      }),
    ).toEqual([`${P}: spec.containers[0].resources.requests.cpu: required`]);
  });

  it("pod-level resources: names, request ≤ limit, ≥ container aggregate, limit ≥ container limits", () => {
    expect(
      podDiagnostics({
        resources: {
          requests: { cpu: "3", memory: "1Gi", "ephemeral-storage": "1Gi" },
          limits: { cpu: "2", memory: "2Gi" },
        },
        containers: [
          {
            name: "a",
            image: "i",
            resources: { requests: { memory: "1536Mi" }, limits: { memory: "3Gi" } },
          },
        ],
      }),
    ).toEqual([
      `${P}: spec.resources.requests: "ephemeral-storage" is not one of cpu, memory, hugepages-<size>`,
      `${P}: spec.resources.requests.cpu: must be less than or equal to cpu limit of 2`,
      `${P}: spec.resources.requests.memory: must be greater than or equal to aggregate container requests of 1536Mi`,
      `${P}: spec.resources.limits.memory: must be greater than or equal to container limits of 3Gi`,
    ]);
  });

  it("node capacity names must be qualified names", () => {
    expect(
      diagnosticsOf({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "n" },
        status: { capacity: { "a b": 1 } },
      }),
    ).toEqual([
      `o.json: Node n: status.capacity: "a b" is not a valid resource name: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    ]);
  });
});

describe("scheduling fields", () => {
  it("nodeSelector keys and values, nodeName, scheduling gates", () => {
    expect(
      podDiagnostics({
        nodeSelector: { "bad key": "v", disk: "s s" },
        nodeName: "Node_1",
        schedulingGates: [{ name: "g" }, { name: "g" }, {}],
      }),
    ).toEqual([
      `${P}: spec.nodeName: "Node_1" is not a valid node name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      `${P}: spec.schedulingGates[1].name: "g" duplicates spec.schedulingGates[0].name`,
      `${P}: spec.schedulingGates[2].name: required`,
      `${P}: spec.nodeName: must not be set while schedulingGates are present`,
      `${P}: spec.nodeSelector: "bad key" is not a valid label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      `${P}: spec.nodeSelector.disk: "s s" is not a valid label value: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    ]);
  });

  it("toleration keys and values; Exists with an empty key is valid", () => {
    expect(
      podDiagnostics({
        tolerations: [
          { key: "bad key", operator: "Exists" },
          { key: "k", value: "bad value" },
          { operator: "Exists", effect: "NoExecute", tolerationSeconds: 10 },
          { key: "k", operator: "Exists", tolerationSeconds: "10" },
        ],
      }),
    ).toEqual([
      `${P}: spec.tolerations[0].key: "bad key" is not a valid qualified name: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      `${P}: spec.tolerations[1].value: "bad value" is not a valid label value: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      `${P}: spec.tolerations[3].tolerationSeconds: must be an integer`,
      `${P}: spec.tolerations[3].effect: must be NoExecute when tolerationSeconds is set`,
    ]);
  });

  it("required node affinity needs a term; label selector values are label values", () => {
    expect(
      podDiagnostics({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
          },
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                labelSelector: {
                  matchExpressions: [{ key: "app", operator: "In", values: ["a b"] }, { key: "x" }],
                },
                namespaces: ["Bad_NS"],
                topologyKey: "zone",
                mismatchLabelKeys: ["bad key"],
              },
            ],
          },
        },
      }),
    ).toEqual([
      `${P}: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: required`,
      `${P}: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values[0]: "a b" is not a valid label value: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      `${P}: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[1].operator: required`,
      `${P}: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]: "Bad_NS" is not a valid namespace: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      `${P}: spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].mismatchLabelKeys[0]: "bad key" is not a valid label key: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    ]);
  });

  it("topology spread: maxSkew type and minDomains range", () => {
    expect(
      podDiagnostics({
        topologySpreadConstraints: [
          { maxSkew: "1", topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", minDomains: 0 },
        ],
      }),
    ).toEqual([
      `${P}: spec.topologySpreadConstraints[0].maxSkew: must be an integer`,
      `${P}: spec.topologySpreadConstraints[0].minDomains: must be greater than or equal to 1`,
    ]);
  });

  it("volumes: one source, unique names, claimName required", () => {
    expect(
      podDiagnostics({
        volumes: [
          { name: "a", emptyDir: {}, configMap: { name: "c" } },
          { name: "a" },
          { name: "b", persistentVolumeClaim: {} },
        ],
      }),
    ).toEqual([
      `${P}: spec.volumes[0]: must specify exactly one volume source, found emptyDir, configMap`,
      `${P}: spec.volumes[1].name: "a" duplicates spec.volumes[0].name`,
      `${P}: spec.volumes[2].persistentVolumeClaim.claimName: required`,
    ]);
  });

  it("status phase is an enum", () => {
    expect(diagnosticsOf({ ...podObject(), status: { phase: "Done" } })).toEqual([
      `${P}: status.phase: "Done" is not one of Pending, Running, Succeeded, Failed, Unknown`,
    ]);
  });
});
