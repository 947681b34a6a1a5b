/**
 * The CLI's view of the terminal: where machine output and human output go, and whether to
 * colour. Machine output (`--json`) goes to stdout; everything else — summaries meant for people,
 * warnings, errors, progress — to stderr. Colour only when stderr is a TTY, `NO_COLOR` is unset
 * or empty (no-color.org), and `TERM` is not `dumb`; `FORCE_COLOR` (non-`0`) forces it on.
 */
export interface CliIO {
  /** Machine output (stdout). */
  readonly out: (text: string) => void;
  /** Human output, warnings and errors (stderr). */
  readonly err: (text: string) => void;
  /** Whether stderr may carry ANSI colour. */
  readonly color: boolean;
  /** Whether stderr is an interactive terminal (progress bars only then). */
  readonly tty: boolean;
  /** Reads all of stdin (for the `-` input). */
  readonly readStdin: () => Promise<string>;
}

/** Decides colour from the environment and the stream, per the rules in the module comment. */
export function wantsColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/** The process's real streams. */
export function processIO(): CliIO {
  const tty = process.stderr.isTTY === true;
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    color: wantsColor(process.env, tty),
    tty,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** ANSI styling that collapses to plain text when colour is off. */
export function styler(color: boolean) {
  const wrap = (open: number, close: number) => (s: string) =>
    color ? `\u001b[${open}m${s}\u001b[${close}m` : s;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
  };
}
