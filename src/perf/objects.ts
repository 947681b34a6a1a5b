/**
 * scheduler_perf's object templates → gantry objects: render the Go template (template.ts),
 * parse the YAML, give the object the name upstream's `generateName` would (deterministically),
 * and decode it with the manifest decoders (src/manifest) so defaults and validation match the
 * rest of gantry.
 *
 * Differences from `kubectl apply` that scheduler_perf has, reproduced here:
 * - Go's JSON decoding matches struct field names case-insensitively, so a template's
 *   `NodeAffinityPolicy: Honor` is `nodeAffinityPolicy` (pod-with-node-inclusion-policy.yaml):
 *   keys written with a capital first letter are read with a lower-case one, except in free-form
 *   maps (labels, annotations, selectors, resource lists); each such key is reported as a note;
 * - the Priority admission plugin is disabled in scheduler_perf's API server, so a pod's
 *   `spec.priority` is used as written (the manifest collector's admission step is not run);
 * - every created node gets `kubernetes.io/hostname: <name>` (upstream's node preparer).
 *
 * Names: upstream uses `generateName` plus 5 random characters; gantry uses
 * `<generateName><op index>-<i>` (nodes: `node-<op>-<i>` for the built-in node; pods: the engine
 * appends `-<n>` to `<generateName><op index>`), so runs are reproducible.
 */
import { readFileSync } from "node:fs";
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type SchemaOptions,
} from "yaml";
import { Diagnostics, InputError, type Location } from "../diagnostics.ts";
import { API_VERSIONS } from "../manifest/collector.ts";
import { Field, isObject, type RawObject, type Scope } from "../manifest/field.ts";
import { decodeKept } from "../manifest/kept.ts";
import { deriveUid } from "../manifest/meta.ts";
import { decodeNamespace } from "../manifest/namespace.ts";
import { decodeNode } from "../manifest/node.ts";
import { parseYaml } from "../manifest/parse.ts";
import { decodePod } from "../manifest/pod.ts";
import {
  KEPT_KINDS,
  type KeptKind,
  type KeptObject,
  type Namespace,
  type Node,
  type Pod,
} from "../model/types.ts";
import { Template, type TemplateEnv, TemplateError, TemplateUnsupportedError } from "./template.ts";

/** A workload needs something gantry does not model; the workload is skipped with `reason`. */
export class SkipWorkload extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = "SkipWorkload";
    this.reason = reason;
  }
}

/** The node kube-scheduler's scheduler_perf creates without a template (`makeBaseNode`). */
export function builtInNode(prefix: string): RawObject {
  const resources = { pods: "110", cpu: "4", memory: "32Gi" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { generateName: prefix },
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      phase: "Running",
      conditions: [{ type: "Ready", status: "True" }],
    },
  };
}

/** The pod scheduler_perf creates without a template (`makeBasePod`: `testutils.MakePodSpec`). */
export function builtInPod(): RawObject {
  const r = { cpu: "100m", memory: "500Mi" };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { generateName: "pod-" },
    spec: {
      containers: [
        {
          name: "pause",
          image: "registry.k8s.io/pause:3.10",
          ports: [{ containerPort: 80 }],
          resources: { limits: { ...r }, requests: { ...r } },
        },
      ],
    },
  };
}

/** Where built-in objects are reported from. */
export const BUILT_IN_FILE = "<scheduler_perf built-in>";

/** Marks the i-th action in a template skeleton (letters only: a plain YAML scalar stays one). */
const marker = (i: number): string => `zzgantryaction${i}zz`;
const MARKER = /zzgantryaction(\d+)zz/g;

/**
 * A template's YAML parsed once with its actions as markers: instantiating it substitutes the
 * actions' values into the parsed tree, which is much faster than rendering and parsing YAML for
 * every one of thousands of objects. Plain scalars holding a marker are resolved again from their
 * substituted text, so `cpu: {{.x}}` reads as `x` would in the rendered YAML. Anything this
 * cannot reproduce exactly (aliases, merge keys, tags, a value that could change the YAML's
 * structure) falls back to rendering.
 */
type Skel =
  | { readonly k: "lit"; readonly v: unknown }
  | { readonly k: "map"; readonly entries: readonly (readonly [Skel, Skel])[] }
  | { readonly k: "seq"; readonly items: readonly Skel[] }
  | { readonly k: "plain"; readonly src: string }
  | { readonly k: "quoted"; readonly src: string };

class Fallback extends Error {}

const YAML_OPTIONS = {
  version: "1.1",
  uniqueKeys: true,
  customTags: (tags: Tags) =>
    tags.filter((t) => {
      if (typeof t === "string") return t !== "timestamp" && t !== "intTime" && t !== "floatTime";
      return t.tag !== "tag:yaml.org,2002:timestamp" && !("format" in t && t.format === "TIME");
    }),
} as const;

type Tags = Parameters<
  Extract<NonNullable<SchemaOptions["customTags"]>, (...a: never[]) => unknown>
>[0];

function hasMarker(text: string): boolean {
  MARKER.lastIndex = 0;
  return MARKER.test(text);
}

function skeletonOf(node: unknown, doc: Document): Skel {
  if (isAlias(node)) throw new Fallback();
  if (isScalar(node)) {
    if (node.tag !== undefined && node.tag !== null && node.tag !== "") throw new Fallback();
    if (typeof node.value === "string" && hasMarker(node.value)) {
      if (node.type === "PLAIN") return { k: "plain", src: node.value };
      if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE")
        return { k: "quoted", src: node.value };
      throw new Fallback();
    }
    return { k: "lit", v: node.toJS(doc) };
  }
  if (isMap(node)) {
    const entries = node.items.map((pair): [Skel, Skel] => {
      if (!isPair(pair)) throw new Fallback();
      const key = pair.key;
      if (isScalar(key) && key.value === "<<") throw new Fallback();
      return [skeletonOf(key, doc), skeletonOf(pair.value, doc)];
    });
    if (entries.every(([k, v]) => k.k === "lit" && v.k === "lit"))
      return { k: "lit", v: node.toJS(doc) };
    return { k: "map", entries };
  }
  if (isSeq(node)) {
    const items = node.items.map((n) => skeletonOf(n, doc));
    if (items.every((i) => i.k === "lit")) return { k: "lit", v: node.toJS(doc) };
    return { k: "seq", items };
  }
  if (node === null || node === undefined) return { k: "lit", v: null };
  throw new Fallback();
}

/** go-yaml v2 / YAML 1.1 plain scalars that are not plain strings. */
const YAML11_SPECIAL =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/;

function resolvePlain(text: string, file: string): unknown {
  if (/^(?:0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^[A-Za-z][A-Za-z0-9./_-]*$/.test(text) && !YAML11_SPECIAL.test(text)) return text;
  const parsed = parseYaml(text, file);
  const doc = parsed.documents[0];
  if (parsed.diagnostics.length > 0 || parsed.documents.length !== 1 || doc === undefined)
    throw new Fallback();
  if (typeof doc.value === "object" && doc.value !== null) throw new Fallback();
  return doc.value;
}

function substitute(text: string, values: readonly string[]): string {
  return text.replace(MARKER, (_m, i: string) => values[Number(i)] ?? "");
}

function instantiate(s: Skel, values: readonly string[], file: string): unknown {
  switch (s.k) {
    case "lit":
      return s.v;
    case "plain":
      return resolvePlain(substitute(s.src, values), file);
    case "quoted":
      return substitute(s.src, values);
    case "seq":
      return s.items.map((i) => instantiate(i, values, file));
    case "map": {
      const out: RawObject = {};
      for (const [k, v] of s.entries) {
        const key = String(instantiate(k, values, file));
        if (key in out) throw new Fallback();
        out[key] = instantiate(v, values, file);
      }
      return out;
    }
  }
}

interface Compiled {
  readonly template: Template;
  /** The parsed object of a template without actions. */
  readonly fixed?: RawObject;
  /** The skeleton of a template with actions, when it can be instantiated. */
  readonly skeleton?: Skel;
}

/** Parsed template files, read once per path. */
export class TemplateFiles {
  readonly #cache = new Map<string, Compiled | TemplateUnsupportedError>();

  #compile(path: string): Compiled {
    let c = this.#cache.get(path);
    if (c === undefined) {
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        throw InputError.of({ file: path }, "cannot read the template file");
      }
      try {
        const template = Template.parse(text);
        if (template.isStatic) {
          c = { template, fixed: parseOne(text, path) };
        } else {
          let skeleton: Skel | undefined;
          try {
            const doc = parseDocument(template.skeleton(marker), YAML_OPTIONS);
            if (doc.errors.length === 0) skeleton = skeletonOf(doc.contents, doc);
          } catch (e) {
            if (!(e instanceof Fallback)) throw e;
          }
          c = { template, ...(skeleton ? { skeleton } : {}) };
        }
      } catch (e) {
        if (e instanceof TemplateUnsupportedError) c = e;
        else if (e instanceof TemplateError) throw InputError.of({ file: path }, e.message);
        else throw e;
      }
      this.#cache.set(path, c);
    }
    if (c instanceof TemplateUnsupportedError) {
      throw new SkipWorkload(`${path}: uses ${c.message}, which gantry does not render`);
    }
    return c;
  }

  /** The parsed template; throws SkipWorkload for unsupported constructs, InputError when malformed. */
  get(path: string): Template {
    return this.#compile(path).template;
  }

  /** Renders `path` with `env` and parses the YAML into one raw object (shared: do not mutate). */
  render(path: string, env: TemplateEnv): RawObject {
    const c = this.#compile(path);
    if (c.fixed !== undefined) return c.fixed;
    try {
      if (c.skeleton !== undefined) {
        const values = c.template.values(env);
        // A value that could change the YAML's structure is rendered the slow way.
        if (values.every((v) => !/[\n\r"'\\:#{}[\],&*!|>%@`]/.test(v))) {
          const obj = instantiate(c.skeleton, values, path);
          if (isObject(obj)) return obj;
        }
      }
      return parseOne(c.template.render(env), path);
    } catch (e) {
      if (e instanceof Fallback) return parseOne(c.template.render(env), path);
      if (e instanceof TemplateUnsupportedError) {
        throw new SkipWorkload(`${path}: uses ${e.message}, which gantry does not render`);
      }
      if (e instanceof TemplateError) throw InputError.of({ file: path }, e.message);
      throw e;
    }
  }
}

function parseOne(text: string, file: string): RawObject {
  const parsed = parseYaml(text, file);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new InputError(errors);
  if (parsed.documents.length !== 1 || !isObject(parsed.documents[0]?.value)) {
    throw InputError.of({ file }, "a template must hold exactly one object");
  }
  return parsed.documents[0]?.value as RawObject;
}

/** Map fields whose keys are data, not Go struct field names. */
const FREE_FORM_KEYS = new Set([
  "labels",
  "annotations",
  "matchLabels",
  "nodeSelector",
  "requests",
  "limits",
  "capacity",
  "allocatable",
  "overhead",
  "selector",
  "data",
  "stringData",
  "binaryData",
  "hard",
  "parameters",
  "templateParams",
]);

/**
 * Go's case-insensitive struct decoding, for the keys that matter: a key starting with a capital
 * letter becomes its lower-camel form unless that key exists too. Returns a copy and the renamed
 * keys' paths.
 */
export function normalizeKeys(raw: unknown, path = "", renamed: string[] = []): unknown {
  if (Array.isArray(raw)) return raw.map((v, i) => normalizeKeys(v, `${path}[${i}]`, renamed));
  if (!isObject(raw)) return raw;
  const out: RawObject = {};
  for (const [k, v] of Object.entries(raw)) {
    let key = k;
    if (/^[A-Z]/.test(k)) {
      const lower = k[0]?.toLowerCase() + k.slice(1);
      if (!(lower in raw)) {
        key = lower;
        renamed.push(`${path ? `${path}.` : ""}${k}`);
      }
    }
    const childPath = path ? `${path}.${key}` : key;
    out[key] = FREE_FORM_KEYS.has(key) ? v : normalizeKeys(v, childPath, renamed);
  }
  return out;
}

/** Decodes with `decode`, throwing an InputError for the template's problems. */
function decodeWith<T>(
  raw: RawObject,
  file: string,
  decode: (root: Field, source: Location) => T,
  notes: Set<string>,
): T {
  const renamed: string[] = [];
  const normalized = normalizeKeys(raw, "", renamed) as RawObject;
  for (const r of renamed) {
    notes.add(
      `${file}: ${r} read as ${r.replace(/(^|\.)([A-Z])([^.]*)$/, (_m, p, c, rest) => `${p}${c.toLowerCase()}${rest}`)} (Go's JSON decoding matches field names case-insensitively)`,
    );
  }
  const diags = new Diagnostics();
  const source: Location = { file };
  const scope: Scope = { diags, loc: source };
  const obj = decode(new Field(scope, "", normalized), source);
  if (diags.hasErrors) throw new InputError(diags.errors());
  return obj;
}

function setMeta(raw: RawObject, name: string, namespace?: string): RawObject {
  const meta = isObject(raw["metadata"]) ? { ...raw["metadata"] } : {};
  meta["name"] = name;
  delete meta["generateName"];
  if (namespace !== undefined) meta["namespace"] = namespace;
  return { ...raw, metadata: meta };
}

/** `metadata.name` if the template sets one, else `generateName` (or `fallback`). */
export function templateName(raw: RawObject, fallback: string): { name?: string; prefix: string } {
  const meta = isObject(raw["metadata"]) ? raw["metadata"] : {};
  const name = typeof meta["name"] === "string" && meta["name"] ? meta["name"] : undefined;
  const gen = typeof meta["generateName"] === "string" ? meta["generateName"] : "";
  return { ...(name ? { name } : {}), prefix: gen || fallback };
}

function checkKind(raw: RawObject, file: string, kind: string): void {
  if (raw["kind"] !== kind) {
    throw InputError.of({ file }, `kind: must be ${kind} (got ${JSON.stringify(raw["kind"])})`);
  }
}

/** A Node from a raw template object, named `name`, with upstream's hostname label. */
export function decodeNodeAs(raw: RawObject, file: string, name: string, notes: Set<string>): Node {
  checkKind(raw, file, "Node");
  const node = decodeWith(setMeta(raw, name), file, decodeNode, notes);
  return withNodeName(node, name, {});
}

/** A copy of `node` named `name`, its hostname label set, and `labels` added. */
export function withNodeName(
  node: Node,
  name: string,
  labels: Readonly<Record<string, string>>,
): Node {
  return {
    ...node,
    metadata: {
      ...node.metadata,
      name,
      uid: deriveUid("Node", "", name),
      labels: { ...node.metadata.labels, ...labels, "kubernetes.io/hostname": name },
    },
  };
}

/** Why a pod template cannot be simulated, or undefined. */
export function podSkipReason(raw: RawObject, pod: Pod, file: string): string | undefined {
  const spec = isObject(raw["spec"]) ? raw["spec"] : {};
  if (spec["resourceClaims"] !== undefined) {
    return `${file}: the pod requests DRA resource claims (Dynamic Resource Allocation is not modelled)`;
  }
  if (spec["schedulingGroup"] !== undefined || spec["workloadRef"] !== undefined) {
    return `${file}: the pod belongs to a pod group (gang scheduling is not modelled)`;
  }
  const pvc = pod.spec.volumes.find((v) => v.persistentVolumeClaim !== undefined || v.ephemeral);
  if (pvc !== undefined) {
    return `${file}: the pod mounts a persistent volume claim (volume ${pvc.name}); PersistentVolumes are not modelled`;
  }
  return undefined;
}

/** A Pod from a raw template object, in `namespace`, named `name`. Priority admission is not run. */
export function decodePodAs(
  raw: RawObject,
  file: string,
  name: string,
  namespace: string,
  notes: Set<string>,
): Pod {
  checkKind(raw, file, "Pod");
  return decodeWith(setMeta(raw, name, namespace), file, decodePod, notes);
}

/** A Namespace from a raw template object (or a bare one), named `name`. */
export function decodeNamespaceAs(
  raw: RawObject | undefined,
  file: string,
  name: string,
): Namespace {
  const r = raw ?? { apiVersion: "v1", kind: "Namespace", metadata: {} };
  checkKind(r, file, "Namespace");
  return decodeWith(setMeta(r, name), file, decodeNamespace, new Set());
}

/** An object of any modelled kind, for createAny. */
export type AnyObject =
  | { readonly kind: "Pod"; readonly raw: RawObject }
  | { readonly kind: "Node"; readonly raw: RawObject }
  | { readonly kind: "Namespace"; readonly namespace: Namespace }
  | { readonly kind: "kept"; readonly object: KeptObject };

const KEPT: ReadonlySet<string> = new Set(KEPT_KINDS);

/** Decodes a createAny object (named `name`, in `namespace` when namespaced). */
export function decodeAny(
  raw: RawObject,
  file: string,
  name: string,
  namespace: string,
): AnyObject {
  const kind = typeof raw["kind"] === "string" ? raw["kind"] : "";
  const apiVersion = typeof raw["apiVersion"] === "string" ? raw["apiVersion"] : "";
  if (kind === "Pod") return { kind: "Pod", raw };
  if (kind === "Node") return { kind: "Node", raw };
  if (kind === "Namespace")
    return { kind: "Namespace", namespace: decodeNamespaceAs(raw, file, name) };
  if (!KEPT.has(kind) || API_VERSIONS[kind] === undefined) {
    throw new SkipWorkload(`${file}: createAny of kind ${kind || "(none)"} is not modelled`);
  }
  const k = kind as KeptKind;
  const object = decodeWith(
    setMeta(raw, name, namespace || undefined),
    file,
    (root, source) => decodeKept(root, k, apiVersion, source),
    new Set(),
  );
  return { kind: "kept", object };
}
