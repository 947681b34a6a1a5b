/**
 * `gantry validate <paths…>`: loads Kubernetes manifests (files, directories, `-` for stdin)
 * and either reports every error (exit 2) or prints a summary — objects by kind, the nodes'
 * total allocatable and the pods' total requests (exit 0). `--json` prints the summary (or the
 * errors) as one JSON document on stdout.
 */
import type { Command } from "commander";
import { type Diagnostic, formatDiagnostic, InputError } from "../../diagnostics.ts";
import { loadManifests } from "../../manifest/index.ts";
import { type ManifestSummary, summarize } from "../../model/summary.ts";
import { formatResource } from "../../report/format.ts";
import { ExitCode } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

/** Version of the `--json` document; bumped on incompatible changes (CHANGELOG.md says when). */
export const VALIDATE_SCHEMA_VERSION = 1;

interface ValidateOptions {
  json?: boolean;
}

export function registerValidate(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("validate")
    .description("load Kubernetes manifests and report every error, or summarize them")
    .argument("<paths...>", "manifest files or directories (.yaml, .yml, .json); - for stdin")
    .option("--json", "print the result as JSON on stdout")
    .action(async (paths: string[], opts: ValidateOptions) => {
      setExit(await validate(paths, opts, io));
    });
}

function diagnosticJson(d: Diagnostic) {
  return {
    severity: d.severity,
    file: d.file,
    ...(d.doc !== undefined ? { doc: d.doc } : {}),
    ...(d.object ? { object: d.object } : {}),
    ...(d.path ? { path: d.path } : {}),
    message: d.message,
    text: formatDiagnostic(d),
  };
}

async function validate(paths: string[], opts: ValidateOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  let loaded: Awaited<ReturnType<typeof loadManifests>>;
  try {
    loaded = await loadManifests(paths, { stdin: io.readStdin });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const errors = e.diagnostics.filter((d) => d.severity === "error");
    for (const d of e.diagnostics) {
      const tag = d.severity === "error" ? s.red("error:") : s.yellow("warning:");
      io.err(`${tag} ${formatDiagnostic({ ...d, severity: "error" })}\n`);
    }
    io.err(`${errors.length} error${errors.length === 1 ? "" : "s"}\n`);
    if (opts.json) {
      const doc = {
        schemaVersion: VALIDATE_SCHEMA_VERSION,
        valid: false,
        diagnostics: e.diagnostics.map(diagnosticJson),
      };
      io.out(`${JSON.stringify(doc, null, 2)}\n`);
    }
    return ExitCode.USAGE;
  }

  for (const d of loaded.diagnostics) {
    io.err(`${s.yellow("warning:")} ${formatDiagnostic({ ...d, severity: "error" })}\n`);
  }
  const summary = summarize({
    nodes: loaded.nodes,
    pods: loaded.pods,
    others: [...loaded.namespaces, ...loaded.kept],
  });
  if (opts.json) {
    const doc = {
      schemaVersion: VALIDATE_SCHEMA_VERSION,
      valid: true,
      inputs: paths,
      ...summary,
      diagnostics: loaded.diagnostics.map(diagnosticJson),
    };
    io.out(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    io.err(renderSummary(paths, summary, io.color));
  }
  return ExitCode.OK;
}

function renderTotals(totals: Record<string, number>): string {
  return Object.entries(totals)
    .map(([k, v]) => `${k} ${formatResource(k, v)}`)
    .join(", ");
}

/** The human summary printed by `gantry validate`. */
export function renderSummary(paths: string[], sum: ManifestSummary, color: boolean): string {
  const s = styler(color);
  const total = Object.values(sum.objects).reduce((a, b) => a + b, 0);
  const lines = [`${s.green("valid:")} ${paths.join(" ")} — ${total} objects`];
  const width = Math.max(4, ...Object.keys(sum.objects).map((k) => k.length));
  for (const [kind, n] of Object.entries(sum.objects)) {
    lines.push(`  ${kind.padEnd(width)}  ${String(n).padStart(6)}`);
  }
  const cordoned = sum.nodes.unschedulable ? `, ${sum.nodes.unschedulable} unschedulable` : "";
  lines.push(
    `${s.bold("nodes")} ${sum.nodes.count}${cordoned}; allocatable: ${renderTotals(sum.nodes.allocatable)}`,
  );
  lines.push(
    `${s.bold("pods")} ${sum.pods.count} (${sum.pods.bound} bound); requests: ${renderTotals(sum.pods.requests)}`,
  );
  return `${lines.join("\n")}\n`;
}
