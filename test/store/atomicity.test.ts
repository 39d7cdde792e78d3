import { atomicitySuite } from '../helpers/atomicity-suite.js';

// The quick variant; npm run test:stress runs 10,000 flags and 50 kills.
atomicitySuite({ flags: 600, kills: 4 });
