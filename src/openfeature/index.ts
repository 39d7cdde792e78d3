export { FlagopsProvider } from './provider.js';
