import { describe, expect, it } from "vitest";
import { DaemonSetController } from "../../../src/sim/controlplane/daemonset.ts";
import { makeNode } from "../../helpers/builders.ts";
import { FakeApi, keptObject } from "./fake-api.ts";

const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {role: worker}
      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}]
      containers: [{name: c, image: agent}]
`;

const worker = (name: string, extra = {}) =>
  makeNode({ name, labels: { role: "worker" }, ...extra });

describe("DaemonSet", () => {
  it("one pod per eligible node; skips tainted and unselected nodes; covers a node added at 60 s", () => {
    const ds = new DaemonSetController(keptObject(DS));
    const api = new FakeApi({
      nodes: [
        worker("a"),
        worker("b", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
        makeNode({ name: "c", labels: { role: "infra" } }),
      ],
    }).add(ds);
    api.addNode(worker("d"), 60);
    api.run(100);
    expect(api.timeline.filter((l) => l.includes(" bind "))).toEqual([
      expect.stringMatching(/^0 bind kube-system\/agent-[a-z0-9]{5} a$/),
      expect.stringMatching(/^60 bind kube-system\/agent-[a-z0-9]{5} d$/),
    ]);
    expect(ds.status).toEqual({ currentNumberScheduled: 2, numberReady: 2 });
  });

  it("pins each pod with matchFields node affinity and adds the DaemonSet tolerations", () => {
    const ds = new DaemonSetController(keptObject(DS));
    const api = new FakeApi({ nodes: [worker("a")] }).add(ds).run(1);
    const pod = api.created[0]!;
    expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual(
      {
        nodeSelectorTerms: [
          {
            matchExpressions: [],
            matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }],
          },
        ],
      },
    );
    expect(pod.spec.nodeSelector).toEqual({ role: "worker" });
    expect(pod.spec.tolerations.map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds}`)).toEqual([
      // The template's unreachable toleration (with tolerationSeconds) is replaced.
      "node.kubernetes.io/unreachable:NoExecute:undefined",
      "node.kubernetes.io/not-ready:NoExecute:undefined",
      "node.kubernetes.io/disk-pressure:NoSchedule:undefined",
      "node.kubernetes.io/memory-pressure:NoSchedule:undefined",
      "node.kubernetes.io/pid-pressure:NoSchedule:undefined",
      "node.kubernetes.io/unschedulable:NoSchedule:undefined",
    ]);
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "DaemonSet", controller: true });
    expect(pod.metadata.labels["pod-template-generation"]).toBe("1");
  });

  it("tolerates the unschedulable and not-ready taints when deciding eligibility", () => {
    const ds = new DaemonSetController(keptObject(DS));
    const cordoned = worker("a", {
      unschedulable: true,
      taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }],
    });
    expect(ds.shouldRun(cordoned)).toEqual({ run: true, continueRunning: true });
    const tainted = worker("b", { taints: [{ key: "x", effect: "NoSchedule" }] });
    expect(ds.shouldRun(tainted)).toEqual({ run: false, continueRunning: true });
    const evicting = worker("c", { taints: [{ key: "x", effect: "NoExecute" }] });
    expect(ds.shouldRun(evicting)).toEqual({ run: false, continueRunning: false });
  });

  it("follows node changes and removals; re-creates a pod that ended", () => {
    const ds = new DaemonSetController(keptObject(DS));
    const api = new FakeApi({ nodes: [worker("a"), worker("b"), worker("c")] }).add(ds);
    api.changeNode(worker("a", { taints: [{ key: "x", effect: "NoExecute" }] }), 10);
    api.changeNode(worker("b", { taints: [{ key: "x", effect: "NoSchedule" }] }), 10);
    api.removeNode("c", 20);
    api.timer(30, () => api.deletePod([...api.pods.keys()][0]!));
    api.run(100);
    const node = (l: string) => l.split(" ").at(-1);
    // a: NoExecute → deleted; b: NoSchedule only → keeps running; c removed → not re-created.
    expect(api.entries("delete").map((l) => l.split(" ")[0])).toEqual(["10", "30"]);
    expect(api.timeline.filter((l) => l.includes(" end ")).map((l) => l.split(" ")[0])).toEqual([
      "10",
      "20",
      "30",
    ]);
    // b's pod was deleted at 30 (by the test): b is no longer eligible, so no new pod.
    expect(api.timeline.filter((l) => l.includes(" bind ")).map(node)).toEqual(["a", "b", "c"]);
    expect(ds.status.currentNumberScheduled).toBe(0);
  });

  it("re-creates the pod of a still eligible node", () => {
    const ds = new DaemonSetController(keptObject(DS));
    const api = new FakeApi({ nodes: [worker("a")] }).add(ds);
    api.timer(30, () => api.deletePod([...api.pods.keys()][0]!));
    api.run(100);
    expect(api.timeline.filter((l) => l.includes(" bind ")).map((l) => l.split(" ")[0])).toEqual([
      "0",
      "30",
    ]);
  });
});
