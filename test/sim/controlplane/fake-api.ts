/**
 * A fake {@link ControlPlaneApi} for controller tests: a tiny deterministic event loop with a
 * clock, no scheduler. A created pod is bound at the instant it was created (after the callbacks
 * of that instant, as the engine's scheduling pass; or `bindDelay` later) to the node `place` names — by default the
 * node of a DaemonSet pod's `matchFields metadata.name In [node]` affinity, else the first node;
 * `undefined` leaves it Pending. A bound pod ends after its duration, Failed when `fails` says so
 * (scripted per pod) or, without a script, when its `gantry.dev/failure-probability` is ≥ 1.
 * `timeline` records every create, bind, delete, end and rejection as `t verb namespace/name [detail]`.
 */
import { loadManifestsFromString } from "../../../src/manifest/load.ts";
import type { KeptObject, Node, Pod } from "../../../src/model/types.ts";
import {
  type Controller,
  type ControlPlaneApi,
  type CreateResult,
  FAILURE_PROBABILITY_ANNOTATION,
  type PodEnd,
} from "../../../src/sim/controlplane/api.ts";

interface Live {
  readonly pod: Pod;
  readonly duration: number;
  readonly fails: boolean;
  phase: "Pending" | "Running";
  node?: string;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export interface FakeOptions {
  /** Nodes at t = 0. */
  readonly nodes?: readonly Node[];
  /** Where a pod binds (undefined: stays Pending). */
  readonly place?: (pod: Pod, api: FakeApi) => string | undefined;
  /** Scripted outcome: true → the pod ends Failed. */
  readonly fails?: (pod: Pod) => boolean;
  /** Admission: a reason rejects the creation. */
  readonly admit?: (pod: Pod, api: FakeApi) => string | undefined;
  /** Seconds from creation to binding (default 0: the same instant). */
  readonly bindDelay?: number;
  /** Deliver `podEnded("Deleted")` inside `deletePod` (true) or at the same instant (default). */
  readonly syncDelete?: boolean;
}

/** The node a DaemonSet pod is pinned to by its required matchFields term. */
export function pinnedNode(pod: Pod): string | undefined {
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  return terms?.[0]?.matchFields.find((f) => f.key === "metadata.name")?.values[0];
}

export class FakeApi implements ControlPlaneApi {
  now = 0;
  readonly timeline: string[] = [];
  readonly events: { kind: string; message: string }[] = [];
  readonly pods = new Map<string, Live>();
  /** Every pod ever created, in order. */
  readonly created: Pod[] = [];
  private nodeList: Node[];
  private readonly controllers: Controller[] = [];
  private readonly queue: Timer[] = [];
  private seq = 0;
  private readonly options: FakeOptions;
  private started = false;

  constructor(options: FakeOptions = {}) {
    this.options = options;
    this.nodeList = [...(options.nodes ?? [])];
  }

  /** Registers controllers; {@link run} starts them at t = 0. */
  add(...controllers: Controller[]): this {
    this.controllers.push(...controllers);
    return this;
  }

  createPod(pod: Pod, duration: number, fails?: boolean): CreateResult {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (this.pods.has(key))
      return { ok: false, reason: `pods "${pod.metadata.name}" already exists` };
    const reason = this.options.admit?.(pod, this);
    if (reason !== undefined) {
      this.log("reject", key, reason);
      return { ok: false, reason };
    }
    const scripted = this.options.fails?.(pod);
    const p = Number(pod.metadata.annotations[FAILURE_PROBABILITY_ANNOTATION] ?? 0);
    this.pods.set(key, { pod, duration, fails: fails ?? scripted ?? p >= 1, phase: "Pending" });
    this.created.push(pod);
    this.log("create", key);
    this.timer(this.now + (this.options.bindDelay ?? 0), () => this.bind(key));
    return { ok: true, key };
  }

  deletePod(key: string): boolean {
    const live = this.pods.get(key);
    if (live === undefined) return false;
    this.log("delete", key);
    if (this.options.syncDelete) this.end(key, "Deleted");
    else {
      // Gone from the store now; controllers hear of it at this instant, after the current callback.
      this.timer(this.now, () => this.end(key, "Deleted", live));
      this.pods.delete(key);
    }
    return true;
  }

  timer(at: number, fn: () => void): void {
    if (at < this.now) throw new Error(`timer at ${at} < now ${this.now}`);
    this.queue.push({ at, seq: this.seq++, fn });
  }

  nodes(): readonly Node[] {
    return this.nodeList;
  }

  nodeReady(name: string): boolean {
    return this.nodeList.some((n) => n.metadata.name === name);
  }

  podPhase(key: string): "Pending" | "Running" | undefined {
    return this.pods.get(key)?.phase;
  }

  podNode(key: string): string | undefined {
    return this.pods.get(key)?.node;
  }

  random(name: string): { next(): number } {
    let s = 2166136261;
    for (let i = 0; i < name.length; i++) s = Math.imul(s ^ name.charCodeAt(i), 16777619) >>> 0;
    return {
      next: () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return s / 2 ** 32;
      },
    };
  }

  event(kind: string, message: string): void {
    this.events.push({ kind, message });
  }

  /** Adds a node at time `at`. */
  addNode(node: Node, at: number): void {
    this.timer(at, () => {
      this.nodeList.push(node);
      this.log("node+", node.metadata.name);
      for (const c of this.controllers) c.nodeAdded?.(node);
    });
  }

  /** Removes a node at time `at`: its pods end NodeRemoved first. */
  removeNode(name: string, at: number): void {
    this.timer(at, () => {
      for (const [key, live] of [...this.pods])
        if (live.node === name) this.end(key, "NodeRemoved");
      this.nodeList = this.nodeList.filter((n) => n.metadata.name !== name);
      this.log("node-", name);
      for (const c of this.controllers) c.nodeRemoved?.(name);
    });
  }

  /** Replaces a node's object (labels, taints) at time `at`. */
  changeNode(node: Node, at: number): void {
    this.timer(at, () => {
      this.nodeList = this.nodeList.map((n) => (n.metadata.name === node.metadata.name ? node : n));
      this.log("node~", node.metadata.name);
      for (const c of this.controllers) c.nodeChanged?.(node, true);
    });
  }

  /** Starts the controllers at t = 0 and processes events up to and including `until`. */
  run(until: number): this {
    if (!this.started) {
      this.started = true;
      for (const c of this.controllers) c.start(this);
    }
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const q = this.queue[i]!;
        const b = this.queue[best];
        if (b === undefined || q.at < b.at || (q.at === b.at && q.seq < b.seq)) best = i;
      }
      const next = this.queue[best];
      if (next === undefined || next.at > until) break;
      this.queue.splice(best, 1);
      this.now = next.at;
      next.fn();
    }
    if (Number.isFinite(until)) this.now = Math.max(this.now, until);
    return this;
  }

  /** Timeline entries whose verb is `verb`, as `t name`. */
  entries(verb: string): string[] {
    return this.timeline
      .filter((l) => l.split(" ")[1] === verb)
      .map((l) => {
        const [t, , key] = l.split(" ");
        return `${t} ${key!.slice(key!.indexOf("/") + 1)}`;
      });
  }

  private log(verb: string, key: string, detail?: string): void {
    this.timeline.push(`${this.now} ${verb} ${key}${detail ? ` ${detail}` : ""}`);
  }

  private bind(key: string): void {
    const live = this.pods.get(key);
    if (live === undefined || live.phase !== "Pending") return;
    const place = this.options.place ?? defaultPlace;
    const node = place(live.pod, this);
    if (node === undefined) return;
    live.phase = "Running";
    live.node = node;
    this.log("bind", key, node);
    for (const c of this.controllers) c.podBound?.(key, live.pod, node);
    if (Number.isFinite(live.duration)) {
      this.timer(this.now + live.duration, () => {
        if (this.pods.get(key) === live) this.end(key, live.fails ? "Failed" : "Succeeded");
      });
    }
  }

  private end(key: string, end: PodEnd, gone?: Live): void {
    const live = gone ?? this.pods.get(key);
    if (live === undefined) return;
    this.log("end", key, end);
    for (const c of this.controllers) c.podEnded?.(key, live.pod, end);
    if (this.pods.get(key) === live) this.pods.delete(key);
  }
}

function defaultPlace(pod: Pod, api: FakeApi): string | undefined {
  return pinnedNode(pod) ?? api.nodes()[0]?.metadata.name ?? "node-a";
}

/** The kept objects of a YAML stream read as `app.yaml` (throws on manifest errors). */
export function keptObjects(text: string): KeptObject[] {
  return loadManifestsFromString(text, "app.yaml").kept;
}

/** The only kept object of a YAML stream read as `app.yaml`. */
export function keptObject(text: string): KeptObject {
  const [obj] = keptObjects(text);
  if (obj === undefined) throw new Error("no object");
  return obj;
}
