import { WriteStream } from 'node:tty';
export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: colours and progress are allowed. */
  isTTY: boolean;
  /** stderr is a terminal: progress lines are allowed. */
  stderrTTY?: boolean;
  /** stdin is a terminal: a command may ask (flagops new, init). */
  stdinTTY?: boolean;
}

import { FlagopsError } from '../errors.js';

/** A mistake in how flagops was called or set up: exit 2 with a message, never a stack trace. */
export class UsageError extends FlagopsError {}

export const EXIT = { ok: 0, findings: 1, cannotRun: 2 } as const;

/**
 * Colour as Node itself decides it for a terminal (node:tty's getColorDepth: FORCE_COLOR=0–3,
 * NO_COLOR, NODE_DISABLE_COLORS, TERM=dumb, CI variables), and never in a pipe or a file unless
 * FORCE_COLOR asks for it.
 */
export function useColor(io: Io): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return io.isTTY && WriteStream.prototype.getColorDepth(io.env) > 1;
}
