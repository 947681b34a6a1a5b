/**
 * Per-cycle state (upstream `framework.CycleState`): a key/value bag where a plugin stores what its
 * PreFilter / PreScore computed, under a private key such as `"PreFilter" + name`, and reads it back
 * in Filter / Score. It also records which plugins asked to be skipped.
 *
 * Preemption (semantics §5.4) dry-runs each candidate node on a {@link CycleState.clone} and
 * updates the clone through the plugins' PreFilterExtensions (`addPod` / `removePod`). A plugin
 * whose stored value those hooks mutate must store a {@link StateData} (an object with a
 * `clone()` method, upstream `fwk.StateData`); every other value is treated as immutable and
 * shared between the original and its clones.
 */

/** A value that is deep-copied when its {@link CycleState} is cloned. */
export interface StateData {
  clone(): StateData;
}

function isStateData(value: unknown): value is StateData {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<StateData>).clone === "function"
  );
}

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run. */
  readonly skipScorePlugins = new Set<string>();

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** The value stored under `key`, or `undefined` when nothing was written. */
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /**
   * A copy for a preemption dry run (upstream `CycleState.Clone`): {@link StateData} values are
   * cloned, other values shared; the skip sets are copied.
   */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [key, value] of this.data)
      copy.data.set(key, isStateData(value) ? value.clone() : value);
    for (const name of this.skipFilterPlugins) copy.skipFilterPlugins.add(name);
    for (const name of this.skipScorePlugins) copy.skipScorePlugins.add(name);
    return copy;
  }
}
