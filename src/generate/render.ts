/**
 * A simulation's input as Kubernetes YAML documents, lazily, for `gantry generate`: what a
 * cluster (or KWOK) needs to replay it. Documents come in apply order:
 *
 * 1. Namespaces: those given, then those the pods use that exist in no cluster by default
 *    (anything but `default`, `kube-system`, `kube-public`, `kube-node-lease`) — a stream's
 *    namespace is read from its templates' first variant.
 * 2. The other kept objects (PriorityClasses first, then the rest in input order).
 * 3. Nodes, with their status.
 * 4. Pods bound at time 0, with `gantry.dev/duration`.
 * 5. The arriving pods in time order, with `gantry.dev/arrival` and `gantry.dev/duration` (both
 *    always written; `never` for a pod that runs until deleted). A pod without its own name is
 *    named `<template name>-<n>`, n counting from 0 per template name — as the engine
 *    (`src/sim/engine.ts`) names them, so reports and generated manifests agree.
 *
 * YAML is written for YAML 1.1 readers (kubectl's): strings that 1.1 would read as booleans or
 * numbers are quoted. A template is rendered once and reused for all its pods; only the name and
 * the two annotations are written per pod.
 */
import { stringify } from "yaml";
import type { Namespace, Pod } from "../model/types.ts";
import { formatDuration } from "../scenario/duration.ts";
import {
  ARRIVAL_ANNOTATION,
  DURATION_ANNOTATION,
  type PodArrival,
  type SimulationInput,
} from "../sim/types.ts";
import { encodeKept, encodeNamespace, encodeNode, encodePod, type Manifest } from "./encode.ts";

/** One YAML document (no `---` separator), with its object's kind. */
export interface ManifestDocument {
  readonly kind: string;
  readonly text: string;
}

/** Options of {@link manifestDocuments}. */
export interface RenderOptions {
  /** Most arriving pods to write (bound pods are part of the cluster and always written). */
  readonly limit?: number;
  /** Annotate nodes for KWOK's controller (`kwok.x-k8s.io/node: fake`). */
  readonly kwok?: boolean;
  /** Namespaces the pods may use (besides the built-in ones); see the module comment. */
  readonly podNamespaces?: Iterable<string>;
}

/** The namespaces every cluster has. */
export const BUILT_IN_NAMESPACES: ReadonlySet<string> = new Set([
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
]);

const YAML_OPTIONS = { version: "1.1", lineWidth: 0 } as const;

function yaml(value: unknown): string {
  return stringify(value, YAML_OPTIONS);
}

/** A template rendered once: everything but the pod's name and gantry's two annotations. */
interface RenderedTemplate {
  /** `apiVersion`, `kind` and `metadata:`, up to where `name` goes. */
  readonly head: string;
  /** The other metadata fields, then `  annotations:` and the template's own annotations. */
  readonly meta: string;
  /** `spec:` (and `status:`) and their bodies. */
  readonly body: string;
}

/** YAML 1.1 words a plain scalar would not read back as a string. */
const YAML11_WORDS = /^(y|yes|n|no|true|false|on|off|null|~)$/i;

/**
 * A scalar for a name or label-like value: plain when YAML 1.1 reads it back as this string (a
 * letter first, then letters, digits, `-`, `.`, `_`; not a YAML 1.1 word), else double-quoted.
 */
function scalar(text: string): string {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(text) && !YAML11_WORDS.test(text)
    ? text
    : JSON.stringify(text);
}

/** `text`'s lines indented by `n` spaces. */
function indent(text: string, n: number): string {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}

function renderTemplate(pod: Pod): RenderedTemplate {
  const m = encodePod(pod);
  const {
    name: _name,
    annotations,
    ...rest
  } = m["metadata"] as Manifest & {
    annotations?: Record<string, string>;
  };
  const own = { ...annotations };
  delete own[ARRIVAL_ANNOTATION];
  delete own[DURATION_ANNOTATION];
  const restText = Object.keys(rest).length > 0 ? indent(yaml(rest), 2) : "";
  const ownText = Object.keys(own).length > 0 ? indent(yaml(own), 4) : "";
  const { apiVersion: _v, kind: _k, metadata: _m, ...body } = m;
  return {
    head: "apiVersion: v1\nkind: Pod\nmetadata:\n",
    meta: `${restText}  annotations:\n${ownText}`,
    body: yaml(body),
  };
}

/** The input's documents in apply order; see the module comment. */
export function* manifestDocuments(
  input: Pick<SimulationInput, "nodes" | "boundPods" | "objects" | "arrivals">,
  options: RenderOptions = {},
): Generator<ManifestDocument> {
  const fmt = formatDuration;
  const namespaces: Namespace[] = [...(input.objects?.namespaces ?? [])];
  const declared = new Set(namespaces.map((n) => n.metadata.name));
  for (const ns of namespaces) yield { kind: "Namespace", text: yaml(encodeNamespace(ns)) };
  const implied = new Set<string>();
  const used = [
    ...(input.boundPods ?? []).map((p) => p.template.metadata.namespace),
    ...(options.podNamespaces ?? []),
  ];
  for (const ns of used) {
    if (ns === "" || BUILT_IN_NAMESPACES.has(ns) || declared.has(ns) || implied.has(ns)) continue;
    implied.add(ns);
    yield {
      kind: "Namespace",
      text: yaml({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }),
    };
  }

  const kept = input.objects?.kept ?? [];
  for (const obj of kept.filter((o) => o.kind === "PriorityClass")) {
    yield { kind: obj.kind, text: yaml(encodeKept(obj)) };
  }
  for (const obj of kept.filter((o) => o.kind !== "PriorityClass")) {
    yield { kind: obj.kind, text: yaml(encodeKept(obj)) };
  }

  for (const node of input.nodes) {
    yield { kind: "Node", text: yaml(encodeNode(node, { kwok: options.kwok === true })) };
  }

  const rendered = new WeakMap<Pod, RenderedTemplate>();
  const podText = (a: PodArrival, name: string, arrival: boolean): string => {
    let r = rendered.get(a.template);
    if (r === undefined) {
      r = renderTemplate(a.template);
      rendered.set(a.template, r);
    }
    const at = arrival ? `    ${ARRIVAL_ANNOTATION}: ${JSON.stringify(fmt(a.time))}\n` : "";
    const runs = `    ${DURATION_ANNOTATION}: ${JSON.stringify(fmt(a.duration))}\n`;
    return `${r.head}  name: ${scalar(name)}\n${r.meta}${at}${runs}${r.body}`;
  };

  for (const a of input.boundPods ?? []) {
    yield { kind: "Pod", text: podText(a, a.name ?? a.template.metadata.name, false) };
  }

  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  const counters = new Map<string, number>();
  let written = 0;
  for (const a of input.arrivals) {
    let name = a.name;
    if (name === undefined) {
      const base = a.template.metadata.name;
      const n = counters.get(base) ?? 0;
      counters.set(base, n + 1);
      name = `${base}-${n}`;
    }
    yield { kind: "Pod", text: podText(a, name, true) };
    if (++written >= limit) return;
  }
}

/** The file a kind goes to in a directory output: `nodes.yaml`, `priorityclasses.yaml`, …. */
export function kindFileName(kind: string): string {
  const lower = kind.toLowerCase();
  return `${lower}${lower.endsWith("s") ? "es" : "s"}.yaml`;
}
