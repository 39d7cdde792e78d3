import { flags } from './client.js';

export interface User {
  id: string;
  plan: 'free' | 'pro' | 'enterprise';
}

/** The one place the shop asks about a release flag: callers pass a key, this adds the user. */
export function isFeatureOn(key: string, user: User): boolean {
  return flags.isEnabled(key, { userId: user.id, plan: user.plan }, false);
}
