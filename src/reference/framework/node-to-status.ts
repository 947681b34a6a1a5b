/**
 * Each node's Filter verdict after a failed cycle, as PostFilter plugins read it (upstream
 * `framework.NodeToStatus`; semantics §1.1 step 5, §5.2).
 */
import type { NodeInfo } from "./node-info.ts";
import { type Code, newStatus, type Status } from "./status.ts";

/** Read access to a {@link NodeToStatus} (upstream `fwk.NodeToStatusReader`). */
export interface NodeToStatusReader {
  /** The node's status; nodes without an explicit entry get the absent-nodes status. */
  get(nodeName: string): Status;
  /**
   * The nodes of `nodes` whose status has `code`, in the order of `nodes`. (Upstream walks its
   * map when the absent-nodes status does not match — Go map order; the list order here is the
   * deterministic equivalent.)
   */
  nodesForStatusCode(nodes: readonly NodeInfo[], code: Code): NodeInfo[];
}

/**
 * Node name → status, with one status for every node not listed (default
 * UnschedulableAndUnresolvable, as upstream's `NewDefaultNodeToStatus`): nodes excluded by a
 * PreFilterResult, or every node when PreFilter rejected the pod.
 */
export class NodeToStatus implements NodeToStatusReader {
  private readonly statuses: Map<string, Status>;
  private absent: Status;

  constructor(
    statuses: ReadonlyMap<string, Status> = new Map(),
    absentNodesStatus: Status = newStatus("UnschedulableAndUnresolvable"),
  ) {
    this.statuses = new Map(statuses);
    this.absent = absentNodesStatus;
  }

  get(nodeName: string): Status {
    return this.statuses.get(nodeName) ?? this.absent;
  }

  set(nodeName: string, status: Status): void {
    this.statuses.set(nodeName, status);
  }

  /** Number of nodes with an explicit status. */
  get size(): number {
    return this.statuses.size;
  }

  get absentNodesStatus(): Status {
    return this.absent;
  }

  setAbsentNodesStatus(status: Status): void {
    this.absent = status;
  }

  /** The explicit entries, in insertion order. */
  entries(): IterableIterator<[string, Status]> {
    return this.statuses.entries();
  }

  nodesForStatusCode(nodes: readonly NodeInfo[], code: Code): NodeInfo[] {
    return nodes.filter((n) => this.get(n.name).code === code);
  }
}
