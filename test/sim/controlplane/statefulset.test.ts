import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/diagnostics.ts";
import { ClaimRegistry } from "../../../src/sim/controlplane/claims.ts";
import { StatefulSetController } from "../../../src/sim/controlplane/statefulset.ts";
import { makeNode } from "../../helpers/builders.ts";
import { FakeApi, keptObject, keptObjects } from "./fake-api.ts";

function statefulSet(spec: string): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: prod}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c, image: postgres, resources: {requests: {cpu: 100m}}}]
${spec}`;
}

const nodes = [makeNode({ name: "node-a" })];

describe("StatefulSet", () => {
  it("OrderedReady creates 0, 1, 2 in order, each once the previous is Running", () => {
    const set = new StatefulSetController(keptObject(statefulSet("  replicas: 3")));
    const api = new FakeApi({ nodes, bindDelay: 5 }).add(set).run(100);
    expect(api.entries("create")).toEqual(["0 db-0", "5 db-1", "10 db-2"]);
    expect(api.entries("bind")).toEqual(["5 db-0", "10 db-1", "15 db-2"]);
    expect(set.status).toEqual({ replicas: 3, readyReplicas: 3 });
  });

  it("OrderedReady scales down from the highest ordinal, one at a time", () => {
    const set = new StatefulSetController(keptObject(statefulSet("  replicas: 3")));
    const api = new FakeApi({ nodes }).add(set);
    api.timer(100, () => set.scale(1));
    api.run(200);
    expect(api.timeline.filter((l) => l.startsWith("100 "))).toEqual([
      "100 delete prod/db-2",
      "100 end prod/db-2 Deleted",
      "100 delete prod/db-1",
      "100 end prod/db-1 Deleted",
    ]);
    expect([...api.pods.keys()]).toEqual(["prod/db-0"]);
  });

  it("OrderedReady works when the deletion is reported inside deletePod", () => {
    const set = new StatefulSetController(keptObject(statefulSet("  replicas: 3")));
    const api = new FakeApi({ nodes, syncDelete: true }).add(set);
    api.timer(100, () => set.scale(0));
    api.run(200);
    expect(api.entries("delete")).toEqual(["100 db-2", "100 db-1", "100 db-0"]);
    expect(api.pods.size).toBe(0);
  });

  it("Parallel creates every pod at once and deletes all condemned ones at once", () => {
    const set = new StatefulSetController(
      keptObject(statefulSet("  replicas: 3\n  podManagementPolicy: Parallel")),
    );
    const api = new FakeApi({ nodes, bindDelay: 5 }).add(set);
    api.timer(100, () => set.scale(1));
    api.run(200);
    expect(api.timeline.slice(0, 3)).toEqual([
      "0 create prod/db-0",
      "0 create prod/db-1",
      "0 create prod/db-2",
    ]);
    expect(api.entries("delete")).toEqual(["100 db-2", "100 db-1"]);
  });

  it("labels, owner reference and ordinals.start", () => {
    const set = new StatefulSetController(
      keptObject(statefulSet("  replicas: 2\n  ordinals: {start: 5}")),
    );
    const api = new FakeApi({ nodes }).add(set).run(10);
    expect(api.created.map((p) => p.metadata.name)).toEqual(["db-5", "db-6"]);
    const pod = api.created[0]!;
    expect(pod.metadata.namespace).toBe("prod");
    expect(pod.metadata.labels["app"]).toBe("db");
    expect(pod.metadata.labels["statefulset.kubernetes.io/pod-name"]).toBe("db-5");
    expect(pod.metadata.labels["apps.kubernetes.io/pod-index"]).toBe("5");
    expect(pod.metadata.labels["controller-revision-hash"]).toMatch(/^db-[a-z0-9]+$/);
    expect(pod.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        name: "db",
        uid: set.spec.metadata.uid,
        controller: true,
      },
    ]);
    expect(pod.spec.containers[0]!.resources.requests.get("cpu")).toBeDefined();
  });

  it("one claim per replica from volumeClaimTemplates, referenced by the pod", () => {
    const claims = new ClaimRegistry();
    const set = new StatefulSetController(
      keptObject(
        statefulSet(`  replicas: 3
  volumeClaimTemplates:
  - metadata: {name: data, labels: {tier: storage}}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`),
      ),
      { claims },
    );
    const api = new FakeApi({ nodes }).add(set).run(10);
    expect([...claims.claims.keys()]).toEqual([
      "prod/data-db-0",
      "prod/data-db-1",
      "prod/data-db-2",
    ]);
    const claim = claims.claims.get("prod/data-db-1")!;
    expect(claim.kind).toBe("PersistentVolumeClaim");
    expect(claim.metadata.labels).toEqual({ tier: "storage", app: "db" });
    expect(claim.body["spec"]).toEqual({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
    });
    expect(claim.source.path).toBe("spec.volumeClaimTemplates[0]");
    expect(api.created[1]!.spec.volumes).toEqual([
      {
        name: "data",
        persistentVolumeClaim: { claimName: "data-db-1", readOnly: false },
        ephemeral: false,
        source: "persistentVolumeClaim",
      },
    ]);
  });

  it("whenScaled: Delete deletes a condemned ordinal's claims", () => {
    const claims = new ClaimRegistry();
    const set = new StatefulSetController(
      keptObject(
        statefulSet(`  replicas: 2
  persistentVolumeClaimRetentionPolicy: {whenScaled: Delete}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {}`),
      ),
      { claims },
    );
    const api = new FakeApi({ nodes }).add(set);
    api.timer(50, () => set.scale(1));
    api.run(100);
    expect([...claims.claims.keys()]).toEqual(["prod/data-db-0"]);
  });

  it("re-creates a pod that ended, with the same name", () => {
    const set = new StatefulSetController(
      keptObject(
        statefulSet("  replicas: 1").replace(
          "metadata: {labels: {app: db}}",
          "metadata: {labels: {app: db}, annotations: {gantry.dev/duration: 30s}}",
        ),
      ),
    );
    const api = new FakeApi({ nodes }).add(set).run(70);
    expect(api.entries("create")).toEqual(["0 db-0", "30 db-0", "60 db-0"]);
    const uids = new Set(api.created.map((p) => p.metadata.uid));
    expect(uids.size).toBe(3);
  });

  it("retries a creation rejected by admission with the work queue's backoff", () => {
    let rejections = 0;
    const set = new StatefulSetController(keptObject(statefulSet("  replicas: 1")));
    const api = new FakeApi({
      nodes,
      admit: () => (rejections++ < 2 ? "exceeded quota: q" : undefined),
    })
      .add(set)
      .run(10);
    const [t] = api.entries("create")[0]!.split(" ");
    expect(Number(t)).toBeCloseTo(0.015, 9);
    expect(api.events.map((e) => e.kind)).toEqual(["FailedCreate", "FailedCreate"]);
    expect(api.events[0]!.message).toContain("StatefulSet prod/db");
  });

  it("reports invalid fields with file, document and path", () => {
    const [bad] = keptObjects(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n${statefulSet("  replicas: -1")
        .replace("prod", "default")
        .replace("cpu: 100m", "cpu: 1q")
        .replace("matchLabels: {app: db}", "matchLabels: {app: other}")}`,
    );
    expect(() => new StatefulSetController(bad!)).toThrow(InputError);
    let message = "";
    try {
      new StatefulSetController(bad!);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "app.yaml: doc 2 (StatefulSet default/db): spec.replicas: must be greater than or equal to 0",
      expect.stringMatching(
        /^app\.yaml: doc 2 \(StatefulSet default\/db\): spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu: /,
      ),
      "app.yaml: doc 2 (StatefulSet default/db): spec.template.metadata.labels: `selector` does not match template `labels`",
    ]);
  });
});
