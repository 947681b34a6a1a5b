/** Shared helpers of the manifest tests. */
import { formatDiagnostic } from "../../src/diagnostics.ts";
import type { LoadResult } from "../../src/manifest/index.ts";
import { collectManifestsFromString } from "../../src/manifest/index.ts";
import type { Pod } from "../../src/model/types.ts";

/** Every diagnostic of a result, formatted one per line. */
export function lines(r: LoadResult): string[] {
  return r.diagnostics.map(formatDiagnostic);
}

/** Loads one object given as a JS value (serialised to JSON as `file`). */
export function loadObject(obj: unknown, file = "o.json"): LoadResult {
  return collectManifestsFromString(JSON.stringify(obj), file);
}

/** The formatted diagnostics of one object. */
export function diagnosticsOf(obj: unknown, file = "o.json"): string[] {
  return lines(loadObject(obj, file));
}

/** A minimal valid pod named `p` with `spec` merged over one `nginx` container. */
export function podObject(
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", ...metadata },
    spec: { containers: [{ name: "app", image: "nginx" }], ...spec },
  };
}

/** The diagnostics of a pod built by `podObject`. */
export function podDiagnostics(spec: Record<string, unknown>): string[] {
  return diagnosticsOf(podObject(spec));
}

/** Decodes a pod that must be valid; fails the test with its diagnostics otherwise. */
export function validPod(
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Pod {
  const r = loadObject(podObject(spec, metadata));
  const errs = lines(r);
  if (errs.length > 0) throw new Error(`unexpected diagnostics:\n${errs.join("\n")}`);
  const pod = r.pods[0];
  if (!pod) throw new Error("no pod decoded");
  return pod;
}

/** A resource list as `name=quantity` strings, for compact assertions. */
export function rl(list: ReadonlyMap<string, { toString(): string }>): string[] {
  return [...list].map(([k, v]) => `${k}=${v.toString()}`);
}
