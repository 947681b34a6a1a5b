/**
 * The manifest collector: dispatches parsed documents by `kind` to the per-kind decoders, checks
 * `apiVersion`, unwraps `List` and `*List` documents, detects duplicate objects across every
 * input, warns once per unmodelled kind, and finally applies the Priority admission step.
 * It never throws for input problems: everything becomes a diagnostic.
 */
import type { Diagnostic, Location } from "../diagnostics.ts";
import { Diagnostics, formatLocation } from "../diagnostics.ts";
import type { KeptKind, KeptObject, Namespace, Node, Pod } from "../model/types.ts";
import { KEPT_KINDS } from "../model/types.ts";
import { Field, isObject, quote, type Scope } from "./field.ts";
import { decodeKept, isNamespacedKept } from "./kept.ts";
import { describeObject } from "./meta.ts";
import { decodeNamespace } from "./namespace.ts";
import { decodeNode } from "./node.ts";
import { type ParsedFile, parseJson, parseYaml } from "./parse.ts";
import { decodePod } from "./pod.ts";
import { admitPriorities } from "./priority.ts";

/** Everything read from a set of inputs. */
export interface LoadResult {
  readonly nodes: Node[];
  readonly pods: Pod[];
  readonly namespaces: Namespace[];
  readonly kept: KeptObject[];
  /** Errors and warnings, in input order (unmodelled-kind warnings last). */
  readonly diagnostics: Diagnostic[];
}

/** The API group/version each decoded kind must carry. */
export const API_VERSIONS: Readonly<Record<string, string>> = {
  Pod: "v1",
  Node: "v1",
  Namespace: "v1",
  Service: "v1",
  PersistentVolume: "v1",
  PersistentVolumeClaim: "v1",
  ResourceQuota: "v1",
  LimitRange: "v1",
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  StorageClass: "storage.k8s.io/v1",
  CSINode: "storage.k8s.io/v1",
  PriorityClass: "scheduling.k8s.io/v1",
  PodDisruptionBudget: "policy/v1",
  List: "v1",
};

const KEPT: ReadonlySet<string> = new Set(KEPT_KINDS);

function isKept(kind: string): kind is KeptKind {
  return KEPT.has(kind);
}

/** `List` and the typed lists (`PodList`, `NodeList`, …): documents that hold `items`. */
function isListKind(kind: string): boolean {
  return kind === "List" || (kind.endsWith("List") && kind.length > "List".length);
}

/** Whether objects of a kind are namespaced; `undefined` for kinds gantry does not know. */
function namespacedKind(kind: string): boolean | undefined {
  if (kind === "Pod") return true;
  if (kind === "Node" || kind === "Namespace") return false;
  if (isKept(kind)) return isNamespacedKept(kind);
  return undefined;
}

/** What a `*List` document imposes on its items. */
interface ListContext {
  readonly kind: string;
  readonly apiVersion: string;
  readonly listKind: string;
}

/** Collects decoded objects and diagnostics over any number of inputs. */
export class ManifestCollector {
  private readonly diags = new Diagnostics();
  private readonly nodes: Node[] = [];
  private readonly pods: Pod[] = [];
  private readonly namespaces: Namespace[] = [];
  private readonly kept: KeptObject[] = [];
  /** `kind/namespace/name` → where it was first defined. */
  private readonly seen = new Map<string, Location>();
  /** Unmodelled kind → first occurrence and count. */
  private readonly unmodelled = new Map<string, { first: Location; count: number }>();

  /** Records a diagnostic not tied to a document (an unreadable file, an empty directory). */
  report(d: Diagnostic): void {
    this.diags.add(d);
  }

  /** Parses `text` (JSON when `format` is `json`, else a YAML stream) and adds its documents. */
  addText(text: string, file: string, format: "yaml" | "json" = "yaml"): void {
    const parsed: ParsedFile = format === "json" ? parseJson(text, file) : parseYaml(text, file);
    for (const d of parsed.diagnostics) this.diags.add(d);
    for (const d of parsed.documents) {
      this.addDocument(d.value, d.doc !== undefined ? { file, doc: d.doc } : { file });
    }
  }

  /**
   * Adds one parsed document. `path` is set for list items (`items[3]`), `list` when the item
   * belongs to a typed list (`PodList`) that supplies a missing kind and apiVersion.
   */
  addDocument(raw: unknown, where: Location, path = "", list?: ListContext): void {
    const kindRaw = isObject(raw) ? raw["kind"] : undefined;
    const kindName = typeof kindRaw === "string" && kindRaw ? kindRaw : (list?.kind ?? "");
    const object =
      kindName && !isListKind(kindName)
        ? describeObject(kindName, raw, namespacedKind(kindName))
        : undefined;
    const loc: Location = { ...where, ...(object ? { object } : {}) };
    const scope: Scope = { diags: this.diags, loc };
    const root = new Field(scope, path, raw);

    if (!isObject(raw)) {
      root.error("must be an object with apiVersion and kind");
      return;
    }
    const kind = this.readKind(root, list);
    const apiVersion = this.readApiVersion(root, list);
    if (!kind || !apiVersion) return;

    if (isListKind(kind)) {
      this.addList(root, kind, apiVersion, where);
      return;
    }

    const source: Location = path ? { ...loc, path } : loc;
    const expected = API_VERSIONS[kind];
    if (expected === undefined) {
      const u = this.unmodelled.get(kind);
      if (u) u.count++;
      else this.unmodelled.set(kind, { first: source, count: 1 });
      return;
    }
    if (apiVersion !== expected)
      root.get("apiVersion").error(`${quote(apiVersion)} is not one of ${expected}`);

    if (kind === "Pod") this.keep(root, source, decodePod(root, source), this.pods);
    else if (kind === "Node") this.keep(root, source, decodeNode(root, source), this.nodes);
    else if (kind === "Namespace")
      this.keep(root, source, decodeNamespace(root, source), this.namespaces);
    else if (isKept(kind))
      this.keep(root, source, decodeKept(root, kind, apiVersion, source), this.kept);
  }

  private readKind(root: Field, list: ListContext | undefined): string {
    const f = root.get("kind");
    if (list === undefined) return f.requiredString();
    const kind = f.string() || list.kind;
    if (kind !== list.kind) f.error(`${quote(kind)} does not match the list kind ${list.listKind}`);
    return kind;
  }

  private readApiVersion(root: Field, list: ListContext | undefined): string {
    const f = root.get("apiVersion");
    if (list === undefined) return f.requiredString();
    return f.string() || list.apiVersion;
  }

  private addList(root: Field, kind: string, apiVersion: string, where: Location): void {
    const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
    const expected = API_VERSIONS[itemKind ?? "List"];
    if (expected !== undefined && apiVersion !== expected)
      root.get("apiVersion").error(`${quote(apiVersion)} is not one of ${expected}`);
    const ctx = itemKind ? { kind: itemKind, apiVersion, listKind: kind } : undefined;
    for (const item of root.get("items").list()) {
      this.addDocument(item.value, where, item.path, ctx);
    }
  }

  /** Appends a decoded object unless it duplicates an earlier one (reported naming both). */
  private keep<T extends Pod | Node | Namespace | KeptObject>(
    root: Field,
    source: Location,
    obj: T,
    into: T[],
  ): void {
    const { name, namespace } = obj.metadata;
    if (name) {
      const key = `${obj.kind}\u0000${namespace}\u0000${name}`;
      const first = this.seen.get(key);
      if (first !== undefined) {
        const id = namespace ? `${namespace}/${name}` : name;
        root
          .get("metadata")
          .get("name")
          .error(`duplicate ${obj.kind} ${id} (first defined at ${formatLocation(first)})`);
        return;
      }
      this.seen.set(key, source);
    }
    into.push(obj);
  }

  /** The objects and diagnostics collected so far, after Priority admission. */
  result(): LoadResult {
    const diags = new Diagnostics();
    for (const d of this.diags.items) diags.add(d);
    const pods = admitPriorities(this.pods, this.kept, diags);
    for (const [kind, { first, count }] of this.unmodelled) {
      diags.add({
        ...first,
        severity: "warning",
        message: `kind ${kind} is not modelled; skipped${count > 1 ? ` (${count} objects)` : ""}`,
      });
    }
    return {
      nodes: [...this.nodes],
      pods,
      namespaces: [...this.namespaces],
      kept: [...this.kept],
      diagnostics: diags.items,
    };
  }
}
