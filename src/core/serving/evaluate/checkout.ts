import { compileEnvironment } from '../compile.js';
import type { FlagDocument, SegmentDocument } from '../../definition/model.js';
import { buildSnapshot, type Snapshot } from './snapshot.js';

/** The flags of a checkout as a reader of one environment would hold them after a sync of it. */
export function snapshotOfDefinitions(
  flags: ReadonlyArray<{ key: string; definition: FlagDocument }>,
  environment: string,
  segments: ReadonlyArray<{ key: string; definition: SegmentDocument }> = [],
): Snapshot {
  const compiled = compileEnvironment(flags, environment, segments);
  return buildSnapshot({ meta: null, flags: compiled.flags, overrides: new Map() });
}
