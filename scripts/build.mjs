#!/usr/bin/env node
// Builds gantry: the WebAssembly core (asconfig.json targets `release` and `debug`, into build/)
// and the TypeScript host (src/ → dist/). Each step is skipped when its outputs are newer than
// every input, so `npm test` pays for a rebuild only when something changed.
//
//   node scripts/build.mjs              # wasm + TypeScript
//   node scripts/build.mjs --wasm-only  # wasm only
//   node scripts/build.mjs --force      # ignore timestamps
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const force = args.has("--force");

/** Newest mtime (ms) of the files below `paths`; 0 when none exist. */
function newest(paths) {
  let t = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) visit(join(p, e));
    } else if (st.mtimeMs > t) {
      t = st.mtimeMs;
    }
  };
  for (const p of paths) visit(join(root, p));
  return t;
}

/** Oldest mtime of `outputs`; 0 when one is missing (so it must be built). */
function oldest(outputs) {
  let t = Number.POSITIVE_INFINITY;
  for (const o of outputs) {
    const p = join(root, o);
    if (!existsSync(p)) return 0;
    t = Math.min(t, statSync(p).mtimeMs);
  }
  return t;
}

function stale(inputs, outputs) {
  return force || newest(inputs) > oldest(outputs);
}

async function buildWasm() {
  const inputs = ["assembly", "asconfig.json", "scripts/build.mjs"];
  const targets = {
    release: ["build/gantry.wasm"],
    debug: ["build/gantry.debug.wasm"],
  };
  const asc = (await import("assemblyscript/asc")).default;
  for (const [target, outputs] of Object.entries(targets)) {
    if (!stale(inputs, outputs)) continue;
    const t0 = performance.now();
    const { error, stderr } = await asc.main(
      ["--config", join(root, "asconfig.json"), "--target", target, "--baseDir", root],
      {},
    );
    if (error) {
      process.stderr.write(stderr.toString());
      process.stderr.write(`gantry build: asc (${target}) failed: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(
      `gantry build: wasm ${target} in ${(performance.now() - t0).toFixed(0)} ms\n`,
    );
  }
}

function buildTs() {
  if (!stale(["src", "tsconfig.json"], ["dist/cli/main.js"])) return;
  const t0 = performance.now();
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], {
    stdio: "inherit",
  });
  if (r.status !== 0) {
    process.stderr.write("gantry build: tsc failed\n");
    process.exit(1);
  }
  process.stderr.write(`gantry build: dist/ in ${(performance.now() - t0).toFixed(0)} ms\n`);
}

await buildWasm();
if (!args.has("--wasm-only")) buildTs();
