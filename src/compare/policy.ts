/**
 * Policies `gantry compare` runs: a built-in profile name (`default`, `most-allocated`, see
 * BUILT_IN_PROFILES) or the path of a KubeSchedulerConfiguration file (its first profile).
 *
 * A policy travels to workers as a {@link PolicyDescriptor} (plain data); each side resolves it
 * to a {@link Profile} with {@link resolvePolicy}. The main thread resolves every policy up front
 * so input errors surface before any run starts.
 */
import { readFileSync } from "node:fs";
import {
  type BalancedAllocationFormula,
  defaultSchedulerConfig,
  loadSchedulerConfig,
  type Profile,
} from "../config/index.ts";
import { InputError } from "../diagnostics.ts";
import { BUILT_IN_PROFILES } from "../scenario/index.ts";
import { NAMED_POLICIES, namedPolicyProfile } from "../scenario/named-policies.ts";

/** A policy as plain, structured-clonable data. */
export type PolicyDescriptor =
  | { readonly kind: "builtin"; readonly name: string }
  | { readonly kind: "named"; readonly name: string }
  | { readonly kind: "file"; readonly name: string; readonly path: string };

/** Thrown for a policy that is neither a built-in name nor a readable file. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyError";
  }
}

/** The built-in policy names: profiles, then the named strategies (docs/placement-strategies.md). */
export function builtInPolicyNames(): string[] {
  return [...Object.keys(BUILT_IN_PROFILES), ...NAMED_POLICIES];
}

/** `text` ("a,b,…") as descriptors, in order. Built-in names win over same-named files. */
export function parsePolicies(text: string, exists: (path: string) => boolean): PolicyDescriptor[] {
  const names = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (names.length === 0) throw new PolicyError("--policies: give at least one policy");
  const seen = new Set<string>();
  const out: PolicyDescriptor[] = [];
  for (const name of names) {
    if (seen.has(name)) throw new PolicyError(`--policies: ${JSON.stringify(name)} is given twice`);
    seen.add(name);
    if (name in BUILT_IN_PROFILES) out.push({ kind: "builtin", name });
    else if (NAMED_POLICIES.includes(name)) out.push({ kind: "named", name });
    else if (exists(name)) out.push({ kind: "file", name, path: name });
    else {
      throw new PolicyError(
        `--policies: unknown policy ${JSON.stringify(name)}: not a built-in profile or strategy ` +
          `(${builtInPolicyNames().join(", ")}) nor a KubeSchedulerConfiguration file`,
      );
    }
  }
  return out;
}

export interface ResolveOptions {
  /** The scenario's `scheduler.balancedAllocationFormula`, applied to every policy. */
  readonly balancedAllocationFormula?: BalancedAllocationFormula | undefined;
}

/**
 * The profile `policy` names: a built-in's only profile, or a configuration file's first.
 * @throws InputError for an unreadable or invalid configuration file.
 */
export function resolvePolicy(policy: PolicyDescriptor, options: ResolveOptions = {}): Profile {
  const load =
    options.balancedAllocationFormula === undefined
      ? {}
      : { balancedAllocationFormula: options.balancedAllocationFormula };
  if (policy.kind === "named") {
    const profile = namedPolicyProfile(
      policy.name,
      defaultSchedulerConfig(load).profiles[0] as Profile,
    );
    if (profile === undefined) {
      throw new PolicyError(`unknown policy ${JSON.stringify(policy.name)}`);
    }
    return profile;
  }
  if (policy.kind === "builtin") {
    if (!(policy.name in BUILT_IN_PROFILES)) {
      throw new PolicyError(`unknown built-in policy ${JSON.stringify(policy.name)}`);
    }
    const text = BUILT_IN_PROFILES[policy.name];
    const config =
      text === undefined
        ? defaultSchedulerConfig(load)
        : loadSchedulerConfig(text, `<built-in profile ${policy.name}>`, load);
    return config.profiles[0] as Profile;
  }
  let text: string;
  try {
    text = readFileSync(policy.path, "utf8");
  } catch (e) {
    throw InputError.of({ file: policy.path }, e instanceof Error ? e.message : String(e));
  }
  const config = loadSchedulerConfig(text, policy.path, load);
  const first = config.profiles[0];
  if (!first) throw InputError.of({ file: policy.path }, "the configuration has no profile");
  return first;
}
