/**
 * Parse stage: YAML or JSON text → strictly decoded `kubescheduler.config.k8s.io/v1`
 * ({@link V1KubeSchedulerConfiguration}). Problems are reported to a {@link Reporter} with field
 * paths; decoding continues past them so that one run reports everything.
 *
 * Rules:
 * - exactly one non-empty YAML document; `apiVersion: kubescheduler.config.k8s.io/v1` and
 *   `kind: KubeSchedulerConfiguration` are required. Older versions (v1beta3 and before) are
 *   rejected with a pointer to the migration guide, and nothing else is decoded.
 * - unknown fields are errors (`profiles[0].plugins.score.enabled[1].wieght: unknown field`),
 *   as are wrong types; `null` reads as absent.
 * - Real fields gantry does not model:
 *   - `clientConnection`, `leaderElection`, `enableProfiling`, `enableContentionProfiling`,
 *     `delayCacheUntilActive`: they configure the scheduler process, not placement — accepted
 *     and ignored with a warning.
 *   - `extenders` (non-empty): HTTP webhooks that filter, score and bind — they change placements
 *     and gantry cannot call them, so they are rejected. An empty list is accepted.
 *   - `parallelism` is kept (informational; placements do not depend on it).
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { joinPath } from "../diagnostics.ts";
import {
  describe,
  type RawObject,
  type Reporter,
  readBool,
  readInt,
  readList,
  readObject,
  readString,
} from "./decode.ts";
import { readPluginArgs } from "./decode-args.ts";
import { notSupported, required } from "./messages.ts";
import { CONFIG_API_VERSION, EXTENSION_POINTS, hasArgs, isKnownPlugin } from "./names.ts";
import type {
  V1KubeSchedulerConfiguration,
  V1Plugin,
  V1PluginConfig,
  V1PluginSet,
  V1Plugins,
  V1Profile,
} from "./v1.ts";

const KIND = "KubeSchedulerConfiguration";
const MIGRATION_URL =
  "https://kubernetes.io/docs/reference/scheduling/config/#scheduler-configuration-migrations";

/** Accepted top-level fields that cannot affect placement, with why they are ignored. */
const IGNORED_TOP_LEVEL: Readonly<Record<string, "object" | "boolean">> = {
  clientConnection: "object",
  leaderElection: "object",
  enableProfiling: "boolean",
  enableContentionProfiling: "boolean",
  delayCacheUntilActive: "boolean",
};

/** Hints appended to `unknown field` for fields people often carry over from elsewhere. */
const UNKNOWN_FIELD_HINTS: Readonly<Record<string, string>> = {
  featureGates:
    "feature gates are kube-scheduler command-line flags (--feature-gates), not configuration fields",
  healthzBindAddress: "removed in kubescheduler.config.k8s.io/v1beta3",
  metricsBindAddress: "removed in kubescheduler.config.k8s.io/v1beta3",
  percentageOfPlacementsToScore:
    "workload-aware scheduling field of kube-scheduler v1.36+; gantry models v1.35",
  placementGenerate:
    "workload-aware scheduling extension point of kube-scheduler v1.36+; gantry models v1.35",
  placementScore:
    "workload-aware scheduling extension point of kube-scheduler v1.36+; gantry models v1.35",
  placementFeasible:
    "workload-aware scheduling extension point of kube-scheduler v1.36+; gantry models v1.35",
  podGroupPostFilter:
    "workload-aware scheduling extension point of kube-scheduler v1.36+; gantry models v1.35",
};

/** Like `readObject`, adding hints to known-foreign unknown fields. */
function readStrictObject(
  r: Reporter,
  value: unknown,
  path: string,
  known: readonly string[],
): RawObject | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return readObject(r, value, path, known);
  }
  const o = value as RawObject;
  const foreign = Object.keys(o).filter((k) => !known.includes(k));
  for (const key of foreign) {
    const hint = UNKNOWN_FIELD_HINTS[key];
    r.error(joinPath(path, key), hint ? `unknown field (${hint})` : "unknown field");
  }
  return o;
}

function readPlugin(r: Reporter, value: unknown, path: string): V1Plugin | undefined {
  const o = readObject(r, value, path, ["name", "weight"]);
  if (!o) return undefined;
  const name = readString(r, o, "name", path);
  const weight = readInt(r, o, "weight", path);
  if (name === undefined || name === "") {
    if (o["name"] === undefined || o["name"] === null || name === "") {
      r.error(joinPath(path, "name"), required());
    }
    return undefined;
  }
  return weight === undefined ? { name, path } : { name, weight, path };
}

function readPluginSet(r: Reporter, value: unknown, path: string): V1PluginSet {
  if (value === undefined || value === null) return { enabled: [], disabled: [] };
  const o = readObject(r, value, path, ["enabled", "disabled"]);
  if (!o) return { enabled: [], disabled: [] };
  return {
    enabled: readList(r, o, "enabled", path, (v, p) => readPlugin(r, v, p)) ?? [],
    disabled: readList(r, o, "disabled", path, (v, p) => readPlugin(r, v, p)) ?? [],
  };
}

function readPlugins(r: Reporter, value: unknown, path: string): V1Plugins | undefined {
  const points = ["multiPoint", ...EXTENSION_POINTS] as const;
  const o = readStrictObject(r, value, path, points);
  if (!o) return undefined;
  const out = {} as Record<(typeof points)[number], V1PluginSet>;
  for (const point of points) out[point] = readPluginSet(r, o[point], joinPath(path, point));
  return out;
}

function readPluginConfig(r: Reporter, value: unknown, path: string): V1PluginConfig | undefined {
  const o = readObject(r, value, path, ["name", "args"]);
  if (!o) return undefined;
  const name = readString(r, o, "name", path);
  if (name === undefined || name === "") {
    r.error(joinPath(path, "name"), required());
    return undefined;
  }
  const rawArgs = o["args"];
  const argsPath = joinPath(path, "args");
  if (rawArgs === undefined || rawArgs === null) return { name, path };
  if (hasArgs(name)) {
    const args = readPluginArgs(r, name, rawArgs, argsPath);
    return args ? { name, args, path } : undefined;
  }
  if (typeof rawArgs !== "object" || Array.isArray(rawArgs)) {
    r.error(argsPath, `expected an object, got ${describe(rawArgs)}`);
  } else if (isKnownPlugin(name)) {
    // Upstream keeps args of arg-less plugins as runtime.Unknown and the plugin ignores them.
    r.warn(argsPath, `plugin ${name} takes no args; ignored`);
  }
  // Names that are not in-tree plugins are reported by validation.
  return { name, path };
}

function readProfile(r: Reporter, value: unknown, path: string): V1Profile | undefined {
  const o = readStrictObject(r, value, path, [
    "schedulerName",
    "percentageOfNodesToScore",
    "plugins",
    "pluginConfig",
  ]);
  if (!o) return undefined;
  const schedulerName = readString(r, o, "schedulerName", path);
  const pct = readInt(r, o, "percentageOfNodesToScore", path);
  const plugins =
    o["plugins"] === undefined || o["plugins"] === null
      ? undefined
      : readPlugins(r, o["plugins"], joinPath(path, "plugins"));
  return {
    ...(schedulerName === undefined ? {} : { schedulerName }),
    ...(pct === undefined ? {} : { percentageOfNodesToScore: pct }),
    ...(plugins === undefined ? {} : { plugins }),
    pluginConfig: readList(r, o, "pluginConfig", path, (v, p) => readPluginConfig(r, v, p)) ?? [],
  };
}

/** Checks `apiVersion` and `kind`; false when the document must not be decoded further. */
function checkTypeMeta(r: Reporter, o: RawObject): boolean {
  const apiVersion = readString(r, o, "apiVersion", "");
  let ok = true;
  if (apiVersion === undefined) {
    if (o["apiVersion"] === undefined || o["apiVersion"] === null) {
      r.error("apiVersion", required(`must be ${JSON.stringify(CONFIG_API_VERSION)}`));
    }
    ok = false;
  } else if (apiVersion !== CONFIG_API_VERSION) {
    const old = /^kubescheduler\.config\.k8s\.io\/v1(alpha|beta)\d+$/.test(apiVersion);
    r.error(
      "apiVersion",
      notSupported(apiVersion, [CONFIG_API_VERSION]) +
        (old
          ? ` (${apiVersion} is no longer served by kube-scheduler v1.35; convert the file to ${CONFIG_API_VERSION}: ${MIGRATION_URL})`
          : ""),
    );
    ok = false;
  }
  const kind = readString(r, o, "kind", "");
  if (kind === undefined) {
    if (o["kind"] === undefined || o["kind"] === null) {
      r.error("kind", required(`must be ${JSON.stringify(KIND)}`));
    }
    ok = false;
  } else if (kind !== KIND) {
    r.error(
      "kind",
      notSupported(kind, [KIND]) +
        (kind === "Policy" ? " (scheduler Policy files were removed in Kubernetes v1.23)" : ""),
    );
    ok = false;
  }
  return ok;
}

/** Decodes one parsed document; `undefined` when its type is wrong. */
export function decodeSchedulerConfig(
  r: Reporter,
  value: unknown,
): V1KubeSchedulerConfiguration | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    r.error("", `expected a ${KIND} object, got ${describe(value)}`);
    return undefined;
  }
  const top = value as RawObject;
  if (!checkTypeMeta(r, top)) return undefined;
  const o = readStrictObject(r, top, "", [
    "apiVersion",
    "kind",
    "parallelism",
    "percentageOfNodesToScore",
    "podInitialBackoffSeconds",
    "podMaxBackoffSeconds",
    "profiles",
    "extenders",
    ...Object.keys(IGNORED_TOP_LEVEL),
  ]);
  if (!o) return undefined;

  for (const [key, type] of Object.entries(IGNORED_TOP_LEVEL)) {
    const v = o[key];
    if (v === undefined || v === null) continue;
    if (type === "boolean") {
      if (readBool(r, o, key, "") !== undefined) r.warn(key, "not modelled by gantry; ignored");
    } else if (readObject(r, v, key, Object.keys(v as object)) !== undefined) {
      r.warn(key, "configures the scheduler process, not placement; ignored");
    }
  }
  const extenders = readList(r, o, "extenders", "", (v) => v);
  if (extenders && extenders.length > 0) {
    r.error(
      "extenders",
      "scheduler extenders are not supported: they are HTTP webhooks that filter, score or bind pods, so gantry cannot reproduce placements with them; remove them to simulate the in-tree plugins alone",
    );
  }

  const parallelism = readInt(r, o, "parallelism", "");
  const pct = readInt(r, o, "percentageOfNodesToScore", "");
  const initial = readInt(r, o, "podInitialBackoffSeconds", "", 64);
  const max = readInt(r, o, "podMaxBackoffSeconds", "", 64);
  const profiles = readList(r, o, "profiles", "", (v, p) => readProfile(r, v, p)) ?? [];
  return {
    ...(parallelism === undefined ? {} : { parallelism }),
    ...(pct === undefined ? {} : { percentageOfNodesToScore: pct }),
    ...(initial === undefined ? {} : { podInitialBackoffSeconds: initial }),
    ...(max === undefined ? {} : { podMaxBackoffSeconds: max }),
    profiles,
  };
}

/**
 * Parses YAML (or JSON, a subset) text holding one KubeSchedulerConfiguration document and
 * decodes it. Returns `undefined` when the text cannot be parsed or has the wrong type; other
 * problems are reported and decoding continues.
 */
export function parseSchedulerConfig(
  r: Reporter,
  text: string,
): V1KubeSchedulerConfiguration | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: false, lineCounter });
  const parsed: unknown[] = [];
  let syntaxErrors = false;
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      r.error("", `invalid YAML at line ${pos.line}, column ${pos.col}: ${e.message}`);
      syntaxErrors = true;
    }
    if (doc.errors.length === 0 && doc.contents !== null)
      parsed.push(doc.toJS({ maxAliasCount: 1000 }));
  }
  if (syntaxErrors) return undefined;
  if (parsed.length === 0) {
    r.error("", `empty file: expected a ${KIND} document`);
    return undefined;
  }
  if (parsed.length > 1) {
    r.error("", `expected exactly one YAML document (a ${KIND}), found ${parsed.length}`);
    return undefined;
  }
  return decodeSchedulerConfig(r, parsed[0]);
}
