import { atomicitySuite } from '../helpers/atomicity-suite.js';

atomicitySuite({ flags: 10_000, kills: 50 });
