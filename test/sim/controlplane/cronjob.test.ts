import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/diagnostics.ts";
import { CronJobController, type CronJobOptions } from "../../../src/sim/controlplane/cronjob.ts";
import { makeNode } from "../../helpers/builders.ts";
import { FakeApi, keptObject } from "./fake-api.ts";

function cronJob(spec: string, duration = "60s", options: CronJobOptions = {}): CronJobController {
  return new CronJobController(
    keptObject(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
${spec}
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        metadata: {annotations: {gantry.dev/duration: ${duration}}}
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
`),
    options,
  );
}

const nodes = [makeNode({ name: "node-a" })];
const creations = (api: FakeApi) => api.entries("create").map((l) => Number(l.split(" ")[0]));
/** Unix minutes of simulated time `t` from the default epoch 2026-01-01T00:00:00Z. */
const minutes = (t: number) => Date.UTC(2026, 0, 1) / 60_000 + t / 60;

describe("CronJob", () => {
  it("*/5 * * * * fires at 0, 300, 600 … s", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"\n  successfulJobsHistoryLimit: 10');
    const api = new FakeApi({ nodes }).add(cj).run(1500);
    expect(creations(api)).toEqual([0, 300, 600, 900, 1200, 1500]);
    expect(cj.jobs.map((j) => j.name)).toEqual(
      [0, 300, 600, 900, 1200, 1500].map((t) => `report-${minutes(t)}`),
    );
    expect(cj.lastScheduleTime).toBe(1500);
    const pod = api.created[1]!;
    expect(pod.metadata.name).toMatch(new RegExp(`^report-${minutes(300)}-[a-z0-9]{5}$`));
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: "Job" });
    expect(cj.jobs[0]!.status).toMatchObject({ condition: "Complete", completionTime: 60 });
  });

  it("evaluates the schedule from a given epoch", () => {
    const cj = cronJob('  schedule: "0 * * * *"', "60s", { epoch: "2026-03-01T00:30:00Z" });
    const api = new FakeApi({ nodes }).add(cj).run(7200);
    expect(creations(api)).toEqual([1800, 5400]);
  });

  it("Forbid: a schedule time is not run while a Job is active; it runs when that Job ends", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"\n  concurrencyPolicy: Forbid', "420s");
    const api = new FakeApi({ nodes }).add(cj).run(1000);
    // 300 is due while the first Job runs (until 420): it starts late, at 420, and runs to 840,
    // so 600 is skipped until 840.
    expect(creations(api)).toEqual([0, 420, 840]);
  });

  it("Forbid with startingDeadlineSeconds: late times are missed", () => {
    const cj = cronJob(
      '  schedule: "*/5 * * * *"\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 60',
      "420s",
    );
    const api = new FakeApi({ nodes }).add(cj).run(1300);
    expect(creations(api)).toEqual([0, 600, 1200]);
  });

  it("Allow runs Jobs alongside each other", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"', "420s");
    const api = new FakeApi({ nodes }).add(cj).run(700);
    expect(creations(api)).toEqual([0, 300, 600]);
    expect(cj.activeJobs.length).toBe(2);
  });

  it("Replace deletes the active Job and its pods", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"\n  concurrencyPolicy: Replace', "420s");
    const api = new FakeApi({ nodes }).add(cj).run(700);
    expect(creations(api)).toEqual([0, 300, 600]);
    expect(api.entries("delete").map((l) => l.split(" ")[0])).toEqual(["300", "600"]);
    expect(cj.jobs.map((j) => j.name)).toEqual([`report-${minutes(600)}`]);
  });

  it("history limits delete the oldest finished Jobs", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"\n  successfulJobsHistoryLimit: 2');
    const api = new FakeApi({ nodes }).add(cj).run(1500);
    expect(creations(api).length).toBe(6);
    expect(cj.jobs.map((j) => j.name)).toEqual(
      [900, 1200, 1500].map((t) => `report-${minutes(t)}`),
    );
  });

  it("failedJobsHistoryLimit (default 1) keeps the newest failed Job", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"', "60s");
    const api = new FakeApi({ nodes, fails: () => true }).add(cj).run(1000);
    expect(creations(api)).toEqual([0, 300, 600, 900]);
    expect(cj.jobs.map((j) => `${j.name} ${j.status.condition}`)).toEqual([
      `report-${minutes(900)} Failed`,
    ]);
    expect(api.events.filter((e) => e.kind === "BackoffLimitExceeded").length).toBe(4);
  });

  it("suspend: no Jobs", () => {
    const cj = cronJob('  schedule: "*/5 * * * *"\n  suspend: true');
    const api = new FakeApi({ nodes }).add(cj).run(1000);
    expect(api.created).toEqual([]);
  });

  it("reports an invalid schedule, time zone and job template", () => {
    const obj = keptObject(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "61 * * * *"
  timeZone: Europe/Paris
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Always
          containers: [{name: c, image: busybox}]
`);
    expect(() => new CronJobController(obj)).toThrow(InputError);
    try {
      new CronJobController(obj);
    } catch (e) {
      expect((e as Error).message.split("\n")).toEqual([
        'app.yaml: CronJob default/report: spec.schedule: "61 * * * *" is not a valid cron schedule: end of range (61) above maximum (59): 61',
        'app.yaml: CronJob default/report: spec.timeZone: "Europe/Paris" is not modelled: only UTC (or Etc/UTC) is supported',
        'app.yaml: CronJob default/report: spec.jobTemplate.spec.template.spec.restartPolicy: "Always" is not one of OnFailure, Never',
      ]);
    }
  });
});
