/**
 * `gantry generate <scenario> [-o <file|dir|->] [--limit N] [--seed N] [--kwok]`: writes a
 * scenario's cluster and workload as real Kubernetes YAML — Namespaces, PriorityClasses and the
 * other objects, Nodes with their status, pods bound at time 0, then the arriving pods in time
 * order with their `gantry.dev/arrival` and `gantry.dev/duration` annotations — so that kubectl
 * or KWOK (`--kwok` marks the nodes for its controller) can replay it, and so that `gantry
 * validate` and manifest-based runs read back the same objects. Order and naming:
 * `src/generate/render.ts`.
 *
 * Output: `-o file.yaml` one multi-document file; `-o dir/` (a trailing slash, or an existing
 * directory) one file per kind (`namespaces.yaml`, `priorityclasses.yaml`, `nodes.yaml`,
 * `pods.yaml`, …); `-o -` (the default) stdout, and then nothing else goes to stdout. A summary,
 * warnings and (on a terminal) progress go to stderr. Cluster events are not written: manifests
 * describe time 0. Exit 0; 2 for usage and input errors.
 */
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { formatDiagnostic } from "../../diagnostics.ts";
import { kindFileName, manifestDocuments } from "../../generate/render.ts";
import { loadScenario } from "../../scenario/load.ts";
import type { Scenario } from "../../scenario/types.ts";
import { ExitCode, UsageError } from "../exit.ts";
import { type CliIO, styler } from "../io.ts";

interface GenerateOptions {
  output: string;
  limit?: string;
  seed?: string;
  kwok?: boolean;
}

export function registerGenerate(program: Command, io: CliIO, setExit: (c: number) => void) {
  program
    .command("generate")
    .description("write a scenario's cluster and workload as Kubernetes YAML (kubectl, KWOK)")
    .argument("<scenario>", "a scenario file (gantry.dev/v1alpha1 Scenario)")
    .option(
      "-o, --output <path>",
      "a file (multi-document YAML), a directory (one file per kind: end it with / or name an existing one), or - for stdout",
      "-",
    )
    .option(
      "--limit <n>",
      "write at most n arriving pods (pods bound at time 0 are always written)",
    )
    .option("--seed <n>", "override the scenario's seed (0 … 2^53−1)")
    .option("--kwok", "annotate nodes kwok.x-k8s.io/node: fake, for KWOK's controller")
    .action(async (scenario: string, opts: GenerateOptions) => {
      setExit(await generate(scenario, opts, io));
    });
}

function parseCount(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(
      `${flag}: "${text}" is not an integer between 0 and ${Number.MAX_SAFE_INTEGER}`,
    );
  }
  return n;
}

/** Where documents go: one sink per file (or stdout), written with backpressure. */
interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

const CHUNK = 1 << 20;

async function fileSink(path: string): Promise<Sink> {
  const stream: WriteStream = createWriteStream(path, { encoding: "utf8" });
  try {
    await once(stream, "open");
  } catch (e) {
    throw outputError(path, e);
  }
  let failure: unknown;
  stream.on("error", (e) => {
    failure = e;
  });
  let buffer = "";
  const flush = async (): Promise<void> => {
    if (failure !== undefined) throw outputError(path, failure);
    const text = buffer;
    buffer = "";
    if (text !== "" && !stream.write(text)) await once(stream, "drain");
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    },
    async close() {
      await flush();
      const finished = once(stream, "finish");
      stream.end();
      await finished;
    },
  };
}

function stdoutSink(io: CliIO): Sink {
  let buffer = "";
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) {
        io.out(buffer);
        buffer = "";
      }
    },
    async close() {
      if (buffer !== "") io.out(buffer);
      buffer = "";
    },
  };
}

function outputError(path: string, e: unknown): UsageError {
  const code = (e as { code?: unknown }).code;
  const why =
    code === "ENOENT"
      ? "no such directory"
      : code === "EACCES"
        ? "permission denied"
        : e instanceof Error
          ? e.message
          : String(e);
  return new UsageError(`-o: cannot write ${path}: ${why}`);
}

async function isDirectory(path: string): Promise<boolean> {
  if (path.endsWith("/")) return true;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The namespaces a scenario's pods use (streams: their templates' first variants). */
function podNamespaces(scenario: Scenario): Set<string> {
  const out = new Set<string>();
  for (const p of scenario.pods) out.add(p.template.metadata.namespace);
  for (const s of scenario.streams) {
    for (const t of s.templates) out.add(t.build(0).metadata.namespace);
  }
  return out;
}

async function generate(path: string, opts: GenerateOptions, io: CliIO): Promise<number> {
  const s = styler(io.color);
  const limit = opts.limit === undefined ? undefined : parseCount("--limit", opts.limit);
  const seed = opts.seed === undefined ? undefined : parseCount("--seed", opts.seed);
  const scenario = await loadScenario(path, seed === undefined ? {} : { seed });
  for (const d of scenario.warnings) {
    io.err(`${s.yellow("warning:")} ${formatDiagnostic({ ...d, severity: "error" })}\n`);
  }

  const header = `# gantry generate ${path}: scenario ${scenario.name}, seed ${scenario.seed}\n`;
  const toDir = opts.output !== "-" && (await isDirectory(opts.output));
  const sinks = new Map<string, Sink>();
  const sinkFor = async (kind: string): Promise<Sink> => {
    const key = toDir ? kindFileName(kind) : "";
    let sink = sinks.get(key);
    if (sink === undefined) {
      const file = toDir ? join(opts.output, key) : opts.output;
      sink = opts.output === "-" ? stdoutSink(io) : await fileSink(file);
      sinks.set(key, sink);
      await sink.write(header);
    }
    return sink;
  };
  if (opts.output !== "-") {
    try {
      await mkdir(toDir ? opts.output : dirname(opts.output), { recursive: true });
    } catch (e) {
      throw outputError(opts.output, e);
    }
  }

  const counts = new Map<string, number>();
  const input = scenario.toSimulationInput();
  const docs = manifestDocuments(input, {
    ...(limit !== undefined ? { limit } : {}),
    kwok: opts.kwok === true,
    podNamespaces: podNamespaces(scenario),
  });
  let lastProgress = Date.now();
  let pods = 0;
  try {
    if (!toDir) await sinkFor("");
    for (const doc of docs) {
      const sink = await sinkFor(doc.kind);
      await sink.write(`---\n${doc.text}`);
      counts.set(doc.kind, (counts.get(doc.kind) ?? 0) + 1);
      if (doc.kind === "Pod" && ++pods % 1024 === 0 && io.tty && Date.now() - lastProgress > 200) {
        lastProgress = Date.now();
        io.err(`\r${s.dim(`generate: ${pods.toLocaleString("en-US")} pods`)}`);
      }
    }
    for (const sink of sinks.values()) await sink.close();
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: unknown }).code === undefined) throw e;
    throw outputError(opts.output, e);
  }
  if (io.tty && pods >= 1024) io.err("\r\u001b[K");

  const bound = input.boundPods?.length ?? 0;
  const nodes = counts.get("Node") ?? 0;
  const podCount = counts.get("Pod") ?? 0;
  const others = [...counts]
    .filter(([k]) => k !== "Node" && k !== "Pod")
    .reduce((a, [, n]) => a + n, 0);
  const where = opts.output === "-" ? "stdout" : opts.output;
  io.err(
    `${s.green("generated:")} ${scenario.name} (seed ${scenario.seed}): ${nodes} nodes, ${podCount} pods (${bound} bound), ${others} other objects → ${where}\n`,
  );
  if (scenario.events.length > 0) {
    io.err(
      `note: ${scenario.events.length} cluster event${scenario.events.length === 1 ? " is" : "s are"} not written: manifests describe the cluster at time 0\n`,
    );
  }
  return ExitCode.OK;
}
