import { deleteGuard, type Plan } from './plan.js';

export interface SyncSituation {
  plan: Plan;
  environment: string;
  /** The environment the store says synced it (`_meta.environment`). */
  liveEnvironment?: string;
  /** What is wrong with the store's `_meta` (a revision that is not a whole number). */
  metaProblem?: string;
  /** Flag or config files that differ from the head commit (the store would record a commit that does not hold them). */
  dirty?: readonly string[];
  allowDirty?: boolean;
  /** The store's format, when it is newer than this flagops writes: never overwritten, even forced. */
  newerFormat?: { live: number; known: number };
  liveCount: number;
  liveCommit?: string;
  headCommit?: string;
  /** Is the live commit an ancestor of (or equal to) the head commit? */
  ancestry: 'yes' | 'no' | 'unknown' | 'not-needed';
  force: boolean;
  allowDelete: boolean;
  maxDeleteShare?: number;
  /** Simple per-flag keys to write or delete: a sync with only these is still a write. */
  simpleChanges?: number;
}

export type SyncDecision =
  | { action: 'write' }
  /** No flag changed, but the store should learn the newer commit (for the next ancestry check). */
  | { action: 'record-commit' }
  | { action: 'up-to-date' }
  | { action: 'refuse'; reason: string; hint: string };

/** Whether and what to write. Pure: git and the store were asked before. */
export function decideSync(s: SyncSituation): SyncDecision {
  const short = (sha?: string) => sha?.slice(0, 12) ?? 'unknown';
  if (s.newerFormat) {
    return {
      action: 'refuse',
      reason: `the store holds format ${s.newerFormat.live}, written by a newer flagops; this one writes format ${s.newerFormat.known} and would break what the newer one wrote`,
      hint: 'Upgrade flagops (the newer version that synced it) and sync with that; --force does not override this.',
    };
  }
  if (!s.force && s.metaProblem !== undefined) {
    return {
      action: 'refuse',
      reason: `the store's _meta is corrupt: ${s.metaProblem}`,
      hint: `Someone wrote it outside flagops. flagops sync --env ${s.plan.environment} --force rewrites _meta (the flags are compared and written as usual); flagops kill works meanwhile.`,
    };
  }
  if (!s.force && s.liveEnvironment !== undefined && s.liveEnvironment !== s.environment) {
    return {
      action: 'refuse',
      reason: `this store holds environment "${s.liveEnvironment}", not "${s.environment}": two environments point at one store`,
      hint: 'Give each environment its own prefix (or Redis, or file) in flagops.config.yaml. If you renamed the environment, pass --force once.',
    };
  }
  if ((s.dirty?.length ?? 0) > 0 && !s.allowDirty) {
    const list = s.dirty!.slice(0, 5).join(', ') + (s.dirty!.length > 5 ? `, and ${s.dirty!.length - 5} more` : '');
    return {
      action: 'refuse',
      reason: `${s.dirty!.length === 1 ? 'a flag file differs' : `${s.dirty!.length} flag files differ`} from commit ${short(s.headCommit)} (${list}): the store would record a commit that does not hold what it serves`,
      hint: 'Commit the change first (CI syncs from the merged commit), or pass --allow-dirty to sync the working tree anyway (the audit records it).',
    };
  }
  if (!s.force && s.ancestry === 'no') {
    return {
      action: 'refuse',
      reason: `the live flags come from commit ${short(s.liveCommit)}, which is not an ancestor of ${short(s.headCommit)}: syncing would roll ${s.plan.environment} back or sideways`,
      hint: 'Sync from a checkout that contains the live commit (usually the latest main), or pass --force to overwrite it on purpose.',
    };
  }
  if (!s.force && s.ancestry === 'unknown') {
    return {
      action: 'refuse',
      reason: `the live commit ${short(s.liveCommit)} is not in this checkout's history, so flagops cannot tell whether ${short(s.headCommit)} is newer`,
      hint: 'Fetch the full history (actions/checkout with fetch-depth: 0), or pass --force.',
    };
  }
  if (!s.allowDelete) {
    const guard = deleteGuard(s.plan, s.liveCount, s.maxDeleteShare);
    if (guard.refused) {
      return {
        action: 'refuse',
        reason: guard.reason!,
        hint: 'If that is what you mean, pass --allow-delete; an empty or truncated checkout looks exactly like this.',
      };
    }
  }
  // A forced sync of a corrupt store writes even when no flag changed: that is the repair.
  if (s.plan.changes.length > 0 || s.plan.drift || (s.simpleChanges ?? 0) > 0 || s.metaProblem !== undefined) return { action: 'write' };
  if (s.headCommit && s.headCommit !== s.liveCommit) return { action: 'record-commit' };
  return { action: 'up-to-date' };
}
