/**
 * Every workflow test starts with an empty deduplication store, as a new workflow in n8n does; a
 * test that checks what a second run remembers runs both in the same test.
 */
import { clearProcessedData } from './processedData';

beforeEach(() => clearProcessedData());
