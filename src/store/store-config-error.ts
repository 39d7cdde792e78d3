import { FlagopsError } from '../errors.js';

/** Store settings that cannot work (a Cluster prefix without a hash tag, a URL flagops cannot parse): exit 2. */
export class StoreConfigError extends FlagopsError {}
