/**
 * gantry's exit codes. 0 success; 1 runtime failure (a bug or an environment problem);
 * 2 usage or input error (bad flags, unreadable or invalid files); 3 a gate found a regression.
 */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  REGRESSION: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A usage error detected by a command after commander parsed the flags (exit 2, no stack). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
