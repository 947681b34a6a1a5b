/**
 * Per-cycle state (upstream `framework.CycleState`): a key/value bag where a plugin stores what its
 * PreFilter / PreScore computed, under a private key such as `"PreFilter" + name`, and reads it back
 * in Filter / Score. It also records which plugins asked to be skipped.
 */
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
}
