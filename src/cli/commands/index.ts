import type { Command } from '../command.js';
import { checkCommand } from './check.js';
import { cleanupCommand } from './cleanup.js';
import { codegenCommand } from './codegen.js';
import { diffCommand } from './diff.js';
import { evalCommand } from './eval.js';
import { guardCommand } from './guard.js';
import { initCommand } from './init.js';
import { killCommand, unkillCommand } from './kill.js';
import { newCommand } from './new.js';
import { planCommand } from './plan.js';
import { scanCommand } from './scan.js';
import { segmentsCommand } from './segments.js';
import { serveCommand } from './serve.js';
import { siteCommand } from './site.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { testCommand } from './test.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [
  initCommand,
  newCommand,
  validateCommand,
  scanCommand,
  checkCommand,
  testCommand,
  segmentsCommand,
  codegenCommand,
  cleanupCommand,
  diffCommand,
  planCommand,
  syncCommand,
  statusCommand,
  killCommand,
  unkillCommand,
  guardCommand,
  evalCommand,
  siteCommand,
  serveCommand,
];
