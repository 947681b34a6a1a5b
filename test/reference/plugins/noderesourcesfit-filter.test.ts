/**
 * NodeResourcesFit Filter — upstream `noderesources/fit_test.go` TestEnoughRequests,
 * TestNotEnoughRequests, TestStorageRequests. Expected codes follow the v1.35 rule (semantics
 * §4.1 step 7): a failing resource whose request alone exceeds allocatable makes the status
 * UnschedulableAndUnresolvable (upstream's pre-1.35 tables say Unschedulable for those rows).
 * Every table row runs on both engines (test/reference/engines.ts); on the core only the verdict
 * and the rejecting plugin are compared (it names neither the resource nor the code).
 * TestPreFilterDisabled (Filter called without PreFilter) tests the reference plugin's own
 * extension-point protocol: reference only.
 */
import { describe, expect, it } from "vitest";
import { newNodeResourcesFit } from "../../../src/reference/plugins/noderesourcesfit/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectFilter } from "../engines.ts";
import { nodeInfoWith, ok } from "../support.ts";

const A = "example.com/aaa";
const B = "example.com/bbb";
const K8S_A = "kubernetes.io/something";
const K8S_B = "subdomain.kubernetes.io/something";
const HUGE = "hugepages-2Mi";

interface R {
  cpu?: number;
  mem?: number;
  eph?: number;
  scalar?: Record<string, number>;
}

/** Upstream `newResourcePod`'s container requests: explicit zeros for cpu/memory/storage. */
function req(r: R): Record<string, string> {
  const out: Record<string, string> = {
    cpu: `${r.cpu ?? 0}m`,
    memory: `${r.mem ?? 0}`,
    "ephemeral-storage": `${r.eph ?? 0}`,
  };
  for (const [k, v] of Object.entries(r.scalar ?? {})) out[k] = `${v}`;
  return out;
}

const pod = (containers: R[], init: R[] = [], overhead?: Record<string, string>) =>
  makePod({
    containers: containers.map((c) => ({ requests: req(c) })),
    initContainers: init.map((c) => ({ requests: req(c) })),
    ...(overhead ? { overhead } : {}),
  });
const empty = makePod({ containers: [] });

function node(pods: string, scalarA: string, eph: string, huge: string) {
  return makeNode({
    name: "n",
    allocatable: {
      cpu: "10m",
      memory: "20",
      pods,
      [A]: scalarA,
      "ephemeral-storage": eph,
      [HUGE]: huge,
    },
  });
}

const unsched = (...reasons: string[]) => ({ code: "Unschedulable", reasons });
const unresolvable = (...reasons: string[]) => ({ code: "UnschedulableAndUnresolvable", reasons });
const insufficient = (r: string) => `Insufficient ${r}`;

type Row = [
  name: string,
  pod: ReturnType<typeof makePod>,
  existing: R,
  want: { code: string; reasons: readonly string[] },
  args?: object,
];

const enough: Row[] = [
  ["no resources requested always fits", empty, { cpu: 10, mem: 20 }, ok],
  [
    "too many resources fails",
    pod([{ cpu: 1, mem: 1 }]),
    { cpu: 10, mem: 20 },
    unsched(insufficient("cpu"), insufficient("memory")),
  ],
  [
    "too many resources fails due to init container cpu",
    pod([{ cpu: 1, mem: 1 }], [{ cpu: 3, mem: 1 }]),
    { cpu: 8, mem: 19 },
    unsched(insufficient("cpu")),
  ],
  [
    "too many resources fails due to highest init container cpu",
    pod(
      [{ cpu: 1, mem: 1 }],
      [
        { cpu: 3, mem: 1 },
        { cpu: 2, mem: 1 },
      ],
    ),
    { cpu: 8, mem: 19 },
    unsched(insufficient("cpu")),
  ],
  [
    "too many resources fails due to init container memory",
    pod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 3 }]),
    { cpu: 9, mem: 19 },
    unsched(insufficient("memory")),
  ],
  [
    "too many resources fails due to highest init container memory",
    pod(
      [{ cpu: 1, mem: 1 }],
      [
        { cpu: 1, mem: 3 },
        { cpu: 1, mem: 2 },
      ],
    ),
    { cpu: 9, mem: 19 },
    unsched(insufficient("memory")),
  ],
  [
    "init container fits because it's the max, not sum, of containers and init containers",
    pod([{ cpu: 1, mem: 1 }], [{ cpu: 1, mem: 1 }]),
    { cpu: 9, mem: 19 },
    ok,
  ],
  [
    "multiple init containers fit because it's the max, not sum, of containers and init containers",
    pod(
      [{ cpu: 1, mem: 1 }],
      [
        { cpu: 1, mem: 1 },
        { cpu: 1, mem: 1 },
      ],
    ),
    { cpu: 9, mem: 19 },
    ok,
  ],
  ["both resources fit", pod([{ cpu: 1, mem: 1 }]), { cpu: 5, mem: 5 }, ok],
  [
    "one resource memory fits",
    pod([{ cpu: 2, mem: 1 }]),
    { cpu: 9, mem: 5 },
    unsched(insufficient("cpu")),
  ],
  [
    "one resource cpu fits",
    pod([{ cpu: 1, mem: 2 }]),
    { cpu: 5, mem: 19 },
    unsched(insufficient("memory")),
  ],
  ["equal edge case", pod([{ cpu: 5, mem: 1 }]), { cpu: 5, mem: 19 }, ok],
  [
    "equal edge case for init container",
    pod([{ cpu: 4, mem: 1 }], [{ cpu: 5, mem: 1 }]),
    { cpu: 5, mem: 19 },
    ok,
  ],
  ["extended resource fits", pod([{ scalar: { [A]: 1 } }]), {}, ok],
  ["extended resource fits for init container", pod([{}], [{ scalar: { [A]: 1 } }]), {}, ok],
  [
    "extended resource capacity enforced",
    pod([{ cpu: 1, mem: 1, scalar: { [A]: 10 } }]),
    { scalar: { [A]: 0 } },
    unresolvable(insufficient(A)),
  ],
  [
    "extended resource capacity enforced for init container",
    pod([{}], [{ cpu: 1, mem: 1, scalar: { [A]: 10 } }]),
    { scalar: { [A]: 0 } },
    unresolvable(insufficient(A)),
  ],
  [
    "extended resource allocatable enforced",
    pod([{ cpu: 1, mem: 1, scalar: { [A]: 1 } }]),
    { scalar: { [A]: 5 } },
    unsched(insufficient(A)),
  ],
  [
    "extended resource allocatable enforced for init container",
    pod([{}], [{ cpu: 1, mem: 1, scalar: { [A]: 1 } }]),
    { scalar: { [A]: 5 } },
    unsched(insufficient(A)),
  ],
  [
    "extended resource allocatable enforced for multiple containers",
    pod([
      { cpu: 1, mem: 1, scalar: { [A]: 3 } },
      { cpu: 1, mem: 1, scalar: { [A]: 3 } },
    ]),
    { scalar: { [A]: 2 } },
    unresolvable(insufficient(A)),
  ],
  [
    "extended resource allocatable admits multiple init containers",
    pod(
      [{}],
      [
        { cpu: 1, mem: 1, scalar: { [A]: 3 } },
        { cpu: 1, mem: 1, scalar: { [A]: 3 } },
      ],
    ),
    { scalar: { [A]: 2 } },
    ok,
  ],
  [
    "extended resource allocatable enforced for multiple init containers",
    pod(
      [{}],
      [
        { cpu: 1, mem: 1, scalar: { [A]: 6 } },
        { cpu: 1, mem: 1, scalar: { [A]: 3 } },
      ],
    ),
    { scalar: { [A]: 2 } },
    unresolvable(insufficient(A)),
  ],
  [
    "extended resource allocatable enforced for unknown resource",
    pod([{ cpu: 1, mem: 1, scalar: { [B]: 1 } }]),
    {},
    unresolvable(insufficient(B)),
  ],
  [
    "extended resource allocatable enforced for unknown resource for init container",
    pod([{}], [{ cpu: 1, mem: 1, scalar: { [B]: 1 } }]),
    {},
    unresolvable(insufficient(B)),
  ],
  [
    "kubernetes.io resource capacity enforced",
    pod([{ cpu: 1, mem: 1, scalar: { [K8S_A]: 10 } }]),
    {},
    unresolvable(insufficient(K8S_A)),
  ],
  [
    "kubernetes.io resource capacity enforced for init container",
    pod([{}], [{ cpu: 1, mem: 1, scalar: { [K8S_B]: 10 } }]),
    {},
    unresolvable(insufficient(K8S_B)),
  ],
  [
    "hugepages resource capacity enforced",
    pod([{ cpu: 1, mem: 1, scalar: { [HUGE]: 10 } }]),
    { scalar: { [HUGE]: 0 } },
    unresolvable(insufficient(HUGE)),
  ],
  [
    "hugepages resource capacity enforced for init container",
    pod([{}], [{ cpu: 1, mem: 1, scalar: { [HUGE]: 10 } }]),
    { scalar: { [HUGE]: 0 } },
    unresolvable(insufficient(HUGE)),
  ],
  [
    "hugepages resource allocatable enforced for multiple containers",
    pod([
      { cpu: 1, mem: 1, scalar: { [HUGE]: 3 } },
      { cpu: 1, mem: 1, scalar: { [HUGE]: 3 } },
    ]),
    { scalar: { [HUGE]: 2 } },
    unresolvable(insufficient(HUGE)),
  ],
  [
    "skip checking ignored extended resource",
    pod([{ cpu: 1, mem: 1, scalar: { [B]: 1 } }]),
    {},
    ok,
    { ignoredResources: [B] },
  ],
  [
    "resources + pod overhead fits",
    pod([{ cpu: 1, mem: 1 }], [], { cpu: "3m", memory: "13" }),
    { cpu: 5, mem: 5 },
    ok,
  ],
  [
    "requests + overhead does not fit for memory",
    pod([{ cpu: 1, mem: 1 }], [], { cpu: "1m", memory: "15" }),
    { cpu: 5, mem: 5 },
    unsched(insufficient("memory")),
  ],
  [
    "skip checking ignored extended resource via resource groups",
    pod([{ cpu: 1, mem: 1, scalar: { [B]: 1, [K8S_A]: 1 } }]),
    {},
    unresolvable(insufficient(K8S_A)),
    { ignoredResourceGroups: ["example.com"] },
  ],
  [
    "skip checking extended resource request with quantity zero via resource groups",
    pod([{ cpu: 1, mem: 1, scalar: { [A]: 0 } }]),
    { scalar: { [A]: 6 } },
    ok,
  ],
  [
    "skip checking resource request with quantity zero",
    pod([{ scalar: { [A]: 1 } }]),
    { cpu: 20, mem: 30, scalar: { [A]: 1 } },
    ok,
  ],
];

describe.each(ENGINES)("NodeResourcesFit Filter: TestEnoughRequests [%s]", (engine) => {
  it.each(enough)("%s", async (_name, p, existing, want, args) => {
    await expectFilter(
      engine,
      {
        plugin: "NodeResourcesFit",
        node: node("32", "5", "20", "5"),
        existing: [pod([existing])],
        pod: p,
        args,
      },
      want,
    );
  });
});

describe.each(ENGINES)("NodeResourcesFit Filter: TestNotEnoughRequests [%s]", (engine) => {
  const rows: [string, ReturnType<typeof makePod>, R][] = [
    [
      "even without specified resources, predicate fails when there's no space for additional pod",
      empty,
      { cpu: 10, mem: 20 },
    ],
    [
      "even if both resources fit, predicate fails when there's no space for additional pod",
      pod([{ cpu: 1, mem: 1 }]),
      { cpu: 5, mem: 5 },
    ],
    [
      "even for equal edge case, predicate fails when there's no space for additional pod",
      pod([{ cpu: 5, mem: 1 }]),
      { cpu: 5, mem: 19 },
    ],
    [
      "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
      pod([{ cpu: 5, mem: 1 }], [{ cpu: 5, mem: 1 }]),
      { cpu: 5, mem: 19 },
    ],
  ];
  it.each(rows)("%s", async (_name, p, existing) => {
    await expectFilter(
      engine,
      {
        plugin: "NodeResourcesFit",
        node: node("1", "0", "0", "0"),
        existing: [pod([existing])],
        pod: p,
      },
      unsched("Too many pods"),
    );
  });
});

describe.each(ENGINES)("NodeResourcesFit Filter: TestStorageRequests [%s]", (engine) => {
  const rows: [string, ReturnType<typeof makePod>, R, { code: string; reasons: string[] }][] = [
    ["empty storage requested, and pod fits", pod([{ cpu: 1, mem: 1 }]), { cpu: 2, mem: 10 }, ok],
    [
      "storage ephemeral local storage request exceeds allocatable",
      pod([{ eph: 25 }]),
      { cpu: 2, mem: 2 },
      unresolvable(insufficient("ephemeral-storage")),
    ],
    ["ephemeral local storage is sufficient", pod([{ eph: 5 }]), { cpu: 2, mem: 2, eph: 10 }, ok],
    ["pod fits", pod([{ eph: 10 }]), { cpu: 2, mem: 2 }, ok],
  ];
  it.each(rows)("%s", async (_name, p, existing, want) => {
    await expectFilter(
      engine,
      {
        plugin: "NodeResourcesFit",
        node: node("32", "5", "20", "5"),
        existing: [pod([existing])],
        pod: p,
      },
      want,
    );
  });
});

describe("NodeResourcesFit Filter: TestPreFilterDisabled (reference only)", () => {
  it("Filter without PreFilter is an Error (TestPreFilterDisabled)", async () => {
    const { CycleState } = await import("../../../src/reference/framework/cycle-state.ts");
    const plugin = newNodeResourcesFit(undefined, {
      snapshot: () => {
        throw new Error("unused");
      },
    });
    const info = nodeInfoWith(node("32", "5", "20", "5"));
    const status = (
      plugin as import("../../../src/reference/framework/interfaces.ts").FilterPlugin
    ).filter(new CycleState(), empty, info);
    expect(status.code).toBe("Error");
    expect(status.reasons).toEqual([
      `error reading "PreFilterNodeResourcesFit" from cycleState: not found`,
    ]);
  });
});
