// The seeded sync simulator, seeds 501–1000 (a second file so the runner can use another worker).
import 'fake-indexeddb/auto';
import { defineSeedSuite } from './sim/seed-suite';

defineSeedSuite(501, 500);
