import { OpenFeature } from '@openfeature/server-sdk';

const client = OpenFeature.getClient('search');

/** Which search backend serves this user: an ops flag read through OpenFeature. */
export async function searchBackend(userId: string): Promise<string> {
  return client.getStringValue('search-backend', 'postgres', { targetingKey: userId });
}
