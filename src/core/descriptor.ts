/**
 * Encodes a pod class's static scheduling data into the descriptor format that
 * `assembly/static.ts` reads (its header comment is the format's specification).
 */

import type { Interner } from "../encode/intern.ts";
import type { PodClass } from "../encode/pod-class.ts";
import type {
  NodeAffinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
} from "../model/types.ts";
import { labelValueErrors, parseInt64, qualifiedNameErrors } from "../model/validation.ts";

/** The descriptor scratch region: a view over it and its absolute byte offset. */
export interface DescriptorWriter {
  readonly view: DataView;
  readonly base: number;
}

const OP: Readonly<Record<string, number>> = {
  In: 0,
  NotIn: 1,
  Exists: 2,
  DoesNotExist: 3,
  Gt: 4,
  Lt: 5,
};
const OP_INVALID = 6;
const HEADER_WORDS = 12;

class Bump {
  readonly #w: DescriptorWriter;
  #at: number;

  constructor(w: DescriptorWriter, start: number) {
    this.#w = w;
    this.#at = start;
  }

  /** Reserves `words` i32 words (8-byte aligned) and returns their offset within the region. */
  alloc(words: number): number {
    this.#at = Math.ceil(this.#at / 8) * 8;
    const at = this.#at;
    this.#at += words * 4;
    if (this.#at > this.#w.view.byteLength) {
      throw new Error("pod class descriptor exceeds the 256 KiB scratch region");
    }
    return at;
  }

  set(at: number, word: number, value: number): void {
    this.#w.view.setInt32(at + word * 4, value, true);
  }

  /** Absolute address of a region offset. */
  abs(at: number): number {
    return this.#w.base + at;
  }
}

/**
 * Whether a requirement parses (upstream `labels.NewRequirement` for expressions, the field
 * selector rules for `matchFields`): a valid key, the value count its operator needs, integers
 * for Gt / Lt, and valid label values. A term with an unparsable requirement never matches.
 */
export function requirementParses(r: NodeSelectorRequirement, field: boolean): boolean {
  if (field) {
    return (
      r.key === "metadata.name" &&
      (r.operator === "In" || r.operator === "NotIn") &&
      r.values.length === 1
    );
  }
  if (qualifiedNameErrors(r.key).length > 0) return false;
  switch (r.operator) {
    case "In":
    case "NotIn":
      if (r.values.length === 0) return false;
      break;
    case "Exists":
    case "DoesNotExist":
      if (r.values.length !== 0) return false;
      break;
    case "Gt":
    case "Lt":
      if (r.values.length !== 1 || parseInt64(r.values[0] as string) === undefined) return false;
      break;
    default:
      return false;
  }
  return r.values.every((v) => labelValueErrors(v).length === 0);
}

/** Whether every requirement of a term parses. */
export function termParses(term: NodeSelectorTerm): boolean {
  return (
    term.matchExpressions.every((r) => requirementParses(r, false)) &&
    term.matchFields.every((r) => requirementParses(r, true))
  );
}

function writeRequirement(
  b: Bump,
  at: number,
  r: NodeSelectorRequirement,
  field: boolean,
  interner: Interner,
): void {
  const op = requirementParses(r, field) ? (OP[r.operator] ?? OP_INVALID) : OP_INVALID;
  let nValues = r.values.length;
  let valuesPtr = 0;
  if (op === 4 || op === 5) {
    const v = parseInt64(r.values[0] as string) as bigint;
    const p = b.alloc(2);
    b.set(p, 0, Number(BigInt.asIntN(32, v)));
    b.set(p, 1, Number(BigInt.asIntN(32, v >> 32n)));
    valuesPtr = b.abs(p);
    nValues = 1;
  } else if (op === 0 || op === 1) {
    const p = b.alloc(Math.max(nValues, 1));
    r.values.forEach((v, k) => {
      b.set(p, k, interner.id(v));
    });
    valuesPtr = b.abs(p);
  }
  b.set(at, 0, field ? -1 : interner.id(r.key));
  b.set(at, 1, op);
  b.set(at, 2, nValues);
  b.set(at, 3, valuesPtr);
}

function writeTerm(b: Bump, term: NodeSelectorTerm, interner: Interner): number {
  const nExpr = term.matchExpressions.length;
  const nFields = term.matchFields.length;
  const at = b.alloc(2 + 4 * (nExpr + nFields));
  b.set(at, 0, nExpr);
  b.set(at, 1, nFields);
  let w = 2;
  for (const r of term.matchExpressions) {
    writeRequirement(b, at + w * 4, r, false, interner);
    w += 4;
  }
  for (const r of term.matchFields) {
    writeRequirement(b, at + w * 4, r, true, interner);
    w += 4;
  }
  return b.abs(at);
}

function writeSelector(b: Bump, sel: NodeSelector, interner: Interner): number {
  const terms = sel.nodeSelectorTerms.filter(
    (t) => t.matchExpressions.length > 0 || t.matchFields.length > 0,
  );
  const at = b.alloc(1 + terms.length);
  b.set(at, 0, terms.length);
  terms.forEach((t, k) => {
    b.set(at, 1 + k, writeTerm(b, t, interner));
  });
  return b.abs(at);
}

/**
 * Writes the descriptor of `cls` (with the profile's NodeAffinityArgs.addedAffinity) at the
 * start of the scratch region and returns its absolute address.
 */
export function encodeClassDescriptor(
  w: DescriptorWriter,
  cls: PodClass,
  interner: Interner,
  added: NodeAffinity | undefined,
): number {
  const b = new Bump(w, 0);
  const head = b.alloc(HEADER_WORDS);
  const spec = cls.exemplar.spec;

  // NodeName is checked per pod by the cycle (pods of one class may name different nodes).
  b.set(head, 0, -1);

  const nTol = cls.tolerationKeys.length;
  const tol = b.alloc(4 * Math.max(nTol, 1));
  const emptyId = interner.id("");
  for (let k = 0; k < nTol; k++) {
    const key = cls.tolerationKeys[k] as number;
    b.set(tol, 4 * k, key === emptyId ? -1 : key);
    b.set(tol, 4 * k + 1, cls.tolerationOperators[k] as number);
    b.set(tol, 4 * k + 2, cls.tolerationValues[k] as number);
    b.set(tol, 4 * k + 3, cls.tolerationEffects[k] as number);
  }
  b.set(head, 1, nTol);
  b.set(head, 2, b.abs(tol));

  const nSel = cls.nodeSelectorKeys.length;
  const sel = b.alloc(2 * Math.max(nSel, 1));
  for (let k = 0; k < nSel; k++) {
    b.set(sel, 2 * k, cls.nodeSelectorKeys[k] as number);
    b.set(sel, 2 * k + 1, cls.nodeSelectorValues[k] as number);
  }
  b.set(head, 3, nSel);
  b.set(head, 4, b.abs(sel));

  const na = spec.affinity?.nodeAffinity;
  const required = na?.requiredDuringSchedulingIgnoredDuringExecution;
  b.set(head, 5, required === undefined ? 0 : writeSelector(b, required, interner));
  const addedReq = added?.requiredDuringSchedulingIgnoredDuringExecution;
  b.set(head, 6, addedReq === undefined ? 0 : writeSelector(b, addedReq, interner));

  // Preferred terms: the added ones first, then the pod's; weight 0 and empty terms dropped.
  const preferred = [
    ...(added?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(na?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
  ].filter(
    (p) =>
      p.weight !== 0 &&
      (p.preference.matchExpressions.length > 0 || p.preference.matchFields.length > 0),
  );
  const pref = b.alloc(2 * Math.max(preferred.length, 1));
  preferred.forEach((p, k) => {
    b.set(pref, 2 * k, p.weight);
    b.set(pref, 2 * k + 1, writeTerm(b, p.preference, interner));
  });
  b.set(head, 7, preferred.length);
  b.set(head, 8, b.abs(pref));

  const nImg = cls.imageIds.length;
  const img = b.alloc(Math.max(nImg, 1));
  for (let k = 0; k < nImg; k++) b.set(img, k, cls.imageIds[k] as number);
  b.set(head, 9, nImg);
  b.set(head, 10, b.abs(img));
  b.set(head, 11, spec.initContainers.length + spec.containers.length);
  return b.abs(head);
}
