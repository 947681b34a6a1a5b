import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MEMORY_REQUEST,
  DEFAULT_MILLI_CPU_REQUEST,
  isExtendedResourceName,
  isHugePageResourceName,
  isScalarResourceName,
  nodeAllocatable,
  podNonZeroRequests,
  podNonZeroScoringRequests,
  podRequests,
  podResourceSummary,
} from "../../src/model/requests.ts";
import { type ContainerOptions, makeNode, makePod, type PodOptions } from "../helpers/builders.ts";

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

/** Plain-object form of Resources for toEqual. */
function req(o: PodOptions) {
  const r = podRequests(makePod(o));
  return {
    milliCPU: r.milliCPU,
    memory: r.memory,
    ephemeralStorage: r.ephemeralStorage,
    scalar: Object.fromEntries(r.scalar),
  };
}

const cpu = (q: string): ContainerOptions => ({ requests: { cpu: q } });
const sidecar = (q: string): ContainerOptions => ({
  requests: { cpu: q },
  restartPolicy: "Always",
});

describe("podRequests (§2.1)", () => {
  // Expectations hand-checked; cases marked "upstream" restate component-helpers
  // resource/helpers_test.go TestPodResourceRequests / TestPodLevelResourceRequests.
  const cases: [
    string,
    PodOptions,
    {
      milliCPU?: number;
      memory?: number;
      ephemeralStorage?: number;
      scalar?: Record<string, number>;
    },
  ][] = [
    ["no containers", { containers: [] }, {}],
    ["one container without requests", {}, {}],
    ["one container", { requests: { cpu: "100m", memory: "1Gi" } }, { milliCPU: 100, memory: Gi }],
    [
      "limits default requests",
      { limits: { cpu: "2", memory: "1G" } },
      { milliCPU: 2000, memory: 1e9 },
    ],
    ["regular containers are summed", { containers: [cpu("2"), cpu("3")] }, { milliCPU: 5000 }],
    [
      "upstream: larger init container wins",
      { initContainers: [cpu("4")], containers: [cpu("1")] },
      { milliCPU: 4000 },
    ],
    [
      "upstream: larger containers win",
      { initContainers: [cpu("2")], containers: [cpu("2"), cpu("3")] },
      { milliCPU: 5000 },
    ],
    [
      "upstream: pod overhead included",
      {
        overhead: { cpu: "1", memory: "1Gi" },
        initContainers: [{ requests: { cpu: "2" }, limits: { cpu: "2" } }],
        containers: [cpu("2"), cpu("3")],
      },
      { milliCPU: 6000, memory: Gi },
    ],
    [
      "upstream: restartable init container adds to the regular containers",
      { initContainers: [sidecar("1")], containers: [cpu("1")] },
      { milliCPU: 2000 },
    ],
    [
      "upstream: multiple restartable init containers (max(5, 3+2+1+1) = 7)",
      {
        initContainers: [cpu("5"), sidecar("1"), sidecar("2"), sidecar("3")],
        containers: [cpu("1")],
      },
      { milliCPU: 7000 },
    ],
    [
      "upstream: init container counts only sidecars started before it (5+1+2 = 8)",
      {
        initContainers: [cpu("5"), sidecar("1"), sidecar("2"), cpu("5"), sidecar("3")],
        containers: [cpu("1")],
      },
      { milliCPU: 8000 },
    ],
    [
      "upstream: restartable-init, init and regular (10 + 200 = 210)",
      { initContainers: [sidecar("10"), cpu("200")], containers: [cpu("100")] },
      { milliCPU: 210000 },
    ],
    [
      "sidecar's own init-time usage is the cumulative sidecar sum",
      { initContainers: [sidecar("3"), sidecar("4")], containers: [] },
      { milliCPU: 7000 },
    ],
    [
      "init max is per resource",
      {
        initContainers: [
          { requests: { cpu: "4", memory: "1Mi" } },
          { requests: { cpu: "1", memory: "8Mi" } },
        ],
        containers: [{ requests: { cpu: "2", memory: "2Mi" } }],
      },
      { milliCPU: 4000, memory: 8 * Mi },
    ],
    [
      "upstream: container-level, init and sidecar (3+5 vs 6+5 → 11Mi; 2+4 vs 8+4 → 12m)",
      {
        containers: [{ requests: { memory: "3Mi", cpu: "2m" } }],
        initContainers: [
          { requests: { memory: "5Mi", cpu: "4m" }, restartPolicy: "Always" },
          { requests: { memory: "6Mi", cpu: "8m" } },
        ],
      },
      { milliCPU: 12, memory: 11 * Mi },
    ],
    [
      "summed fractional cpu is rounded once: 3 × 0.3333 = 999.9m → 1000m (not 3 × 334m)",
      { containers: [cpu("0.3333"), cpu("0.3333"), cpu("0.3333")] },
      { milliCPU: 1000 },
    ],
    ["cpu rounds up: 1.0001 → 1001m", { requests: { cpu: "1.0001" } }, { milliCPU: 1001 }],
    ["cpu rounds up: 1n → 1m", { requests: { cpu: "1n" } }, { milliCPU: 1 }],
    [
      "summed fractional memory is rounded once: 3 × 0.5 bytes = 1.5 → 2",
      {
        containers: [
          { requests: { memory: "500m" } },
          { requests: { memory: "500m" } },
          { requests: { memory: "500m" } },
        ],
      },
      { memory: 2 },
    ],
    [
      "binary and decimal suffixes are exact",
      { requests: { memory: "1Gi", "ephemeral-storage": "1G" } },
      { memory: Gi, ephemeralStorage: 1e9 },
    ],
    [
      "extended resources are summed and maxed like cpu",
      {
        containers: [
          { requests: { "nvidia.com/gpu": "1" } },
          { requests: { "nvidia.com/gpu": "2" } },
        ],
        initContainers: [{ requests: { "example.com/foo": "5" } }],
      },
      { scalar: { "nvidia.com/gpu": 3, "example.com/foo": 5 } },
    ],
    [
      "hugepages, kubernetes.io/* and attachable-volumes-* are scalar",
      {
        requests: {
          "hugepages-2Mi": "4Mi",
          "example.kubernetes.io/thing": "2",
          "attachable-volumes-aws-ebs": "1",
        },
      },
      {
        scalar: {
          "hugepages-2Mi": 4 * Mi,
          "example.kubernetes.io/thing": 2,
          "attachable-volumes-aws-ebs": 1,
        },
      },
    ],
    [
      "pods and non-scalar names are dropped (upstream Resource.Add)",
      { requests: { pods: "1", storage: "1Gi", foo: "3" } },
      {},
    ],
    [
      "explicit zero scalar is kept",
      { requests: { "nvidia.com/gpu": "0" } },
      { scalar: { "nvidia.com/gpu": 0 } },
    ],
    [
      "upstream: pod-level memory only",
      { containers: [], podRequests: { memory: "2Mi" } },
      { memory: 2 * Mi },
    ],
    [
      "upstream: pod-level memory and container-level cpu",
      { containers: [{ requests: { cpu: "2m" } }], podRequests: { memory: "2Mi" } },
      { milliCPU: 2, memory: 2 * Mi },
    ],
    [
      "upstream: unsupported pod-level resource is ignored",
      {
        containers: [{ requests: { memory: "3Mi" } }],
        podRequests: { "ephemeral-storage": "2Mi" },
      },
      { memory: 3 * Mi },
    ],
    [
      "unsupported pod-level resource does not replace the container total",
      {
        containers: [{ requests: { "ephemeral-storage": "3Mi" } }],
        podRequests: { "ephemeral-storage": "2Mi" },
      },
      { ephemeralStorage: 3 * Mi },
    ],
    [
      "upstream: pod-level cpu/memory replace container, init and sidecar totals",
      {
        podRequests: { memory: "15Mi", cpu: "18m" },
        containers: [{ requests: { memory: "3Mi", cpu: "2m" } }],
        initContainers: [
          { requests: { memory: "5Mi", cpu: "4m" }, restartPolicy: "Always" },
          { requests: { memory: "6Mi", cpu: "8m" } },
        ],
      },
      { milliCPU: 18, memory: 15 * Mi },
    ],
    [
      "pod-level value may be below the container total (it still replaces it)",
      { podRequests: { cpu: "1" }, containers: [cpu("3")] },
      { milliCPU: 1000 },
    ],
    [
      "upstream: pod-level hugepages replace, other page sizes keep container totals",
      {
        podRequests: { cpu: "1", "hugepages-2Mi": "10Mi" },
        podLimits: { "hugepages-2Mi": "10Mi" },
        containers: [
          { requests: { memory: "4Mi", "hugepages-1Gi": "1Gi", "hugepages-2Mi": "6Mi" } },
        ],
      },
      { milliCPU: 1000, memory: 4 * Mi, scalar: { "hugepages-1Gi": Gi, "hugepages-2Mi": 10 * Mi } },
    ],
    [
      "pod-level limits alone do not set pod-level requests",
      { podLimits: { cpu: "4" }, containers: [cpu("1")] },
      { milliCPU: 1000 },
    ],
    [
      "overhead is added on top of pod-level requests",
      {
        podRequests: { cpu: "1" },
        overhead: { cpu: "250m", "nvidia.com/gpu": "1" },
        containers: [cpu("3")],
      },
      { milliCPU: 1250, scalar: { "nvidia.com/gpu": 1 } },
    ],
  ];

  it.each(cases)("%s", (_name, pod, want) => {
    expect(req(pod)).toEqual({
      milliCPU: want.milliCPU ?? 0,
      memory: want.memory ?? 0,
      ephemeralStorage: want.ephemeralStorage ?? 0,
      scalar: want.scalar ?? {},
    });
  });

  it("matches max(Σ regular + Σ sidecars, max init-time usage) for integer millicores", () => {
    const container = fc.record({ m: fc.nat(100_000), sidecar: fc.boolean() });
    fc.assert(
      fc.property(
        fc.array(fc.nat(100_000), { maxLength: 5 }),
        fc.array(container, { maxLength: 6 }),
        (regular, inits) => {
          let total = regular.reduce((a, b) => a + b, 0);
          let sidecars = 0;
          let initMax = 0;
          for (const c of inits) {
            if (c.sidecar) {
              total += c.m;
              sidecars += c.m;
              initMax = Math.max(initMax, sidecars);
            } else {
              initMax = Math.max(initMax, c.m + sidecars);
            }
          }
          const pod = makePod({
            containers: regular.map((m) => cpu(`${m}m`)),
            initContainers: inits.map((c) => (c.sidecar ? sidecar(`${c.m}m`) : cpu(`${c.m}m`))),
          });
          expect(podRequests(pod).milliCPU).toBe(Math.max(total, initMax));
        },
      ),
    );
  });

  it("throws a clear error beyond Number.MAX_SAFE_INTEGER", () => {
    expect(() => podRequests(makePod({ name: "big", requests: { memory: "10Ei" } }))).toThrow(
      /Pod default\/big: resource memory = \d+ is beyond Number.MAX_SAFE_INTEGER/,
    );
    expect(() => podRequests(makePod({ requests: { cpu: "1e13" } }))).toThrow(/MAX_SAFE_INTEGER/);
    expect(podRequests(makePod({ requests: { memory: "4Pi" } })).memory).toBe(2 ** 52);
  });
});

describe("podNonZeroRequests (§2.2)", () => {
  const D_CPU = DEFAULT_MILLI_CPU_REQUEST;
  const D_MEM = DEFAULT_MEMORY_REQUEST;
  const cases: [
    string,
    PodOptions,
    { milliCPU: number; memory: number },
    { milliCPU: number; memory: number }?,
  ][] = [
    [
      "constants",
      { requests: { cpu: "100m", memory: "200Mi" } },
      { milliCPU: 100, memory: 209715200 },
    ],
    ["container without requests gets both defaults", {}, { milliCPU: D_CPU, memory: D_MEM }],
    [
      "defaults are per container",
      { containers: [{}, {}, {}] },
      { milliCPU: 3 * D_CPU, memory: 3 * D_MEM },
    ],
    ["zero containers → 0", { containers: [] }, { milliCPU: 0, memory: 0 }],
    ["explicit zero is kept", { requests: { cpu: "0", memory: "0" } }, { milliCPU: 0, memory: 0 }],
    [
      "only the missing key is defaulted",
      { requests: { cpu: "500m" } },
      { milliCPU: 500, memory: D_MEM },
    ],
    [
      "init containers get defaults too and take part in the max",
      { initContainers: [{}], containers: [{ requests: { cpu: "1" } }] },
      { milliCPU: 1000, memory: D_MEM },
    ],
    [
      "init container default can win the max",
      {
        initContainers: [{ requests: { memory: "1Mi" } }],
        containers: [{ requests: { cpu: "50m", memory: "1Mi" } }],
      },
      { milliCPU: D_CPU, memory: Mi },
    ],
    [
      "sidecars get defaults and add to the total",
      { initContainers: [{ restartPolicy: "Always" }] },
      { milliCPU: 2 * D_CPU, memory: 2 * D_MEM },
    ],
    [
      "overhead is added",
      { overhead: { cpu: "10m", memory: "1Mi" } },
      { milliCPU: D_CPU + 10, memory: D_MEM + Mi },
    ],
    [
      "overhead is added to a pod without containers",
      { containers: [], overhead: { cpu: "10m" } },
      { milliCPU: 10, memory: 0 },
    ],
    [
      "summed fractional cpu is rounded once",
      { containers: [cpu("0.3333"), cpu("0.3333"), cpu("0.3333")] },
      { milliCPU: 1000, memory: 3 * D_MEM },
    ],
    [
      "pod-level memory only: cpu missing everywhere gets the per-container default",
      { podRequests: { memory: "1Gi" }, containers: [{}, {}] },
      { milliCPU: 2 * D_CPU, memory: Gi },
    ],
    [
      "pod-level cpu only: memory missing everywhere gets the per-container default",
      { podRequests: { cpu: "2" }, containers: [{}] },
      { milliCPU: 2000, memory: D_MEM },
    ],
    [
      "pod-level explicit zeros are kept",
      { podRequests: { cpu: "0", memory: "0" }, containers: [{}] },
      { milliCPU: 0, memory: 0 },
    ],
    [
      "pod-level set: a key present on any container disables its default for all (node side differs from scoring)",
      { podRequests: { memory: "1Gi" }, containers: [{ requests: { cpu: "200m" } }, {}] },
      { milliCPU: 200, memory: Gi },
      { milliCPU: 300, memory: Gi },
    ],
    [
      "pod-level set: overhead presence disables the default on the node side",
      { podRequests: { cpu: "1" }, overhead: { memory: "10Mi" }, containers: [{}] },
      { milliCPU: 1000, memory: 10 * Mi },
      { milliCPU: 1000, memory: D_MEM + 10 * Mi },
    ],
  ];

  it.each(cases)("%s", (_name, o, want, scoring) => {
    const pod = makePod(o);
    expect(podNonZeroRequests(pod)).toEqual(want);
    expect(podNonZeroScoringRequests(pod)).toEqual(scoring ?? want);
    const s = podResourceSummary(pod);
    expect(s.nonZero).toEqual(want);
    expect(s.requests.milliCPU).toBe(podRequests(pod).milliCPU);
  });
});

describe("nodeAllocatable (§2.3)", () => {
  it("converts allocatable, pods → allowedPodNumber, scalar names only", () => {
    const a = nodeAllocatable(
      makeNode({
        allocatable: {
          cpu: "3.5",
          memory: "16Gi",
          "ephemeral-storage": "100G",
          pods: "110",
          "nvidia.com/gpu": "4",
          "hugepages-2Mi": "1Gi",
          storage: "1Ti",
        },
      }),
    );
    expect(a).toEqual({
      milliCPU: 3500,
      memory: 16 * Gi,
      ephemeralStorage: 100e9,
      allowedPodNumber: 110,
      scalar: new Map([
        ["nvidia.com/gpu", 4],
        ["hugepages-2Mi", Gi],
      ]),
    });
  });

  it("missing entries are 0 and cpu rounds up", () => {
    const a = nodeAllocatable(makeNode({ allocatable: { cpu: "1.0001" } }));
    expect(a).toEqual({
      milliCPU: 1001,
      memory: 0,
      ephemeralStorage: 0,
      allowedPodNumber: 0,
      scalar: new Map(),
    });
  });
});

describe("resource names", () => {
  it.each([
    ["nvidia.com/gpu", true],
    ["example.com/foo", true],
    ["example.com/Foo_bar.baz-1", true],
    [`example.com/${"a".repeat(63)}`, true],
    [`example.com/${"a".repeat(64)}`, false],
    ["cpu", false],
    ["memory", false],
    ["pods", false],
    ["foo", false],
    ["hugepages-2Mi", false],
    ["kubernetes.io/foo", false],
    ["example.kubernetes.io/foo", false],
    ["requests.example.com/foo", false],
    ["a/b/c", false],
    ["Example.com/foo", false],
    ["example.com/-foo", false],
    ["example.com/", false],
    ["/foo", false],
  ])("isExtendedResourceName(%j) = %s", (name, want) => {
    expect(isExtendedResourceName(name)).toBe(want);
  });

  it("isHugePageResourceName", () => {
    expect(isHugePageResourceName("hugepages-2Mi")).toBe(true);
    expect(isHugePageResourceName("hugepages-1Gi")).toBe(true);
    expect(isHugePageResourceName("memory")).toBe(false);
    expect(isHugePageResourceName("example.com/hugepages-2Mi")).toBe(false);
  });

  it.each([
    ["nvidia.com/gpu", true],
    ["hugepages-2Mi", true],
    ["kubernetes.io/batch-cpu", true],
    ["example.kubernetes.io/thing", true],
    ["attachable-volumes-aws-ebs", true],
    ["cpu", false],
    ["pods", false],
    ["storage", false],
    ["foo", false],
  ])("isScalarResourceName(%j) = %s", (name, want) => {
    expect(isScalarResourceName(name)).toBe(want);
  });
});
