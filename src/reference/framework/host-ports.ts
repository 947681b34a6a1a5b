/**
 * Host ports in use on a node (upstream `framework.HostPortInfo`; semantics §3.3).
 */
import type { Pod } from "../../model/types.ts";

/** The "bind all addresses" host IP that an empty `hostIP` stands for. */
export const DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0";

export interface HostPort {
  readonly hostIP: string;
  readonly protocol: string;
  readonly hostPort: number;
}

/**
 * The host ports a pod binds: `ports[]` entries with `hostPort > 0` of its regular containers and
 * its restartable (sidecar) init containers, in that order.
 */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  const containers = [
    ...pod.spec.containers,
    ...pod.spec.initContainers.filter((c) => c.restartPolicy === "Always"),
  ];
  for (const c of containers) {
    for (const p of c.ports) {
      if (p.hostPort > 0)
        out.push({ hostIP: p.hostIP, protocol: p.protocol, hostPort: p.hostPort });
    }
  }
  return out;
}

/** Empty IP → `0.0.0.0`, empty protocol → `TCP`. */
function sanitize(ip: string, protocol: string): [string, string] {
  return [ip === "" ? DEFAULT_BIND_ALL_HOST_IP : ip, protocol === "" ? "TCP" : protocol];
}

/** hostIP → set of `"<protocol>/<port>"`. */
export class HostPortInfo {
  private readonly byIP = new Map<string, Set<string>>();

  add(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const [i, p] = sanitize(ip, protocol);
    let set = this.byIP.get(i);
    if (!set) {
      set = new Set();
      this.byIP.set(i, set);
    }
    set.add(`${p}/${port}`);
  }

  /**
   * Whether binding `(ip, protocol, port)` conflicts: `0.0.0.0` conflicts with the same
   * protocol/port on any IP; a specific IP conflicts with `0.0.0.0` or the same IP.
   */
  checkConflict(ip: string, protocol: string, port: number): boolean {
    if (port <= 0) return false;
    const [i, p] = sanitize(ip, protocol);
    const key = `${p}/${port}`;
    if (i === DEFAULT_BIND_ALL_HOST_IP) {
      for (const set of this.byIP.values()) if (set.has(key)) return true;
      return false;
    }
    for (const candidate of [DEFAULT_BIND_ALL_HOST_IP, i]) {
      if (this.byIP.get(candidate)?.has(key)) return true;
    }
    return false;
  }

  /** Releases `(ip, protocol, port)` (upstream `HostPortInfo.Remove`). */
  remove(ip: string, protocol: string, port: number): void {
    if (port <= 0) return;
    const [i, p] = sanitize(ip, protocol);
    const set = this.byIP.get(i);
    if (!set) return;
    set.delete(`${p}/${port}`);
    if (set.size === 0) this.byIP.delete(i);
  }

  /** An independent copy. */
  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [ip, set] of this.byIP) copy.byIP.set(ip, new Set(set));
    return copy;
  }
}
