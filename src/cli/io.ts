export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: colours and progress are allowed. */
  isTTY: boolean;
  /** stderr is a terminal: progress lines are allowed. */
  stderrTTY?: boolean;
}

import { FlagopsError } from '../errors.js';

/** A mistake in how flagops was called or set up: exit 2 with a message, never a stack trace. */
export class UsageError extends FlagopsError {}

export const EXIT = { ok: 0, findings: 1, cannotRun: 2 } as const;

export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY;
}
