/**
 * Runs the gantry CLI in-process with captured stdout and stderr.
 */
import { main } from "../../src/cli/main.ts";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `gantry ...argv`; colour off, not a TTY, stdin from `stdin`. */
export async function runCli(argv: string[], stdin = ""): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    out: (t) => {
      stdout += t;
    },
    err: (t) => {
      stderr += t;
    },
    color: false,
    tty: false,
    readStdin: async () => stdin,
  });
  return { code, stdout, stderr };
}
