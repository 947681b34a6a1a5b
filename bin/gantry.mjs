#!/usr/bin/env node
// gantry's command-line entry. Runs the compiled CLI in dist/ (built by `npm install` through
// the `prepare` script, or by `npm run build`).
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("gantry: dist/ is missing; run `npm run build` (or `npm install`) first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
