/**
 * Plugin name → factory (upstream `framework/runtime/registry.go`). Registering a name twice is an
 * error, as is unregistering an unknown name.
 */
import type { PluginFactory } from "./interfaces.ts";

export class Registry {
  private readonly factories = new Map<string, PluginFactory>();

  register(name: string, factory: PluginFactory): void {
    if (this.factories.has(name)) throw new Error(`a plugin named ${name} already exists`);
    this.factories.set(name, factory);
  }

  unregister(name: string): void {
    if (!this.factories.delete(name)) throw new Error(`no plugin named ${name} exists`);
  }

  /** Adds every plugin of `other`; a name present in both is an error. */
  merge(other: Registry): void {
    for (const name of other.names()) this.register(name, other.get(name) as PluginFactory);
  }

  has(name: string): boolean {
    return this.factories.has(name);
  }

  get(name: string): PluginFactory | undefined {
    return this.factories.get(name);
  }

  /** Registered names in registration order. */
  names(): string[] {
    return [...this.factories.keys()];
  }
}
