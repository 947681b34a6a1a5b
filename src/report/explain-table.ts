/**
 * The `gantry explain` document (what `--json` prints, a contract other tools rely on) and its
 * rendering for people: a compact table of the feasible nodes' per-plugin scores, the infeasible
 * nodes grouped by filter verdict, and a final `selected: …` / `unschedulable: …` line.
 */
import { styler } from "../cli/io.ts";
import type { ExplainFilter, ExplainNode, ExplainResult } from "../reference/index.ts";
import { fitErrorMessage } from "../reference/index.ts";

/** A configured plugin explain did not run, and the extension points the profile lists it at. */
export interface PluginPoints {
  readonly plugin: string;
  readonly extensionPoints: readonly string[];
}

/**
 * The `gantry explain --json` document, schema version 1. Fields are only ever added; a change to
 * the meaning or type of an existing field bumps `schemaVersion`.
 */
export interface ExplainDocument {
  readonly schemaVersion: number;
  /** `namespace/name` of the explained pod. */
  readonly pod: string;
  /** The scheduler name of the profile that ran. */
  readonly profile: string;
  /** selectHost's PCG32 seed. */
  readonly seed: number;
  /** The `--candidates` nodes in the order given, or `null` when every node was a candidate. */
  readonly candidates: readonly string[] | null;
  /** Plugins whose PreFilter / PreScore returned Skip (their Filter / Score did not run). */
  readonly skipped: { readonly preFilter: readonly string[]; readonly preScore: readonly string[] };
  /**
   * Every node, in kube-scheduler's snapshot order (zone round-robin). `filter` on infeasible
   * nodes only; `scores` and `total` on scored nodes only.
   */
  readonly nodes: readonly ExplainNode[];
  /** The node selectHost picks, or `null` when no node is feasible (or the cycle failed). */
  readonly selected: string | null;
  /** `0/N nodes are available: …` when `selected` is `null` and the cycle did not fail; else `null`. */
  readonly message: string | null;
  /**
   * Plugins the profile enables that gantry does not implement and that could change this pod's
   * outcome; explain ran without them.
   */
  readonly notRun: readonly PluginPoints[];
  /**
   * Plugins the profile enables that gantry does not implement but that cannot change a
   * single-pod explain (queue sorting, binding, or SchedulingGates for a pod without gates).
   */
  readonly ignored: readonly PluginPoints[];
  /** Set when the scheduling cycle failed with an Error status (exit 1). */
  readonly error?: string;
  /**
   * Set when no node is feasible, the cycle did not fail and the profile runs DefaultPreemption
   * (PostFilter): `node` the pod would be nominated to, or `null` when preemption does not help;
   * `victims` the pods that would be deleted for it (`namespace/name`, most important first);
   * `message` why preemption did not help (`preemption: …`), `null` when a node was nominated.
   */
  readonly preemption?: ExplainResult["preemption"];
}

/**
 * Upstream's FitError text for the infeasible nodes of `nodes` (a histogram of filter reasons):
 * `0/6 nodes are available: 1 node(s) were unschedulable, 5 Insufficient cpu.`
 */
export function unschedulableMessage(nodes: readonly ExplainNode[]): string {
  const nodeToStatus = new Map<string, ExplainFilter>();
  for (const n of nodes) if (n.filter) nodeToStatus.set(n.name, n.filter);
  return fitErrorMessage(nodes.length, { nodeToStatus, unschedulablePlugins: [] });
}

/** Options of {@link renderExplainTable}. */
export interface ExplainTableOptions {
  /** ANSI colour. */
  readonly color: boolean;
  /** List every node, one per line, instead of the top feasible nodes and grouped infeasible ones. */
  readonly all?: boolean;
  /** The most feasible nodes listed without `all`. @default 20 */
  readonly maxRows?: number;
}

/** Short column names from a plugin name's capitals (`NodeResourcesFit` → `NRF`), made unique. */
function abbreviations(plugins: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const p of plugins) {
    const base = p.replace(/[^A-Z]/g, "") || p.slice(0, 3);
    let abbr = base;
    for (let i = 2; used.has(abbr); i++) abbr = `${base}${i}`;
    used.add(abbr);
    out.set(p, abbr);
  }
  return out;
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
}

/** `Plugin: reason, reason`; just the reasons for nodes left out by `--candidates` (no plugin). */
function filterText(f: ExplainFilter): string {
  const reasons = f.reasons.join(", ");
  return f.plugin ? `${f.plugin}: ${reasons}` : reasons;
}

/** Renders `doc` for people (stderr): header, score table, infeasible nodes, final verdict line. */
export function renderExplainTable(doc: ExplainDocument, opts: ExplainTableOptions): string {
  const s = styler(opts.color);
  const maxRows = opts.maxRows ?? 20;
  const lines: string[] = [];
  const scored = doc.nodes.filter((n) => n.scores !== undefined);
  const infeasible = doc.nodes.filter((n) => !n.feasible);

  lines.push(
    `${s.bold("explain")} ${doc.pod} · profile ${doc.profile} · seed ${doc.seed} · ` +
      `${doc.nodes.length} node${doc.nodes.length === 1 ? "" : "s"}, ${scored.length} feasible` +
      (doc.candidates ? ` · candidates ${doc.candidates.join(", ")}` : ""),
  );
  const skipped: string[] = [];
  if (doc.skipped.preFilter.length > 0)
    skipped.push(`PreFilter: ${doc.skipped.preFilter.join(", ")}`);
  if (doc.skipped.preScore.length > 0) skipped.push(`PreScore: ${doc.skipped.preScore.join(", ")}`);
  if (skipped.length > 0) lines.push(s.dim(`skipped at ${skipped.join("; ")}`));

  if (scored.length > 0) {
    // Plugins in the order the first scored node lists them (the profile's score order).
    const plugins = Object.keys(scored[0]?.scores ?? {});
    const abbr = abbreviations(plugins);
    const weights = new Map(plugins.map((p) => [p, scored[0]?.scores?.[p]?.weight ?? 1] as const));
    // Highest total first; the selected node first among equals, then snapshot order.
    const rows = [...scored].sort(
      (a, b) =>
        (b.total ?? 0) - (a.total ?? 0) ||
        Number(b.name === doc.selected) - Number(a.name === doc.selected),
    );
    const shown = opts.all ? rows : rows.slice(0, maxRows);
    const header = ["", "node", ...plugins.map((p) => `${abbr.get(p)}×${weights.get(p)}`), "total"];
    const body = shown.map((n) => [
      n.name === doc.selected ? "*" : "",
      n.name,
      ...plugins.map((p) => {
        const sc = n.scores?.[p];
        if (!sc) return "-";
        return sc.raw === sc.normalized ? String(sc.normalized) : `${sc.normalized} (${sc.raw})`;
      }),
      String(n.total ?? 0),
    ]);
    const widths = header.map((h, i) =>
      Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)),
    );
    lines.push("", s.bold(pad(header, widths)));
    for (const [i, r] of body.entries()) {
      const line = pad(r, widths);
      lines.push(shown[i]?.name === doc.selected ? s.green(line) : line);
    }
    if (shown.length < rows.length) {
      lines.push(s.dim(`  … ${rows.length - shown.length} more feasible nodes (--all lists them)`));
    }
    if (plugins.length > 0) {
      lines.push(
        s.dim(
          `scores: normalized (raw where it differs) × weight; ${plugins
            .map((p) => `${abbr.get(p)} ${p}`)
            .join(", ")}`,
        ),
      );
    } else {
      lines.push(s.dim("no score plugins ran: every feasible node has the same total"));
    }
    const top = rows[0]?.total ?? 0;
    const tied = rows.filter((n) => n.total === top).length;
    if (tied > 1 && doc.selected !== null) {
      lines.push(
        `${tied} nodes tie at ${top}: selectHost's draw (seed ${doc.seed}) picked ${doc.selected}`,
      );
    }
  }

  if (infeasible.length > 0) {
    lines.push("", s.bold(`infeasible: ${infeasible.length}`));
    if (opts.all) {
      const width = Math.max(...infeasible.map((n) => n.name.length));
      for (const n of infeasible) {
        lines.push(`  ${n.name.padEnd(width)}  ${n.filter ? filterText(n.filter) : ""}`);
      }
    } else {
      const groups = new Map<string, { text: string; names: string[] }>();
      for (const n of infeasible) {
        const text = n.filter ? filterText(n.filter) : "";
        const key = n.filter ? `${n.filter.plugin}\u0000${n.filter.code}\u0000${text}` : "";
        const g = groups.get(key) ?? { text, names: [] };
        g.names.push(n.name);
        groups.set(key, g);
      }
      const sorted = [...groups.values()].sort((a, b) => b.names.length - a.names.length);
      const width = Math.max(...sorted.map((g) => String(g.names.length).length));
      for (const g of sorted) {
        const names =
          g.names.length <= 3
            ? g.names.join(", ")
            : `${g.names.slice(0, 3).join(", ")}, +${g.names.length - 3} more`;
        lines.push(
          `  ${String(g.names.length).padStart(width)}  ${g.text}  ${s.dim(`(${names})`)}`,
        );
      }
    }
  }

  if (doc.preemption) {
    const p = doc.preemption;
    lines.push("");
    if (p.node !== null) {
      const n = p.victims.length;
      lines.push(
        `${s.bold("preemption:")} nominated to ${s.bold(p.node)}; ${n} victim${n === 1 ? "" : "s"}: ${p.victims.join(", ")}`,
      );
    } else {
      const why = (p.message ?? "").replace(/^preemption: /, "") || "no candidate node";
      lines.push(`${s.bold("preemption:")} no node: ${why}`);
    }
  }

  lines.push("");
  if (doc.error !== undefined)
    lines.push(`${s.red("error:")} scheduling cycle failed: ${doc.error}`);
  else if (doc.selected !== null) lines.push(`${s.green("selected:")} ${s.bold(doc.selected)}`);
  else lines.push(`${s.red("unschedulable:")} ${doc.message ?? unschedulableMessage(doc.nodes)}`);
  return `${lines.join("\n")}\n`;
}
