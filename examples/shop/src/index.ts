// Re-exported, so the rest of the shop imports every flag key from one module.
export * from './flags.js';
export { isFeatureOn } from './feature.js';
