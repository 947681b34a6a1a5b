/**
 * The cluster as one scheduling cycle sees it (upstream `internal/cache.Snapshot`).
 */
import type { KeptKind, KeptObject, Labels, Namespace, Node, Pod } from "../../model/types.ts";
import { zoneRoundRobinOrder } from "../external.ts";
import { type ImageStateSummary, NodeInfo } from "./node-info.ts";

/**
 * The API objects besides Nodes and Pods that plugins read through their listers: Namespaces
 * (InterPodAffinity's namespaceSelector), and the kept kinds — Services, ReplicaSets,
 * StatefulSets (PodTopologySpread's system defaults), PodDisruptionBudgets and PriorityClasses
 * (DefaultPreemption).
 */
export interface ClusterObjects {
  readonly namespaces?: readonly Namespace[];
  readonly kept?: readonly KeptObject[];
}

export class Snapshot {
  /** Node infos in kube-scheduler's zone round-robin order (semantics §1.2). */
  readonly nodeInfoList: readonly NodeInfo[];
  private readonly byName: ReadonlyMap<string, NodeInfo>;
  private readonly indexByName: ReadonlyMap<string, number>;
  private readonly namespaceByName: ReadonlyMap<string, Namespace>;
  private readonly keptByKind: ReadonlyMap<string, readonly KeptObject[]>;

  /**
   * Builds a snapshot from nodes and pods. Pods with a `spec.nodeName` naming one of the nodes are
   * added to that node in the given order; others are ignored. Image states count, per image name,
   * the nodes that list it (§4.6).
   */
  constructor(nodes: readonly Node[], pods: readonly Pod[] = [], objects: ClusterObjects = {}) {
    const infos = nodes.map((n) => new NodeInfo(n));
    const byName = new Map<string, NodeInfo>();
    for (const info of infos) byName.set(info.name, info);
    for (const pod of pods) {
      if (pod.spec.nodeName !== "") byName.get(pod.spec.nodeName)?.addPod(pod);
    }
    setImageStates(nodes, infos);
    this.nodeInfoList = zoneRoundRobinOrder(nodes).map((i) => infos[i] as NodeInfo);
    this.byName = byName;
    this.indexByName = new Map(this.nodeInfoList.map((info, i) => [info.name, i]));
    this.namespaceByName = new Map((objects.namespaces ?? []).map((n) => [n.metadata.name, n]));
    const kept = new Map<string, KeptObject[]>();
    for (const o of objects.kept ?? []) {
      const list = kept.get(o.kind) ?? [];
      list.push(o);
      kept.set(o.kind, list);
    }
    this.keptByKind = kept;
  }

  /** The labels of Namespace `name`, or undefined when no such Namespace object was given. */
  namespaceLabels(name: string): Labels | undefined {
    return this.namespaceByName.get(name)?.metadata.labels;
  }

  /** Every Namespace object given. */
  namespaces(): readonly Namespace[] {
    return [...this.namespaceByName.values()];
  }

  /** The given objects of one kept kind (Service, ReplicaSet, StatefulSet, PodDisruptionBudget, …). */
  objectsOf(kind: KeptKind): readonly KeptObject[] {
    return this.keptByKind.get(kind) ?? [];
  }

  get numNodes(): number {
    return this.nodeInfoList.length;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  /**
   * The node's index: its position in {@link Snapshot.nodeInfoList} (the zone round-robin order,
   * which is the order the WebAssembly core lays nodes out in); -1 for an unknown name. The
   * "node index" of the classic strategies (FirstFit, ties of the by-name policies).
   */
  indexOf(nodeName: string): number {
    return this.indexByName.get(nodeName) ?? -1;
  }

  /**
   * Assumes `pod` onto `nodeName` (semantics §1.1 step 12): the node's pod list, requests and
   * ports include it from now on. The stored pod has `spec.nodeName` set. A GPU pod takes
   * `gpuDevices` (what Reserve chose) or, without them, devices by `best` (`NodeInfo.addPod`).
   */
  assume(pod: Pod, nodeName: string, gpuDevices?: readonly number[]): void {
    const info = this.byName.get(nodeName);
    if (!info) throw new Error(`node ${JSON.stringify(nodeName)} is not in the snapshot`);
    info.addPod({ ...pod, spec: { ...pod.spec, nodeName } }, gpuDevices);
  }
}

function setImageStates(nodes: readonly Node[], infos: readonly NodeInfo[]): void {
  // kube-scheduler's image state cache (upstream `cache.addNodeImageStates`): per image name, the
  // size recorded by the first node (in the order nodes were added) that lists it, and the set
  // of nodes listing it. (Upstream's test-only `NewSnapshot` takes each node's own size instead;
  // the scheduler itself uses the cache.)
  const first = new Map<string, { size: number; nodes: Set<string> }>();
  for (const node of nodes) {
    for (const image of node.status.images) {
      for (const name of image.names) {
        let state = first.get(name);
        if (!state) {
          state = { size: image.sizeBytes, nodes: new Set() };
          first.set(name, state);
        }
        state.nodes.add(node.metadata.name);
      }
    }
  }
  for (const info of infos) {
    const states = new Map<string, ImageStateSummary>();
    for (const image of info.node.status.images) {
      for (const name of image.names) {
        const state = first.get(name);
        if (state && !states.has(name)) {
          states.set(name, { size: state.size, numNodes: state.nodes.size });
        }
      }
    }
    info.imageStates = states;
  }
}
