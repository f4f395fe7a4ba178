// The seeded sync simulator, seeds 1–500; simulator-more.test.ts runs 501–1000.
// A failing seed prints its number; replay it with `node --import tsx scripts/sim.ts --seeds <n> --trace`.
import 'fake-indexeddb/auto';
import { defineSeedSuite } from './sim/seed-suite';

defineSeedSuite(1, 500);
