import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/diagnostics.ts";
import { JobController } from "../../../src/sim/controlplane/job.ts";
import { makeNode } from "../../helpers/builders.ts";
import { FakeApi, keptObject } from "./fake-api.ts";

function job(spec: string, annotations = "{gantry.dev/duration: 10s}"): JobController {
  return new JobController(
    keptObject(`apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
${spec}
  template:
    metadata: {annotations: ${annotations}}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`),
  );
}

const nodes = [makeNode({ name: "node-a" })];
const creations = (api: FakeApi) => api.entries("create").map((l) => Number(l.split(" ")[0]));

describe("Job", () => {
  it("completions 3, parallelism 2: two pods, then one, Complete after three successes", () => {
    const j = job("  completions: 3\n  parallelism: 2");
    const api = new FakeApi({ nodes }).add(j).run(1000);
    expect(creations(api)).toEqual([0, 0, 10]);
    expect(j.status).toEqual({
      active: 0,
      ready: 0,
      succeeded: 3,
      failed: 0,
      startTime: 0,
      completionTime: 20,
      finishedTime: 20,
      condition: "Complete",
    });
    const pod = api.created[0]!;
    expect(pod.metadata.name).toMatch(/^batch-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.labels["batch.kubernetes.io/job-name"]).toBe("batch");
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "Job", name: "batch" });
  });

  it("defaults: no completions and no parallelism → one pod", () => {
    const j = job("  backoffLimit: 6");
    const api = new FakeApi({ nodes }).add(j).run(1000);
    expect(creations(api)).toEqual([0]);
    expect(j.status.condition).toBe("Complete");
  });

  it("backoffLimit 1 with always-failing pods fails after 2 failures and records an event", () => {
    const j = job(
      "  backoffLimit: 1",
      "{gantry.dev/duration: 10s, gantry.dev/failure-probability: '1'}",
    );
    const api = new FakeApi({ nodes }).add(j).run(10_000);
    // Second pod after the 10 s failure backoff.
    expect(creations(api)).toEqual([0, 20]);
    expect(j.status).toMatchObject({
      failed: 2,
      succeeded: 0,
      condition: "Failed",
      reason: "BackoffLimitExceeded",
      finishedTime: 30,
    });
    expect(j.status.completionTime).toBeUndefined();
    expect(api.events).toEqual([
      {
        kind: "BackoffLimitExceeded",
        message: "Job default/batch: Job has reached the specified backoff limit",
      },
    ]);
  });

  it("failure backoff: 10 s doubling per failure, at most 6 minutes", () => {
    const j = job(
      "  backoffLimit: 8",
      "{gantry.dev/duration: 1s, gantry.dev/failure-probability: '1'}",
    );
    const api = new FakeApi({ nodes }).add(j).run(100_000);
    expect(creations(api)).toEqual([0, 11, 32, 73, 154, 315, 636, 997, 1358]);
    expect(j.status).toMatchObject({ failed: 9, condition: "Failed" });
  });

  it("work queue (no completions): a success stops new pods; Complete once all have ended", () => {
    let n = 0;
    const j = job("  parallelism: 3");
    const api = new FakeApi({ nodes, fails: () => n++ === 0 }).add(j).run(1000);
    expect(creations(api)).toEqual([0, 0, 0]);
    expect(j.status).toMatchObject({ succeeded: 2, failed: 1, condition: "Complete" });
    expect(j.status.completionTime).toBe(10);
  });

  it("counts evicted and deleted pods as failures; its own deletions are not", () => {
    const j = job("  parallelism: 2\n  completions: 2", "{gantry.dev/duration: never}");
    const api = new FakeApi({ nodes }).add(j);
    api.timer(5, () => api.deletePod([...api.pods.keys()][0]!));
    api.run(100);
    expect(j.status).toMatchObject({ active: 2, failed: 1 });
    expect(creations(api)).toEqual([0, 0, 15]);
  });

  it("activeDeadlineSeconds fails the Job and deletes its active pods", () => {
    const j = job("  parallelism: 2\n  activeDeadlineSeconds: 25", "{gantry.dev/duration: never}");
    const api = new FakeApi({ nodes }).add(j).run(100);
    expect(j.status).toMatchObject({
      active: 0,
      failed: 0,
      condition: "Failed",
      reason: "DeadlineExceeded",
      finishedTime: 25,
    });
    expect(api.entries("delete").map((l) => l.split(" ")[0])).toEqual(["25", "25"]);
  });

  it("suspend: no pods", () => {
    const j = job("  suspend: true");
    const api = new FakeApi({ nodes }).add(j).run(100);
    expect(api.created).toEqual([]);
    expect(j.finished).toBe(false);
  });

  it("rejects a template without restartPolicy OnFailure or Never, and a bad duration", () => {
    const obj = keptObject(`apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: -2
  template:
    metadata: {annotations: {gantry.dev/duration: soon}}
    spec:
      containers: [{name: c, image: busybox}]
`);
    expect(() => new JobController(obj)).toThrow(InputError);
    try {
      new JobController(obj);
    } catch (e) {
      expect((e as Error).message.split("\n")).toEqual([
        "app.yaml: Job default/batch: spec.completions: must be greater than or equal to 0",
        'app.yaml: Job default/batch: spec.template.metadata.annotations[gantry.dev/duration]: "soon" is not a valid duration (a non-negative Go duration such as "90s" or "1h30m", or never)',
        "app.yaml: Job default/batch: spec.template.spec.restartPolicy: required",
      ]);
    }
  });
});
