import { flags } from './client.js';

const PERMISSIONS = ['audit-log-export', 'beta-reports'] as const;

export function adminMenu(userId: string): string[] {
  const menu: string[] = [];
  if (flags.isEnabled('audit-log-export', { userId })) menu.push('Export audit log');
  if (flags.isEnabled('beta-reports', { userId })) menu.push('Reports (beta)');
  return menu;
}

/** The permissions page lists every permission flag; its keys are listed above. */
export function permissionStates(userId: string): Record<string, boolean> {
  const states: Record<string, boolean> = {};
  for (const key of PERMISSIONS) {
    // flagops-ignore-next-line dynamic-reference -- every key is in PERMISSIONS above
    states[key] = flags.isEnabled(key, { userId });
  }
  return states;
}
